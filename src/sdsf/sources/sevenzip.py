"""7z archives within bounds (Insee ships its grids as ``.7z``), with py7zr.

As for a zip (:mod:`sdsf.sources.archives`), the archive is judged first on the sizes its
header declares: their sum must stay within the expanded limit and the allowed ratio to the
archive's real size. The one data file is then inflated in memory with py7zr's own ceiling
(``max_extract_size``, the smaller of both bounds) so that a header lying about its sizes is
stopped too.
"""

from __future__ import annotations

import io

import py7zr
import py7zr.exceptions
import py7zr.io

from sdsf.sources.archives import is_data_file, one_data_file, too_compressed, too_large
from sdsf.sources.errors import SourceError
from sdsf.sources.limits import FileLimits, french_count, french_size

_BROKEN = (
    py7zr.exceptions.ArchiveError,
    EOFError,
    OSError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
)


def un7z(raw: bytes, name: str, limits: FileLimits) -> tuple[str, bytes]:
    """The name and bytes of the one data file of a 7z archive, within ``limits``."""
    ceiling = min(limits.expanded_bytes, int(limits.compression_ratio * len(raw)))
    try:
        archive = py7zr.SevenZipFile(io.BytesIO(raw), mode="r", max_extract_size=ceiling)
    except py7zr.exceptions.PasswordRequired as exc:
        raise _protected(name) from exc
    except _BROKEN as exc:
        raise _damaged(name, exc) from exc
    with archive:
        if archive.needs_password():
            raise _protected(name)
        members = archive.list()
        expanded = sum(m.uncompressed for m in members if not m.is_directory)
        found = f"{french_size(expanded)} une fois décompressé ({len(members)} fichier(s))"
        if expanded > limits.expanded_bytes:
            raise too_large(name, limits, found)
        if expanded > limits.compression_ratio * len(raw):
            ratio = french_count(expanded / max(len(raw), 1))
            raise too_compressed(
                name, limits, len(raw), f"{french_size(expanded)}, soit {ratio} fois"
            )
        names = [m.filename for m in members if not m.is_directory]
        data = [m.filename for m in members if is_data_file(m.filename, m.is_directory)]
        member = one_data_file(names, data, name, "7z")
        factory = py7zr.io.BytesIOFactory(ceiling + 1)
        try:
            archive.extract(targets=[member], factory=factory)
        except py7zr.exceptions.DecompressionBombError as exc:
            if ceiling == limits.expanded_bytes:
                raise too_large(name, limits, f"plus de {french_size(ceiling)}") from exc
            raise too_compressed(
                name, limits, len(raw), f"plus de {french_size(ceiling)} décompressés"
            ) from exc
        except py7zr.exceptions.PasswordRequired as exc:
            raise _protected(name) from exc
        except _BROKEN as exc:
            raise _damaged(name, exc, member) from exc
    product = factory.products.get(member)
    if product is None:
        raise _damaged(name, KeyError(member), member)
    product.seek(0)
    return member, product.read()


def _protected(name: str) -> SourceError:
    return SourceError(
        name, "archive 7z protégée par un mot de passe", expected="une archive sans mot de passe"
    )


def _damaged(name: str, exc: BaseException, member: str | None = None) -> SourceError:
    what = f"fichier « {member} » de l'archive 7z illisible" if member else "archive 7z endommagée"
    return SourceError(name, what, expected="une archive 7z lisible", found=str(exc)[:200])
