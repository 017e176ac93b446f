"""`xinyong plan`: the table per unit, one unit's tasks, the notes, and a clear error."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from xinyong.oversight.management.commands.plan import display_width, number_ranges
from xinyong.oversight.services import PlanLoadResult

pytestmark = pytest.mark.django_db


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue().splitlines()


def test_one_unit_by_alias(loaded: PlanLoadResult) -> None:
    assert _run("--unit", "北京市通信管理局") == [
        "市通信管理局（bj-tongxinju，中央驻京单位）：2 项任务（参与 2）",
        "任务  部分                              参与方式  内容",
        "  33  五、加快推进信用信息基础设施建设  参与      完善重点领域个人实名登记,以公民身份号码制度为基…",
        "  35  六、加快推进信用联合奖惩机制建设  参与      建立健全信用联合奖惩对象名单管理制度,完善诚信典…",
    ]


def test_one_unit_by_code_with_lead_and_groups(loaded: PlanLoadResult) -> None:
    lines = _run("--unit", "bj-jiaowei")
    assert lines[0] == "市教委（bj-jiaowei，市级部门）：14 项任务（牵头 2，参与 9，经单位组 3）"
    assert lines[1] == "任务  部分                              参与方式        内容"
    assert (
        lines[3]
        == "  15  二、加快推进商务诚信建设          经“各有关部门”  "
        + "建立完善守信激励和失信惩戒措施,对诚信典型和连续…"
    )
    assert len(lines) == 16


def test_overview(loaded: PlanLoadResult) -> None:
    lines = _run()
    assert lines[0] == "本市2018-2020年社会信用体系建设重点任务及责任分工：55 项任务，72 个单位承担"
    assert lines[1] == "单位                    代码                        任务数  任务编号"
    assert lines[2] == (
        "市经济信息化委          bj-jingxinwei                   33  "
        "2, 5, 8-11, 13-16, 20, 26, 27, 29-32, 34-43, 49-53, 55"
    )
    assert "市通信管理局            bj-tongxinju                     2  33, 35" in lines
    assert len(lines) == 2 + 72


def test_notes(loaded: PlanLoadResult) -> None:
    lines = _run("--notes")
    assert lines[0] == "载入推断（12 处）："
    assert lines[1] == "  1. 第二部分缺少标题，任务11–16归入“二、加快推进商务诚信建设”（推断）"
    assert lines[12] == " 12. 任务37：“北京保监局等部门”按“北京保监局”处理"
    assert len(lines) == 13


def test_unknown_unit_is_a_clear_error(loaded: PlanLoadResult) -> None:
    with pytest.raises(CommandError) as caught:
        _run("--unit", "市火星局")
    assert str(caught.value) == "单位不存在：市火星局（可运行 xinyong plan 查看各单位）"


def test_plan_not_loaded(units: None) -> None:
    with pytest.raises(CommandError, match="规划尚未载入"):
        _run()


def test_helpers() -> None:
    assert number_ranges([5, 1, 2, 3, 7, 8]) == "1-3, 5, 7, 8"
    assert number_ranges([]) == ""
    assert display_width("市教委 ab") == 9
