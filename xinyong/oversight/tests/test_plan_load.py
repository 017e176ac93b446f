"""plan_load on the shipped plan and on altered copies: counts, links, idempotency, refusals."""

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from tests.support.constraints import violates
from tests.support.oversight import ACTOR, T0
from xinyong.accounts.models import Unit, UnitGroup
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import DomainError
from xinyong.oversight.models import Plan, PlanSection, PlanTask, PlanTaskUnit
from xinyong.oversight.services import DEFAULT_PLAN_PATH, PlanLoadResult, plan_load

pytestmark = pytest.mark.django_db

SECTION_TWO_NOTE = "第二部分缺少标题，任务11–16归入“二、加快推进商务诚信建设”（推断）"
OPEN_ENDED_TASKS = [4, 12, 26, 27, 30, 32, 34, 35, 36, 37]


def _plan_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The shipped plan with one replacement, written next to the test."""
    text = DEFAULT_PLAN_PATH.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "plan.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _load_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="plan.load"))


def test_result_and_summary(loaded: PlanLoadResult) -> None:
    assert (loaded.sections, loaded.tasks, loaded.notes, loaded.changed) == (9, 55, 12, True)
    assert (loaded.unit_links, loaded.group_links) == (353, 29)
    assert loaded.summary() == "9 个部分，55 项任务，推断 12 处"


def test_plan_row(loaded: PlanLoadResult) -> None:
    plan = Plan.objects.get()
    assert (plan.code, plan.source_name, plan.loaded_at) == ("beijing-2018-2020", DEFAULT_PLAN_PATH.name, T0)
    assert plan.title == "本市2018-2020年社会信用体系建设重点任务及责任分工"
    assert plan.sha256 == loaded.sha256 and len(plan.sha256) == 64
    assert plan.preamble.endswith("现提出本市2018-2020年社会信用体系建设重点任务及责任分工。")
    assert len(plan.notes) == 12
    assert plan.notes[0] == SECTION_TWO_NOTE


def test_sections_and_tasks_per_section(loaded: PlanLoadResult) -> None:
    assert list(PlanSection.objects.values_list("number", "numeral", "inferred")) == [
        (1, "一", False), (2, "二", True), (3, "三", False), (4, "四", False), (5, "五", False),
        (6, "六", False), (7, "七", False), (8, "八", False), (9, "九", False),
    ]  # fmt: skip
    counts = Counter(PlanTask.objects.values_list("section__number", flat=True))
    assert [counts[n] for n in range(1, 10)] == [10, 6, 4, 5, 8, 4, 6, 6, 6]
    assert list(PlanTask.objects.values_list("number", flat=True)) == list(range(1, 56))


def test_tasks_11_to_16_sit_in_the_inferred_section(loaded: PlanLoadResult) -> None:
    section = PlanSection.objects.get(number=2)
    assert (section.title, section.inferred) == ("加快推进商务诚信建设", True)
    assert list(section.tasks.values_list("number", flat=True)) == [11, 12, 13, 14, 15, 16]


def test_task_35_links_the_communications_office_once(loaded: PlanLoadResult) -> None:
    task = PlanTask.objects.get(number=35)
    assert "北京市通信管理局" in task.units_raw
    assert task.links.filter(unit__code="bj-tongxinju").count() == 1
    assert task.links.filter(unit__isnull=False).count() == 35
    assert task.links.filter(group__isnull=False).count() == 0
    assert task.open_ended is True


def test_task_4_links_in_plan_order_with_the_first_unit_leading(loaded: PlanLoadResult) -> None:
    links = PlanTaskUnit.objects.filter(task__number=4).order_by("position")
    rows = [
        (link.position, link.unit and link.unit.code, link.group and link.group.code, link.lead)
        for link in links
    ]
    assert rows == [
        (0, "bj-fagaiwei", None, True),
        (1, "bj-caizhengju", None, False),
        (2, None, "group-districts", False),
    ]


def test_group_only_tasks_have_no_lead(loaded: PlanLoadResult) -> None:
    assert not PlanTaskUnit.objects.filter(task__number__in=[7, 15, 29, 51], lead=True).exists()
    assert PlanTaskUnit.objects.filter(lead=True).count() == 51
    groups = PlanTaskUnit.objects.filter(task__number=15).values_list("group__code", flat=True)
    assert list(groups) == ["group-departments", "group-districts"]


def test_open_ended_tasks(loaded: PlanLoadResult) -> None:
    assert list(PlanTask.objects.filter(open_ended=True).values_list("number", flat=True)) == OPEN_ENDED_TASKS


def test_audit_event_has_counts_and_notes(loaded: PlanLoadResult) -> None:
    (event,) = _load_events()
    assert (event.actor, event.target_type, event.target_id) == ("system:test", "plan", "beijing-2018-2020")
    payload = event.payload
    assert (payload["sections"], payload["tasks"], payload["unit_links"], payload["group_links"]) == (
        9,
        55,
        353,
        29,
    )
    assert (payload["sha256"], payload["previous_sha256"]) == (loaded.sha256, None)
    assert payload["tasks_created"] == list(range(1, 56))
    assert (payload["tasks_updated"], payload["tasks_removed"]) == ([], [])
    assert payload["notes"] == Plan.objects.get().notes


def test_second_load_changes_nothing(loaded: PlanLoadResult) -> None:
    ids = list(PlanTaskUnit.objects.order_by("pk").values_list("pk", flat=True))
    again = plan_load(actor=ACTOR, now=T0 + dt.timedelta(days=1))
    assert again.changed is False
    assert again.summary() == "9 个部分，55 项任务，推断 12 处（未变更）"
    assert (again.sections, again.tasks, again.unit_links, again.group_links) == (9, 55, 353, 29)
    assert len(_load_events()) == 1
    assert Plan.objects.get().loaded_at == T0
    assert list(PlanTaskUnit.objects.order_by("pk").values_list("pk", flat=True)) == ids


def test_changed_text_updates_only_what_changed(loaded: PlanLoadResult, tmp_path: Path) -> None:
    task_ids = dict(PlanTask.objects.values_list("number", "pk"))
    path = _plan_copy(tmp_path, "责任单位:市司法局\n25.", "责任单位:市司法局、市公安局\n25.")
    result = plan_load(actor=ACTOR, now=T0 + dt.timedelta(days=1), path=path)
    assert (result.changed, result.unit_links) == (True, 354)
    assert list(PlanTask.objects.get(number=24).links.values_list("unit__code", "lead")) == [
        ("bj-sifaju", True),
        ("bj-gonganju", False),
    ]
    assert dict(PlanTask.objects.values_list("number", "pk")) == task_ids
    event = _load_events()[-1]
    assert (event.payload["tasks_created"], event.payload["tasks_updated"]) == ([], [24])
    assert event.payload["previous_sha256"] == loaded.sha256
    assert Plan.objects.get().source_name == "plan.txt"


def test_unknown_unit_is_refused_and_nothing_is_written(units: None, tmp_path: Path) -> None:
    path = _plan_copy(tmp_path, "责任单位:市民政局等部门", "责任单位:市火星局等部门")
    path.write_text(
        path.read_text(encoding="utf-8").replace("责任单位:市教委\n", "责任单位:市火星局、月球办\n")
    )
    with pytest.raises(DomainError) as caught:
        plan_load(actor=ACTOR, now=T0, path=path)
    error = caught.value
    assert error.code == "plan.unknown_unit"
    assert error.message.startswith(
        "规划中有单位名录未收录的责任单位：市火星局（任务12、47、48）；月球办（任务47、48）。"
    )
    assert [(e["message"], e["tasks"]) for e in error.errors] == [
        ("市火星局", [12, 47, 48]),
        ("月球办", [47, 48]),
    ]
    assert (Plan.objects.count(), PlanSection.objects.count(), PlanTask.objects.count()) == (0, 0, 0)
    assert _load_events() == []


def test_unknown_unit_leaves_a_loaded_plan_as_it_was(loaded: PlanLoadResult, tmp_path: Path) -> None:
    path = _plan_copy(tmp_path, "责任单位:市民政局\n", "责任单位:市火星局\n")
    with pytest.raises(DomainError, match="plan.unknown_unit"):
        plan_load(actor=ACTOR, now=T0 + dt.timedelta(days=1), path=path)
    assert Plan.objects.get().sha256 == loaded.sha256
    assert list(PlanTask.objects.get(number=18).links.values_list("unit__code", flat=True)) == [
        "bj-minzhengju"
    ]
    assert len(_load_events()) == 1


def test_format_error_names_the_line(units: None, tmp_path: Path) -> None:
    path = _plan_copy(tmp_path, "\n12.加强行业信用自律管理", "\n13.加强行业信用自律管理")
    with pytest.raises(DomainError) as caught:
        plan_load(actor=ACTOR, now=T0, path=path)
    assert (caught.value.code, caught.value.extra) == ("plan.format_error", {"line": 25})
    assert caught.value.message == "第25行：任务编号应为12，实为13"
    assert Plan.objects.count() == 0


def test_two_names_of_one_unit_in_a_task_link_once_with_a_note(units: None, tmp_path: Path) -> None:
    old, new = (
        "责任单位:市经济信息化委,人民银行营业管理部\n39.",
        "责任单位:市经济信息化委、市经信委,人民银行营业管理部\n39.",
    )
    result = plan_load(actor=ACTOR, now=T0, path=_plan_copy(tmp_path, old, new))
    assert result.notes == 13
    assert Plan.objects.get().notes[-1] == "任务38：“市经信委”与“市经济信息化委”为同一单位，只计一次"
    assert list(PlanTask.objects.get(number=38).links.values_list("unit__code", "lead")) == [
        ("bj-jingxinwei", True),
        ("bj-renhang", False),
    ]


def test_database_refuses_a_link_to_both_a_unit_and_a_group(loaded: PlanLoadResult) -> None:
    task = PlanTask.objects.get(number=7)
    unit, group = Unit.objects.get(code="bj-haidian"), UnitGroup.objects.get(code="group-departments")
    with violates(PlanTaskUnit, "plan_task_unit_exactly_one_target"):
        PlanTaskUnit.objects.create(task=task, unit=unit, group=group, position=5)
    with violates(PlanTaskUnit, "plan_task_unit_exactly_one_target"):
        PlanTaskUnit.objects.create(task=task, position=5)
    with violates(PlanTaskUnit, "plan_task_lead_is_unit"):
        PlanTaskUnit.objects.create(task=task, group=group, position=5, lead=True)
