"""The bounds a file must keep to be read (parameters ``fichiers`` of sdsf.parameters).

A small file can expand into gigabytes (a « bombe de décompression »: zeros gzipped, a zip whose
members declare huge sizes) or hold millions of rows that were never meant for a schéma; the
readers check these bounds before they build anything, and refuse with a :class:`SourceError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sdsf.parameters import ParameterError, load

DEFAULT_SOURCE = "defaut"
NNBSP = "\u202f"


@dataclass(frozen=True, eq=False)
class FileLimits:
    """Upload size, expanded size and compression ratio bounds, rows per source.

    ``upload_bytes``: the file as received; ``expanded_bytes``: once gunzipped or unzipped
    (all members of a zip, the XML of an XLSX workbook); ``compression_ratio``: expanded size
    over the size of the compressed file; ``rows``: data rows per source name, with the
    ``defaut`` entry for any other source.
    """

    upload_bytes: int
    expanded_bytes: int
    compression_ratio: float
    rows: Mapping[str, int]

    def max_rows(self, source: str | None) -> int:
        """The row limit of ``source`` (the default one when unknown or None)."""
        if source is not None and source in self.rows:
            return self.rows[source]
        return self.rows[DEFAULT_SOURCE]


def _positive(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ParameterError(f"fichiers.{path} : entier positif attendu, trouvé « {value} »")
    return value


def file_limits(date: dt.date | None = None) -> FileLimits:
    """The limits in force at ``date`` (today by default)."""
    when = date or dt.date.today()
    values = load()["fichiers"].at(when)
    upload = _positive(values["taille_max_televersement"], "taille_max_televersement")
    expanded = _positive(values["taille_max_decompressee"], "taille_max_decompressee")
    ratio = values["taux_max_compression"]
    if isinstance(ratio, bool) or not isinstance(ratio, int | float) or ratio < 1:
        raise ParameterError(
            f"fichiers.taux_max_compression : nombre supérieur ou égal à 1 attendu, trouvé "
            f"« {ratio} »"
        )
    raw_rows = values["lignes_max"]
    if not isinstance(raw_rows, Mapping) or DEFAULT_SOURCE not in raw_rows:
        raise ParameterError(
            f"fichiers.lignes_max : un dictionnaire source -> lignes avec « {DEFAULT_SOURCE} » "
            "attendu"
        )
    rows = {str(k): _positive(v, f"lignes_max.{k}") for k, v in raw_rows.items()}
    return FileLimits(
        upload_bytes=upload,
        expanded_bytes=expanded,
        compression_ratio=float(ratio),
        rows=MappingProxyType(rows),
    )


def french_size(size: int | float) -> str:
    """``1073741824`` -> ``1 Go``, ``1782579`` -> ``1,7 Mo``: sizes as a user reads them."""
    for unit, scale in (("Go", 1 << 30), ("Mo", 1 << 20), ("Ko", 1 << 10)):
        if size >= scale:
            value = f"{size / scale:.1f}".replace(".", ",").removesuffix(",0")
            return f"{value} {unit}"
    return f"{int(size)} octets"


def french_count(number: int | float) -> str:
    """``1234567`` -> ``1 234 567`` (narrow no-break spaces between thousands)."""
    return f"{number:,.0f}".replace(",", NNBSP)
