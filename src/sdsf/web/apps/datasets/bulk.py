"""Fast writes of many values (no model instances: an INSEE commune file holds 600,000)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from django.db import connection

from sdsf.core import columns as c
from sdsf.web.apps.datasets.models import Observation, SupersededObservation

BATCH = 5000
SLICE = 100_000
_COLUMNS = ("file_id", "dataset", "variable", "level", "code", "year", "value")


def insert_values(
    file_id: int, dataset: str, obs: pd.DataFrame, *, superseded_by: int | None = None
) -> None:
    """Insert tidy values of one file: in force, or as history superseded by the file
    ``superseded_by``. COPY on PostgreSQL, executemany elsewhere."""
    names = list(_COLUMNS)
    model: type[Observation] | type[SupersededObservation] = Observation
    if superseded_by is not None:
        model = SupersededObservation
        names.append("superseded_by_id")
    # by slices: the Python values of the 1.7 million rows of a national EAJE registry with
    # its implicit zeros would hold some 600 MB at once
    for start in range(0, len(obs), SLICE):
        part = obs.iloc[start : start + SLICE]
        values = part[c.VALUE].astype(float)
        columns = [
            [file_id] * len(part),
            [dataset] * len(part),
            # lists, not Series: iterating an Arrow-backed Series costs ~2 µs a cell
            part[c.VARIABLE].astype(str).tolist(),
            part[c.LEVEL].astype(str).tolist(),
            part[c.CODE].astype(str).tolist(),
            part[c.YEAR].astype(int).tolist(),
            values.where(values.notna(), None).tolist(),
        ]
        if superseded_by is not None:
            columns.append([superseded_by] * len(part))
        insert_rows(model._meta.db_table, names, columns)


def insert_rows(table: str, names: Sequence[str], columns: Sequence[Sequence[object]]) -> None:
    """Insert rows given as columns (lists of Python values) into ``table``, without model
    instances: COPY on PostgreSQL, executemany elsewhere."""
    rows = list(zip(*columns, strict=True))
    if not rows:
        return
    listed = ", ".join(names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({listed}) VALUES ({marks})", rows)


def move_to_history(ids: Sequence[int], superseded_by: int) -> None:
    """Copy the values in force ``ids`` into the history, superseded by ``superseded_by``
    (the caller then deletes them)."""
    source = Observation._meta.db_table
    target = SupersededObservation._meta.db_table
    listed = ", ".join(_COLUMNS)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 900):
            part = list(ids[start : start + 900])
            marks = ", ".join(["%s"] * len(part))
            cursor.execute(
                f"INSERT INTO {target} ({listed}, superseded_by_id) "
                f"SELECT {listed}, %s FROM {source} WHERE id IN ({marks})",
                [superseded_by, *part],
            )


def delete_values(ids: Sequence[int]) -> None:
    for start in range(0, len(ids), BATCH):
        Observation.objects.filter(id__in=ids[start : start + BATCH]).delete()
