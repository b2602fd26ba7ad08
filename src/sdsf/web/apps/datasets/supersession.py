"""The newest edition is in force, whatever the order of the imports.

For the (level, code, year) pairs a file lists, the stored values of the same dataset from files
of an older or the same edition give way (as before: a file replaces the values of the pairs it
lists); an older edition's values are moved to the history, the same edition's are deleted (a
correction: the later import wins). Values of a newer edition stay in force, and the file's
values for the same (variable, level, code, year) go to the history instead
(:class:`~sdsf.web.apps.datasets.models.SupersededObservation`). Every case is recorded
(:class:`~sdsf.web.apps.datasets.models.Replacement`) and told in the import report.

Cnaf example (SOURCES.md): the 2017-2022 file publishes Saône-et-Loire 2022 = 72.1, the
2022-2023 file the revised 71.1; in either order of import, 71.1 is in force.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.db.models import Count
from django.utils import timezone

from sdsf.core import columns as c
from sdsf.reports.formatting import counted
from sdsf.web.apps.datasets.bulk import delete_values, insert_values, move_to_history
from sdsf.web.apps.datasets.models import (
    ImportedFile,
    Observation,
    Replacement,
    SupersededObservation,
)


@dataclass
class Settled:
    """The file's values to store in force, and what became of the others."""

    in_force: pd.DataFrame
    replaced: list[str] = field(default_factory=list)
    not_kept: list[str] = field(default_factory=list)


def _level_label(level: object) -> str:
    return c.LEVEL_LABELS.get(str(level), str(level))


def settle(obs: pd.DataFrame, record: ImportedFile) -> Settled:
    """Give way to ``record`` where its edition is as new or newer, keep newer editions in
    force elsewhere; return the values of ``record`` to insert in force (one transaction is
    the caller's)."""
    dataset, edition = record.dataset, record.edition
    settled = Settled(obs.iloc[0:0])
    kept: list[pd.DataFrame] = []
    files: dict[int, ImportedFile] = {}
    for (level, year), part in obs.groupby([c.LEVEL, c.YEAR]):
        stored = pd.DataFrame(
            list(
                Observation.objects.filter(dataset=dataset, level=level, year=year).values_list(
                    "id", "code", "variable", "file_id"
                )
            ),
            columns=["id", c.CODE, c.VARIABLE, "file_id"],
        )
        stored = stored[stored[c.CODE].isin(set(part[c.CODE]))]
        missing = set(stored["file_id"]) - set(files)
        files.update(ImportedFile.objects.in_bulk(list(missing)))
        newer = {f for f in set(stored["file_id"]) if files[f].edition > edition}
        newest = stored[stored["file_id"].isin(newer)]
        for file_id, rows in stored[~stored["file_id"].isin(newer)].groupby("file_id"):
            _give_way(files[int(file_id)], record, rows, str(level), int(year), settled)
        if newest.empty:
            kept.append(part)
            continue
        owner = newest.set_index([c.CODE, c.VARIABLE])["file_id"]
        winner = owner.reindex(pd.MultiIndex.from_frame(part[[c.CODE, c.VARIABLE]]))
        lost = winner.notna().to_numpy()
        kept.append(part[~lost])
        losing = part[lost].assign(_winner=winner[lost].astype(int).to_numpy())
        for file_id, rows in losing.groupby("_winner"):
            newer_file = files[int(file_id)]
            insert_values(record.pk, dataset, rows, superseded_by=newer_file.pk)
            Replacement.objects.create(
                old_file=record,
                new_file=newer_file,
                level=level,
                year=int(year),
                values_replaced=len(rows),
                kind=Replacement.NOT_KEPT,
            )
            settled.not_kept.append(
                f"{counted(len(rows), 'valeur')} de {year} "
                f"{'non retenue' if len(rows) < 2 else 'non retenues'} "
                f"({_level_label(level)}, {counted(rows[c.CODE].nunique(), 'territoire')}) : "
                f"l'édition {newer_file.edition_label} de « {newer_file.file_name} » est plus "
                "récente ; elles restent dans l'historique."
            )
    if kept:
        settled.in_force = pd.concat(kept, ignore_index=True)
    return settled


def _give_way(
    old_file: ImportedFile,
    record: ImportedFile,
    rows: pd.DataFrame,
    level: str,
    year: int,
    settled: Settled,
) -> None:
    """The values ``rows`` of ``old_file`` (an older or the same edition) leave the values in
    force: to the history when older, deleted when the same edition (a correction)."""
    ids = rows["id"].tolist()
    older = old_file.edition < record.edition
    if older:
        move_to_history(ids, record.pk)
    delete_values(ids)
    # What ``old_file`` superseded for these pairs is superseded by ``record`` now.
    codes = sorted(set(rows[c.CODE]))
    for start in range(0, len(codes), 900):
        SupersededObservation.objects.filter(
            superseded_by=old_file,
            dataset=record.dataset,
            level=level,
            year=year,
            code__in=codes[start : start + 900],
        ).update(superseded_by=record)
    Replacement.objects.create(
        old_file=old_file,
        new_file=record,
        level=level,
        year=year,
        values_replaced=len(ids),
        kind=Replacement.REPLACED,
    )
    settled.replaced.append(
        f"{len(ids)} valeurs de « {old_file.file_name} » ({_level_label(level)}, {year}) "
        + (
            f"remplacées par l'édition {record.edition_label}, plus récente que la sienne "
            f"({old_file.edition_label}) : elles restent dans l'historique"
            if older
            else "remplacées"
        )
    )
    if not old_file.observations.exists():
        old_file.replaced_at = timezone.now()
        old_file.save(update_fields=["replaced_at"])


def superseding() -> dict[int, list[tuple[int, ImportedFile]]]:
    """For each file whose values are partly or wholly not in force: how many of its values
    each newer edition supersedes, as (count, file of that edition). Two queries."""
    counts = list(
        SupersededObservation.objects.values("file_id", "superseded_by_id")
        .annotate(n=Count("id"))
        .order_by("file_id", "superseded_by_id")
        .values_list("file_id", "superseded_by_id", "n")
    )
    newer = ImportedFile.objects.in_bulk({by for _, by, _ in counts})
    out: dict[int, list[tuple[int, ImportedFile]]] = {}
    for file_id, by, n in counts:
        out.setdefault(file_id, []).append((n, newer[by]))
    return out
