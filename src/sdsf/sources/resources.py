"""Resources and zonings of communes, used by priority rules.

- DGCL « critères de répartition des dotations » (DGF criteria file, data.gouv.fr; semicolons,
  decimal comma): one row per commune, columns ``Informations générales - Code INSEE de la
  commune``, ``Informations générales - Population DGF de l'année N`` (before 2020:
  ``... - Population DGF Année N'``), ``Potentiel fiscal et financier des communes -
  Potentiel financier`` and ``... - Potentiel financier par habitant`` (« final » in some
  editions). The year comes from the file name or ``--annee``.
- DGFiP « impôt sur le revenu par collectivité territoriale » (IRCOM): see
  :mod:`sdsf.sources.ircom`.
- ANCT list of communes classified in zones de revitalisation rurale (ZRR): ``CODGEO``,
  ``LIBGEO``, ``ZRR_SIMP`` (``C - Classée en ZRR``, ``P - Commune partiellement classée en ZRR``,
  ``NC - Commune non classée``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.base import ParsedFile, ReferenceCodes, check_codes, tidy
from sdsf.sources.ircom import read_ircom
from sdsf.sources.reading import (
    file_year,
    find_columns,
    normalize_codes,
    parse_numbers,
    read_table,
    reject_first,
)
from sdsf.sources.vintages import carry_classification

DGCL_PF = "Potentiel fiscal et financier des communes - Potentiel financier"
__all__ = ["read_dgcl", "read_ircom", "read_zrr"]


def _communes(
    frame: pd.DataFrame, name: str, column: str, reference: ReferenceCodes, ignore_unknown: bool
) -> tuple[pd.DataFrame, list[str]]:
    skipped: list[str] = []
    frame = check_codes(
        frame,
        file=name,
        column=column,
        level=c.COMMUNE,
        reference=reference,
        ignore_unknown=ignore_unknown,
        skipped=skipped,
        published=True,
    )
    return frame, skipped


def _parsed(
    source: str,
    producer: str,
    dataset: str,
    name: str,
    frame: pd.DataFrame,
    variables: dict[str, str],
    skipped: list[str],
) -> ParsedFile:
    return ParsedFile(
        source=source,
        producer=producer,
        dataset=dataset,
        file_name=name,
        observations=tidy(frame, c.COMMUNE, variables),
        skipped=skipped,
    )


def read_dgcl(
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    year: int | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Potentiel financier and DGF population by commune (DGF criteria file)."""
    name = display_name or path.name
    frame = read_table(path, name, source="dgcl-potentiel-financier")
    found = find_columns(
        frame,
        name,
        {
            "code": ("Informations générales - Code INSEE de la commune", "code insee", "codgeo"),
            "population": (
                "Informations générales - Population DGF de l'année N",
                "Informations générales - Population DGF Année N'",  # before 2020
                "Population DGF de l'année N",
                "Population DGF Année N'",
                "population dgf",
            ),
            "total": (
                f"{DGCL_PF} final",
                DGCL_PF,
                "Potentiel financier final",
                "potentiel financier",
            ),
            "per_head": (
                f"{DGCL_PF} par habitant final",
                f"{DGCL_PF} par habitant",
                f"{DGCL_PF} final par habitant",
                "Potentiel financier par habitant final",
                "potentiel financier par habitant",
            ),
        },
        required=["code", "population"],
    )
    frame = frame.rename(columns={v: k for k, v in found.items()}).copy()
    if "total" not in frame and "per_head" not in frame:
        reject_first(
            frame,
            pd.Series(True, index=frame.index),
            name,
            "Potentiel financier",
            "colonne de potentiel financier absente",
            "« Potentiel financier » ou « Potentiel financier par habitant »",
        )
    frame[c.CODE] = normalize_codes(frame["code"], 5)
    frame[c.YEAR] = file_year(name, year)
    frame, skipped = _communes(frame, name, found["code"], reference, ignore_unknown)
    frame["population"] = parse_numbers(frame, "population", name)
    if "total" in frame:
        frame["total"] = parse_numbers(frame, "total", name, minimum=-1e15)
    else:
        frame["per_head"] = parse_numbers(frame, "per_head", name, minimum=-1e9)
        frame["total"] = frame["per_head"] * frame["population"]
    return _parsed(
        "dgcl-potentiel-financier",
        "DGCL",
        "dgf_criteres_repartition",
        name,
        frame,
        {"total": "potentiel_financier", "population": "population_dgf"},
        skipped,
    )


def read_zrr(
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    year: int | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Communes classified (wholly or partly) in zones de revitalisation rurale."""
    name = display_name or path.name
    frame = read_table(path, name, source="zrr")
    found = find_columns(
        frame,
        name,
        {"code": ("CODGEO", "code commune"), "zrr": ("ZRR_SIMP", "zrr", "classement")},
        required=["code", "zrr"],
    )
    frame = frame.copy()
    frame[c.CODE] = normalize_codes(frame[found["code"]], 5)
    frame[c.YEAR] = file_year(name, year)
    frame, skipped = _communes(frame, name, found["code"], reference, ignore_unknown)
    status = frame[found["zrr"]].astype(str).str.strip().str.split(" ").str[0].str.upper()
    reject_first(
        frame,
        ~status.isin(["C", "P", "NC"]),
        name,
        found["zrr"],
        "classement inconnu",
        "« C - Classée en ZRR », « P - Commune partiellement classée » ou « NC - Non classée »",
    )
    frame = frame.assign(_statut=status)
    frame[c.CODE] = frame[c.CODE].replace(dict(reference.arrondissement_parent))
    # A commune nouvelle is classified when all its former communes were, « partiel » if only
    # some were; the file's geography (2017 for the arrêté of 16 March 2017) is carried over.
    frame = carry_classification(
        frame,
        "_statut",
        former=reference.former,
        splits=reference.splits,
        known=reference.known(c.COMMUNE),
        partial="P",
        skipped=skipped,
        commune_departement=reference.commune_departement,
    )
    frame["zrr_classee"] = frame["_statut"].isin(["C", "P"]).astype(float)
    frame["zrr_partielle"] = (frame["_statut"] == "P").astype(float)
    return _parsed(
        "zrr",
        "ANCT",
        "zrr",
        name,
        frame,
        {"zrr_classee": "zrr_classee", "zrr_partielle": "zrr_partielle"},
        skipped,
    )
