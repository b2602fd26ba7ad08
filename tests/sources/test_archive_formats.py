"""Files read as downloaded: an old Excel ``.xls`` workbook, a ``.zip`` holding an ``.xls`` or an
``.xlsx``, a ``.7z`` archive (Insee ships its grids so), within the same size and ratio bounds
as gzip and zip (7z bombs refused in French)."""

from __future__ import annotations

import io
import zipfile

import py7zr
import pytest

from sdsf.sources.errors import SourceError
from sdsf.sources.reading import LINE, read_table
from sdsf.sources.registry import read_source
from tests.sources.test_ircom_layout import MAYENNE, OVERSEAS, check, grid, write_workbook
from tests.sources.test_limits import MB, small_limits

xlwt = pytest.importorskip("xlwt")  # a dev dependency: writes real BIFF8 workbooks


def write_xls(path, sheets):
    """An Excel 97-2003 workbook as the DGFiP publishes IRCOM: numbers as numbers, codes with
    letters or leading zeros as text."""
    book = xlwt.Workbook()
    for title, rows in sheets.items():
        sheet = book.add_sheet(title)
        for i, row in enumerate(grid(rows)):
            for j, value in enumerate(row):
                digits = value.replace(" ", "")
                cell = int(digits) if digits.isdigit() and not digits.startswith("0") else value
                sheet.write(i, j, cell)
    book.save(str(path))


def zipped(path, member, data: bytes):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    path.write_bytes(buffer.getvalue())
    return path


def test_ircom_xls_workbook(reference, tmp_path):
    path = tmp_path / "ircom_2022.xls"
    write_xls(path, {"53": MAYENNE, "971": OVERSEAS})
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    check(read_source("dgfip-ircom", path, reference))


def test_zip_holding_an_xls(reference, tmp_path):
    xls = tmp_path / "ircom_2022_53.xls"
    write_xls(xls, {"53": MAYENNE + OVERSEAS})
    path = zipped(tmp_path / "ircom_2022.zip", "ircom_2022/53.xls", xls.read_bytes())
    check(read_source("dgfip-ircom", path, reference))


def test_zip_holding_an_xlsx(reference, tmp_path):
    xlsx = tmp_path / "53.xlsx"
    write_workbook(xlsx, {"53": MAYENNE, "971": OVERSEAS})
    path = zipped(tmp_path / "ircom_2022.zip", "53.xlsx", xlsx.read_bytes())
    check(read_source("dgfip-ircom", path, reference))


def test_plain_xls_table_with_its_header_on_line_1(tmp_path):
    book = xlwt.Workbook()
    sheet = book.add_sheet("données")
    for i, row in enumerate([["code", "valeur"], ["01001", 3], ["2A004", 2.5]]):
        for j, value in enumerate(row):
            sheet.write(i, j, value)
    path = tmp_path / "table.xls"
    book.save(str(path))
    frame = read_table(path)
    assert frame["code"].tolist() == ["01001", "2A004"]
    assert frame["valeur"].tolist() == ["3", "2.5"]
    assert frame[LINE].tolist() == [2, 3]


def seven_zip(path, members: dict[str, bytes]):
    with py7zr.SevenZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(data, name)
    return path


def test_7z_holding_a_csv(tmp_path):
    path = seven_zip(tmp_path / "grille.7z", {"grille/carreaux.csv": b"code;valeur\n01001;3\n"})
    frame = read_table(path)
    assert frame["code"].tolist() == ["01001"]


def test_7z_holding_an_ircom_workbook(reference, tmp_path):
    xlsx = tmp_path / "53.xlsx"
    write_workbook(xlsx, {"53": MAYENNE, "971": OVERSEAS})
    path = seven_zip(tmp_path / "ircom_2022.7z", {"53.xlsx": xlsx.read_bytes()})
    check(read_source("dgfip-ircom", path, reference))


def test_7z_bomb_is_refused_by_its_expanded_size(tmp_path):
    path = seven_zip(tmp_path / "grille.7z", {"carreaux.csv": b"code;valeur\n" + b"0" * 3 * MB})
    with pytest.raises(SourceError) as error:
        read_table(path, limits=small_limits(expanded=MB))
    text = error.value.french()
    assert "archive trop volumineuse une fois décompressée (plus de 1 Mo)" in text
    assert "Rien n'a été importé" in text


def test_7z_bomb_is_refused_by_its_ratio(tmp_path):
    path = seven_zip(tmp_path / "grille.7z", {"carreaux.csv": b"code;valeur\n" + b" " * 4 * MB})
    with pytest.raises(SourceError, match=r"archive anormalement compressée \(plus de 100 fois"):
        read_table(path, limits=small_limits(expanded=64 * MB, ratio=100))


def test_7z_with_two_data_files_is_refused(tmp_path):
    path = seven_zip(tmp_path / "grilles.7z", {"a.csv": b"code\n01\n", "b.csv": b"code\n02\n"})
    with pytest.raises(SourceError, match="archive 7z contenant 2 fichiers de données"):
        read_table(path)


def test_damaged_7z_is_refused(tmp_path):
    good = seven_zip(tmp_path / "grille.7z", {"a.csv": b"code;valeur\n01001;3\n" * 50})
    path = tmp_path / "abime.7z"
    path.write_bytes(good.read_bytes()[:40])
    with pytest.raises(SourceError, match="archive 7z"):
        read_table(path)
