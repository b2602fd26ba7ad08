"""Published sheets: workbooks (XLSX with openpyxl, old Excel ``.xls`` with xlrd) and tables
whose header is not on the first line.

Producers publish sheets meant to be printed: title lines above the header, a header over two
lines (a group label over its sub-labels, or a long label broken in two), notes below. Given
the labels that identify the header (``header``: per required column, its aliases), the header
is the first line, among the first :data:`HEADER_SEARCH`, holding them all, alone or joined
with the line below; the line below is part of the header when it leaves the required columns
empty. Line numbers stay those of the file, as a spreadsheet shows them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from sdsf.sources.errors import SourceError
from sdsf.sources.labels import LINE, normalize_label

XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file: Excel 97-2003
HEADER_SEARCH = 30
SHEET = "_sheet"
Header = Sequence[Sequence[str]]  # per required column, its aliases


def is_xls(raw: bytes) -> bool:
    return raw[:8] == XLS_MAGIC


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_workbook(
    raw: bytes, name: str, *, engine: Literal["openpyxl", "xlrd"], header: Header | None
) -> pd.DataFrame:
    """A workbook as a frame of strings with a ``_line`` column: its first sheet with the
    header on line 1, or (with ``header``) every sheet where that header is found, stacked,
    with the sheet's name in ``_sheet``."""
    grids = _xls_grids(raw, name) if engine == "xlrd" else _xlsx_grids(raw, name)
    if header is None:
        rows = next(iter(grids.values()), [])
        names = _unique([_text(cell) for cell in rows[0]]) if rows else []
        frame = pd.DataFrame(rows[1:], columns=pd.Index(names), dtype=object)
        frame[LINE] = np.arange(2, len(frame) + 2)
        return frame
    parts = []
    for sheet, rows in grids.items():
        part = rows_frame(rows, name, header, missing_ok=True)
        if part is not None:
            part[SHEET] = str(sheet)
            parts.append(part)
    if not parts:
        raise header_not_found(name, header, next(iter(grids.values()), []))
    return pd.concat(parts, ignore_index=True).fillna("")


def _xlsx_grids(raw: bytes, name: str) -> dict[str, list[list[str]]]:
    try:
        sheets = pd.read_excel(
            io.BytesIO(raw),
            dtype=str,
            keep_default_na=False,
            engine="openpyxl",
            header=None,
            sheet_name=None,
        )
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise SourceError(name, f"classeur XLSX illisible ({exc})") from exc
    return {str(sheet): grid.map(_text).to_numpy().tolist() for sheet, grid in sheets.items()}


def _xls_grids(raw: bytes, name: str) -> dict[str, list[list[str]]]:
    """The sheets of an Excel 97-2003 workbook, read with xlrd itself (pandas' xlrd engine is
    deprecated): integral numbers without ``.0`` (``530``), dates as ``2023-01-01``."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=raw, on_demand=True)
        grids = {}
        for sheet in book.sheets():
            grids[sheet.name] = [
                [_xls_cell(cell, book.datemode) for cell in sheet.row(index)]
                for index in range(sheet.nrows)
            ]
    except Exception as exc:  # xlrd raises many kinds on a damaged workbook
        raise SourceError(name, f"classeur XLS illisible ({exc})") from exc
    return grids


def _xls_cell(cell: Any, datemode: int) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_NUMBER:
        value = float(cell.value)
        return str(int(value)) if value.is_integer() else repr(value)
    if cell.ctype == xlrd.XL_CELL_DATE:
        moment = xlrd.xldate_as_datetime(cell.value, datemode)
        return str(moment.date().isoformat() if moment.time() == dt.time() else moment.isoformat())
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "VRAI" if cell.value else "FAUX"
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return _text(cell.value)


def rows_frame(
    rows: list[list[str]], name: str, header: Header, *, missing_ok: bool = False
) -> pd.DataFrame | None:
    """The table below the header found in ``rows`` (cells as text), empty lines dropped.

    Raises a :class:`SourceError` when no header is found (or returns None with
    ``missing_ok``), or when a line holds cells beyond the header's last column.
    """
    located = _locate(rows, header)
    if located is None:
        if missing_ok:
            return None
        raise header_not_found(name, header, rows)
    names, start = located
    width = len(names)
    body, lines = [], []
    for index in range(start, len(rows)):
        row = [_text(cell) for cell in rows[index]]
        if not any(row):
            continue
        if any(row[width:]):
            raise SourceError(
                name,
                "nombre de colonnes incohérent",
                row=index + 1,
                expected=f"au plus {width} cellules, comme l'en-tête",
                found=f"{len(row)} cellules",
            )
        body.append((row + [""] * width)[:width])
        lines.append(index + 1)
    frame = pd.DataFrame(body, columns=pd.Index(names), dtype=object)
    frame[LINE] = np.array(lines, dtype=int)
    return frame


def header_not_found(name: str, header: Header, rows: list[list[str]]) -> SourceError:
    """The line that looks most like the header and the first column it lacks; or, when no
    line holds any of the labels, the first lines as they were read."""
    wanted = [" ou ".join(f"« {a} »" for a in aliases[:3]) for aliases in header]
    best, best_found = -1, 0
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        found = sum(_matches(row, [aliases]) for aliases in header)
        if found > best_found:
            best, best_found = index, found
    if best >= 0:
        missing = [i for i, aliases in enumerate(header) if not _matches(rows[best], [aliases])]
        return SourceError(
            name,
            "colonne obligatoire absente de la ligne d'en-tête",
            row=best + 1,
            column=header[missing[0]][0],
            expected=wanted[missing[0]],
            found=" | ".join(cell for cell in rows[best] if cell)[:300],
        )
    seen = [" | ".join(cell for cell in row if cell) for row in rows[:HEADER_SEARCH]]
    return SourceError(
        name,
        "ligne d'en-tête introuvable",
        expected=f"dans les {HEADER_SEARCH} premières lignes, une ligne d'en-tête avec "
        + ", ".join(f"« {aliases[0]} »" for aliases in header),
        found=" / ".join(line for line in seen if line)[:300] or "aucune ligne",
    )


def _matches(cells: Sequence[str], header: Header) -> bool:
    labels = {normalize_label(cell) for cell in cells}
    return all(any(normalize_label(a) in labels for a in aliases) for aliases in header)


def _required(cell: str, header: Header) -> bool:
    label = normalize_label(cell)
    return bool(label) and any(normalize_label(a) == label for al in header for a in al)


def _locate(rows: list[list[str]], header: Header) -> tuple[list[str], int] | None:
    """The column names and the index of the first line below the header."""
    for index in range(min(len(rows), HEADER_SEARCH)):
        main = [_text(cell) for cell in rows[index]]
        below = [_text(cell) for cell in rows[index + 1]] if index + 1 < len(rows) else []
        if _matches(main, header):
            required = [j for j, cell in enumerate(main) if _required(cell, header)]
            continued = any(below) and not any(j < len(below) and below[j] for j in required)
            if not continued:
                return _unique(main), index + 1
            return _unique(_join(main, below, header)), index + 2
        if below and _matches(_join(main, below, header), header):
            return _unique(_join(main, below, header)), index + 2
    return None


def _join(main: list[str], below: list[str], header: Header) -> list[str]:
    """One label per column from a header over two lines: a group label (merged over the
    columns to its right) joined to each sub-label, a label broken in two joined again; a
    required label keeps its own name whatever is under it (a unit, « en milliers d'euros »)."""
    width = max(len(main), len(below))
    main = main + [""] * (width - len(main))
    below = below + [""] * (width - len(below))
    names, group = [], ""
    for top, sub in zip(main, below, strict=True):
        group = top or group
        if _required(top, header) or not sub:
            names.append(top)
        else:
            names.append(f"{top or group} - {sub}" if (top or group) else sub)
    return names


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for position, label in enumerate(names, start=1):
        label = label or f"colonne {position}"
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out
