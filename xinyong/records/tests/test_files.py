"""Reading submission files: CSV encodings, XLSX guards, JSON Lines, limits and flat memory."""

from __future__ import annotations

import datetime
import json
import os
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xinyong.records import files
from xinyong.records.files import EXTRA_KEY, FileInfo, FileRefused, open_rows, rows_from_json_list

GBK_TEXT = "行政相对人名称,统一社会信用代码\n北京某某科技有限公司,91110000802100433B\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_all(path: Path, **limits: int) -> tuple[FileInfo, list[tuple[int, dict]]]:
    info, rows = open_rows(path, **limits)
    return info, list(rows)


def refusal(path: Path, **limits: int) -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        read_all(path, **limits)
    return caught.value


# --- CSV encodings ------------------------------------------------------------------------------------------


def test_utf8_csv_without_bom_round_trips(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", GBK_TEXT.encode("utf-8"))

    info, rows = read_all(path)

    assert info == FileInfo(
        "csv", "utf-8", ["行政相对人名称", "统一社会信用代码"], len(GBK_TEXT.encode("utf-8"))
    )
    assert rows == [(2, {"行政相对人名称": "北京某某科技有限公司", "统一社会信用代码": "91110000802100433B"})]


def test_utf8_csv_with_bom_is_utf8_sig_and_the_bom_is_not_in_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", GBK_TEXT.encode("utf-8-sig"))

    info, rows = read_all(path)

    assert (info.encoding, info.header) == ("utf-8-sig", ["行政相对人名称", "统一社会信用代码"])
    assert rows[0][1]["行政相对人名称"] == "北京某某科技有限公司"


def test_gbk_csv_is_read_and_reported_as_gb18030(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", GBK_TEXT.encode("gbk"))

    info, rows = read_all(path)

    assert (info.format, info.encoding, info.header) == (
        "csv",
        "gb18030",
        ["行政相对人名称", "统一社会信用代码"],
    )
    assert rows == [(2, {"行政相对人名称": "北京某某科技有限公司", "统一社会信用代码": "91110000802100433B"})]


def test_gb18030_csv_with_characters_outside_gbk(tmp_path: Path) -> None:
    text = "行政相对人名称,法定代表人\n成都𠮷野家餐饮有限公司,阿不都·热合曼\n上海某某贸易有限公司,王堃\n"
    path = write(tmp_path, "a.csv", text.encode("gb18030"))

    info, rows = read_all(path)

    assert info.encoding == "gb18030"
    assert rows == [
        (2, {"行政相对人名称": "成都𠮷野家餐饮有限公司", "法定代表人": "阿不都·热合曼"}),
        (3, {"行政相对人名称": "上海某某贸易有限公司", "法定代表人": "王堃"}),
    ]


def test_cp1252_csv_is_refused_with_the_first_bad_byte_offset(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "Name,City\nMüller,café\n".encode("cp1252"))

    error = refusal(path)

    assert error.code == "file.encoding_undecided"
    assert "UTF-8——字节偏移 11 处：字节 0xFC 不是有效的 UTF-8" in error.message
    assert "GB18030——字节偏移 20 处：字节 0xE9 不是有效的 GB18030" in error.message
    assert error.details == {"tried": ["UTF-8", "GB18030"], "offset": 11}


def test_latin1_csv_that_happens_to_decode_as_gbk_is_refused_not_mangled(tmp_path: Path) -> None:
    # "ü" + "l" and "é" + "b" are valid GBK pairs (rare hanzi): the text decodes, but does not look Chinese.
    data = "Name,City\nMüller,Cafébar\n".encode("latin-1")
    assert data.decode("gb18030") == "Name,City\nM黮ler,Caf閎ar\n"
    path = write(tmp_path, "a.csv", data)

    error = refusal(path)

    assert error.code == "file.encoding_undecided"
    assert "GB18030——字节偏移 11 处：能解码，但非 ASCII 字符中只有 0% 是常用汉字或中文标点" in error.message
    assert error.details["offset"] == 11


def test_utf16_csv_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", GBK_TEXT.encode("utf-16"))

    error = refusal(path)

    assert (error.code, error.details) == ("file.encoding_undecided", {"tried": ["utf-16"], "offset": 0})


def test_bom_followed_by_invalid_utf8_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "名称\n".encode("utf-8-sig") + "北京".encode("gbk") + b"\n")

    error = refusal(path)

    assert error.code == "file.encoding_undecided"
    assert "UTF-8（带 BOM）——字节偏移 10 处：字节 0xB1 不是有效的 UTF-8" in error.message


def test_multibyte_character_split_across_read_chunks_is_decoded(tmp_path: Path) -> None:
    line = "北京某某科技有限公司,91110000802100433B\n"
    text = "行政相对人名称,统一社会信用代码\n" + line * 40_000  # several 256 KiB scan chunks
    path = write(tmp_path, "a.csv", text.encode("gbk"))

    info, rows = read_all(path)

    assert (info.encoding, len(rows), rows[-1][0]) == ("gb18030", 40_000, 40_001)


# --- CSV shape ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n", b" , ,\n,\n"])
def test_empty_csv_is_refused(tmp_path: Path, data: bytes) -> None:
    assert refusal(write(tmp_path, "a.csv", data)).code == "file.empty"


def test_header_only_csv_has_no_rows(tmp_path: Path) -> None:
    info, rows = read_all(write(tmp_path, "a.csv", b"a,b\n"))

    assert (info.header, rows) == (["a", "b"], [])


def test_duplicate_header_is_refused_naming_both_cells(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "a.csv", "决定书文号, 决定日期 ,决定书文号\n1,2,3\n".encode()))

    assert error.code == "file.header_duplicate"
    assert error.message == "表头列名“决定书文号”重复（A1 和 C1），请删除或改名后重新上传。"


def test_empty_header_cell_is_refused_but_trailing_empty_cells_are_dropped(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "a.csv", b"a,,c\n1,2,3\n"))
    info, _ = read_all(write(tmp_path, "b.csv", b"a,b,,\n1,2\n"))

    assert (error.code, error.details) == ("file.header_missing", {"cell": "B1"})
    assert info.header == ["a", "b"]


def test_short_rows_get_none_and_long_rows_keep_their_extra_cells(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"a,b,c\n1\n1,2,3,4,,5\n1,2,3,,\n")

    _, rows = read_all(path)

    assert rows == [
        (2, {"a": "1", "b": None, "c": None}),
        (3, {"a": "1", "b": "2", "c": "3", EXTRA_KEY: ["4", "", "5"]}),
        (4, {"a": "1", "b": "2", "c": "3"}),
    ]


def test_values_are_stripped_blank_rows_skipped_and_row_numbers_are_those_of_the_sheet(
    tmp_path: Path,
) -> None:
    text = '\n名称,备注\n  甲公司\u3000, \n\n,\n乙公司,"第一行\n第二行"\n丙公司,"引号""内"\n'
    path = write(tmp_path, "a.csv", text.encode("utf-8"))

    info, rows = read_all(path)

    assert info.header == ["名称", "备注"]
    assert rows == [
        (3, {"名称": "甲公司", "备注": None}),
        (6, {"名称": "乙公司", "备注": "第一行\n第二行"}),
        (7, {"名称": "丙公司", "备注": '引号"内'}),
    ]


def test_unclosed_quote_refuses_the_file_instead_of_swallowing_it(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b'a,b\n1,2\n3,"4\n5,6\n')

    error = refusal(path)

    assert (error.code, error.details) == ("file.csv_invalid", {"row": 3})


def test_file_over_max_bytes_is_refused_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b"\xff" * 101)  # not even decodable: the size is checked first

    error = refusal(path, max_bytes=100)

    assert (error.code, error.details) == ("file.too_large", {"size": 101, "limit": 100})


def test_too_many_rows_is_refused_at_the_first_row_over_the_limit(tmp_path: Path) -> None:
    info, rows = open_rows(write(tmp_path, "a.csv", b"a\n1\n\n2\n3\n"), max_rows=2)

    assert next(rows) == (2, {"a": "1"})
    assert next(rows) == (4, {"a": "2"})
    with pytest.raises(FileRefused) as caught:
        next(rows)
    assert (caught.value.code, caught.value.details) == ("file.too_many_rows", {"row": 5, "limit": 2})


@pytest.mark.parametrize("name", ["a.xls", "a.txt", "a"])
def test_unknown_extension_is_refused(tmp_path: Path, name: str) -> None:
    assert refusal(write(tmp_path, name, b"a\n1\n")).code == "file.format_unknown"


def test_explicit_format_overrides_the_extension(tmp_path: Path) -> None:
    info, rows = open_rows(write(tmp_path, "upload.tmp", b"a\n1\n"), format="csv")

    assert (info.format, list(rows)) == ("csv", [(2, {"a": "1"})])


def test_memory_stays_flat_while_reading_200k_rows(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("行政相对人名称,统一社会信用代码,决定日期,处罚内容\n")
        f.writelines(
            f"北京某某科技有限公司{i},91110000802100433B,2024-03-05,罚款{i}元\n" for i in range(200_000)
        )
    assert path.stat().st_size > 15 * 2**20

    tracemalloc.start()
    try:
        info, rows = open_rows(path)
        count = sum(1 for _ in rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert (info.encoding, count) == ("utf-8", 200_000)
    assert peak < 3 * 2**20  # about 1.7 MB: one scan chunk and one row, whatever the row count


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
    monkeypatch.setattr(files, "_ZIP_MAX_DIRECTORY", 1000)
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


# --- JSON Lines ---------------------------------------------------------------------------------------------


def test_jsonl_rows_keep_numbers_as_written(tmp_path: Path) -> None:
    lines = [
        '{"CF_WSH": " 京市监罚〔2024〕1号 ", "CF_NR_FK": 0.50, "count": 3, "ok": true, "note": null}',
        "",
        '{"CF_WSH": "京市监罚〔2024〕2号", "CF_NR_FK": 1e2, "extra": ""}',
        '{"CF_WSH": "", "note": null}',
        "   ",
    ]
    path = write(tmp_path, "a.jsonl", ("\n".join(lines) + "\n").encode("utf-8-sig"))

    info, rows = read_all(path)

    assert info == FileInfo(
        "jsonl", "utf-8-sig", ["CF_WSH", "CF_NR_FK", "count", "ok", "note"], path.stat().st_size
    )
    assert rows == [
        (1, {"CF_WSH": "京市监罚〔2024〕1号", "CF_NR_FK": "0.50", "count": "3", "ok": "true", "note": None}),
        (3, {"CF_WSH": "京市监罚〔2024〕2号", "CF_NR_FK": "1e2", "extra": None}),
    ]


def test_ndjson_extension_is_json_lines(tmp_path: Path) -> None:
    info, rows = read_all(write(tmp_path, "a.ndjson", b'{"a": "1"}\r\n'))

    assert (info.format, info.encoding, rows) == ("jsonl", "utf-8", [(1, {"a": "1"})])


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"a": "1"', "不是有效的 JSON"),
        (b'["a", "1"]', "不是 JSON 对象"),
        (b'{"a": {"b": 1}}', "字段“a”是嵌套的对象或数组"),
        (b'{"a": [1]}', "字段“a”是嵌套的对象或数组"),
        (b'{"a": 1, "a": 2}', "字段“a”重复出现"),
        (b'{"a": NaN}', "含非标准 JSON 值 NaN"),
        ('{"a": "北京"}'.encode("gbk"), "不是有效的 UTF-8"),
    ],
)
def test_bad_jsonl_line_refuses_the_file_naming_the_line(tmp_path: Path, line: bytes, reason: str) -> None:
    path = write(tmp_path, "a.jsonl", b'{"a": "1"}\n\n' + line + b"\n")
    info, rows = open_rows(path)

    assert next(rows) == (1, {"a": "1"})
    with pytest.raises(FileRefused) as caught:
        next(rows)
    assert caught.value.code == "file.jsonl_invalid"
    assert caught.value.message.startswith("第 3 行")
    assert reason in caught.value.message


def test_empty_jsonl_is_refused(tmp_path: Path) -> None:
    assert refusal(write(tmp_path, "a.jsonl", b"\n{}\n")).code == "file.empty"


# --- API rows -----------------------------------------------------------------------------------------------


def test_api_rows_are_numbered_from_zero_and_shaped_like_file_rows() -> None:
    posted = json.loads('[{"a": " x ", "n": 1, "f": 0.5, "big": 1e20, "b": false}, {}, {"a": null}]')

    assert list(rows_from_json_list(posted)) == [
        (0, {"a": "x", "n": "1", "f": "0.5", "big": "100000000000000000000", "b": "false"}),
        (1, {}),
        (2, {"a": None}),
    ]


@pytest.mark.parametrize(
    ("posted", "text"), [([{"a": 1}, "x"], "第 1 条（从 0 起）"), ([{"a": [1]}], "字段“a”")]
)
def test_api_item_that_is_not_a_flat_object_is_refused(posted: list, text: str) -> None:
    with pytest.raises(FileRefused) as caught:
        list(rows_from_json_list(posted))

    assert caught.value.code == "rows.item_invalid"
    assert text in caught.value.message
