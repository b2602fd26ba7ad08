"""JSON and CSV for every output (CLI, web downloads, map layers, diagnostic files), written by
one fast encoder and in chunks so that a national table is streamed, never held twice.

JSON: orjson (numpy scalars and arrays as numbers, NaN as ``null``, text as UTF-8 without
escapes). An array written in chunks is byte for byte what ``json.dumps(items, indent=2,
ensure_ascii=False)`` writes when every value is JSON-native (orjson writes numbers below 1e-4
as ``0.00001`` where the standard library writes ``1e-05``: the same number).

CSV: French Excel (``;``, CRLF, UTF-8 with BOM), quoted by the standard ``csv`` module. Every
cell goes through :func:`~sdsf.reports.cells.neutral_column` here, whatever the caller did: no
export carries a live formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import orjson

from sdsf.reports.cells import neutral_column

OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
BATCH = 5000  # records or rows per chunk: a few hundred kilobytes
BOM = "\ufeff"


def dumps(obj: Any, *, indent: bool = False, default: Callable[[Any], Any] | None = None) -> bytes:
    """``obj`` as JSON (UTF-8 bytes); ``indent``: two spaces per level, as ``indent=2``."""
    options = OPTIONS | orjson.OPT_INDENT_2 if indent else OPTIONS
    return orjson.dumps(obj, default=default, option=options)


def batches(items: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def json_array(
    items: Iterable[Any],
    *,
    indent: bool = False,
    default: Callable[[Any], Any] | None = None,
    size: int = BATCH,
) -> Iterator[bytes]:
    """A JSON array of ``items``, in chunks of ``size`` items (joined, one valid document)."""
    separator, start, end = (b",\n", b"[\n", b"\n]") if indent else (b",", b"[", b"]")
    first = True
    for batch in batches(items, size):
        body = dumps(batch, indent=indent, default=default)[len(start) : -len(end)]
        yield (start if first else separator) + body
        first = False
    yield b"[]" if first else end


def json_chunks_text(chunks: Iterable[bytes]) -> str:
    return b"".join(chunks).decode("utf-8")


def csv_chunks(
    header: Sequence[str],
    columns: Sequence[Sequence[str]],
    *,
    footer: Sequence[Sequence[str]] = (),
    bom: bool = True,
    size: int = BATCH,
) -> Iterator[str]:
    """A French Excel CSV from texts given column by column (all of the same length), then the
    ``footer`` lines (sources, notices); each cell neutral (never a live formula)."""
    safe = [neutral_column(column) for column in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")

    def flushed() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(neutral_column(header))
    rows = zip(*safe, strict=True) if safe else iter(())
    yield (BOM if bom else "") + flushed()
    for batch in batches(rows, size):
        writer.writerows(batch)
        yield flushed()
    if footer:
        writer.writerows(neutral_column(line) for line in footer)
        yield flushed()


def write_chunks(path: Path, chunks: Iterable[bytes | str]) -> None:
    """Write an output to a file as it is encoded (texts as UTF-8, line ends as they are)."""
    with path.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)


def csv_text(
    header: Sequence[str],
    columns: Sequence[Sequence[str]],
    *,
    footer: Sequence[Sequence[str]] = (),
    bom: bool = True,
) -> str:
    return "".join(csv_chunks(header, columns, footer=footer, bom=bom))
