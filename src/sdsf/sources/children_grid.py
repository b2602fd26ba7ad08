"""Young children on a fine grid: where families live inside each commune.

Two layouts are read:
- the INSEE gridded data (« données carroyées » Filosofi, 200 m or 1 km): a cell identifier
  ``CRS3035RES200mN2029800E4252400`` (system EPSG:3035, cell size, lower-left corner north and
  east) and ``ind_0_3``, the individuals aged 0 to 3 (counts are imputed, so decimal);
- any grid or point layer: ``longitude``, ``latitude`` (WGS84) and ``enfants``, with an optional
  ``commune`` code.
A cell goes to the commune given in the file, else to the commune that holds its centre. The
values stored per commune are the sums of the cells; the cells are kept as records for the
catchment computation, which uses them to spread each commune's children over its territory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Transformer

from sdsf.core import columns as c
from sdsf.sources.base import ParsedFile, ReferenceCodes, current_communes, tidy
from sdsf.sources.errors import SourceError
from sdsf.sources.reading import (
    LINE,
    file_year,
    find_columns,
    parse_numbers,
    parse_years,
    read_table,
    reject_first,
)

GRID_CHILDREN = "enfants_carreaux"
INSEE_CELL = r"CRS(\d{4,5})RES(\d+)mN(\d+)E(\d+)"
COLUMNS = {
    "carreau": ("idcar_200m", "idcar_1km", "idcar_nat", "id_carreau", "idinspire"),
    "longitude": ("longitude", "lon", "x_wgs84"),
    "latitude": ("latitude", "lat", "y_wgs84"),
    "enfants": ("ind_0_3", "enfants", "enfants_moins_3_ans", "enfants_0_3", "children"),
    "commune": ("commune", "code_commune", "depcom", "codgeo", "code_insee"),
    c.YEAR: ("annee", "year", "millesime"),
}


@cache
def _to_wgs84(epsg: int) -> Transformer:
    return Transformer.from_crs(epsg, 4326, always_xy=True)


def _cell_centres(frame: pd.DataFrame, column: str, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of the centres of INSEE cells, from their identifiers."""
    parts = frame[column].astype(str).str.strip().str.extract(INSEE_CELL)
    reject_first(
        frame,
        parts[0].isna(),
        name,
        column,
        "identifiant de carreau illisible",
        "un identifiant INSEE du type CRS3035RES200mN2029800E4252400",
    )
    lon = np.empty(len(frame))
    lat = np.empty(len(frame))
    for epsg, rows in parts.groupby(0).groups.items():
        size = parts.loc[rows, 1].astype(float).to_numpy()
        north = parts.loc[rows, 2].astype(float).to_numpy() + size / 2
        east = parts.loc[rows, 3].astype(float).to_numpy() + size / 2
        x, y = _to_wgs84(int(str(epsg))).transform(east, north)
        positions = frame.index.get_indexer(rows)
        lon[positions], lat[positions] = x, y
    return lon, lat


def _coordinates(frame: pd.DataFrame, found: dict[str, str], name: str) -> pd.DataFrame:
    if "carreau" in found:
        lon, lat = _cell_centres(frame, found["carreau"], name)
        return pd.DataFrame({"longitude": lon, "latitude": lat}, index=frame.index)
    if "longitude" not in found or "latitude" not in found:
        raise SourceError(
            name,
            "colonnes de position absentes",
            row=1,
            column="longitude",
            expected="« idcar_200m » (carroyage INSEE) ou « longitude » et « latitude »",
            found=" | ".join(str(col) for col in frame.columns if col != LINE)[:300],
        )
    out = pd.DataFrame(index=frame.index)
    for axis, low, high in (("longitude", -180, 180), ("latitude", -90, 90)):
        values = parse_numbers(frame, found[axis], name, minimum=low)
        reject_first(
            frame,
            values.isna() | (values > high),
            name,
            found[axis],
            "coordonnée hors limites",
            f"une {axis} en degrés WGS84 entre {low} et {high}",
        )
        out[axis] = values
    return out


def read_children_grid(
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    year: int | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Cells ``code`` (commune), ``longitude``, ``latitude``, ``enfants``, ``annee``."""
    name = display_name or path.name
    frame = read_table(path, name, source="carreaux-enfants")
    found = find_columns(frame, name, COLUMNS, required=["enfants"])
    cells = _coordinates(frame, found, name)
    cells["enfants"] = parse_numbers(frame, found["enfants"], name)
    if c.YEAR in found:
        cells[c.YEAR] = parse_years(frame, found[c.YEAR], name)
    else:
        cells[c.YEAR] = file_year(name, year)
    skipped: list[str] = []
    if "commune" in found:
        codes, unknown = current_communes(
            frame, found["commune"], reference, file=name, ignore_unknown=ignore_unknown
        )
        cells[c.CODE] = codes.where(~unknown, "")
    elif reference.locate is not None:
        cells[c.CODE] = reference.locate(
            cells["longitude"].to_numpy(), cells["latitude"].to_numpy()
        )
    else:
        raise SourceError(
            name, "communes des carreaux introuvables", expected="une colonne « commune »"
        )
    outside = cells[c.CODE] == ""
    if outside.any():
        skipped.append(f"{int(outside.sum())} carreau(x) hors des communes connues ignoré(s)")
    empty = cells["enfants"].isna() & ~outside
    if empty.any():
        skipped.append(f"{int(empty.sum())} carreau(x) sans effectif ignoré(s)")
    cells = cells[~outside & ~empty].reset_index(drop=True)
    if cells.empty:
        raise SourceError(name, "aucun carreau dans une commune connue")
    sums = cells.groupby([c.CODE, c.YEAR])["enfants"].sum().reset_index()
    return ParsedFile(
        source="carreaux-enfants",
        producer="Carroyage (Insee ou fichier local)",
        dataset="carreaux-enfants",
        file_name=name,
        observations=tidy(sums, c.COMMUNE, {"enfants": GRID_CHILDREN}),
        skipped=skipped,
        records=cells[[c.CODE, c.YEAR, "longitude", "latitude", "enfants"]],
    )
