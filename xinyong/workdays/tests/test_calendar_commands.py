"""`xinyong calendar load` and `xinyong calendar status` (the operator's view of docs/rules.md's calendar)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinyong.workdays.tests.helpers import SAMPLE_2027

WARN_2027 = "警告：2027 年节假日安排尚未载入，涉及 2027 年的工作日计算按仅周末处理并标记为临时（provisional）"


@pytest.fixture(autouse=True)
def _today_2026(clock):
    clock.set(dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC))


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_builtin_then_sample_then_status():
    out, err = run("calendar_load", "--builtin")
    assert "已载入 2004–2026 年（来源 chinesecalendar）：节假日 407 天、调休上班 150 天" in out
    assert "未配置重新计算（XINYONG_CALENDAR_RECOMPUTE 为空）" in out
    assert err.strip() == WARN_2027

    out, _ = run("calendar_load", "--builtin")
    assert out.strip() == "chinesecalendar 的年份都已载入，未作改动"

    out, err = run("calendar_load", str(SAMPLE_2027))
    assert "已载入 2027 年（来源 operator）：节假日 18 天、调休上班 5 天" in out
    assert err == ""

    out, _ = run("calendar_status")
    lines = out.splitlines()
    assert len(lines) == 24
    assert lines[0].startswith("2004  chinesecalendar  完整  节假日")
    assert lines[-1].startswith(
        "2027  operator         完整  节假日 18 天  调休上班 5 天  2026-11-28 system  示例数据"
    )


@pytest.mark.django_db
def test_status_warns_about_missing_years():
    out, _ = run("calendar_status")
    assert out.splitlines() == [
        "尚未载入任何年份（xinyong calendar load --builtin 载入 chinesecalendar 内置年份）",
        "警告：2026 年节假日安排尚未载入，涉及 2026 年的工作日计算按仅周末处理并标记为临时（provisional）",
        WARN_2027,
    ]


@pytest.mark.django_db
def test_invalid_file_lists_the_errors(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("year: 2027\nworkdays:\n  - {date: 2027-10-04, name: 国庆节}\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("calendar_load", str(path))
    assert str(exc.value) == (
        "节假日安排文件 bad.yaml 有 1 处错误，未载入\n"
        "  - workdays 第 1 项 2027-10-04（星期一）：调休上班日须为周六或周日，工作日本来就上班"
    )


@pytest.mark.django_db
def test_file_or_builtin_not_both():
    with pytest.raises(CommandError, match="二者选一"):
        run("calendar_load")
    with pytest.raises(CommandError, match="二者选一"):
        run("calendar_load", str(SAMPLE_2027), "--builtin")
