"""Coverage within reach on the demo: border, unknown values, communes without a crèche."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from sdsf.cli.main import app
from sdsf.core import columns as c
from sdsf.web.apps.datasets.coverage import coverage_table
from sdsf.web.apps.diagnostic.catchment import Settings, catchment_table, default_settings
from sdsf.web.apps.territories.models import Territory
from tests.conftest import DEMO_DEPARTEMENT as DEP

pytestmark = pytest.mark.django_db


def _points(codes):
    rows = Territory.objects.filter(level=c.COMMUNE, code__in=codes).values_list(
        "code", "longitude", "latitude"
    )
    return {code: np.array([lon, lat]) for code, lon, lat in rows}


def test_a_commune_without_creche_gets_the_rate_of_its_surroundings():
    plain = coverage_table(c.COMMUNE, DEP, 2023).set_index(c.CODE)
    within = catchment_table(c.COMMUNE, DEP, 2023, default_settings()).set_index(c.CODE)
    assert within[c.RATE_GLOBAL].notna().all()  # the neighbours without data are left out
    points = _points(plain.index)
    codes = list(points)
    xy = np.array([points[k] for k in codes])
    collective = plain[c.rate(c.EAJE_PSU)].fillna(0) + plain[c.rate(c.EAJE_HORS_PSU)].fillna(0)
    gaps_plain, gaps_within = [], []
    for code in plain.index[collective == 0]:
        distance = np.hypot(*(xy - points[code]).T)
        distance[codes.index(code)] = np.inf
        neighbour = codes[int(np.argmin(distance))]
        if collective[neighbour] == 0:
            continue  # only communes next to a town that has crèches
        gaps_plain.append(abs(plain.loc[code, c.RATE_GLOBAL] - plain.loc[neighbour, c.RATE_GLOBAL]))
        gaps_within.append(
            abs(within.loc[code, c.RATE_GLOBAL] - within.loc[neighbour, c.RATE_GLOBAL])
        )
    assert len(gaps_plain) > 15
    # Within reach, a commune without crèche is close to the neighbouring town that has some.
    assert np.median(gaps_within) < np.median(gaps_plain) / 3


def test_two_step_keeps_the_departement_total():
    # 2SFCA hands out every place once: over the whole département the rate is unchanged.
    plain = coverage_table(c.DEPARTEMENT, DEP, 2023).iloc[0][c.RATE_GLOBAL]
    within = catchment_table(c.DEPARTEMENT, DEP, 2023, Settings("2sfca", 10)).iloc[0]
    assert within[c.RATE_GLOBAL] == pytest.approx(plain, rel=1e-9)


def test_cli_methods():
    runner = CliRunner()
    for method in ("rayon", "2sfca", "e2sfca"):
        result = runner.invoke(
            app,
            [
                "couverture",
                "--niveau",
                "epci",
                "--departement",
                DEP,
                "--annee",
                "2023",
                "--methode",
                method,
                "--rayon",
                "15",
                "--format",
                "csv",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "rayon de 15 km" in result.output
    gauss = runner.invoke(
        app,
        [
            "couverture",
            "--niveau",
            "departement",
            "--departement",
            DEP,
            "--annee",
            "2023",
            "--methode",
            "e2sfca",
            "--decroissance",
            "gaussienne",
            "--format",
            "csv",
        ],
    )
    assert gauss.exit_code == 0 and "décroissance gaussienne" in gauss.output
    bad = runner.invoke(app, ["couverture", "--methode", "2sfca", "--rayon", "-3"])
    assert bad.exit_code == 2 and "rayon doit être positif" in bad.output


def test_accessible_rate_is_an_indicator_of_the_diagnostic(client):
    from django.contrib.auth import get_user_model

    from sdsf.parameters.indicators import catalogue
    from sdsf.web.apps.diagnostic.services import figures

    dep = figures(c.DEPARTEMENT, DEP, DEP, [catalogue().indicators["taux_couverture_accessible"]])
    assert dep[0].value == pytest.approx(
        coverage_table(c.DEPARTEMENT, DEP, 2023).iloc[0][c.RATE_GLOBAL]
    )
    client.force_login(get_user_model().objects.create_user("a@caf.fr", password="x"))
    html = client.get(f"/departements/{DEP}/diagnostic/accueil/").content.decode()
    assert 'id="carte-accessible"' in html and "rayon de 15 km" in html


def test_gaussian_decay_is_applied():
    bands = catchment_table(c.COMMUNE, DEP, 2023, Settings("e2sfca", 15, "bandes"))
    gauss = catchment_table(c.COMMUNE, DEP, 2023, Settings("e2sfca", 15, "gaussienne"))
    assert not np.allclose(bands[c.RATE_GLOBAL], gauss[c.RATE_GLOBAL], equal_nan=True)
    # both hand out every place once
    dep = [
        catchment_table(c.DEPARTEMENT, DEP, 2023, Settings("e2sfca", 15, d)).iloc[0]
        for d in ("bandes", "gaussienne")
    ]
    assert dep[0][c.RATE_GLOBAL] == pytest.approx(dep[1][c.RATE_GLOBAL], rel=1e-9)
