"""An origin-destination matrix of travel times between communes (« distancier »).

Any routing tool writes one (OSRM, Valhalla, r5, Metric, Odomatrix...): a row per pair of
communes with the time in minutes, as CSV, XLSX or Parquet. Former communes and arrondissements
municipaux are brought to their current commune (keeping the shortest time of the pairs they
merge into); an empty time means « not reachable » and the row is left aside. The values
stored per origin commune say how many destinations the matrix gives it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.base import ParsedFile, ReferenceCodes, current_communes, tidy
from sdsf.sources.reading import (
    file_year,
    find_columns,
    parse_numbers,
    parse_years,
    read_table,
)

DESTINATIONS = "destinations_distancier"
COLUMNS = {
    "origine": ("origine", "origin", "code_origine", "commune_origine", "from", "source"),
    "destination": ("destination", "dest", "code_destination", "commune_destination", "to"),
    "minutes": ("minutes", "temps", "duree", "temps_minutes", "duree_minutes", "time"),
    c.YEAR: ("annee", "year", "millesime"),
}


def read_travel_times(
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    year: int | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """Pairs ``code`` (origin), ``destination``, ``minutes``, ``annee`` as records."""
    name = display_name or path.name
    frame = read_table(path, name, source="distancier")
    found = find_columns(frame, name, COLUMNS, required=["origine", "destination", "minutes"])
    origin, unknown_origin = current_communes(
        frame, found["origine"], reference, file=name, ignore_unknown=ignore_unknown
    )
    destination, unknown_destination = current_communes(
        frame, found["destination"], reference, file=name, ignore_unknown=ignore_unknown
    )
    minutes = parse_numbers(frame, found["minutes"], name)
    if c.YEAR in found:
        years = parse_years(frame, found[c.YEAR], name)
    else:
        years = pd.Series(file_year(name, year), index=frame.index)
    skipped: list[str] = []
    unknown = unknown_origin | unknown_destination
    if unknown.any():
        skipped.append(f"{int(unknown.sum())} couple(s) à code commune inconnu ignoré(s)")
    unreachable = minutes.isna() & ~unknown
    if unreachable.any():
        skipped.append(f"{int(unreachable.sum())} couple(s) sans temps (non joignables) ignorés")
    keep = ~unknown & ~unreachable
    pairs = pd.DataFrame(
        {
            c.CODE: origin[keep],
            "destination": destination[keep],
            "minutes": minutes[keep],
            c.YEAR: years[keep].astype(int),
        }
    )
    merged = len(pairs)
    pairs = pairs.groupby([c.YEAR, c.CODE, "destination"])["minutes"].min().reset_index()
    if len(pairs) < merged:
        skipped.append(
            f"{merged - len(pairs)} couple(s) en double (anciennes communes ou arrondissements "
            "ramenés à leur commune) : le temps le plus court est gardé"
        )
    counts = pairs.groupby([c.CODE, c.YEAR]).size().rename(DESTINATIONS).reset_index()
    return ParsedFile(
        source="distancier",
        producer="Distancier (outil de calcul d'itinéraires)",
        dataset="distancier-communes",
        file_name=name,
        observations=tidy(counts, c.COMMUNE, {DESTINATIONS: DESTINATIONS}),
        skipped=skipped,
        records=pairs,
    )
