"""The back office of 典型案例 (plan task 44): an officer writes a draft (audited), publishes it and withdraws
it with a reason through the actions; a person is refused on the form; each unit sees its own cases only,
the credit office all; a published case is no longer edited."""

import pytest
from django.test import Client

from tests.support.otp import verified_login
from xinyong.accounts.models import Unit, User
from xinyong.accounts.roles import Role
from xinyong.audit.models import AuditEvent
from xinyong.cases.models import CaseStatus, TypicalCase

from .conftest import draft

pytestmark = pytest.mark.django_db
URL = "/admin/cases/typicalcase/"


def _officer(username: str, unit_code: str, role: str) -> tuple[User, Client]:
    user = User.objects.create_user(
        username=username, password="x-very-long-pass", is_staff=True, full_name=username,
        unit=Unit.objects.get(code=unit_code), roles=[role],
    )  # fmt: skip
    return user, verified_login(Client(), user)


def _form(**changes) -> dict:
    data = {
        "kind": "honour", "title": "北京华信科技有限公司守信经营", "summary": "连续五年无失信记录。",
        "body": "该公司诚信经营。", "subject": "", "record_ids": "", "list_entry_ids": "",
        "district": "", "occurred_on": "2026-02-10",
    }  # fmt: skip
    data.update(changes)
    return data


def test_an_officer_writes_publishes_and_withdraws_a_case(company, penalty):
    user, client = _officer("gsj-wang", "bj-gongshangju", Role.CASE_OFFICER)
    assert client.get(f"{URL}add/").status_code == 200
    answer = client.post(f"{URL}add/", _form(subject=str(company.pk), record_ids=f"{penalty.pk}"))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    case = TypicalCase.objects.get()
    assert (case.status, case.unit.code, case.record_ids, case.created_by) == (
        CaseStatus.DRAFT, "bj-gongshangju", [penalty.pk], f"user:{user.pk}",
    )  # fmt: skip
    added = AuditEvent.objects.get(action="typical_case.add")
    assert (added.actor, added.target_id) == (f"user:{user.pk}", str(case.pk))

    client.post(URL, {"action": "publish", "_selected_action": [case.pk]})
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED and case.published_by == f"user:{user.pk}"
    assert client.get(f"{URL}{case.pk}/change/").status_code == 200  # shown read-only
    assert client.post(f"{URL}{case.pk}/change/", _form(title="改")).status_code == 403

    confirm = client.post(URL, {"action": "withdraw", "_selected_action": [case.pk]})
    assert "撤回典型案例" in confirm.content.decode()
    blank = client.post(
        URL, {"action": "withdraw", "_selected_action": [case.pk], "confirm": "yes", "reason": ""}
    )
    assert "请填写撤回理由" in blank.content.decode()
    client.post(
        URL, {"action": "withdraw", "_selected_action": [case.pk], "confirm": "yes", "reason": "信息有误"}
    )
    case.refresh_from_db()
    assert (case.status, case.withdrawn_reason) == (CaseStatus.WITHDRAWN, "信息有误")
    actions = (
        AuditEvent.objects.filter(target_type="typical_case").order_by("seq").values_list("action", flat=True)
    )
    assert list(actions) == ["typical_case.add", "case.publish", "case.withdraw"]


def test_the_form_refuses_a_person_with_a_chinese_message(person):
    _, client = _officer("gsj-li", "bj-gongshangju", Role.DATA_OFFICER)
    answer = client.post(f"{URL}add/", _form(subject=str(person.pk), record_ids="1, x"))
    text = answer.content.decode()
    assert answer.status_code == 200
    assert "关联双公示信息编号应为数字编号，多个编号用逗号分隔" in text
    answer = client.post(f"{URL}add/", _form(subject=str(person.pk)))
    assert "典型案例不得关联自然人，只能关联法人和非法人组织" in answer.content.decode()
    assert not TypicalCase.objects.exists()
    assert not AuditEvent.objects.filter(target_type="typical_case").exists()


def test_each_unit_sees_its_own_cases_and_the_credit_office_all(company):
    own = draft(title="工商局的案例")
    other = draft(title="财政局的案例", unit=Unit.objects.get(code="bj-caizhengju"))
    _, gsj = _officer("gsj-zhao", "bj-gongshangju", Role.CASE_OFFICER)
    page = gsj.get(URL).content.decode()
    assert "工商局的案例" in page and "财政局的案例" not in page
    assert gsj.get(f"{URL}{other.pk}/change/").status_code == 302  # not in its queryset
    gsj.post(URL, {"action": "publish", "_selected_action": [other.pk]})
    assert TypicalCase.objects.get(pk=other.pk).status == CaseStatus.DRAFT
    _, office = _officer("xxb-sun", "bj-jingxinwei", Role.REVIEWER)
    page = office.get(URL).content.decode()
    assert "工商局的案例" in page and "财政局的案例" in page
    office.post(URL, {"action": "publish", "_selected_action": [own.pk, other.pk]})
    assert set(TypicalCase.objects.values_list("status", flat=True)) == {CaseStatus.PUBLISHED}


def test_a_draft_is_deleted_one_at_a_time_audited_and_a_published_case_not_at_all(company):
    user, client = _officer("gsj-qian", "bj-gongshangju", Role.CASE_OFFICER)
    doomed, kept = draft(title="删除的草稿"), draft(title="发布的案例")
    client.post(URL, {"action": "publish", "_selected_action": [kept.pk]})
    assert "delete_selected" not in client.get(URL).content.decode()  # a bulk delete would not be audited
    assert client.post(f"{URL}{kept.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"{URL}{doomed.pk}/delete/", {"post": "yes"}).status_code == 302
    assert list(TypicalCase.objects.values_list("title", flat=True)) == ["发布的案例"]
    deleted = AuditEvent.objects.get(action="typical_case.delete")
    assert (deleted.actor, deleted.target_id) == (f"user:{user.pk}", str(doomed.pk))
