"""Which tasks fall to a unit: named directly, as lead, or through 各区政府 / 各有关部门."""

import pytest

from xinyong.accounts.models import Unit
from xinyong.core.errors import NotFound
from xinyong.oversight import selectors
from xinyong.oversight.services import PlanLoadResult

pytestmark = pytest.mark.django_db

DISTRICT_TASKS = [
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    15,
    16,
    17,
    28,
    29,
    30,
    32,
    37,
    39,
    40,
    42,
    44,
    45,
    49,
    51,
    54,
]
DEPARTMENT_GROUP_TASKS = [15, 29, 51]


def _involvements(code: str) -> dict[int, str]:
    unit = Unit.objects.get(code=code)
    return {item.task.number: item.involvement for item in selectors.plan_tasks_for_unit(unit=unit)}


def test_a_district_gets_every_task_of_the_districts_group(loaded: PlanLoadResult) -> None:
    involvements = _involvements("bj-haidian")
    assert list(involvements) == DISTRICT_TASKS
    assert set(involvements.values()) == {"group-districts"}


def test_a_department_gets_the_tasks_of_the_open_group(loaded: PlanLoadResult) -> None:
    involvements = _involvements("bj-jiaowei")  # 市教委: municipal_department
    assert {n: involvements[n] for n in DEPARTMENT_GROUP_TASKS} == dict.fromkeys(
        DEPARTMENT_GROUP_TASKS, "group-departments"
    )
    assert (involvements[47], involvements[48], involvements[2]) == ("lead", "lead", "direct")
    assert len(involvements) == 14


def test_a_central_office_is_not_one_of_the_departments_concerned(loaded: PlanLoadResult) -> None:
    involvements = _involvements("bj-renhang")  # 人民银行营业管理部: central_office
    assert not set(involvements) & set(DEPARTMENT_GROUP_TASKS)
    assert involvements == dict.fromkeys([11, 13, 16, 31, 33, 38, 39, 41, 43, 49, 50, 53, 55], "direct") | {
        43: "lead"
    }


def test_via_names_the_group(loaded: PlanLoadResult) -> None:
    unit = Unit.objects.get(code="bj-gongshangju")
    by_number = {item.task.number: item for item in selectors.plan_tasks_for_unit(unit=unit)}
    assert by_number[28].involvement == "lead" and by_number[28].via is None
    assert by_number[15].via is not None and by_number[15].via.name == "各有关部门"


def test_task_list_filters(loaded: PlanLoadResult) -> None:
    assert [t.number for t in selectors.plan_task_list(section=2)] == [11, 12, 13, 14, 15, 16]
    tongxinju = Unit.objects.get(code="bj-tongxinju")
    assert [t.number for t in selectors.plan_task_list(unit=tongxinju)] == [33, 35]
    haidian = Unit.objects.get(code="bj-haidian")
    assert [t.number for t in selectors.plan_task_list(section=9, unit=haidian)] == [51, 54]
    assert selectors.plan_task_list().count() == 55


def test_task_get(loaded: PlanLoadResult) -> None:
    assert selectors.plan_task_get(number=55).text.startswith("建立健全信用工作督导和考核评估制度")
    with pytest.raises(NotFound) as caught:
        selectors.plan_task_get(number=56)
    assert (caught.value.code, caught.value.status) == ("plan.task_not_found", 404)


def test_plan_get_before_loading(units: None) -> None:
    with pytest.raises(NotFound, match="plan.not_found"):
        selectors.plan_get()


def test_overview_counts_groups_too(loaded: PlanLoadResult) -> None:
    overview = {row.unit.code: row.numbers for row in selectors.plan_unit_overview()}
    assert len(overview) == 72
    assert overview["bj-haidian"] == DISTRICT_TASKS
    assert overview["bj-tongxinju"] == [33, 35]
    assert [row.unit.code for row in selectors.plan_unit_overview()[:2]] == ["bj-jingxinwei", "bj-changping"]
    assert "bj-yizhongyuan" not in overview  # 市第一中级人民法院: in the registry, not in the plan
