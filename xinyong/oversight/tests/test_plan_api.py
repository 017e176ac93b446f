"""/api/v1/plan: exact JSON for a task, filters, a unit's tasks, cursor pages and 404 problems."""

import pytest
from django.test import Client

from xinyong.oversight.services import PlanLoadResult

pytestmark = pytest.mark.django_db

SECTION_ONE = {"number": 1, "numeral": "一", "title": "加快推进政务诚信建设", "inferred": False}
TASK_4 = {
    "number": 4,
    "section": SECTION_ONE,
    "text": (
        "加强政府和社会资本合作领域政务诚信建设,建立政府和社会资本合作失信违约记录。"
        "明确政府和社会资本合作项目政府方责任人及其在项目筹备、招标投标、政府采购、融资、实施等阶段的诚信职责,"
        "建立项目责任回溯机制,将项目守信履约情况与实施成效纳入项目政府方责任人信用记录。"
    ),
    "units": [
        {"code": "bj-fagaiwei", "name": "市发展改革委", "lead": True},
        {"code": "bj-caizhengju", "name": "市财政局", "lead": False},
    ],
    "groups": [{"code": "group-districts", "name": "各区政府"}],
    "open_ended": True,
}


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST="localhost")


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert (body["status"], body["code"]) == (status, code)
    return body


def test_one_task_exact(loaded: PlanLoadResult, client: Client) -> None:
    response = client.get("/api/v1/plan/tasks/4")
    assert response.status_code == 200
    assert response.json() == TASK_4


def test_unknown_task_is_a_404_problem(loaded: PlanLoadResult, client: Client) -> None:
    body = _problem(client.get("/api/v1/plan/tasks/56"), 404, "plan.task_not_found")
    assert body["detail"] == "规划中没有任务56"


def test_task_list_filtered_by_section(loaded: PlanLoadResult, client: Client) -> None:
    body = client.get("/api/v1/plan/tasks", {"section": 2}).json()
    assert body["count"] == 6 and body["next_cursor"] is None
    assert [task["number"] for task in body["items"]] == [11, 12, 13, 14, 15, 16]
    assert {task["section"]["inferred"] for task in body["items"]} == {True}


def test_task_list_filtered_by_unit_name_includes_group_tasks(loaded: PlanLoadResult, client: Client) -> None:
    body = client.get("/api/v1/plan/tasks", {"unit": "海淀区政府", "section": 9}).json()
    assert [task["number"] for task in body["items"]] == [51, 54]
    assert body["items"][1]["units"] == [{"code": "bj-caizhengju", "name": "市财政局", "lead": True}]


def test_task_list_pages_with_a_cursor(loaded: PlanLoadResult, client: Client) -> None:
    first = client.get("/api/v1/plan/tasks", {"limit": 20}).json()
    assert (first["count"], len(first["items"]), first["items"][-1]["number"]) == (55, 20, 20)
    numbers = [task["number"] for task in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get("/api/v1/plan/tasks", {"limit": 20, "cursor": cursor}).json()
        numbers += [task["number"] for task in page["items"]]
        cursor = page["next_cursor"]
    assert numbers == list(range(1, 56))
    _problem(client.get("/api/v1/plan/tasks", {"limit": 501}), 422, "request.invalid")
    _problem(client.get("/api/v1/plan/tasks", {"cursor": "x"}), 400, "cursor.invalid")


def test_unit_tasks_by_code(loaded: PlanLoadResult, client: Client) -> None:
    body = client.get("/api/v1/plan/units/bj-haidian/tasks").json()
    assert body["unit"] == {"code": "bj-haidian", "name": "海淀区政府", "type": "district_government"}
    assert body["count"] == 26
    task_4 = next(task for task in body["tasks"] if task["number"] == 4)
    assert task_4 == {**TASK_4, "involvement": "group-districts", "via_group": TASK_4["groups"][0]}


def test_unit_tasks_by_name(loaded: PlanLoadResult, client: Client) -> None:
    body = client.get("/api/v1/plan/units/市教委/tasks").json()
    involvement = {task["number"]: (task["involvement"], task["via_group"]) for task in body["tasks"]}
    assert involvement[47] == ("lead", None)
    assert involvement[2] == ("direct", None)
    assert involvement[29] == ("group-departments", {"code": "group-departments", "name": "各有关部门"})


def test_unknown_unit_is_a_404_problem(loaded: PlanLoadResult, client: Client) -> None:
    body = _problem(client.get("/api/v1/plan/units/市火星局/tasks"), 404, "unit.not_found")
    assert body["detail"] == "单位不存在：市火星局"
    _problem(client.get("/api/v1/plan/tasks", {"unit": "市火星局"}), 404, "unit.not_found")


def test_plan_metadata(loaded: PlanLoadResult, client: Client) -> None:
    body = client.get("/api/v1/plan").json()
    assert (body["code"], body["task_count"], body["sha256"]) == ("beijing-2018-2020", 55, loaded.sha256)
    assert body["loaded_at"] == "2026-11-02T09:00:00+08:00"
    assert [s["task_count"] for s in body["sections"]] == [10, 6, 4, 5, 8, 4, 6, 6, 6]
    assert body["sections"][1] == {
        "number": 2,
        "numeral": "二",
        "title": "加快推进商务诚信建设",
        "inferred": True,
        "task_count": 6,
    }
    assert len(body["notes"]) == 12


def test_plan_not_loaded_is_a_404_problem(units: None, client: Client) -> None:
    _problem(client.get("/api/v1/plan"), 404, "plan.not_found")


def test_operation_ids_are_stable() -> None:
    from xinyong.config.api import api

    paths = api.get_openapi_schema()["paths"]
    ids = {path: [op["operationId"] for op in ops.values()] for path, ops in paths.items() if "/plan" in path}
    assert ids == {
        "/api/v1/plan": ["plan_get"],
        "/api/v1/plan/tasks": ["plan_tasks_list"],
        "/api/v1/plan/tasks/{number}": ["plan_task_get"],
        "/api/v1/plan/units/{unit}/tasks": ["plan_unit_tasks_list"],
        "/api/v1/plan/reports": ["plan_reports_file", "plan_reports_list"],
        "/api/v1/plan/reports/overdue": ["plan_reports_overdue"],
        "/api/v1/plan/reports/{report_id}": ["plan_report_get"],
        "/api/v1/plan/reports/{report_id}/review": ["plan_report_review"],
    }
