"""Opening compressed files within bounds: gzip streams, zip archives and XLSX workbooks.

A gzip stream is inflated piece by piece and given up as soon as its expanded size passes the
limit, or passes the allowed ratio to the compressed file: a 200 KB file of gzipped zeros never
grows past that ceiling in memory. A zip archive (an XLSX workbook is one) is judged on the
sizes its directory declares before anything is inflated (Python's zipfile never inflates a
member past its declared size); the ratio is taken against the archive's real size, so that
members overlapping on one compressed kernel are caught too. A zip that is not a workbook holds
one data file (Insee publishes zipped CSVs, the DGFiP zipped workbooks), which is read as if it
had been sent alone. A 7z archive (Insee's grids) is judged the same way, in
:mod:`sdsf.sources.sevenzip`.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePosixPath

from sdsf.sources.errors import SourceError
from sdsf.sources.limits import FileLimits, french_count, french_size

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
XLSX_MARKER = "[Content_Types].xml"
DATA_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls", ".parquet")
SEVEN_ZIP_MAGIC = b"7z\xbc\xaf\x27\x1c"
EXPECTED_MEMBER = "un seul fichier CSV, TXT, XLSX, XLS ou Parquet dans l'archive"
CHUNK = 1 << 20  # bytes inflated per step


def is_zip(raw: bytes) -> bool:
    return raw[:4] in (ZIP_MAGIC, EMPTY_ZIP_MAGIC)


def unpack(raw: bytes, name: str, limits: FileLimits) -> bytes:
    """The data of a file as received: gunzipped, or the one data member of a plain zip.

    An XLSX workbook is returned as it is, once its directory has been checked. Raises
    :class:`SourceError` when an expanded size or a ratio passes ``limits``, or when the
    archive is damaged or holds no single data file.
    """
    if raw[:2] == GZIP_MAGIC:
        raw = gunzip(raw, name, limits)
    if raw[:6] == SEVEN_ZIP_MAGIC:
        from sdsf.sources.sevenzip import un7z

        member_name, data = un7z(raw, name, limits)
        return _checked_member(data, member_name, name, limits)
    if not is_zip(raw):
        return raw
    archive = open_zip(raw, name, limits)
    if XLSX_MARKER in archive.namelist():
        return raw
    member = _data_member(archive, name)
    return _checked_member(_extract(archive, member, name, limits), member.filename, name, limits)


def _checked_member(data: bytes, member: str, name: str, limits: FileLimits) -> bytes:
    """The data file of an archive; a workbook inside has its own directory checked, and an
    archive inside an archive is refused."""
    if is_zip(data):
        inner = open_zip(data, f"{name} › {member}", limits)
        if XLSX_MARKER not in inner.namelist():
            raise SourceError(
                name,
                "archive zip dans une archive",
                expected=EXPECTED_MEMBER,
                found=member,
            )
    if data[:6] == SEVEN_ZIP_MAGIC or data[:2] == GZIP_MAGIC:
        raise SourceError(name, "archive dans une archive", expected=EXPECTED_MEMBER, found=member)
    return data


def too_large(name: str, limits: FileLimits, found: str) -> SourceError:
    ceiling = french_size(limits.expanded_bytes)
    return SourceError(
        name,
        f"archive trop volumineuse une fois décompressée (plus de {ceiling})",
        expected=f"au plus {ceiling} une fois décompressé",
        found=found,
    )


def too_compressed(name: str, limits: FileLimits, compressed: int, found: str) -> SourceError:
    ratio = f"{limits.compression_ratio:g}"
    return SourceError(
        name,
        f"archive anormalement compressée (plus de {ratio} fois plus volumineuse une fois "
        "décompressée) : sans doute une archive piégée",
        expected=f"au plus {ratio} fois les {french_size(compressed)} du fichier reçu",
        found=found,
    )


def gunzip(raw: bytes, name: str, limits: FileLimits) -> bytes:
    """Inflate a gzip file (one or several members) piece by piece within ``limits``."""
    by_ratio = int(limits.compression_ratio * len(raw))
    chunks: list[bytes] = []
    expanded = 0
    pending = raw
    while pending:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        while not inflater.eof:
            try:
                chunk = inflater.decompress(pending, CHUNK)
            except zlib.error as exc:
                raise SourceError(name, "archive gzip corrompue", found=str(exc)) from exc
            pending = inflater.unconsumed_tail
            expanded += len(chunk)
            if expanded > limits.expanded_bytes:
                raise too_large(name, limits, f"plus de {french_size(limits.expanded_bytes)}")
            if expanded > by_ratio:
                raise too_compressed(
                    name, limits, len(raw), f"plus de {french_size(expanded)} décompressés"
                )
            chunks.append(chunk)
            if not chunk and not pending and not inflater.eof:
                raise SourceError(
                    name, "archive gzip corrompue", found="fichier tronqué (fin de flux absente)"
                )
        pending = inflater.unused_data
        if pending[:2] != GZIP_MAGIC:
            if pending.strip(b"\x00"):
                raise SourceError(
                    name, "archive gzip corrompue", found="données inattendues après la fin du flux"
                )
            break
    return b"".join(chunks)


def open_zip(raw: bytes, name: str, limits: FileLimits) -> zipfile.ZipFile:
    """The archive, once the sizes its directory declares are within ``limits``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise SourceError(
            name,
            "archive zip ou classeur XLSX endommagé",
            expected="une archive ZIP ou un classeur XLSX lisible",
            found=str(exc),
        ) from exc
    expanded = sum(member.file_size for member in members)
    found = f"{french_size(expanded)} une fois décompressé ({len(members)} fichier(s))"
    if expanded > limits.expanded_bytes:
        raise too_large(name, limits, found)
    if expanded > limits.compression_ratio * len(raw):
        ratio = expanded / max(len(raw), 1)
        raise too_compressed(
            name, limits, len(raw), f"{french_size(expanded)}, soit {french_count(ratio)} fois"
        )
    return archive


def is_data_file(filename: str, is_dir: bool = False) -> bool:
    """A data file of an archive: not a folder, not macOS litter, not an Insee dictionary of
    variables (``meta_*.csv`` beside the data in Insee's zipped bases)."""
    path = PurePosixPath(filename)
    if is_dir or path.parts[:1] == ("__MACOSX",) or path.name.startswith("."):
        return False
    if path.name.lower().startswith(("meta_", "meta-")):
        return False
    return path.suffix.lower() in DATA_SUFFIXES


def one_data_file(names: list[str], data: list[str], name: str, kind: str) -> str:
    """The single data file among an archive's ``data`` files (all its files: ``names``)."""
    if len(data) == 1:
        return data[0]
    if not data:
        raise SourceError(
            name,
            f"archive {kind} sans fichier de données",
            expected=EXPECTED_MEMBER,
            found=", ".join(names)[:300] if names else "archive vide",
        )
    raise SourceError(
        name,
        f"archive {kind} contenant {len(data)} fichiers de données",
        expected=EXPECTED_MEMBER + ", les autres étant à retirer ou à importer un par un",
        found=", ".join(data)[:300],
    )


def _data_member(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
    members = archive.infolist()
    data = [m.filename for m in members if is_data_file(m.filename, m.is_dir())]
    names = [m.filename for m in members if not m.is_dir()]
    return archive.getinfo(one_data_file(names, data, name, "zip"))


def _extract(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, limits: FileLimits
) -> bytes:
    """The member's bytes, read in pieces and never past the expanded limit."""
    chunks: list[bytes] = []
    expanded = 0
    try:
        with archive.open(member) as handle:
            while chunk := handle.read(CHUNK):
                expanded += len(chunk)
                if expanded > limits.expanded_bytes:
                    raise too_large(name, limits, f"plus de {french_size(limits.expanded_bytes)}")
                chunks.append(chunk)
    except SourceError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise SourceError(
            name,
            f"fichier « {member.filename} » de l'archive zip illisible",
            expected="une archive ZIP lisible (compression deflate ou sans compression)",
            found=str(exc),
        ) from exc
    except RuntimeError as exc:  # an encrypted member
        raise SourceError(
            name,
            f"fichier « {member.filename} » de l'archive zip protégé par un mot de passe",
            expected="une archive sans mot de passe",
        ) from exc
    return b"".join(chunks)
