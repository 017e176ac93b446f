"""The rejected-rows report: formula-injection escaping, CSV and XLSX output, and resubmitting it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from xinyong.core.spreadsheet import escape_cell
from xinyong.intake.export import write_rejected_csv, write_rejected_xlsx
from xinyong.intake.files import open_rows

HEADER = ["CF_WSH", "CF_XDR_MC", "CF_NR_FK"]
DANGEROUS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tX", "\rX"]
ERRORS = [
    {"field": "CF_NR_FK", "code": "value.number", "message": "罚款金额应为数值（万元）"},
    {"field": "", "code": "row.duplicate", "message": "与第 2 行重复"},
]


def rejected() -> list[tuple[int, dict, list[dict]]]:
    return [
        (
            3,
            {"CF_WSH": "京市监罚〔2024〕1号", "CF_XDR_MC": "北京某某科技有限公司", "CF_NR_FK": "-3.5"},
            ERRORS,
        ),
        (7, {"CF_WSH": '=HYPERLINK("http://x")', "CF_XDR_MC": None}, [ERRORS[0]]),
    ]


@pytest.mark.parametrize("value", DANGEROUS)
def test_dangerous_prefixes_are_escaped(value: str) -> None:
    assert escape_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("", ""),
        ("北京某某科技有限公司", "北京某某科技有限公司"),
        ("1=1", "1=1"),
        (" =1", " =1"),
        (12, "12"),
    ],
)
def test_safe_values_are_unchanged(value: object, text: str) -> None:
    assert escape_cell(value) == text


def test_negative_amounts_are_escaped_too_as_the_rule_says() -> None:
    assert (escape_cell("-3.5"), escape_cell(-3.5)) == ("'-3.5", "'-3.5")


def test_csv_report_has_row_number_original_columns_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "rejected.csv"

    count = write_rejected_csv(path, HEADER, rejected())

    data = path.read_bytes()
    assert count == 2
    assert data.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))) == [
        ["行号", "CF_WSH", "CF_XDR_MC", "CF_NR_FK", "错误"],
        [
            "3",
            "京市监罚〔2024〕1号",
            "北京某某科技有限公司",
            "'-3.5",
            "CF_NR_FK：罚款金额应为数值（万元）；与第 2 行重复",
        ],
        ["7", '\'=HYPERLINK("http://x")', "", "", "CF_NR_FK：罚款金额应为数值（万元）"],
    ]


def test_csv_report_escapes_every_dangerous_prefix(tmp_path: Path) -> None:
    rows = [(i + 2, {"v": value}, []) for i, value in enumerate(DANGEROUS)]
    path = tmp_path / "rejected.csv"

    write_rejected_csv(path, ["v"], rows)

    with path.open(encoding="utf-8-sig", newline="") as f:
        cells = [row[1] for row in csv.reader(f)][1:]
    assert cells == ["'" + value for value in DANGEROUS]


def test_csv_report_to_a_text_stream_starts_with_the_bom() -> None:
    stream = io.StringIO()

    write_rejected_csv(stream, ["=evil"], [(2, {"=evil": "x"}, [{"field": "=evil", "message": "未知字段"}])])

    assert stream.getvalue() == "\ufeff行号,'=evil,错误\r\n2,x,'=evil：未知字段\r\n"


def test_csv_report_can_be_fixed_and_read_back_as_a_submission(tmp_path: Path) -> None:
    path = tmp_path / "rejected.csv"
    write_rejected_csv(path, HEADER, rejected())

    info, rows = open_rows(path)

    assert (info.encoding, info.header) == ("utf-8-sig", ["行号", *HEADER, "错误"])
    assert next(rows) == (
        2,
        {
            "行号": "3",
            "CF_WSH": "京市监罚〔2024〕1号",
            "CF_XDR_MC": "北京某某科技有限公司",
            "CF_NR_FK": "'-3.5",
            "错误": "CF_NR_FK：罚款金额应为数值（万元）；与第 2 行重复",
        },
    )


def test_xlsx_report_escapes_every_cell_and_keeps_the_columns(tmp_path: Path) -> None:
    rows = [(i + 2, {"v": value}, [{"field": "v", "message": "错误"}]) for i, value in enumerate(DANGEROUS)]
    path = tmp_path / "rejected.xlsx"

    count = write_rejected_xlsx(path, ["v"], rows)

    sheet = openpyxl.load_workbook(path).active
    assert (count, sheet.title) == (6, "退回的行")
    assert [(cell.value, cell.font.b) for cell in sheet[1]] == [("行号", True), ("v", True), ("错误", True)]
    for row in sheet.iter_rows(min_row=2):
        assert isinstance(row[0].value, int)
        assert all(cell.data_type == "s" and cell.value.startswith("'") for cell in row[1:2])
        assert row[2].value == "v：错误"
    assert [row[1] for row in open_rows(path)[1]] == [
        {"行号": str(i + 2), "v": "'" + value, "错误": "v：错误"} for i, value in enumerate(DANGEROUS)
    ]


def test_xlsx_report_keeps_control_characters_and_literal_escapes(tmp_path: Path) -> None:
    texts = ["控制\x01字符", "a\r\nb", "_x0041_ 不是 A", "制表\t符"]
    path = tmp_path / "rejected.xlsx"
    write_rejected_xlsx(path, ["v"], [(i + 2, {"v": text}, []) for i, text in enumerate(texts)])

    assert [row["v"] for _, row in open_rows(path)[1]] == texts


def test_xlsx_report_can_be_read_back_as_a_submission(tmp_path: Path) -> None:
    path = tmp_path / "rejected.xlsx"
    write_rejected_xlsx(path, HEADER, rejected())

    info, rows = open_rows(path)

    assert info.header == ["行号", *HEADER, "错误"]
    assert list(rows)[1] == (
        3,
        {
            "行号": "7",
            "CF_WSH": '\'=HYPERLINK("http://x")',
            "CF_XDR_MC": None,
            "CF_NR_FK": None,
            "错误": "CF_NR_FK：罚款金额应为数值（万元）",
        },
    )
