"""Reading uploaded XLSX workbooks (intake/xlsx.py): values, formulas, rounded numbers, zip bombs."""

from __future__ import annotations

import datetime
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xinyong.intake import xlsx
from xinyong.intake.files import FileInfo, FileRefused, open_rows
from xinyong.intake.tests.test_files import read_all, refusal, write

# --- XLSX ---------------------------------------------------------------------------------------------------


def make_xlsx(tmp_path: Path, rows: list[list[object]], name: str = "a.xlsx") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_xlsx_values_dates_numbers_and_text_codes(tmp_path: Path) -> None:
    header = ["代码", "整数", "小数", "整值小数", "舍入", "极小", "决定日期", "时刻", "布尔", "空", "文本"]
    row = ["01", 42, 3.5, 12.0, 0.1 + 0.2, 1e-7, datetime.date(2024, 3, 5)]
    row += [datetime.datetime(2024, 3, 5, 14, 30), True, None, "  北京某某科技有限公司 "]
    path = make_xlsx(tmp_path, [header, row, [None] * 3, ["02"]])

    info, rows = read_all(path)

    assert info == FileInfo("xlsx", "", header, path.stat().st_size)
    assert rows == [
        (
            2,
            {
                "代码": "01",
                "整数": "42",
                "小数": "3.5",
                "整值小数": "12",
                "舍入": "0.3",
                "极小": "0.0000001",
                "决定日期": "2024-03-05",
                "时刻": "2024-03-05 14:30:00",
                "布尔": "true",
                "空": None,
                "文本": "北京某某科技有限公司",
            },
        ),
        (4, {"代码": "02"} | dict.fromkeys(header[1:])),
    ]


def test_xlsx_formula_is_refused_naming_the_cell(tmp_path: Path) -> None:
    rows = [["a", "b", "c", "d"]] + [[1, 2, 3, 4]] * 3 + [[1, 2, 3, "=SUM(A5:C5)"]]
    info, stream = open_rows(make_xlsx(tmp_path, rows))

    assert [number for number, _ in (next(stream), next(stream), next(stream))] == [2, 3, 4]
    with pytest.raises(FileRefused) as caught:
        next(stream)
    assert caught.value.code == "file.xlsx_formula"
    assert caught.value.message == "单元格 D5 含公式，平台不计算公式，请粘贴为数值后重新上传。"


def test_xlsx_text_that_starts_with_equals_is_not_a_formula(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["备注"])
    cell = workbook.active.cell(row=2, column=1, value="=A1")
    cell.data_type = "s"  # typed as text, as Excel stores '=A1
    path = tmp_path / "a.xlsx"
    workbook.save(path)

    assert read_all(path)[1] == [(2, {"备注": "=A1"})]


def test_xlsx_number_excel_may_have_rounded_is_refused(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path, [["身份证号"], [110105199001011008.0]])

    error = refusal(path)

    assert (error.code, error.details) == ("file.xlsx_number_precision", {"cell": "A2"})


def test_xlsx_with_a_wrong_stored_dimension_is_read_whole(tmp_path: Path) -> None:
    source = make_xlsx(tmp_path, [["a", "b"], [1, 2], [3, 4]], "src.xlsx")
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:B3"/>', b'<dimension ref="A1"/>')
            new.writestr(item, data)

    assert read_all(path)[1] == [(2, {"a": "1", "b": "2"}), (3, {"a": "3", "b": "4"})]


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files through /proc")
def test_xlsx_file_is_released_when_the_rows_are_closed_or_the_file_is_refused_midway(tmp_path: Path) -> None:
    good = make_xlsx(tmp_path, [["a"], [1], [2]], "good.xlsx")
    bad = make_xlsx(tmp_path, [["a"], [1], ["=1+1"]], "bad.xlsx")
    before = open_descriptors()

    _, rows = open_rows(good)
    next(rows)
    assert open_descriptors() > before
    rows.close()
    assert open_descriptors() == before
    with pytest.raises(FileRefused):
        read_all(bad)
    assert open_descriptors() == before


def test_empty_xlsx_is_refused(tmp_path: Path) -> None:
    assert refusal(make_xlsx(tmp_path, [])).code == "file.empty"


def bomb(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * size)
    return path


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl must not open this file")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


@pytest.mark.usefixtures("no_openpyxl")
def test_xlsx_over_the_uncompressed_limit_is_refused_before_openpyxl(tmp_path: Path) -> None:
    path = bomb(tmp_path, 3 * 2**20)
    assert path.stat().st_size < 20_000

    error = refusal(path, max_uncompressed=2**20)

    assert error.code == "file.xlsx_uncompressed_too_large"
    assert error.details == {"uncompressed": 3 * 2**20 + len("<Types/>"), "limit": 2**20}


@pytest.mark.usefixtures("no_openpyxl")
def test_xlsx_member_with_an_absurd_compression_ratio_is_refused_before_openpyxl(tmp_path: Path) -> None:
    error = refusal(bomb(tmp_path, 8 * 2**20))

    assert (error.code, error.details) == (
        "file.xlsx_uncompressed_too_large",
        {"member": "xl/worksheets/sheet1.xml"},
    )


@pytest.mark.usefixtures("no_openpyxl")
@pytest.mark.parametrize("data", [b"a,b\n1,2\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100])
def test_xlsx_that_is_not_a_zip_is_refused(tmp_path: Path, data: bytes) -> None:
    assert refusal(write(tmp_path, "a.xlsx", data)).code == "file.xlsx_invalid"


def test_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refusal(path).code == "file.xlsx_invalid"


@pytest.mark.usefixtures("no_openpyxl")
def test_zip_with_a_huge_directory_is_refused_before_listing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx, "_ZIP_MAX_DIRECTORY", 1000)
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(30):
            archive.writestr(f"xl/media/image{i:04}.png", b"")
    monkeypatch.setattr(zipfile.ZipFile, "infolist", None)  # listing it would fail the test

    error = refusal(path)

    assert (error.code, error.message) == (
        "file.xlsx_invalid",
        "文件不是有效的 .xlsx（压缩包目录异常庞大）。",
    )


def test_damaged_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
    assert refusal(path).code == "file.xlsx_invalid"
