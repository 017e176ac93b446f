"""`xinyong import` as a user runs it (issue 13): exit statuses, rejected rows with their messages, the progress
bar on stderr, and the rejected-rows report re-imported once fixed (CSV and XLSX).

The command runs in this process through `xinyong.cli.main`, so argument parsing, the exit status and the
streams are those of the real `xinyong` command, against the test database.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from openpyxl import load_workbook

from tests.support.records import xk_row
from xinyong import cli
from xinyong.intake.management.commands.import_file import Progress
from xinyong.intake.models import Submission
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db
RATE = r"（[\d,]+ 行/秒）"


def _csv(path, rows):
    header = list(dict.fromkeys(key for row in rows for key in row))
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """A command run from the command line closes the connections when it ends (Django's run_from_argv);
    in this process that would close the test database under the test."""
    monkeypatch.setattr(connections, "close_all", lambda: None)


def _xinyong(capsys, *argv) -> tuple[int, str, str]:
    try:
        cli.main([str(arg) for arg in argv])
        code = 0
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def _import(capsys, path, *extra):
    return _xinyong(capsys, "import", path, "--category", "XK", "--unit", "市工商局", *extra)


MIXED = [
    xk_row(),
    xk_row(XK_WSH="京工商许字〔2026〕第002号", XK_XKLB="99", XK_NR="-临时经营许可"),
    xk_row(XK_WSH="京工商许字〔2026〕第003号", XK_JDRQ="2026-02-30"),
]
XKLB_MESSAGE = "许可类别取值不在代码表内：99（可选："
JDRQ_MESSAGE = "许可决定日期不是有效日期：2026-02-30（格式如 2026-11-02）"


def test_all_rows_accepted_exits_0_with_a_progress_line(officer, tmp_path, capsys):
    code, out, err = _import(capsys, _csv(tmp_path / "ok.csv", [xk_row()]))
    assert code == 0
    assert "  接收                 1" in out and "退回" in out
    assert re.fullmatch(f"导入 100%  1 / 1 行{RATE}\n", err)


def test_some_rows_rejected_exits_1_and_shows_messages_beside_codes(officer, tmp_path, capsys):
    code, out, err = _import(capsys, _csv(tmp_path / "mixed.csv", MIXED))
    assert code == 1
    lines = out.splitlines()
    assert "  主要退回原因：" in lines
    assert any(line.startswith(f"           1  XK_XKLB code.not_allowed：{XKLB_MESSAGE}") for line in lines)
    assert f"           1  XK_JDRQ date.invalid：{JDRQ_MESSAGE}" in lines
    assert lines[-3] == "  退回的行："
    assert lines[-2].startswith(f"    第 3 行  XK_XKLB：{XKLB_MESSAGE}")
    assert lines[-1] == f"    第 4 行  XK_JDRQ：{JDRQ_MESSAGE}"
    assert err.splitlines()[-1] == (
        "CommandError: 2 行被退回，其余 1 行已导入；用 --rejected-out 退回行.xlsx 导出，改正后重新导入"
    )
    assert Record.objects.count() == 1
    code, out, err = _import(capsys, tmp_path / "mixed.csv")  # a replay: the same status, no row read
    assert (code, "本次未新增数据" in out, err.startswith("导入")) == (1, True, False)
    assert (Submission.objects.count(), Record.objects.count()) == (1, 1)


def test_nothing_imported_exits_2(officer, tmp_path, capsys):
    """Every row rejected, a file refused whole, a file that is not there: status 2, nothing written."""
    code, _, err = _import(capsys, _csv(tmp_path / "bad.csv", MIXED[1:]))
    assert code == 2
    assert err.splitlines()[-1].startswith("CommandError: 全部 2 行被退回，没有导入任何数据")
    assert Record.objects.count() == 0
    code, _, err = _import(capsys, _csv(tmp_path / "cols.csv", [{**xk_row(), "公司名称": "x"}]))
    assert code == 2
    assert err == (
        "CommandError: 表头含有类别 XK 未定义的列：公司名称（请使用目录字段代码作为表头）"
        "（file.unknown_columns），未导入任何数据\n"
    )
    code, _, err = _import(capsys, tmp_path / "none.csv")
    assert (code, err) == (2, f"CommandError: 文件不存在：{tmp_path / 'none.csv'}\n")
    assert Submission.objects.count() == 1  # the all-rejected file's; the refused ones left nothing


def test_help_documents_the_exit_statuses(capsys):
    code, out, _ = _xinyong(capsys, "import", "--help")
    assert code == 0
    assert "退出状态：\n  0  全部行已接收\n  1  部分行被退回" in out
    assert "  2  没有接收任何行，或整个文件被拒绝" in out


# ── progress ───────────────────────────────────────────────────────────────────────────────────────────


def test_progress_off_a_terminal_writes_a_line_per_tenth():
    written = []
    progress = Progress(written.append, total=100, tty=False)
    for _ in range(25):
        progress(4)
    progress.done()
    shown = [re.sub(RATE, "", line) for line in "".join(written).splitlines()]
    steps = [12, 20, 32, 40, 52, 60, 72, 80, 92, 100]  # the first call at or past each tenth
    assert shown == [f"导入 {p:>3}%  {p} / 100 行" for p in steps]


def test_progress_without_a_total_counts_rows():
    written = []
    progress = Progress(written.append, total=None, tty=False)
    progress(5000)
    progress(1200)
    progress.done()
    shown = [re.sub(RATE, "", line) for line in "".join(written).splitlines()]
    assert shown == ["导入 5,000 行", "导入 6,200 行", "导入 100%  6,200 行"]


def test_progress_on_a_terminal_is_one_line_redrawn_with_a_bar():
    written = []
    progress = Progress(written.append, total=20_000, tty=True)
    progress(5000)
    progress(5000)
    progress.done()
    assert [re.sub(RATE, "", text) for text in written] == [
        "\r导入 [######------------------]  25%  5,000 / 20,000 行\x1b[K",
        "\r导入 [############------------]  50%  10,000 / 20,000 行\x1b[K",
        "\r导入 [########################] 100%  10,000 / 10,000 行\x1b[K\n",  # the total was an estimate
    ]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_colour_terminal_is_not_styled_as_an_error(officer, tmp_path):
    err = Terminal()
    path = _csv(tmp_path / "ok.csv", [xk_row()])
    call_command(
        "import_file", path, "--category", "XK", "--unit", "市工商局", stdout=io.StringIO(), stderr=err,
        force_color=True,
    )  # fmt: skip
    assert re.fullmatch(rf"(\r导入 \[#{{24}}\] 100%  1 / 1 行{RATE}\x1b\[K)+\n", err.getvalue())
    assert "\x1b[3" not in err.getvalue()  # no colour (the error style is red)


# ── the rejected-rows report, fixed and imported again ─────────────────────────────────────────────────


def _fix_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    header = table[0]
    assert (header[0], header[-1]) == ("行号", "错误")
    for row in table[1:]:
        row[header.index("XK_XKLB")] = "01"
        row[header.index("XK_JDRQ")] = "2026-10-28"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(table)


def _fix_xlsx(path):
    workbook = load_workbook(path)
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        row[header.index("XK_XKLB")].value = "01"
        row[header.index("XK_JDRQ")].value = "2026-10-28"
    workbook.save(path)


@pytest.mark.parametrize("suffix,fix", [(".csv", _fix_csv), (".xlsx", _fix_xlsx)])
def test_the_fixed_rejected_rows_report_imports(officer, tmp_path, capsys, suffix, fix):
    back = tmp_path / f"back{suffix}"
    code, out, _ = _import(capsys, _csv(tmp_path / "mixed.csv", MIXED), "--rejected-out", back)
    assert (code, out.splitlines()[-1]) == (1, f"退回行已写入 {back}")
    code, _, _ = _import(capsys, back)  # not yet fixed: the same rows come back, nothing refuses the file
    assert code == 2
    again = Submission.objects.latest("pk")
    assert (again.rejected, again.columns[0], "行号" in again.columns) == (2, "XK_XDR_MC", False)
    fix(back)
    code, out, err = _import(capsys, back)
    assert (code, "  接收                 2" in out) == (0, True)
    assert re.fullmatch(f"导入 100%  2 / 2 行{RATE}\n", err)
    assert Record.objects.count() == 3
    fixed = Record.objects.get(doc_no="京工商许字〔2026〕第002号")
    assert fixed.payload["XK_NR"] == "-临时经营许可"  # the report's formula escape ('-…) is undone
    assert fixed.payload["XK_XKLB"] == "01"


def test_the_readme_tour_sample_goes_in_once_fixed_with_its_sed_command(officer, tmp_path, capsys):
    """README, the first hour, step 5: the sample's second row is rejected, `sed 's/,99,/,01,/'` fixes it."""
    sample = Path(__file__).resolve().parents[3] / "docs/samples/xk-sample.csv"
    back = tmp_path / "back.csv"
    assert _import(capsys, sample, "--rejected-out", back)[0] == 1
    back.write_text(back.read_text(encoding="utf-8").replace(",99,", ",01,"), encoding="utf-8")
    assert _import(capsys, back)[0] == 0
    assert Record.objects.count() == 2
