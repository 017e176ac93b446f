"""Plan task 44: publishing and withdrawing 典型案例 — who may, in which state, the audit trail, and no link to a
natural person."""

import pytest

from tests.support.lists import DECIDER, OUTSIDER, REVIEWER, bj
from xinyong.audit.models import AuditEvent
from xinyong.cases.models import CaseStatus, TypicalCase
from xinyong.cases.services import case_links_check, case_publish, case_withdraw
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, PermissionDenied
from xinyong.records.models import Record

from .conftest import draft

pytestmark = pytest.mark.django_db
AT = bj(2026, 3, 3, 10)


def _events(case) -> list[tuple[str, str, str]]:
    rows = AuditEvent.objects.filter(target_type="typical_case", target_id=str(case.pk)).order_by("seq")
    return list(rows.values_list("action", "actor", "reason"))


def test_an_officer_of_the_publishing_unit_publishes_a_draft_audited(company, penalty, black):
    case = draft(subject=company, record_ids=[penalty.pk], list_entry_ids=[black.pk])
    published = case_publish(actor=DECIDER, case_id=case.pk, now=AT)
    case.refresh_from_db()
    assert (case.status, case.published_at, case.published_by) == (CaseStatus.PUBLISHED, AT, DECIDER.label)
    assert published.pk == case.pk
    assert _events(case) == [("case.publish", DECIDER.label, "")]
    event = AuditEvent.objects.get(action="case.publish")
    assert event.payload == {"kind": "dishonesty", "unit": "bj-gongshangju", "subject": company.pk}


def test_the_credit_office_publishes_for_any_unit(company):
    case = draft(subject=company)
    case_publish(actor=REVIEWER, case_id=case.pk, now=AT)
    assert TypicalCase.objects.get(pk=case.pk).status == CaseStatus.PUBLISHED


@pytest.mark.parametrize("who", ["other unit", "public"])
def test_another_units_officer_or_the_public_may_not_publish(company, who):
    actor = OUTSIDER if who == "other unit" else Actor.anonymous()
    case = draft(subject=company)
    with pytest.raises(PermissionDenied) as refused:
        case_publish(actor=actor, case_id=case.pk, now=AT)
    code = "case.not_own_unit" if who == "other unit" else "auth.role_required"
    assert refused.value.code == code
    assert TypicalCase.objects.get(pk=case.pk).status == CaseStatus.DRAFT
    assert _events(case) == []


def test_a_case_is_published_once(company):
    case = draft(subject=company)
    case_publish(actor=DECIDER, case_id=case.pk, now=AT)
    with pytest.raises(Conflict) as refused:
        case_publish(actor=DECIDER, case_id=case.pk, now=AT)
    assert (refused.value.code, refused.value.message) == ("case.not_draft", "只有草稿可以发布，该案例已发布")


def test_a_person_is_never_linked(person, company):
    licence = Record.objects.get(subject=person)
    assert case_links_check(subject_id=person.pk, record_ids=[], list_entry_ids=[]) == [
        {"field": "subject", "code": "case.person_linked",
         "message": "典型案例不得关联自然人，只能关联法人和非法人组织"},
    ]  # fmt: skip
    assert case_links_check(subject_id=None, record_ids=[licence.pk], list_entry_ids=[]) == [
        {"field": "record_ids", "code": "case.person_linked",
         "message": f"双公示信息 #{licence.pk} 涉及自然人，典型案例不得关联"},
    ]  # fmt: skip
    case = draft(subject=person)
    with pytest.raises(DomainError) as refused:
        case_publish(actor=DECIDER, case_id=case.pk, now=AT)
    assert refused.value.code == "case.links_refused"
    assert refused.value.errors[0]["code"] == "case.person_linked"
    assert TypicalCase.objects.get(pk=case.pk).status == CaseStatus.DRAFT
    assert _events(case) == []


def test_links_must_exist_and_be_of_the_linked_organisation(person, company, penalty):
    licence = Record.objects.get(subject=person)
    errors = case_links_check(
        subject_id=company.pk, record_ids=[penalty.pk, 999_999], list_entry_ids=[888_888]
    )
    assert errors == [
        {"field": "record_ids", "code": "case.link_not_found", "message": "双公示信息 #999999 不存在"},
        {"field": "list_entry_ids", "code": "case.link_not_found", "message": "名单记录 #888888 不存在"},
    ]
    other = case_links_check(subject_id=company.pk, record_ids=[licence.pk], list_entry_ids=[])
    assert [e["code"] for e in other] == ["case.person_linked"]


def test_withdraw_needs_a_reason_and_a_published_case(company):
    case = draft(subject=company)
    with pytest.raises(Conflict) as refused:
        case_withdraw(actor=DECIDER, case_id=case.pk, reason="内容有误", now=AT)
    assert refused.value.code == "case.not_published"
    case_publish(actor=DECIDER, case_id=case.pk, now=AT)
    with pytest.raises(DomainError) as blank:
        case_withdraw(actor=DECIDER, case_id=case.pk, reason="  ", now=AT)
    assert (blank.value.code, blank.value.message) == ("case.reason_required", "请填写撤回理由")
    with pytest.raises(PermissionDenied):
        case_withdraw(actor=OUTSIDER, case_id=case.pk, reason="内容有误", now=AT)
    later = bj(2026, 3, 5, 9)
    case_withdraw(actor=REVIEWER, case_id=case.pk, reason="当事人已完成信用修复", now=later)
    case.refresh_from_db()
    assert (case.status, case.withdrawn_at, case.withdrawn_by, case.withdrawn_reason) == (
        CaseStatus.WITHDRAWN, later, REVIEWER.label, "当事人已完成信用修复",
    )  # fmt: skip
    assert _events(case) == [
        ("case.publish", DECIDER.label, ""),
        ("case.withdraw", REVIEWER.label, "当事人已完成信用修复"),
    ]
