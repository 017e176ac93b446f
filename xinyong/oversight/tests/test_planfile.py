"""The plan parser on the packaged 2018–2020 plan and on small hand-made texts (plain pytest, no Django)."""

from collections import Counter
from pathlib import Path

import pytest

from xinyong.accounts.unitnames import load_unit_registry
from xinyong.oversight.planfile import ParsedPlan, PlanFormatError, PlanSection, parse_plan

PLAN_PATH = Path(__file__).resolve().parents[1] / "data" / "beijing-credit-plan-2018-2020.txt"

SECTION_TWO_NOTE = "第二部分缺少标题，任务11–16归入“二、加快推进商务诚信建设”（推断）"

SMALL_PLAN = """前言第一行
前言第二行

一、第一部分
1．第一项任务，
  续行。
责任单位：市财政局，市发展改革委等部门, 各区政府

2.第二项任务。
责任单位: 北京市通信管理局、市通信管理局
二、第二部分
3.第三项任务。
责任单位:各有关部门
"""


@pytest.fixture(scope="module")
def plan_text() -> str:
    return PLAN_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def plan(plan_text: str) -> ParsedPlan:
    return parse_plan(plan_text)


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _line_of(text: str, prefix: str) -> int:
    """1-based number of the first line starting with ``prefix``."""
    return next(i for i, line in enumerate(_lines(text), start=1) if line.startswith(prefix))


def test_sections(plan: ParsedPlan) -> None:
    assert len(plan.sections) == 9
    assert [s.number for s in plan.sections] == list(range(1, 10))
    assert plan.sections[1] == PlanSection(2, "二", "加快推进商务诚信建设", True)
    assert [s.inferred for s in plan.sections].count(True) == 1
    assert plan.sections[0].title == "加快推进政务诚信建设"
    assert plan.sections[8] == PlanSection(9, "九", "保障措施", False)


def test_tasks_are_numbered_1_to_55(plan: ParsedPlan) -> None:
    assert [t.number for t in plan.tasks] == list(range(1, 56))


def test_tasks_11_to_16_sit_in_inferred_section_two(plan: ParsedPlan) -> None:
    assert {t.section_number for t in plan.tasks[10:16]} == {2}
    assert plan.tasks[9].section_number == 1
    assert plan.tasks[16].section_number == 3


def test_task_counts_per_section(plan: ParsedPlan) -> None:
    counts = Counter(t.section_number for t in plan.tasks)
    assert dict(counts) == {1: 10, 2: 6, 3: 4, 4: 5, 5: 8, 6: 4, 7: 6, 8: 6, 9: 6}


def test_notes(plan: ParsedPlan) -> None:
    assert plan.notes == [
        SECTION_TWO_NOTE,
        "任务4：“市财政局等部门”按“市财政局”处理",
        "任务12：“市民政局等部门”按“市民政局”处理",
        "任务26：“市编办等部门”按“市编办”处理",
        "任务27：“北京住房公积金管理中心等部门”按“北京住房公积金管理中心”处理",
        "任务30：“市经济信息化委等部门”按“市经济信息化委”处理",
        "任务32：“市总工会等部门”按“市总工会”处理",
        "任务34：“市经济信息化委等部门”按“市经济信息化委”处理",
        "任务35：“北京市通信管理局”与计划其他处的“市通信管理局”为同一单位，按“市通信管理局”处理",
        "任务35：“北京保监局等部门”按“北京保监局”处理",
        "任务36：“北京保监局等部门”按“北京保监局”处理",
        "任务37：“北京保监局等部门”按“北京保监局”处理",
    ]


def test_preamble_and_task_text(plan: ParsedPlan) -> None:
    assert plan.preamble.startswith("为深入贯彻落实《北京市人民政府关于加快社会信用体系建设的实施意见》")
    assert plan.preamble.endswith("重点任务及责任分工。")
    assert (
        plan.tasks[0].text == "加大政务公开力度,健全政务公开协调机制,推进决策、执行、管理、服务和结果公开。"
    )
    assert plan.tasks[54].text.startswith("建立健全信用工作督导和考核评估制度")


def test_task_4_units(plan: ParsedPlan) -> None:
    task = plan.tasks[3]
    assert task.units_raw == "市发展改革委、市财政局等部门,各区政府"
    assert task.unit_names == ["市发展改革委", "市财政局"]
    assert task.groups == ["各区政府"]
    registry = load_unit_registry()
    assert [registry.resolve(name).code for name in task.unit_names] == ["bj-fagaiwei", "bj-caizhengju"]
    group = registry.resolve("各区政府")
    assert (group.kind, group.code, len(group.members)) == ("group", "group-districts", 16)


def test_task_35_merges_the_two_names_of_the_communications_office(plan: ParsedPlan) -> None:
    task = plan.tasks[34]
    assert "北京市通信管理局" in task.units_raw
    assert "市通信管理局" in task.unit_names
    assert "北京市通信管理局" not in task.unit_names
    assert task.unit_names[-1] == "北京保监局"
    assert len(task.unit_names) == 35


def test_every_task_has_a_unit_or_group(plan: ParsedPlan) -> None:
    assert all(t.unit_names or t.groups for t in plan.tasks)
    assert plan.tasks[6].unit_names == [] and plan.tasks[6].groups == ["各区政府"]
    assert plan.tasks[14].groups == ["各有关部门", "各区政府"]


def test_every_name_in_the_plan_resolves(plan: ParsedPlan) -> None:
    registry = load_unit_registry()
    names = {name for task in plan.tasks for name in (*task.unit_names, *task.groups)}
    unknown = sorted(name for name in names if not registry.resolve(name).is_known)
    assert unknown == []
    assert all(registry.resolve(name).is_unit for task in plan.tasks for name in task.unit_names)
    assert all(registry.resolve(name).is_group for task in plan.tasks for name in task.groups)
    assert len({registry.resolve(name).code for task in plan.tasks for name in task.unit_names}) == 56


def test_quirks_of_a_small_plan() -> None:
    parsed = parse_plan(SMALL_PLAN, section_hints=())
    assert parsed.preamble == "前言第一行\n前言第二行"
    assert [(s.number, s.title, s.inferred) for s in parsed.sections] == [
        (1, "第一部分", False),
        (2, "第二部分", False),
    ]
    first, second, third = parsed.tasks
    assert first.text == "第一项任务，续行。"
    assert first.unit_names == ["市财政局", "市发展改革委"] and first.groups == ["各区政府"]
    assert second.unit_names == ["市通信管理局"]
    assert "任务2：“市通信管理局”重复出现，只计一次" in parsed.notes
    assert (third.section_number, third.unit_names, third.groups) == (2, [], ["各有关部门"])


def test_no_merge_when_the_short_form_is_absent() -> None:
    text = "一、甲\n1.任务。\n责任单位:北京市通信管理局、北京海关,\n"
    parsed = parse_plan(text)
    assert parsed.tasks[0].unit_names == ["北京市通信管理局", "北京海关"]
    assert parsed.notes == ["任务1：责任单位中有空项，已忽略"]


def test_inferred_section_without_hint_is_an_error(plan_text: str) -> None:
    with pytest.raises(PlanFormatError) as caught:
        parse_plan(plan_text, section_hints=())
    assert caught.value.line == _line_of(plan_text, "三、")
    assert "缺少第二部分的标题" in str(caught.value)


def test_missing_task_number_is_an_error_with_its_line(plan_text: str) -> None:
    lines = _lines(plan_text)
    line = _line_of(plan_text, "5.")
    lines[line - 1] = lines[line - 1].removeprefix("5.")
    with pytest.raises(PlanFormatError) as caught:
        parse_plan("\n".join(lines))
    assert caught.value.line == line == 11
    assert str(caught.value).startswith("第11行：")


def test_skipped_task_number_is_an_error(plan_text: str) -> None:
    mangled = plan_text.replace("\n12.加强行业信用自律管理", "\n13.加强行业信用自律管理")
    with pytest.raises(PlanFormatError) as caught:
        parse_plan(mangled)
    assert caught.value.line == _line_of(plan_text, "12.")
    assert caught.value.message == "任务编号应为12，实为13"


def test_task_without_units_is_an_error_with_its_line(plan_text: str) -> None:
    lines = _lines(plan_text)
    task_line = _line_of(plan_text, "7.")
    del lines[task_line]  # the 责任单位 line right after task 7
    with pytest.raises(PlanFormatError) as caught:
        parse_plan("\n".join(lines))
    assert caught.value.line == task_line == 15
    assert caught.value.message == "任务7缺少“责任单位”行"


def test_last_task_without_units_is_an_error() -> None:
    with pytest.raises(PlanFormatError) as caught:
        parse_plan("一、甲\n1.任务。\n责任单位:市财政局\n\n2.任务。\n")
    assert caught.value.line == 5


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("一、甲\n1.任务。\n责任单位: 、 ,\n", 3, "任务1的责任单位为空"),
        ("一、甲\n责任单位:市财政局\n", 2, "“责任单位”行前没有对应的任务（缺少任务编号？）"),
        (
            "一、甲\n1.任务。\n责任单位:市财政局\n责任单位:市教委\n",
            4,
            "“责任单位”行前没有对应的任务（缺少任务编号？）",
        ),
        ("一、甲\n1.\n责任单位:市财政局\n", 2, "任务1没有内容"),
        ("1.任务。\n责任单位:市财政局\n", 1, "任务1不属于任何部分（缺少部分标题）"),
        ("二、乙\n1.任务。\n责任单位:市财政局\n一、甲\n", 4, "部分编号“一”没有递增"),
        ("只有前言\n", None, "没有找到任何编号任务"),
    ],
)
def test_format_errors(text: str, line: int | None, message: str) -> None:
    with pytest.raises(PlanFormatError) as caught:
        parse_plan(text)
    assert (caught.value.line, caught.value.message) == (line, message)
