"""Files are read within bounds: upload size, expanded size, compression ratio (gzip and zip
bombs), one data file per zip archive, rows per source (parameters ``fichiers``)."""

from __future__ import annotations

import gzip
import io
import time
import tracemalloc
import zipfile
import zlib

import pandas as pd
import pytest

from sdsf.core import columns as c
from sdsf.parameters import HERE, ParameterError, load_file
from sdsf.sources import limits as limits_module
from sdsf.sources import reading
from sdsf.sources.base import ReferenceCodes
from sdsf.sources.errors import SourceError
from sdsf.sources.limits import FileLimits, file_limits, french_size
from sdsf.sources.reading import LINE, read_table
from sdsf.sources.registry import SOURCES, read_source
from tests.conftest import shared_file

MB = 1 << 20


def small_limits(
    *, upload=10 * MB, expanded=MB, ratio=10_000.0, rows=None, default_rows=1_000_000
) -> FileLimits:
    return FileLimits(
        upload_bytes=upload,
        expanded_bytes=expanded,
        compression_ratio=ratio,
        rows={"defaut": default_rows, **(rows or {})},
    )


def gzip_of_zeros(size: int) -> bytes:
    """``size`` bytes of zeros gzipped, built piece by piece (never ``size`` in memory)."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(MB)
    parts = [deflater.compress(block) for _ in range(size // MB)]
    parts.append(deflater.flush())
    return b"".join(parts)


def zip_of(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return buffer.getvalue()


def write(tmp_path, name: str, content: bytes | str):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- parameters -----------------------------------------------------------------------------


def test_parameter_file_loads_strictly():
    node = load_file(HERE / "fichiers.yaml")
    assert set(node) == {
        "taille_max_televersement",
        "taille_max_decompressee",
        "taux_max_compression",
        "lignes_max",
    }
    limits = file_limits()
    assert limits.upload_bytes == 100 * MB
    assert limits.expanded_bytes == 1024 * MB
    assert limits.compression_ratio == 100
    # every importable source has its own row limit, and only they (plus the default)
    assert set(limits.rows) == set(SOURCES) | {"defaut"}
    assert limits.max_rows("insee-naissances") == 2_000_000
    assert limits.max_rows("eaje") < limits.max_rows("insee-naissances")
    assert limits.max_rows("inconnue") == limits.max_rows(None) == limits.rows["defaut"]
    assert french_size(limits.expanded_bytes) == "1 Go"
    assert french_size(limits.upload_bytes) == "100 Mo"
    assert french_size(1_782_579) == "1,7 Mo"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("taille_max_decompressee: -1", "taille_max_decompressee : entier positif attendu"),
        ("lignes_max: {eaje: 10}", "lignes_max : un dictionnaire"),
        ("lignes_max: {defaut: 10, eaje: dix}", "lignes_max.eaje : entier positif attendu"),
        ("taux_max_compression: 0.5", "taux_max_compression : nombre supérieur ou égal à 1"),
    ],
    ids=["taille-negative", "sans-defaut", "lignes-texte", "taux"],
)
def test_broken_limits_are_refused(tmp_path, monkeypatch, values, message):
    defaults = {
        "taille_max_televersement": "100",
        "taille_max_decompressee": "1000",
        "taux_max_compression": "100",
        "lignes_max": "{defaut: 10}",
    }
    key, value = values.split(": ", 1)
    defaults[key] = value
    text = "".join(
        f"{k}:\n  description: x\n  unit: u\n  reference: r\n  values:\n    2013-01-01: {v}\n"
        for k, v in defaults.items()
    )
    node = load_file(write(tmp_path, "fichiers.yaml", text))
    monkeypatch.setattr(limits_module, "load", lambda: {"fichiers": node})
    with pytest.raises(ParameterError, match=message):
        file_limits()


# --- gzip -------------------------------------------------------------------------------------


def test_gzip_bomb_stops_early_with_bounded_memory(tmp_path):
    """200 MB of zeros in about 200 KB: refused by the ratio (100) once 20 MB are inflated,
    never the 200 MB."""
    bomb = gzip_of_zeros(200 * MB)
    assert len(bomb) < 400_000
    path = write(tmp_path, "naissances.csv.gz", bomb)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(SourceError) as error:
            read_table(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 20  # a busy 2-core machine; about 0.2 s idle
    assert peak < 64 * MB
    text = error.value.french()
    assert text.startswith("Fichier « naissances.csv.gz » : archive anormalement compressée")
    assert "plus de 100 fois" in text and "archive piégée" in text
    assert text.endswith("Rien n'a été importé.")


def test_gzip_expanding_past_the_limit_is_refused(tmp_path):
    """A gzip CSV of 3 MB once expanded, with a limit of 1 MB: stopped after 1 MB."""
    rows = "".join(f"{n:05d};{n % 97}\n" for n in range(300_000))
    path = write(tmp_path, "grand.csv.gz", gzip.compress(("code;valeur\n" + rows).encode()))
    with pytest.raises(SourceError) as error:
        read_table(path, limits=small_limits(expanded=MB))
    text = error.value.french()
    assert "archive trop volumineuse une fois décompressée (plus de 1 Mo)" in text
    assert "attendu : au plus 1 Mo une fois décompressé" in text


NUMBERS = "".join(f"{n};{n * 7919 % 10007}\n" for n in range(2000)).encode()


@pytest.mark.parametrize(
    ("content", "found"),
    [
        (gzip.compress(NUMBERS)[:-30], "fichier tronqué"),
        (b"\x1f\x8b\x08\x00" + bytes(range(200)), "archive gzip corrompue"),
    ],
    ids=["tronque", "corrompu"],
)
def test_damaged_gzip_is_refused(tmp_path, content, found):
    path = write(tmp_path, "abime.csv.gz", content)
    with pytest.raises(SourceError, match="archive gzip corrompue") as error:
        read_table(path)
    assert found in error.value.french()


def test_gzip_of_several_members_is_read_whole(tmp_path):
    content = gzip.compress(b"code;valeur\n01;1\n") + gzip.compress(b"02;2\n")
    frame = read_table(write(tmp_path, "deux.csv.gz", content))
    assert frame["code"].tolist() == ["01", "02"]


def test_upload_past_the_limit_is_refused_before_reading(tmp_path):
    path = write(tmp_path, "lourd.csv", "code;valeur\n" + "01;1\n" * 1000)
    with pytest.raises(SourceError) as error:
        read_table(path, limits=small_limits(upload=1024))
    assert "fichier trop volumineux (plus de 1 Ko)" in error.value.french()
    assert "trouvé : « 4,9 Ko »" in error.value.french()


# --- zip and XLSX -----------------------------------------------------------------------------


def xlsx_bomb(sheet_size: int) -> bytes:
    """An XLSX-like archive whose sheet is ``sheet_size`` bytes of spaces, streamed in."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b" " * MB
            for _ in range(sheet_size // MB):
                sheet.write(block)
    return buffer.getvalue()


def test_xlsx_bomb_is_refused_before_openpyxl(tmp_path, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the workbook must not be opened")

    monkeypatch.setattr(reading, "_read_xlsx", never)
    path = write(tmp_path, "eaje.xlsx", xlsx_bomb(8 * MB))
    with pytest.raises(SourceError) as error:
        read_table(path, limits=small_limits(expanded=4 * MB))
    text = error.value.french()
    assert "archive trop volumineuse une fois décompressée (plus de 4 Mo)" in text
    assert "trouvé : « 8 Mo une fois décompressé (2 fichier(s)) »" in text


def test_xlsx_bomb_is_refused_by_its_ratio(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "_read_xlsx", lambda *a: pytest.fail("opened"))
    path = write(tmp_path, "eaje.xlsx", xlsx_bomb(20 * MB))
    with pytest.raises(SourceError) as error:
        read_table(path)  # default limits: 20 MB is below 1 GB, the ratio is about 1 000
    assert "archive anormalement compressée (plus de 100 fois" in error.value.french()


def test_zip_ratio_is_refused(tmp_path):
    csv = "code;valeur\n" + "01;1\n" * 200_000
    path = write(tmp_path, "base.zip", zip_of({"base.csv": csv}))
    with pytest.raises(SourceError) as error:
        read_table(path, limits=small_limits(ratio=10))
    text = error.value.french()
    assert "archive anormalement compressée (plus de 10 fois" in text
    assert "soit" in text and "fois" in text


def test_zip_with_one_csv_is_read_as_that_csv(tmp_path):
    content = zip_of(
        {
            "base-cc/": "",
            "base-cc/base_naissances.CSV": "code;valeur\n01001;3\n2A004;5\n",
            "base-cc/meta_base_naissances.CSV": "COD_VAR;LIB_VAR\ncode;Code\n",  # Insee
            "LISEZMOI.pdf": b"%PDF-1.4",
            "__MACOSX/base-cc/._base_naissances.CSV": b"\x00",
        }
    )
    frame = read_table(write(tmp_path, "base_naissances.zip", content))
    assert frame["code"].tolist() == ["01001", "2A004"]
    assert frame[LINE].tolist() == [2, 3]


def test_zip_with_one_workbook_is_read_as_that_workbook(tmp_path):
    workbook = io.BytesIO()
    pd.DataFrame({"code": ["01001", "02"], "valeur": ["3", "5"]}).to_excel(workbook, index=False)
    content = zip_of({"ircom_2022.xlsx": workbook.getvalue()})
    frame = read_table(write(tmp_path, "ircom_2022.zip", content))
    assert frame["code"].tolist() == ["01001", "02"]


def test_zip_with_two_csv_is_refused(tmp_path):
    content = zip_of({"naissances_2023.csv": "code\n01\n", "naissances_2024.csv": "code\n01\n"})
    with pytest.raises(SourceError) as error:
        read_table(write(tmp_path, "naissances.zip", content))
    text = error.value.french()
    assert "archive zip contenant 2 fichiers de données" in text
    assert "naissances_2023.csv, naissances_2024.csv" in text


def test_zip_without_data_is_refused(tmp_path):
    content = zip_of({"notice.pdf": b"%PDF-1.4", "carte.png": b"\x89PNG"})
    with pytest.raises(SourceError) as error:
        read_table(write(tmp_path, "documentation.zip", content))
    text = error.value.french()
    assert "archive zip sans fichier de données" in text
    assert "un seul fichier CSV, TXT, XLSX, XLS ou Parquet" in text
    assert "notice.pdf, carte.png" in text


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04" + bytes(100), zip_of({"a.csv": "code\n01\n"})[:-40]],
    ids=["entete", "tronquee"],
)
def test_damaged_zip_is_refused(tmp_path, content):
    with pytest.raises(SourceError) as error:
        read_table(write(tmp_path, "abime.xlsx", content))
    assert "archive zip ou classeur XLSX endommagé" in error.value.french()


# --- rows -------------------------------------------------------------------------------------


EAJE_ROWS = "annee;nom;code_commune;psu;places\n" + "2023;Crèche;44109;oui;40\n" * 6


def test_csv_over_the_row_limit_of_its_source_is_refused(tmp_path):
    path = write(tmp_path, "eaje.csv", EAJE_ROWS)
    limits = small_limits(rows={"eaje": 5}, default_rows=10)
    with pytest.raises(SourceError) as error:
        read_table(path, source="eaje", limits=limits)
    assert error.value.french() == (
        "Fichier « eaje.csv » : trop de lignes de données (plus de 5) (attendu : au plus 5 "
        "lignes pour cette source ; trouvé : « 6 lignes »). Rien n'a été importé."
    )
    assert len(read_table(path, source="qpv", limits=limits)) == 6  # the default: 10


def test_row_count_is_exact_past_the_quick_count(tmp_path):
    """Quoted line breaks and blank lines are not rows: 5 rows in 11 lines pass a limit of 5."""
    body = '2023;"Crèche\nA";44109;oui;40\n\n' * 5
    path = write(tmp_path, "eaje.csv", "annee;nom;code_commune;psu;places\n" + body)
    frame = read_table(path, source="eaje", limits=small_limits(rows={"eaje": 5}))
    assert len(frame) == 5


def test_row_limit_counts_large_numbers_in_french(tmp_path):
    path = write(tmp_path, "carreaux.csv", "id;ind_0_3\n" + "a;1\n" * 1500)
    with pytest.raises(SourceError) as error:
        read_table(path, limits=small_limits(default_rows=1200))
    assert "plus de 1\u202f200" in error.value.french()
    assert "« 1\u202f500 lignes »" in error.value.french()


def test_xlsx_and_parquet_over_the_row_limit_are_refused(tmp_path):
    frame = pd.DataFrame({"origine": ["44109"] * 6, "destination": ["44184"] * 6})
    frame.to_excel(tmp_path / "distancier.xlsx", index=False)
    frame.to_parquet(tmp_path / "distancier.parquet")
    limits = small_limits(rows={"distancier": 5})
    for name in ("distancier.xlsx", "distancier.parquet"):
        with pytest.raises(SourceError, match="trop de lignes de données") as error:
            read_table(tmp_path / name, source="distancier", limits=limits)
        assert "« 6 lignes »" in error.value.french()
        assert len(read_table(tmp_path / name, limits=limits)) == 6


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_reader_applies_the_row_limit_of_its_source(tmp_path, monkeypatch, source):
    """Each reader passes its source name: a limit of 2 rows for it alone refuses 3 rows."""
    limits = small_limits(rows={source: 2}, default_rows=1_000)
    monkeypatch.setattr(reading, "file_limits", lambda: limits)
    path = write(tmp_path, "fichier_2023.csv", "a;b\n1;2\n3;4\n5;6\n")
    with pytest.raises(SourceError, match="trop de lignes de données"):
        read_source(source, path, ReferenceCodes(by_level={}))


# --- the real files of ../shared/data under the default limits ---------------------------------

LARGEST = {
    # file: data rows (the largest gzip CSV files; zrr has the highest ratio, 7.1)
    "insee/iris_appartenance_2021.csv.gz": 49_406,
    "insee/filosofi2019_disp_com.csv.gz": 31_361,
    "insee/cog_commune_2021.csv.gz": 37_742,
    "insee/naissances_domiciliees_com_2008_2024.csv.gz": 34_871,
    "insee/populations_legales_2023_com.csv.gz": 34_904,
    "anct/zrr_communes_cog2017.csv.gz": 35_416,
    "caf/caf_allocataires_iris_2020.csv.gz": 13_444,
}


@pytest.mark.parametrize("relative", list(LARGEST))
def test_real_gzip_files_read_under_the_default_limits(relative):
    path = shared_file(relative)
    expanded = len(gzip.decompress(path.read_bytes()))
    limits = file_limits()
    assert expanded / path.stat().st_size < limits.compression_ratio / 10  # a wide margin
    assert len(read_table(path)) == LARGEST[relative]


def test_real_file_zipped_reads_through_its_reader(tmp_path, reference):
    """The commune births file as Insee would ship it: one CSV in a zip."""
    text = gzip.decompress(
        shared_file("insee/naissances_domiciliees_com_2008_2024.csv.gz").read_bytes()
    )
    path = write(tmp_path, "naissances_domiciliees_com_2008_2024.zip", zip_of({"nais.csv": text}))
    parsed = read_source("insee-naissances", path, reference, ignore_unknown=True)
    births = parsed.observations
    assert births[births[c.YEAR] == 2023][c.VALUE].sum() > 600_000


def test_real_file_as_xlsx_reads_under_the_default_limits(tmp_path):
    """A workbook made of a real Cnaf file: ratio about 10, far below 100."""
    frame = pd.read_csv(
        shared_file("caf/txcouv_pe_com_2020_2022.csv.gz"), dtype=str, keep_default_na=False
    )
    path = tmp_path / "txcouv_pe_com_2020_2022.xlsx"
    frame.to_excel(path, index=False)
    with zipfile.ZipFile(path) as archive:
        expanded = sum(member.file_size for member in archive.infolist())
    assert expanded / path.stat().st_size < 20
    read = read_table(path, source="caf-couverture")
    assert len(read) == 3_141
    assert read["numero_commune"].iloc[0] == frame["numero_commune"].iloc[0]


def test_csv_the_csv_module_cannot_split_is_refused_in_french(tmp_path):
    path = write(tmp_path, "long.csv", 'code;nom\n01;"' + "x" * 200_000 + '"\n')
    with pytest.raises(SourceError) as error:
        read_table(path)
    assert "ligne 2 : ligne CSV illisible" in error.value.french()
