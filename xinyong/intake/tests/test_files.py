"""Reading submission files: CSV encodings, JSON Lines, limits and flat memory (XLSX: test_xlsx.py)."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from xinyong.intake.files import FileInfo, FileRefused, open_rows
from xinyong.intake.jsonl import rows_from_json_list
from xinyong.intake.rows import EXTRA_KEY

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
