"""Storing parsed files with provenance, atomically and idempotently; reading values back."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from sdsf.core import columns as c
from sdsf.reports.formatting import counted
from sdsf.sources.base import ParsedFile
from sdsf.sources.registry import DATED_BY_IMPORT
from sdsf.web.apps.datasets import revision
from sdsf.web.apps.datasets.bulk import insert_values
from sdsf.web.apps.datasets.models import ImportedFile, Observation, current_user_name
from sdsf.web.apps.datasets.records import store_records
from sdsf.web.apps.datasets.signals import data_imported
from sdsf.web.apps.datasets.supersession import settle


@dataclass
class ImportReport:
    """What an import did, as the CLI and the web app tell it."""

    file: ImportedFile
    already_imported: bool = False
    replaced: list[str] = field(default_factory=list)
    not_kept: list[str] = field(default_factory=list)  # older edition than the values in force
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
            f"« {f.file_name} » importé ({f.producer}, {f.dataset}, édition {f.edition_label}) : "
            f"{counted(f.rows, 'valeur')} pour {counted(f.territories, 'territoire')} "
            f"({levels}), {'années' if len(f.years) > 1 else 'année'} {years}.",
        ]
        out += self.coverage
        out += [f"Remplacement : {r}" for r in self.replaced]
        out += self.not_kept
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
    edition: str | None = None,
) -> ImportReport:
    """Store a parsed file (one transaction) as of its edition (``edition``, a checked
    :func:`~sdsf.sources.editions.parse_edition` text, else the file's own): for the
    (territory, year) pairs it lists, values of the same dataset from older or the same
    editions give way, values of newer editions stay in force and the file's own go to the
    history (:mod:`sdsf.web.apps.datasets.supersession`). The zeros a registry implies for the
    communes it leaves out are stored where no value is known yet."""
    obs = parsed.observations
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
            edition=edition or default_edition(parsed),
        )
        settled = settle(obs, record)
        insert_values(record.pk, parsed.dataset, settled.in_force)
        implicit = _unknown_yet(parsed)
        if not implicit.empty:
            insert_values(record.pk, parsed.dataset, implicit)
            record.rows += len(implicit)
            record.save(update_fields=["rows"])
        if not record.observations.exists():  # every value of it is superseded
            record.replaced_at = timezone.now()
            record.save(update_fields=["replaced_at"])
        revision.bump(touched_departements(parsed))
        notes = store_records(parsed, record)
        data_imported.send(sender=ImportedFile, file=record)
        transaction.on_commit(refresh_figures)
    return ImportReport(
        record,
        replaced=settled.replaced,
        not_kept=settled.not_kept,
        notes=notes,
        implicit_zeros=len(implicit),
    )


def touched_departements(parsed: ParsedFile) -> list[str] | None:
    """The départements whose data a file changes; None when it has rows of a région or
    France, or of territories placed in no département (every département's tables read them,
    as comparisons)."""
    from sdsf.web.apps.datasets.scope import file_scope

    scope = file_scope(parsed)
    if scope.national or "?" in scope.departements:
        return None
    return scope.departements


def refresh_figures() -> None:
    """Queue the background refresh of the figures a change made stale (settings:
    ``SDSF_REFRESH_ON_IMPORT``)."""
    if not getattr(settings, "SDSF_REFRESH_ON_IMPORT", True):
        return
    from sdsf.web.apps.diagnostic.tasks import refresh

    refresh.enqueue(revision.current())


def default_edition(parsed: ParsedFile) -> str:
    """The edition of a file imported without ``--edition``: the one it says (a published
    file's last reference year), or the day of the import for a local file."""
    if not parsed.edition and parsed.source in DATED_BY_IMPORT:
        return timezone.localdate().isoformat()
    return parsed.file_edition


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


def values_for_codes(
    queryset: Any, field: str, codes: Iterable[str], *columns: str
) -> list[tuple[Any, ...]]:
    """``queryset.values_list(*columns)`` restricted to ``field`` in ``codes``, by slices of 900
    codes (SQLite's bound-parameter limit).

    Past a few slices (a national file: 35,000 communes), the rows are read in one query and
    kept in Python: each slice would scan the same index of variables and years again, which
    made reading back the values of a national file quadratic in its communes."""
    unique = sorted(set(codes))
    if len(unique) > 4 * 900:
        wanted = set(unique)
        return [
            row[:-1]
            for row in queryset.values_list(*columns, field).iterator(chunk_size=20_000)
            if row[-1] in wanted
        ]
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(unique), 900):
        part = queryset.filter(**{f"{field}__in": unique[start : start + 900]})
        rows += part.values_list(*columns)
    return rows


FETCH_ROWS = 200_000  # rows turned into columns at a time: a few tens of megabytes


def _fetch_frame(
    values_list: Any, names: list[str], wanted: set[str] | None = None
) -> pd.DataFrame:
    """The rows of a ``values_list`` of plain columns (texts, numbers: no converter) as a
    frame, read :data:`FETCH_ROWS` at a time and kept to the ``wanted`` codes (first column):
    Django reads 100 rows at a time, slow for the 600,000 births of France, and a list of
    every row of France as Python tuples would hold a gigabyte."""
    sql, params = values_list.query.sql_with_params()
    parts = []
    with connections[values_list.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_ROWS):
            part = pd.DataFrame(rows, columns=names)
            if wanted is not None:
                part = part[part[names[0]].isin(wanted)]
            part[names[3]] = part[names[3]].astype(float)
            parts.append(part)
    if not parts:
        return pd.DataFrame(columns=names).astype({names[3]: float})
    return pd.concat(parts, ignore_index=True)


WHOLE_LEVEL_ABOVE = 4 * 900  # codes: above, one query of the whole level beats slices of 900


def observations(
    variables: list[str], level: str, codes: list[str] | None = None, year: int | None = None
) -> pd.DataFrame:
    """Stored values as a tidy frame: code, annee, variable, valeur, plus provenance columns
    (``fichier``, ``producteur``, ``jeu``, ``simule``)."""
    qs = Observation.objects.filter(variable__in=variables, level=level)
    if year is not None:
        qs = qs.filter(year=year)
    columns = ("code", "year", "variable", "value", "file_id")
    wanted = None if codes is None else set(codes)
    names = [c.CODE, c.YEAR, c.VARIABLE, c.VALUE, "file_id"]
    if wanted is None or len(wanted) > WHOLE_LEVEL_ABOVE:
        # many codes (a region, France): one read of the level, kept to the codes; by slices,
        # each query would read the level's index again
        return _fetch_frame(qs.values_list(*columns), names, wanted)
    rows = values_for_codes(qs, "code", wanted, *columns)
    frame = pd.DataFrame(rows, columns=names)
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
    from sdsf.web.apps.datasets.stored import remember, table_key
    from sdsf.web.apps.territories.models import Territory

    def compute() -> set[str]:
        rates = Observation.objects.filter(variable=c.RATE_GLOBAL, level=c.DEPARTEMENT)
        places = Observation.objects.filter(variable__in=c.PLACE_VARIABLES, level=c.COMMUNE)
        return set(rates.values_list("code", flat=True).distinct()) | set(
            Territory.objects.filter(level=c.COMMUNE, code__in=places.values("code"))
            .values_list("departement", flat=True)
            .distinct()
        )

    return remember(table_key("departements-avec-donnees", None, None), compute)
