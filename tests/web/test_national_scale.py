"""A national instance (issue 15): figures stored once per data revision in a shared cache,
each département's under its own revision, refreshed in the background after an import;
provenance by reference (a row names the imports it used, and only those)."""

from __future__ import annotations

import os
import re
import socket

import pytest
from django.core.cache import caches
from django.test import override_settings

from sdsf.core import columns as c
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets import revision, stored
from sdsf.web.apps.datasets.coverage import FILES, coverage_table
from sdsf.web.apps.datasets.imports import import_file
from sdsf.web.apps.datasets.models import ImportedFile
from sdsf.web.apps.datasets.reach import neighbourhood, reached
from sdsf.web.apps.diagnostic.catchment import compute_accessible_places, default_settings
from sdsf.web.apps.diagnostic.refresh import is_fresh
from tests.conftest import DEMO_DEPARTEMENT

pytestmark = pytest.mark.django_db
DEP = DEMO_DEPARTEMENT
AIX, ANGERS = "13001", "49007"  # Bouches-du-Rhône (far away), Maine-et-Loire (next door)


def _home_care(tmp_path, commune: str, value: int = 7):
    path = tmp_path / f"garde_{commune}.csv"
    path.write_text(
        f"annee;code_commune;enfants_garde_domicile\n2023;{commune};{value}\n", encoding="utf-8"
    )
    return import_file("garde-domicile", path, user=SYSTEM, confirmed=True)


def test_a_change_reaches_the_departement_its_epci_partners_and_neighbours_only():
    near = reached(["44"])
    assert near is not None
    assert {"44", "35", "49", "56", "85"} <= near  # shared EPCI (Redon) and within 2 radii
    assert not {"13", "75", "2A", "971"} & near
    assert reached(["13"]) is not None and "44" not in reached(["13"])
    assert neighbourhood("44") <= near


def test_an_import_elsewhere_leaves_the_departement_tables_stored(tmp_path):
    key = stored.table_key("diagnostic", c.COMMUNE, DEP)
    france = stored.table_key("diagnostic", c.FRANCE, None)
    _home_care(tmp_path, AIX)
    assert stored.table_key("diagnostic", c.COMMUNE, DEP) == key  # 13 does not reach 44
    assert stored.table_key("diagnostic", c.FRANCE, None) != france
    _home_care(tmp_path, ANGERS)
    assert stored.table_key("diagnostic", c.COMMUNE, DEP) != key  # 49 does


def test_a_stored_table_is_read_not_computed_by_another_process():
    key = stored.table_key("essai", c.COMMUNE, DEP)
    assert stored.remember(key, lambda: {"valeur": 1}) == {"valeur": 1}
    stored.forget_memory()  # another process: nothing of its own yet

    def fail() -> dict[str, int]:
        raise AssertionError("recomputed")

    assert stored.remember(key, fail) == {"valeur": 1}
    copy = stored.remember(key, fail)
    copy["valeur"] = 2  # a caller changing what it read changes nothing stored
    assert stored.remember(key, fail) == {"valeur": 1}


def _redis_or_skip() -> None:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("SDSF_REQUIRE_TOOLS") == "1":
            pytest.fail("Redis absent : 127.0.0.1:6379")
        pytest.skip("Redis absent : 127.0.0.1:6379")


REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": "sdsf-tests",
    }
}


def test_the_production_cache_is_redis_and_holds_the_tables():
    from sdsf.web.config.settings.base import cache_config

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SDSF_CACHE_URL", "redis://127.0.0.1:6379/0")
        assert cache_config()["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        patch.delenv("SDSF_CACHE_URL")
        assert cache_config()["BACKEND"].endswith("FileBasedCache")
    _redis_or_skip()
    with override_settings(CACHES=REDIS):
        caches["default"].clear()
        stored.forget_memory()
        table = coverage_table(c.EPCI, DEP)
        key = stored.table_key("couverture", c.EPCI, DEP, None)
        assert caches["default"].has_key(key)
        stored.forget_memory()
        assert coverage_table(c.EPCI, DEP).equals(table)
        caches["default"].clear()
    stored.forget_memory()


def test_an_import_refreshes_the_figures_before_any_visit(
    tmp_path, django_capture_on_commit_callbacks
):
    assert not is_fresh(DEP)
    with (
        override_settings(SDSF_REFRESH_ON_IMPORT=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _home_care(tmp_path, "44109")
    assert is_fresh(DEP)
    for level in (c.DEPARTEMENT, c.COMMUNE, c.EPCI):
        assert stored.is_stored(stored.table_key("diagnostic", level, DEP))
        assert stored.is_stored(stored.table_key("couverture", level, DEP, None))
    assert stored.is_stored(stored.table_key("diagnostic", c.FRANCE, None))
    before = revision.departement_key(DEP)
    with (
        override_settings(SDSF_REFRESH_ON_IMPORT=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _home_care(tmp_path, AIX)
    assert revision.departement_key(DEP) == before and is_fresh(DEP)


def test_a_row_names_the_imports_it_used_and_only_those(tmp_path):
    _home_care(tmp_path, ANGERS)
    other = ImportedFile.objects.get(file_name="garde_49007.csv")
    communes = coverage_table(c.COMMUNE, DEP)
    assert communes[FILES].str.len().gt(0).all()
    used = {int(i) for refs in communes[FILES] for i in refs.split(" ; ")}
    assert other.pk not in used
    assert not communes[c.SOURCE].str.contains("garde_49007.csv").any()
    names = set(ImportedFile.objects.filter(pk__in=used).values_list("file_name", flat=True))
    assert all(name.startswith(f"{DEP}-") for name in names)
    # a row lists its own files: one commune's row is no longer than the files it read
    nantes = communes[communes[c.CODE] == "44109"].iloc[-1]
    assert len(nantes[FILES].split(" ; ")) <= len(names)
    assert set(nantes[c.SOURCE].split(" ; ")) <= {
        f"{f.producer} {f.dataset} ({f.file_name})"
        for f in ImportedFile.objects.filter(pk__in=used)
    }


def test_catchments_on_the_neighbourhood_equal_the_national_computation():
    settings = default_settings()
    national = compute_accessible_places(settings)
    local = compute_accessible_places(settings, neighbourhood(DEP))
    inner = national[national[c.CODE].str.startswith(DEP)].set_index([c.CODE, c.YEAR])
    mine = local.set_index([c.CODE, c.YEAR]).loc[inner.index]
    assert len(inner) > 200
    assert (mine.fillna(-1) - inner.fillna(-1)).abs().max().max() < 1e-9


def _unmasked(response) -> str:
    """The page without its CSRF token (masked anew in every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_theme_page_body_is_stored_per_revision_and_query(client, tmp_path):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
    url = f"/departements/{DEP}/diagnostic/accueil/"
    with override_settings(SDSF_STORE_PAGE_BODIES=True):
        first = _unmasked(client.get(url + "?niveau=epci"))
        again = client.get(url + "?niveau=epci&autre=1")
        assert _unmasked(again) == first  # stored: the same page, no body rendered
        assert "www/_diagnostic_corps.html" not in [t.name for t in again.templates]
        assert _unmasked(client.get(url)) != first  # another query, another body
        _home_care(tmp_path, AIX)  # another département: the France column may change
        after = client.get(url + "?niveau=epci")
        assert "www/_diagnostic_corps.html" in [t.name for t in after.templates]
