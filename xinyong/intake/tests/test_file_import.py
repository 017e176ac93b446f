"""File imports through the real path: encodings, XLSX guards, header check, replay, CLI and its report."""

import csv
import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from tests.support.records import NOW, xk_row
from xinyong.accounts.models import Unit
from xinyong.catalog.models import Category
from xinyong.core.errors import DomainError
from xinyong.intake.models import Submission
from xinyong.intake.services import submission_import_file
from xinyong.records.models import Record
from xinyong.subjects.identifiers import uscc_make

pytestmark = pytest.mark.django_db


def _csv(path, rows, encoding):
    header = list(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _import(officer, path, **kw):
    unit = Unit.objects.get(code=officer.unit_code)
    return submission_import_file(
        actor=officer, unit=unit, category=Category.objects.get(code="XK"), path=path, now=NOW, **kw
    )


@pytest.mark.parametrize(
    "encoding,reported", [("gbk", "gb18030"), ("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8")]
)
def test_csv_encodings_detected_and_reported(officer, tmp_path, encoding, reported):
    rows = [xk_row(), xk_row(XK_WSH="京工商许字〔2026〕第002号", XK_XKLB="99")]
    outcome, info = _import(officer, _csv(tmp_path / "xk.csv", rows, encoding))
    assert info.encoding == reported
    sub = outcome.submission
    assert (sub.total, sub.accepted, sub.rejected, sub.file_encoding, sub.channel) == (
        2,
        1,
        1,
        reported,
        "file",
    )
    assert Record.objects.get().subject_name == "北京华信科技有限公司"
    assert sub.rejected_rows.get().row_index == 3  # the row number the unit sees in its sheet


def test_undecidable_encoding_is_refused_and_nothing_written(officer, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("XK_XDR_MC,XK_NR\nMüller,café\n".encode("latin-1"))
    with pytest.raises(DomainError) as err:
        _import(officer, path)
    assert err.value.code == "file.encoding_undecided"
    assert Submission.objects.count() == 0


def test_unknown_columns_refuse_the_file(officer, tmp_path):
    path = _csv(tmp_path / "xk.csv", [{**xk_row(), "公司名称": "x"}], "utf-8")
    with pytest.raises(DomainError) as err:
        _import(officer, path)
    assert (err.value.code, err.value.extra["columns"]) == ("file.unknown_columns", ["公司名称"])


def test_xlsx_import_and_formula_refusal(officer, tmp_path):
    wb = Workbook()
    sheet = wb.active
    row = xk_row()
    sheet.append(list(row))
    sheet.append(list(row.values()))
    wb.save(tmp_path / "ok.xlsx")
    outcome, info = _import(officer, tmp_path / "ok.xlsx")
    assert (info.format, outcome.submission.accepted) == ("xlsx", 1)
    sheet.append([*list(row.values())[:-1], "=1+1"])
    wb.save(tmp_path / "formula.xlsx")
    with pytest.raises(DomainError) as err:
        _import(officer, tmp_path / "formula.xlsx")
    assert err.value.code == "file.xlsx_formula"
    assert "P3" in err.value.message
    assert Submission.objects.count() == 1  # the formula file left nothing behind


def test_oversize_xlsx_is_refused_before_unpacking(officer, tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "0" * (300 * 2**20))
    with pytest.raises(DomainError) as err:
        _import(officer, path)
    assert err.value.code == "file.xlsx_uncompressed_too_large"


def test_same_file_twice_is_a_replay(officer, tmp_path):
    path = _csv(tmp_path / "xk.csv", [xk_row()], "utf-8")
    first, _ = _import(officer, path)
    again, _ = _import(officer, path)
    assert (again.replayed, again.submission.pk, Record.objects.count()) == (True, first.submission.pk, 1)


def test_cli_import_prints_a_summary_and_writes_rejected_rows(officer, tmp_path):
    rows = [xk_row(), xk_row(XK_WSH="2", XK_XKLB="99"), xk_row(XK_WSH="3", XK_JDRQ="2026-02-30")]
    path = _csv(tmp_path / "xk.csv", rows, "gbk")
    out = io.StringIO()
    with pytest.raises(CommandError) as rejected:
        call_command(
            "import_file",
            str(path),
            "--category",
            "XK",
            "--unit",
            "市工商局",
            "--rejected-out",
            str(tmp_path / "back.xlsx"),
            stdout=out,
        )
    assert (rejected.value.returncode, str(rejected.value)) == (1, "2 行被退回，其余 1 行已导入")
    text = out.getvalue()
    assert "市工商局 → XK 行政许可信息（csv，编码 gb18030）" in text
    assert "  接收                 1" in text and "  退回                 2" in text
    assert "1  XK_XKLB code.not_allowed" in text and "1  XK_JDRQ date.invalid" in text
    sheet = load_workbook(tmp_path / "back.xlsx").active
    values = list(sheet.values)
    assert values[0][0] == "行号" and values[0][-1] == "错误"
    assert [v[0] for v in values[1:]] == [3, 4]


def test_cli_import_counts_rows_accepted_with_a_warning(officer, tmp_path):
    odd = xk_row(XK_WSH="2", XK_XDR_MC="北京远方科技有限公司", XK_XDR_SHXYM=uscc_make("91119999MA01ABCD"))
    path = _csv(tmp_path / "xk.csv", [xk_row(), odd], "utf-8")
    out = io.StringIO()
    call_command("import_file", str(path), "--category", "XK", "--unit", "市工商局", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-3:] == ["  新建主体             2", "  超期报送             2", "  接收有提示           1"]
    assert Submission.objects.get().result["warning_rows"][0]["index"] == 3  # the spreadsheet's row number


def test_cli_refusal_is_a_clear_error(officer, tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_file", str(tmp_path / "none.csv"), "--category", "XK", "--unit", "市工商局")
    path = _csv(tmp_path / "xk.csv", [xk_row()], "utf-8")
    with pytest.raises(CommandError, match="不是类别“行政许可信息”的数据提供单位|单位不存在"):
        call_command("import_file", str(path), "--category", "XK", "--unit", "不存在的单位")
