"""Reading tabular files as published: CSV (any of ; , tab, gzip or not, UTF-8 with or without
BOM, or Windows-1252), XLSX and Parquet, alone or in a zip archive, every cell as text so that
codes keep their leading zeros; within the bounds of :mod:`sdsf.sources.limits`."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sdsf.core import columns as c
from sdsf.sources.archives import is_zip, unpack
from sdsf.sources.errors import SourceError
from sdsf.sources.labels import LINE, columns_found, normalize_label
from sdsf.sources.limits import FileLimits, file_limits, french_count, french_size
from sdsf.sources.sheets import HEADER_SEARCH, Header, is_xls, read_workbook, rows_frame

MISSING_MARKERS = {"", "s", "so", "nd", "n.d.", "nc", "n.c.", "secret", "x", "na", "nan", "-", "/"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
__all__ = ["LINE", "columns_found", "normalize_label"]  # re-exported from sdsf.sources.labels


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError(name, "encodage illisible", expected="UTF-8 ou Windows-1252")


def read_table(
    path: Path,
    display_name: str | None = None,
    *,
    source: str | None = None,
    limits: FileLimits | None = None,
    header: Header | None = None,
) -> pd.DataFrame:
    """The file as a frame of strings, with a ``_line`` column (header = line 1).

    Empty cells are empty strings. The separator is the one among ``;``, ``,`` and tab that
    splits the header into the most columns. The file may be gzipped, or a zip archive holding
    one data file. ``limits`` (the parameters ``fichiers`` in force today by default) bound
    its size, its expanded size, its compression ratio and its rows (those of ``source``):
    past any of them a :class:`SourceError` says which, and nothing is built. An old Excel
    ``.xls`` workbook and a ``.7z`` archive are read too.

    ``header`` (per required column, its aliases) is for sheets published with title lines
    above their header, or a header over two lines: see :mod:`sdsf.sources.sheets`. A
    workbook is then read in all its sheets that hold that header (``_sheet`` names each).
    """
    name = display_name or path.name
    limits = limits or file_limits()
    try:
        size = path.stat().st_size
        if size > limits.upload_bytes:
            ceiling = french_size(limits.upload_bytes)
            raise SourceError(
                name,
                f"fichier trop volumineux (plus de {ceiling})",
                expected=f"au plus {ceiling}",
                found=french_size(size),
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(name, f"fichier illisible ({exc.strerror})") from exc
    data = unpack(raw, name, limits)
    del raw
    max_rows = limits.max_rows(source)
    if is_zip(data) or is_xls(data):
        frame = _read_xlsx(data, name, header) if is_zip(data) else _read_xls(data, name, header)
        _check_rows(len(frame), max_rows, name)
        return frame
    if data[:4] == b"PAR1":
        return _read_parquet(data, name, max_rows)
    _check_text_rows(data, max_rows, name)
    text = _decode(data, name)
    del data
    if not text.strip():
        raise SourceError(
            name, "le fichier est vide", expected="une ligne d'en-tête et des données"
        )
    if header is not None:
        return _read_csv_sheet(text, name, header)
    separator = _separator(text.splitlines()[0])
    _check_widths(text, separator, name)
    frame = pd.read_csv(
        io.StringIO(text),
        sep=separator,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=True,
        index_col=False,
    )
    frame.columns = pd.Index([str(col).strip() for col in frame.columns])
    frame[LINE] = np.arange(2, len(frame) + 2)
    return frame


def _separator(header: str) -> str:
    return max((";", ",", "\t"), key=header.count)


def _check_rows(rows: int, max_rows: int, name: str) -> None:
    if rows > max_rows:
        raise SourceError(
            name,
            f"trop de lignes de données (plus de {french_count(max_rows)})",
            expected=f"au plus {french_count(max_rows)} lignes pour cette source",
            found=f"{french_count(rows)} lignes",
        )


def _check_text_rows(data: bytes, max_rows: int, name: str) -> None:
    """Refuse a CSV of more than ``max_rows`` data rows, before any frame is built.

    Counting line ends is cheap and never undercounts (one more for a last line without its
    end); only a file past the limit by that count is read as CSV (quoted line breaks, blank
    lines) to count its rows exactly. Separators, quotes and line ends are ASCII, the same
    bytes in UTF-8 and Windows-1252: Latin-1 decodes any byte without error and keeps them in
    place.
    """
    lines = max(data.count(b"\n"), data.count(b"\r")) + 1  # old Mac files end lines with CR
    if lines - 1 <= max_rows:
        return
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="latin-1", newline="")
    separator = _separator(stream.readline())
    stream.seek(0)
    rows = csv.reader(stream, delimiter=separator)
    try:
        next(rows, None)
        count = sum(1 for row in rows if row)
    except csv.Error as exc:
        raise _unreadable_csv(name, rows.line_num, exc) from exc
    _check_rows(count, max_rows, name)


def _unreadable_csv(name: str, line: int, exc: csv.Error) -> SourceError:
    return SourceError(
        name, "ligne CSV illisible", row=line, expected="du texte CSV", found=str(exc)[:200]
    )


def _check_widths(text: str, separator: str, name: str) -> None:
    """Every row has as many cells as the header (else: wrong separator or stray cells)."""
    rows = csv.reader(io.StringIO(text), delimiter=separator)
    try:
        width = len(next(rows))
        for line, row in enumerate(rows, start=2):
            if row and len(row) != width:
                raise SourceError(
                    name,
                    "nombre de colonnes incohérent",
                    row=line,
                    expected=f"{width} cellules séparées par « {separator} » comme l'en-tête",
                    found=f"{len(row)} cellules",
                )
    except csv.Error as exc:
        raise _unreadable_csv(name, rows.line_num, exc) from exc


def _read_xlsx(raw: bytes, name: str, header: Header | None = None) -> pd.DataFrame:
    return read_workbook(raw, name, engine="openpyxl", header=header)


def _read_xls(raw: bytes, name: str, header: Header | None = None) -> pd.DataFrame:
    return read_workbook(raw, name, engine="xlrd", header=header)


def _read_csv_sheet(text: str, name: str, header: Header) -> pd.DataFrame:
    """A CSV saved from a published sheet: title lines above the header. The separator is
    the one that splits some line of the first ones into the most cells (the header)."""
    lines = text.splitlines()[:HEADER_SEARCH]
    separator = max((";", ",", "\t"), key=lambda sep: max(line.count(sep) for line in lines))
    rows = csv.reader(io.StringIO(text), delimiter=separator)
    try:
        cells = list(rows)
    except csv.Error as exc:
        raise _unreadable_csv(name, rows.line_num, exc) from exc
    frame = rows_frame(cells, name, header)
    assert frame is not None
    return frame


def _read_parquet(raw: bytes, name: str, max_rows: int) -> pd.DataFrame:
    """A Parquet file, its row count (in its footer) checked before its columns are read."""
    import pyarrow.parquet as pq

    try:
        rows = pq.ParquetFile(io.BytesIO(raw)).metadata.num_rows
    except Exception as exc:  # pyarrow raises many kinds on a damaged file
        raise SourceError(name, f"fichier Parquet illisible ({exc})") from exc
    _check_rows(int(rows), max_rows, name)
    try:
        frame = pd.read_parquet(io.BytesIO(raw))
    except Exception as exc:  # pyarrow raises many kinds on a damaged file
        raise SourceError(name, f"fichier Parquet illisible ({exc})") from exc
    frame.columns = pd.Index([str(col).strip() for col in frame.columns])
    frame = frame.astype(object).where(frame.notna(), "").astype(str)
    frame[LINE] = np.arange(2, len(frame) + 2)
    return frame


def find_columns(
    frame: pd.DataFrame, name: str, wanted: Mapping[str, Sequence[str]], *, required: Iterable[str]
) -> dict[str, str]:
    """Map canonical names to the file's column names, matching normalised aliases.

    Raises a :class:`SourceError` naming the first required column that is absent, and the
    columns found (a single column usually means a wrong separator).
    """
    by_norm = {normalize_label(col): col for col in frame.columns if col != LINE}
    found: dict[str, str] = {}
    for canonical, aliases in wanted.items():
        for alias in aliases:
            if normalize_label(alias) in by_norm:
                found[canonical] = by_norm[normalize_label(alias)]
                break
    for canonical in required:
        if canonical not in found:
            hint = (
                " : une seule colonne lue, le séparateur est sans doute incorrect"
                if len(frame.columns) == 2  # the column read, and _line
                else ""
            )
            raise SourceError(
                name,
                f"colonne obligatoire absente{hint}",
                row=1,
                column=wanted[canonical][0],
                expected=" ou ".join(f"« {a} »" for a in wanted[canonical][:3]),
                found=columns_found(frame),
            )
    return found


def reject_first(
    frame: pd.DataFrame, bad: pd.Series, name: str, column: str, reason: str, expected: str
) -> None:
    """Raise a :class:`SourceError` on the first row flagged by ``bad``, if any."""
    if bad.any():
        first = frame.loc[bad[bad].index[0]]
        found = first[column]
        raise SourceError(
            name,
            reason,
            row=int(first[LINE]),
            column=column,
            expected=expected,
            found="" if pd.isna(found) else str(found),
        )


def parse_numbers(
    frame: pd.DataFrame, column: str, name: str, *, integer: bool = False, minimum: float = 0.0
) -> pd.Series:
    """Numbers of a text column: decimal comma or point, thin or no-break thousands spaces.

    Empty and secret cells (``s``, ``so``, ``nd``...) become missing values, never zero.
    Text that is not a number, an infinite one (``inf``, ``1e999``), or a value below
    ``minimum``, raises a :class:`SourceError`.
    """
    text = frame[column].astype(str).str.strip()
    cleaned = text.str.replace(_SPACES, "", regex=True).str.replace(",", ".", regex=False)
    missing = cleaned.str.lower().isin(MISSING_MARKERS)
    values = pd.to_numeric(cleaned.where(~missing), errors="coerce")
    bad = values.isna() & ~missing
    kind = "un nombre entier" if integer else "un nombre"
    reject_first(
        frame,
        bad,
        name,
        column,
        "valeur non numérique",
        f"{kind} (ou une cellule vide si la donnée est secrète)",
    )
    reject_first(
        frame,
        values.notna() & ~np.isfinite(values.astype(float)),
        name,
        column,
        "valeur infinie",
        f"{kind} fini",
    )
    if integer:
        fractional = values.notna() & (values != values.round())
        reject_first(frame, fractional, name, column, "nombre décimal inattendu", kind)
    reject_first(
        frame,
        values < minimum,
        name,
        column,
        "valeur hors limites",
        f"une valeur supérieure ou égale à {minimum:g}",
    )
    return values.astype(float)


_ISO_DATE = re.compile(r"^((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[T ][\d:.]+)?$")
_FRENCH_DATE = re.compile(r"^(?:0[1-9]|[12]\d|3[01])/(?:0[1-9]|1[0-2])/((?:19|20)\d\d)$")


def parse_years(frame: pd.DataFrame, column: str, name: str, *, dates: bool = False) -> pd.Series:
    """Four-digit years between 1900 and 2099.

    With ``dates``, a date stands for its year: Opendatasoft portals (data.caf.fr) export a
    year field as ``2023-01-01``, a spreadsheet cell as ``2023-01-01 00:00:00``, a French
    one as ``01/01/2023``.
    """
    text = frame[column].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
    expected = "une année sur quatre chiffres (ex. 2023)"
    if dates:
        iso = text.str.extract(_ISO_DATE)[0]
        french = text.str.extract(_FRENCH_DATE)[0]
        text = iso.fillna(french).fillna(text)
        expected += " ou une date (ex. 2023-01-01)"
    ok = text.str.fullmatch(r"(19|20)\d\d")
    reject_first(frame, ~ok, name, column, "année invalide", expected)
    return text.astype(int)


def check_unique(frame: pd.DataFrame, keys: Sequence[str], name: str, column: str) -> None:
    """Refuse a file where the same territory (and year) appears twice."""
    duplicated = frame.duplicated(subset=list(keys), keep="first")
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        original = frame[(frame[list(keys)] == row[list(keys)]).all(axis=1)].iloc[0]
        raise SourceError(
            name,
            f"ligne en double (déjà présente ligne {int(original[LINE])})",
            row=int(row[LINE]),
            column=column,
            expected="une seule ligne par territoire et par année",
            found=" / ".join(str(row[k]) for k in keys),
        )


def normalize_codes(series: pd.Series, width: int) -> pd.Series:
    """Codes as strings, stripped, left-padded with zeros when purely numeric and short."""
    text = series.astype(str).str.strip().str.upper().str.replace(r"\.0$", "", regex=True)
    numeric = text.str.fullmatch(r"\d+") & (text.str.len() < width)
    return text.where(~numeric, text.str.zfill(width))


def department_code(series: pd.Series) -> pd.Series:
    """Département codes: ``1`` -> ``01``; ``2A``, ``971`` kept."""
    return normalize_codes(series, 2)


def code_width(level: str) -> int:
    return {c.COMMUNE: 5, c.ARRONDISSEMENT: 5, c.EPCI: 9, c.DEPARTEMENT: 2, c.REGION: 2}.get(
        level, 0
    )


def file_year(name: str, year: int | None) -> int:
    """The vintage of a file: ``year`` if given, else the first year in its name."""
    if year is not None:
        return year
    match = re.search(r"(?:19|20)\d\d", name)
    if not match:
        raise SourceError(
            name, "millésime inconnu", expected="une année dans le nom du fichier ou --annee"
        )
    return int(match.group(0))
