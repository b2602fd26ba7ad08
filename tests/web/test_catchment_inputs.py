"""Coverage within reach from an imported travel-time matrix and an imported grid of children,
on the demo département: hand-checked cases and invariants, imports atomic and idempotent."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from sdsf.cli.main import app
from sdsf.core import columns as c
from sdsf.sources.errors import SourceError
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.datasets.coverage import coverage_table
from sdsf.web.apps.datasets.imports import import_file
from sdsf.web.apps.datasets.models import GridCell, ImportedFile, TravelTime
from sdsf.web.apps.diagnostic.catchment import Settings, catchment_table, default_settings
from sdsf.web.apps.territories.models import Territory
from tests.conftest import DEMO_DEPARTEMENT as DEP

pytestmark = pytest.mark.django_db


def _communes() -> pd.DataFrame:
    return pd.DataFrame(
        list(
            Territory.objects.filter(level=c.COMMUNE, departement=DEP).values_list(
                "code", "longitude", "latitude"
            )
        ),
        columns=["code", "lon", "lat"],
    )


def test_travel_times_all_within_reach_share_one_rate(tmp_path):
    # Every commune reaches every other in 1 minute, except that one commune is missing as an
    # origin: it has no known catchment, and every other commune gets the same 2SFCA rate:
    # all the places over the children of the communes that reach them.
    codes = _communes()["code"].tolist()
    left_out = "44109"
    origin, destination = np.meshgrid(codes, codes, indexing="ij")
    matrix = pd.DataFrame({"origine": origin.ravel(), "destination": destination.ravel()})
    matrix["minutes"] = 1.0
    matrix = matrix[matrix["origine"] != left_out]
    path = tmp_path / "distancier_2024.parquet"
    matrix.to_parquet(path)
    report = import_file("distancier", path, user=SYSTEM)
    assert TravelTime.objects.count() == len(matrix)
    assert import_file("distancier", path, user=SYSTEM).already_imported  # idempotent
    settings = default_settings()
    assert settings.minutes == 15 and "15 minutes de trajet" in settings.label
    assert "temps de trajet" in " ".join(report.lines())
    within = catchment_table(c.COMMUNE, DEP, 2023, settings).set_index(c.CODE)
    plain = coverage_table(c.COMMUNE, DEP, 2023).set_index(c.CODE)
    assert np.isnan(within.loc[left_out, c.RATE_GLOBAL])
    expected = plain[c.PLACES_TOTAL].sum() / plain[c.CHILDREN_UNDER_3].drop(left_out).sum() * 100
    others = within[c.RATE_GLOBAL].drop(left_out)
    assert np.allclose(others, expected, rtol=1e-9)
    assert "distancier importé" in within[c.METHOD].iloc[0]
    cli = CliRunner().invoke(
        app,
        [
            "couverture",
            "--niveau",
            "epci",
            "--departement",
            "44",
            "--methode",
            "2sfca",
            "--temps",
            "10",
            "--format",
            "csv",
        ],
    )
    assert cli.exit_code == 0 and "10 minutes de trajet" in cli.output
    straight = CliRunner().invoke(
        app,
        [
            "couverture",
            "--departement",
            DEP,
            "--methode",
            "2sfca",
            "--rayon",
            "12",
            "--format",
            "csv",
        ],
    )
    assert straight.exit_code == 0 and "rayon de 12 km" in straight.output


def test_travel_time_limit_keeps_the_departement_total(tmp_path):
    # Minutes at 1 km per minute from the commune points: 2SFCA hands every place out once.
    points = _communes()
    from sdsf.core.accessibility import projected_xy

    xy = projected_xy(points["lon"].to_numpy(), points["lat"].to_numpy(), 2154)
    distance = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) / 1000
    i, j = np.nonzero(distance <= 25)
    pd.DataFrame(
        {
            "origine": points["code"].to_numpy()[i],
            "destination": points["code"].to_numpy()[j],
            "minutes": distance[i, j],
        }
    ).to_csv(tmp_path / "distancier_2024.csv", sep=";", index=False)
    import_file("distancier", tmp_path / "distancier_2024.csv", user=SYSTEM)
    plain = coverage_table(c.DEPARTEMENT, DEP, 2023).iloc[0][c.RATE_GLOBAL]
    settings = Settings("2sfca", 15, minutes=20)
    within = catchment_table(c.DEPARTEMENT, DEP, 2023, settings).iloc[0][c.RATE_GLOBAL]
    assert within == pytest.approx(plain, rel=1e-9)
    # a shorter limit changes the communes' rates
    short = catchment_table(c.COMMUNE, DEP, 2023, Settings("2sfca", 15, minutes=5))
    long = catchment_table(c.COMMUNE, DEP, 2023, settings)
    assert not np.allclose(short[c.RATE_GLOBAL], long[c.RATE_GLOBAL], equal_nan=True)


def test_a_bad_matrix_changes_nothing(tmp_path):
    path = tmp_path / "distancier_2024.csv"
    path.write_text("origine;destination;minutes\n44109;44184;12\n44109;4418;9\n")
    files = ImportedFile.objects.count()
    with pytest.raises(SourceError) as error:
        import_file("distancier", path, user=SYSTEM)
    assert "ligne 3" in error.value.french() and "4418" in error.value.french()
    assert ImportedFile.objects.count() == files and not TravelTime.objects.exists()
    assert default_settings().minutes is None
    cli = CliRunner().invoke(app, ["couverture", "--methode", "2sfca", "--temps", "10"])
    assert cli.exit_code == 2 and "aucun distancier importé" in cli.output


def _grid(tmp_path, points: pd.DataFrame, name: str, with_commune: bool) -> None:
    frame = pd.DataFrame(
        {"longitude": points["lon"], "latitude": points["lat"], "enfants": points["enfants"]}
    )
    if with_commune:
        frame["commune"] = points["code"]
    frame.to_csv(tmp_path / name, sep=";", index=False)
    import_file("carreaux-enfants", tmp_path / name, user=SYSTEM)


def test_grid_at_the_commune_points_changes_nothing(tmp_path):
    before = catchment_table(c.COMMUNE, DEP, 2023, Settings("2sfca", 10)).set_index(c.CODE)
    points = _communes()
    points = pd.concat([points.assign(enfants=3.0), points.assign(enfants=1.0)])  # two cells
    _grid(tmp_path, points, "carreaux_2021.csv", with_commune=True)
    assert GridCell.objects.count() == len(points)
    after = catchment_table(c.COMMUNE, DEP, 2023, Settings("2sfca", 10)).set_index(c.CODE)
    assert np.allclose(after[c.RATE_GLOBAL], before[c.RATE_GLOBAL], rtol=1e-9, equal_nan=True)
    assert "carreaux importés" in after[c.METHOD].iloc[0]


def test_grid_cells_are_located_and_move_the_rates(tmp_path):
    # Cells 300 m around each commune point, located in their commune by its polygon. The
    # département total stays (2SFCA); the communes' rates move.
    rng = np.random.default_rng(3)
    points = _communes()
    cells = pd.concat([points] * 4, ignore_index=True)
    cells["lon"] += rng.uniform(-0.004, 0.004, len(cells))
    cells["lat"] += rng.uniform(-0.003, 0.003, len(cells))
    cells["enfants"] = rng.uniform(0.5, 10, len(cells))
    before = catchment_table(c.COMMUNE, DEP, 2023, Settings("2sfca", 5)).set_index(c.CODE)
    _grid(tmp_path, cells, "carreaux_2021.csv", with_commune=False)
    stored = pd.DataFrame(list(GridCell.objects.values_list("commune", flat=True)))
    assert stored[0].isin(points["code"]).mean() > 0.95
    plain = coverage_table(c.DEPARTEMENT, DEP, 2023).iloc[0][c.RATE_GLOBAL]
    dep = catchment_table(c.DEPARTEMENT, DEP, 2023, Settings("2sfca", 5)).iloc[0]
    assert dep[c.RATE_GLOBAL] == pytest.approx(plain, rel=1e-9)
    after = catchment_table(c.COMMUNE, DEP, 2023, Settings("2sfca", 5)).set_index(c.CODE)
    moved = (after[c.RATE_GLOBAL] - before[c.RATE_GLOBAL]).abs()
    assert (moved > 1e-6).sum() > 10
