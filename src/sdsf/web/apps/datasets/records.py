"""Row-level records of registries (EAJE, family services) and the QPV -> commune links.

They are stored inside the import's transaction. A newer file for the same years and communes
replaces the older records (as its values replace the older values).
"""

from __future__ import annotations

import unicodedata
from typing import Any

import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.anct import qpv_departement
from sdsf.sources.base import ParsedFile
from sdsf.sources.vintages import resolved_former
from sdsf.web.apps.datasets.bulk import insert_rows
from sdsf.web.apps.datasets.models import (
    Establishment,
    FamilyService,
    GridCell,
    ImportedFile,
    QpvCommune,
    TravelTime,
)
from sdsf.web.apps.territories.models import CommuneSplit, FormerCommune, Territory

BATCH = 5000


def _replace(model: Any, years: list[int], communes: set[str], objects: list[Any]) -> None:
    """A newer file replaces the records of the same years and communes."""
    _delete(model, years, communes)
    model.objects.bulk_create(objects, batch_size=BATCH)


def _delete(model: Any, years: list[int], communes: set[str]) -> None:
    listed = sorted(communes)
    for start in range(0, len(listed), BATCH):  # below SQLite's bound-parameter limit
        model.objects.filter(year__in=years, commune__in=listed[start : start + BATCH]).delete()


def _numbers(frame: pd.DataFrame, column: str) -> list[float | None]:
    """A column as floats, None where missing or absent (vectorised :func:`_number`)."""
    if column not in frame.columns:
        return [None] * len(frame)
    values = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return [None if pd.isna(v) else v for v in values.tolist()]


def _integers(frame: pd.DataFrame, column: str) -> list[int | None]:
    return [None if v is None else int(v) for v in _numbers(frame, column)]


def _flags(frame: pd.DataFrame, column: str) -> list[bool | None]:
    return [None if v is None else bool(v) for v in _numbers(frame, column)]


def _insert_records(
    model: Any, record: ImportedFile, frame: pd.DataFrame, columns: dict[str, list[Any]]
) -> None:
    """Replace the records of the years and communes of ``frame`` by its rows (``columns``:
    field -> values), inserted without model instances (70,000 EAJE in a national file)."""
    _delete(model, sorted(int(y) for y in frame[c.YEAR].unique()), set(frame[c.CODE]))
    fields = {"file_id": [record.pk] * len(frame), **columns}
    names = [model._meta.get_field(f.removesuffix("_id")).column for f in fields]
    insert_rows(model._meta.db_table, names, list(fields.values()))


def store_records(parsed: ParsedFile, record: ImportedFile) -> list[str]:
    """Store the records of ``parsed``; return French notes for the import report."""
    if parsed.records is None:
        return []
    if parsed.source in ("insee-cog", "insee-iris"):
        return store_passages(parsed.records, record)
    if parsed.source == "eaje":
        frame = parsed.records
        _insert_records(
            Establishment,
            record,
            frame,
            {
                "year": frame[c.YEAR].astype(int).tolist(),
                "name": frame["nom"].astype(str).tolist(),
                "commune": frame[c.CODE].astype(str).tolist(),
                "psu": [bool(v) for v in frame["psu"].tolist()],
                "places": [int(v) for v in frame["places"].tolist()],
                "latitude": _numbers(frame, "latitude"),
                "longitude": _numbers(frame, "longitude"),
                "poor_share": _numbers(frame, "part_enfants_pauvres"),
                "disabled_children": _integers(frame, "enfants_handicap"),
                "inclusive": _flags(frame, "projet_inclusif"),
                "publishes_availability": _flags(frame, "disponibilites_publiees"),
                "staff_fte": _numbers(frame, "salaries_etp"),
            },
        )
        return []
    if parsed.source == "services-parentalite":
        frame = parsed.records
        _insert_records(
            FamilyService,
            record,
            frame,
            {
                "year": frame[c.YEAR].astype(int).tolist(),
                "kind": frame["type"].astype(str).tolist(),
                "name": frame["nom"].astype(str).tolist(),
                "commune": frame[c.CODE].astype(str).tolist(),
                "latitude": _numbers(frame, "latitude"),
                "longitude": _numbers(frame, "longitude"),
                "reached": _integers(frame, "public_touche"),
            },
        )
        return []
    rows = parsed.records.to_dict("records")
    communes = set(parsed.records[c.CODE])
    if parsed.source == "distancier":
        _replace(
            TravelTime,
            parsed.years,
            communes,
            [
                TravelTime(
                    file=record,
                    year=int(r[c.YEAR]),
                    commune=r[c.CODE],
                    destination=r["destination"],
                    minutes=float(r["minutes"]),
                )
                for r in rows
            ],
        )
        return [f"{len(rows)} temps de trajet entre communes enregistrés"]
    if parsed.source == "carreaux-enfants":
        _replace(
            GridCell,
            parsed.years,
            communes,
            [
                GridCell(
                    file=record,
                    year=int(r[c.YEAR]),
                    commune=r[c.CODE],
                    longitude=float(r["longitude"]),
                    latitude=float(r["latitude"]),
                    children=float(r["enfants"]),
                )
                for r in rows
            ],
        )
        return [f"{len(rows)} carreaux rattachés à {len(communes)} communes"]
    if parsed.source == "qpv":
        return link_qpv(parsed.records, record)
    return []


def _refine_chains(merged: pd.DataFrame, record: ImportedFile) -> None:
    """A former commune the reference geography sends straight to its commune nouvelle, that
    the table sends to the commune it first joined (itself merged since), takes the table's
    step when both end in the same commune: a file of the table's year that lists the
    intermediate commune then has that former commune inside it, not missing."""
    known = frozenset(Territory.objects.filter(level=c.COMMUNE).values_list("code", flat=True))
    existing = dict(FormerCommune.objects.values_list("code", "current"))
    steps = dict(zip(merged["ancien"], merged["actuel"], strict=True))
    changed = {o: n for o, n in steps.items() if o in existing and existing[o] != n}
    if not changed:
        return
    before = resolved_former(existing, known)
    after = resolved_former({**existing, **changed}, known)
    for old, new in changed.items():
        if old in before and after.get(old) == before[old]:
            FormerCommune.objects.filter(code=old).update(current=new, source=record.dataset)


def store_passages(passages: pd.DataFrame, record: ImportedFile) -> list[str]:
    """Passages of old commune codes read in a geography table: mergers join the former
    communes (a code already known keeps its commune), splits replace those of the same
    table. Files imported afterwards are carried through them."""
    merged = passages[passages["poids"] >= 1.0]
    split = passages[passages["poids"] < 1.0]
    _refine_chains(merged, record)
    before = FormerCommune.objects.count()
    FormerCommune.objects.bulk_create(
        [
            FormerCommune(
                code=r["ancien"], name=r["libelle"], current=r["actuel"], source=record.dataset
            )
            for r in merged.to_dict("records")
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    CommuneSplit.objects.filter(source=record.dataset).delete()
    CommuneSplit.objects.bulk_create(
        [
            CommuneSplit(
                old=r["ancien"],
                current=r["actuel"],
                weight=float(r["poids"]),
                source=record.dataset,
            )
            for r in split.to_dict("records")
        ]
    )
    added = FormerCommune.objects.count() - before
    notes = []
    if added:
        notes.append(
            f"{added} ancienne(s) commune(s) ajoutée(s) à la table de passage vers la géographie "
            "actuelle ; les fichiers importés ensuite en tiennent compte (réimportez ceux d'avant)"
        )
    if not split.empty:
        notes.append(
            f"{split['ancien'].nunique()} commune(s) recréée(s) depuis en "
            f"{split['actuel'].nunique()} communes : leurs effectifs seront répartis au prorata "
            "de la population"
        )
    return notes


def _key(name: str) -> str:
    """Commune name as a matching key: no accents, case, punctuation or spacing."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


def link_qpv(records: pd.DataFrame, record: ImportedFile) -> list[str]:
    """Link each QPV to the communes named in its file (within its département).

    The ANCT files name the communes (``LIB_COM``, several separated by commas) without their
    INSEE code; names are matched within the QPV's département, arrondissements municipaux to
    their commune. QPV whose names do not all match are reported and left unlinked.
    """
    names: dict[tuple[str, str], str] = {}
    # Former communes (merged since the QPV list was drawn) lead to their current commune.
    current_dep = dict(Territory.objects.filter(level=c.COMMUNE).values_list("code", "departement"))
    for name, current in FormerCommune.objects.values_list("name", "current"):
        if current in current_dep:
            names[(current_dep[current], _key(name))] = current
    for level, code, name, dep, parent in Territory.objects.filter(
        level__in=[c.COMMUNE, c.ARRONDISSEMENT]
    ).values_list("level", "code", "name", "departement", "parent"):
        names[(dep, _key(name))] = parent if level == c.ARRONDISSEMENT and parent else code
    links: set[tuple[str, str]] = set()
    unmatched: list[str] = []
    for qpv, communes in zip(records[c.CODE], records["communes"], strict=True):
        dep = qpv_departement(qpv)
        found = [names.get((dep, _key(part))) for part in str(communes).split(",")]
        if not found or any(f is None for f in found):
            unmatched.append(qpv)
            continue
        links.update((qpv, str(f)) for f in found)
    codes = set(records[c.CODE])
    QpvCommune.objects.filter(qpv__in=codes).delete()
    QpvCommune.objects.bulk_create(
        [QpvCommune(file=record, qpv=q, commune=m) for q, m in sorted(links)], batch_size=BATCH
    )
    notes = [f"{len({q for q, _ in links})} quartiers rattachés à leurs communes par leur nom"]
    if unmatched:
        notes.append(
            f"{len(unmatched)} quartier(s) non rattaché(s) (nom de commune introuvable) : "
            + ", ".join(sorted(unmatched)[:10])
        )
    return notes
