"""Insee geography tables that tell where old commune codes went: the Code officiel
géographique of a year (``commune2021.csv``) and the IRIS membership table
(« Table d'appartenance géographique des IRIS »).

They are read for their **passages** from an older geography to the workspace's one:

- in the COG, a commune déléguée or associée (``TYPECOM`` COMD/COMA) names the commune
  nouvelle it belongs to (``COMPARENT``): its code, found in files of earlier years, is carried
  there. A commune déléguée of that year that is a whole commune again in the workspace's
  geography was **re-created** since: the commune it belonged to is split (its counts shared in
  proportion to the population of the communes now covering it);
- in the IRIS table, an IRIS keeps the code of the commune it was drawn in (``CODE_IRIS`` =
  old commune code + 4 digits) while ``DEPCOM`` gives its commune of that year: a difference is
  a merger.

Each also gives a figure of its own: the number of communes of the COG, and the number of IRIS
of each commune (the whole mesh, against which the Caf's published IRIS are partial).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.base import ParsedFile, ReferenceCodes, isin_codes, tidy
from sdsf.sources.errors import SourceError
from sdsf.sources.reading import (
    columns_found,
    file_year,
    find_columns,
    normalize_codes,
    read_table,
)
from sdsf.sources.vintages import resolved_former

PRODUCER = "Insee"
PASSAGE_COLUMNS = ["ancien", "libelle", "actuel", "poids"]
COG_COMMUNES = "communes_cog"
IRIS_COUNT = "iris_nombre"


def _passages(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=PASSAGE_COLUMNS).drop_duplicates(["ancien", "actuel"])


def read_cog(
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    year: int | None = None,
    populations: dict[str, float] | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """The COG commune table of a year: passages of its delegated and associated communes.

    ``populations`` (current commune -> population) weighs the share of a split commune's
    counts each re-created commune takes; equal shares without it.
    """
    name = display_name or path.name
    frame = read_table(path, name, source="insee-cog")
    cols = find_columns(
        frame,
        name,
        {
            "type": ("TYPECOM", "typecom"),
            "code": ("COM", "com"),
            "libelle": ("LIBELLE", "libelle", "NCCENR"),
            "parent": ("COMPARENT", "comparent"),
        },
        required=["type", "code", "parent"],
    )
    vintage = file_year(name, year)
    kind = frame[cols["type"]].astype(str).str.strip().str.upper()
    code = normalize_codes(frame[cols["code"]], 5)
    parent = normalize_codes(frame[cols["parent"]], 5)
    label = frame[cols["libelle"]] if "libelle" in cols else code
    known = reference.known(c.COMMUNE)
    merges = resolved_former(reference.former, known)
    attached = kind.isin(["COMD", "COMA"]) & parent.ne("") & code.ne(parent)
    rows: list[tuple[str, str, str, float]] = []
    skipped: list[str] = []
    recreated: dict[str, list[str]] = {}
    for old, lib, new in zip(code[attached], label[attached], parent[attached], strict=True):
        if old in known:
            recreated.setdefault(new, []).append(old)
        else:
            rows.append((old, str(lib), new, 1.0))
    populations = populations or {}
    shared: dict[str, list[str]] = {}
    for old, parts in sorted(recreated.items()):
        now = [p for p in dict.fromkeys([merges.get(old, old), *parts]) if p in known]
        if len(now) == 1:
            # the commune nouvelle took the code of one of its communes déléguées
            rows.append((old, "", now[0], 1.0))
            continue
        weights = pd.Series([populations.get(p, float("nan")) for p in now], index=now)
        if weights.isna().any() or weights.sum() <= 0:
            weights = pd.Series(1.0, index=now)
        shares = weights / weights.sum()
        rows += [(old, "", str(part), float(share)) for part, share in shares.items()]
        shared[old] = now
    if shared:
        skipped.append(
            f"{len(shared)} commune(s) de {vintage} couverte(s) aujourd'hui par plusieurs "
            f"(communes déléguées recréées depuis) : "
            + ", ".join(f"{old} → {', '.join(now)}" for old, now in shared.items())
        )
    communes = code[kind.eq("COM")]
    lost = sorted(set(communes) - set(known) - set(merges) - {r[0] for r in rows})
    if lost:
        skipped.append(
            f"{len(lost)} commune(s) de {vintage} absente(s) de la géographie de référence sans "
            f"commune déléguée qui dise où elles sont allées : {', '.join(lost[:15])}"
        )
    if communes.empty:
        raise SourceError(
            name,
            "aucune commune (TYPECOM = COM) dans le fichier",
            row=1,
            column=cols["type"],
            expected="un fichier communes du Code officiel géographique",
            found=columns_found(frame),
        )
    counted = pd.DataFrame({c.CODE: ["FR"], c.YEAR: [vintage], COG_COMMUNES: [len(communes)]})
    return ParsedFile(
        source="insee-cog",
        producer=PRODUCER,
        dataset="cog_communes",
        file_name=name,
        observations=tidy(counted, c.FRANCE, {COG_COMMUNES: COG_COMMUNES}),
        skipped=skipped,
        records=_passages(rows),
    )


def read_iris_table(
    path: Path,
    reference: ReferenceCodes,
    *,
    display_name: str | None = None,
    year: int | None = None,
    ignore_unknown: bool = False,
) -> ParsedFile:
    """The IRIS membership table of a year: IRIS per commune, and the passages of the old
    commune codes its IRIS keep."""
    name = display_name or path.name
    frame = read_table(path, name, source="insee-iris")
    cols = find_columns(
        frame,
        name,
        {
            "iris": ("CODE_IRIS", "code_iris", "IRIS"),
            "commune": ("DEPCOM", "depcom", "COM"),
            "libelle": ("LIBCOM", "libcom"),
        },
        required=["iris", "commune"],
    )
    vintage = file_year(name, year)
    iris = frame[cols["iris"]].astype(str).str.strip().str.upper()
    commune = normalize_codes(frame[cols["commune"]], 5)
    known = reference.known(c.COMMUNE)
    merges = resolved_former(reference.former, known)
    old = iris.str[:5]
    moved = (old != commune) & ~isin_codes(old, known)
    rows = [
        (o, "", n, 1.0)
        for o, n in sorted(set(zip(old[moved], commune[moved], strict=True)))
        if o not in merges
    ]
    # An IRIS belongs to the commune whose code it carries when that commune exists again
    # (re-created since), else to its commune of the table, carried to the current geography.
    current = old.where(isin_codes(old, known), commune.map(merges).fillna(commune))
    skipped: list[str] = []
    unknown = ~isin_codes(current, known)
    if unknown.any():
        skipped.append(
            f"{int(unknown.sum())} IRIS de communes absentes de la géographie de référence "
            f"écartés du compte : {', '.join(sorted(set(current[unknown]))[:10])}"
        )
    counts = current[~unknown].value_counts()
    counted = pd.DataFrame({c.CODE: counts.index, c.YEAR: vintage, IRIS_COUNT: counts.to_numpy()})
    return ParsedFile(
        source="insee-iris",
        producer=PRODUCER,
        dataset="iris_appartenance",
        file_name=name,
        observations=tidy(counted, c.COMMUNE, {IRIS_COUNT: IRIS_COUNT}),
        skipped=skipped,
        records=_passages(rows),
    )
