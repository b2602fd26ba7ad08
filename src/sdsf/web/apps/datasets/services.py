"""Storing parsed files with provenance, atomically and idempotently; reading values back."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from sdsf.core import columns as c
from sdsf.reports.formatting import counted
from sdsf.sources.base import ParsedFile
from sdsf.web.apps.datasets import revision
from sdsf.web.apps.datasets.models import (
    ImportedFile,
    Observation,
    Replacement,
    current_user_name,
)
from sdsf.web.apps.datasets.records import store_records
from sdsf.web.apps.datasets.signals import data_imported

BATCH = 5000


@dataclass
class ImportReport:
    """What an import did, as the CLI and the web app tell it."""

    file: ImportedFile
    already_imported: bool = False
    replaced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    implicit_zeros: int = 0  # zeros stored for listed-out communes that had no value
    coverage: list[str] = field(default_factory=list)  # territories covered, per département
    warnings: list[str] = field(default_factory=list)  # confirmed by the user

    def lines(self) -> list[str]:
        f = self.file
        if self.already_imported:
            return [
                f"« {f.file_name} » est déjà importé (même empreinte SHA-256, importé le "
                f"{timezone.localtime(f.imported_at):%d/%m/%Y à %H:%M} par {f.imported_by}) : "
                "rien n'a changé."
            ]
        years = ", ".join(str(y) for y in f.years)
        levels = ", ".join(c.LEVEL_LABELS.get(lv, lv) for lv in f.levels)
        out = [
            f"« {f.file_name} » importé ({f.producer}, {f.dataset}) : "
            f"{counted(f.rows, 'valeur')} pour {counted(f.territories, 'territoire')} "
            f"({levels}), {'années' if len(f.years) > 1 else 'année'} {years}.",
        ]
        out += self.coverage
        out += [f"Remplacement : {r}" for r in self.replaced]
        out += [f"Écarté : {s}" for s in f.skipped]
        out += self.notes
        out += [f"Avertissement confirmé : {w}" for w in self.warnings]
        return out


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def store(
    parsed: ParsedFile,
    *,
    digest: str,
    size: int,
    user: object | None = None,
    simulated: bool = False,
) -> ImportReport:
    """Store a parsed file (one transaction), replacing older values of the same dataset for
    the (territory, year) pairs the file lists, and only those; the zeros a registry implies
    for the communes it leaves out are stored where no value is known yet."""
    obs = parsed.observations
    replaced: list[str] = []
    with transaction.atomic():
        record = ImportedFile.objects.create(
            source=parsed.source,
            producer=f"Simulation sdsf (format {parsed.producer})"
            if simulated
            else parsed.producer,
            dataset=parsed.dataset,
            file_name=parsed.file_name,
            sha256=digest,
            size=size,
            years=parsed.years,
            levels=parsed.levels,
            rows=len(obs),
            territories=parsed.territories,
            skipped=parsed.skipped,
            simulated=simulated,
            imported_by=current_user_name(user),
        )
        for (level, year), part in obs.groupby([c.LEVEL, c.YEAR]):
            codes = set(part[c.CODE])
            old = pd.DataFrame(
                list(
                    Observation.objects.filter(
                        dataset=parsed.dataset, level=level, year=year
                    ).values_list("id", "code", "file_id")
                ),
                columns=["id", "code", "file_id"],
            )
            old = old[old["code"].isin(codes)]
            for file_id, rows in old.groupby("file_id"):
                ids = rows["id"].tolist()
                for start in range(0, len(ids), BATCH):
                    Observation.objects.filter(id__in=ids[start : start + BATCH]).delete()
                old_file = ImportedFile.objects.get(pk=file_id)
                Replacement.objects.create(
                    old_file=old_file,
                    new_file=record,
                    level=level,
                    year=int(year),
                    values_replaced=len(ids),
                )
                replaced.append(
                    f"{len(ids)} valeurs de « {old_file.file_name} » "
                    f"({c.LEVEL_LABELS.get(str(level), level)}, {year}) remplacées"
                )
                if not old_file.observations.exists():
                    old_file.replaced_at = timezone.now()
                    old_file.save(update_fields=["replaced_at"])
        _insert_observations(record.pk, parsed.dataset, obs)
        implicit = _unknown_yet(parsed)
        if not implicit.empty:
            _insert_observations(record.pk, parsed.dataset, implicit)
            record.rows += len(implicit)
            record.save(update_fields=["rows"])
        revision.bump()
        notes = store_records(parsed, record)
        data_imported.send(sender=ImportedFile, file=record)
    return ImportReport(record, replaced=replaced, notes=notes, implicit_zeros=len(implicit))


def _unknown_yet(parsed: ParsedFile) -> pd.DataFrame:
    """The implied zeros of ``parsed`` for (variable, commune, year) with no stored value."""
    implicit = parsed.implicit
    if implicit is None or implicit.empty:
        return pd.DataFrame(columns=list(implicit.columns) if implicit is not None else [])
    stored = pd.DataFrame(
        values_for_codes(
            Observation.objects.filter(
                dataset=parsed.dataset,
                level=c.COMMUNE,
                year__in=[int(y) for y in implicit[c.YEAR].unique()],
                variable__in=list(implicit[c.VARIABLE].unique()),
            ),
            "code",
            implicit[c.CODE],
            "variable",
            "code",
            "year",
        ),
        columns=[c.VARIABLE, c.CODE, c.YEAR],
    )
    if stored.empty:
        return implicit
    known = pd.MultiIndex.from_frame(stored[[c.VARIABLE, c.CODE, c.YEAR]].astype({c.YEAR: int}))
    keys = pd.MultiIndex.from_frame(implicit[[c.VARIABLE, c.CODE, c.YEAR]].astype({c.YEAR: int}))
    return implicit[~keys.isin(known)]


def _insert_observations(file_id: int, dataset: str, obs: pd.DataFrame) -> None:
    """Fast insert of many values: COPY on PostgreSQL, executemany elsewhere (no model
    instances: an INSEE commune file holds 600,000 values)."""
    values = obs[c.VALUE].astype(float)
    rows = list(
        zip(
            [file_id] * len(obs),
            [dataset] * len(obs),
            obs[c.VARIABLE].astype(str),
            obs[c.LEVEL].astype(str),
            obs[c.CODE].astype(str),
            obs[c.YEAR].astype(int).tolist(),
            values.where(values.notna(), None).tolist(),
            strict=True,
        )
    )
    table = Observation._meta.db_table
    columns = "file_id, dataset, variable, level, code, year, value"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)", rows
            )


def values_for_codes(
    queryset: Any, field: str, codes: Iterable[str], *columns: str
) -> list[tuple[Any, ...]]:
    """``queryset.values_list(*columns)`` restricted to ``field`` in ``codes``, by slices of 900
    codes (SQLite's bound-parameter limit)."""
    unique = sorted(set(codes))
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(unique), 900):
        part = queryset.filter(**{f"{field}__in": unique[start : start + 900]})
        rows += part.values_list(*columns)
    return rows


def observations(
    variables: list[str], level: str, codes: list[str] | None = None, year: int | None = None
) -> pd.DataFrame:
    """Stored values as a tidy frame: code, annee, variable, valeur, plus provenance columns
    (``fichier``, ``producteur``, ``jeu``, ``simule``)."""
    qs = Observation.objects.filter(variable__in=variables, level=level)
    if year is not None:
        qs = qs.filter(year=year)
    columns = ("code", "year", "variable", "value", "file_id")
    if codes is None:
        rows = list(qs.values_list(*columns))
    else:
        rows = values_for_codes(qs, "code", codes, *columns)
    frame = pd.DataFrame(rows, columns=[c.CODE, c.YEAR, c.VARIABLE, c.VALUE, "file_id"])
    frame[c.VALUE] = frame[c.VALUE].astype(float)
    return frame


def wide_observations(obs: pd.DataFrame) -> pd.DataFrame:
    """Tidy observations as one row per territory and year, one column per variable."""
    if obs.empty:
        return pd.DataFrame(columns=[c.CODE, c.YEAR])
    wide = obs.pivot_table(
        index=[c.CODE, c.YEAR], columns=c.VARIABLE, values=c.VALUE, aggfunc="first", dropna=False
    )
    return wide.reset_index().rename_axis(columns=None)


def departements_with_rates() -> set[str]:
    """Départements that have coverage data: published rates, or places of their communes.
    Cached under the data revision."""
    from django.core.cache import cache

    from sdsf.web.apps.territories.models import Territory

    key = f"sdsf:departements-avec-donnees:{revision.key()}"
    found = cache.get(key)
    if found is None:
        rates = Observation.objects.filter(variable=c.RATE_GLOBAL, level=c.DEPARTEMENT)
        places = Observation.objects.filter(variable__in=c.PLACE_VARIABLES, level=c.COMMUNE)
        found = set(rates.values_list("code", flat=True).distinct()) | set(
            Territory.objects.filter(level=c.COMMUNE, code__in=places.values("code"))
            .values_list("departement", flat=True)
            .distinct()
        )
        cache.set(key, found, timeout=3600)
    return set(found)
