"""Inputs of the catchment computation: a travel-time matrix and a grid of children."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sdsf.core import columns as c
from sdsf.sources.children_grid import GRID_CHILDREN, read_children_grid
from sdsf.sources.errors import SourceError
from sdsf.sources.travel_times import DESTINATIONS, read_travel_times


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_travel_times_in_the_current_geography(tmp_path, reference):
    # 44184 Saint-Nazaire, 44109 Nantes; 49001 Les Alleuds merged into 49050 Brissac Loire
    # Aubance; 75101 is an arrondissement of Paris.
    path = _write(
        tmp_path,
        "distancier_2024.csv",
        "origine;destination;minutes\n"
        "44109;44109;0\n44109;44184;52,5\n44184;44109;51\n"
        "49050;49050;2\n49001;49050;0\n49050;49050;3\n"
        "75101;44109;\n",
    )
    parsed = read_travel_times(path, reference)
    pairs = parsed.records.set_index([c.CODE, "destination"])["minutes"]
    assert pairs[("44109", "44184")] == 52.5
    assert pairs[("49050", "49050")] == 0  # the shortest of the merged pairs
    assert ("75056", "44109") not in pairs.index  # no time: not reachable
    assert set(parsed.records[c.YEAR]) == {2024}
    counts = parsed.observations.set_index(c.CODE)
    assert set(counts[c.VARIABLE]) == {DESTINATIONS}
    assert counts.loc["44109", c.VALUE] == 2
    assert any("non joignables" in s for s in parsed.skipped)
    assert any("le plus court" in s for s in parsed.skipped)


def test_travel_times_from_parquet(tmp_path, reference):
    path = tmp_path / "temps.parquet"
    pd.DataFrame(
        {"origin": [44109, 44184], "destination": ["44184", "44109"], "time": [52.0, 51.0]}
    ).to_parquet(path)
    parsed = read_travel_times(path, reference, year=2025)
    assert len(parsed.records) == 2
    assert parsed.years == [2025]


def test_travel_times_bad_input(tmp_path, reference):
    path = _write(tmp_path, "distancier_2024.csv", "origine;destination;minutes\n44109;99999;3\n")
    with pytest.raises(SourceError) as error:
        read_travel_times(path, reference)
    message = error.value.french()
    assert "ligne 2" in message and "destination" in message and "99999" in message
    path = _write(tmp_path, "distancier_2024.csv", "origine;destination;minutes\n44109;44184;-3\n")
    with pytest.raises(SourceError, match="hors limites"):
        read_travel_times(path, reference)
    path = _write(tmp_path, "distancier_2024.csv", "origine;arrivee\n44109;44184\n")
    with pytest.raises(SourceError, match="colonne obligatoire absente"):
        read_travel_times(path, reference)


def test_insee_cell_identifiers_give_the_cell_centre(tmp_path, reference):
    # EPSG:3035 is centred on 10° E, 52° N with false easting 4,321,000 m and false northing
    # 3,210,000 m: the 200 m cell whose lower-left corner is 100 m south-west of that point has
    # its centre there.
    path = _write(
        tmp_path,
        "carreaux_2019.csv",
        "idcar_200m;ind;ind_0_3\nCRS3035RES200mN3209900E4320900;12;1,5\n",
    )
    located = {}

    def locate(lon, lat):
        located["points"] = (lon, lat)
        return np.array(["44109"], dtype=object)

    parsed = read_children_grid(path, _with_locate(reference, locate))
    lon, lat = located["points"]
    assert lon[0] == pytest.approx(10.0, abs=1e-9)
    assert lat[0] == pytest.approx(52.0, abs=1e-9)
    assert parsed.records.iloc[0]["enfants"] == 1.5
    assert parsed.observations.iloc[0][c.VARIABLE] == GRID_CHILDREN
    assert parsed.years == [2019]


def test_point_grid_with_communes(tmp_path, reference):
    path = _write(
        tmp_path,
        "enfants.csv",
        "longitude;latitude;enfants;commune;annee\n"
        "-1.55;47.22;10;44109;2021\n-1.56;47.21;5;44109;2021\n-2.2;47.27;;44184;2021\n",
    )
    parsed = read_children_grid(path, reference)
    assert parsed.observations.set_index(c.CODE).loc["44109", c.VALUE] == 15
    assert any("sans effectif" in s for s in parsed.skipped)


def test_grid_bad_input(tmp_path, reference):
    path = _write(tmp_path, "carreaux_2019.csv", "idcar_200m;ind_0_3\nN3209900E4320900;1\n")
    with pytest.raises(SourceError) as error:
        read_children_grid(path, reference)
    assert "idcar_200m" in error.value.french() and "ligne 2" in error.value.french()
    path = _write(tmp_path, "enfants_2021.csv", "longitude;latitude;enfants\n200;47;3\n")
    with pytest.raises(SourceError, match="hors limites"):
        read_children_grid(path, reference)
    path = _write(tmp_path, "enfants_2021.csv", "x;y;enfants\n1;47;3\n")
    with pytest.raises(SourceError, match="position"):
        read_children_grid(path, reference)


def _with_locate(reference, locate):
    from dataclasses import replace

    return replace(reference, locate=locate)
