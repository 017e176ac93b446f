"""The reviewer's steps from the workbench (issue 16): reviewing a list proposal and accepting or refusing an
objection through console forms — the state changes through the services, their audit events are written,
the item leaves the queue; four eyes holds; refusals are shown in Chinese on the form."""

import pytest
from django.test import Client

from tests.support.lists import REVIEWER
from tests.support.otp import verified_login
from tests.support.workbench import SEEN_AT
from xinyong.accounts.actors import user_actor
from xinyong.audit.models import AuditEvent
from xinyong.console.workbench.queues import workbench_items
from xinyong.lists import services as lists
from xinyong.lists.models import ListEntry
from xinyong.remedies.models import Objection

pytestmark = pytest.mark.django_db


def refs(user) -> list[str]:
    return [i.ref for i in workbench_items(actor=user_actor(user, ""), now=SEEN_AT)]


def last_audit() -> tuple[str, str, str]:
    event = AuditEvent.objects.order_by("-seq").first()
    return event.action, event.actor, event.target_id


def test_the_review_page_shows_the_proposal_and_its_form(world):
    answer = verified_login(Client(), world.reviewer).get(f"/console/lists/{world.entry.pk}/review/")
    assert answer.status_code == 200
    body = answer.content.decode()
    assert f"<h1>审核名单提议：名单条目 {world.entry.pk}</h1>" in body
    assert "在商品包装上作虚假宣传" in body and 'name="csrfmiddlewaretoken"' in body


def test_approving_sends_the_notice_writes_the_audit_event_and_leaves_the_queue(world):
    client = verified_login(Client(), world.reviewer)
    answer = client.post(f"/console/lists/{world.entry.pk}/review/", {"decision": "approve", "reason": ""})
    assert (answer.status_code, answer["Location"]) == (302, "/console/")
    entry = ListEntry.objects.get(pk=world.entry.pk)
    assert (entry.state, entry.reviewed_by) == ("notice_sent", f"user:{world.reviewer.pk}")
    event = AuditEvent.objects.filter(action="list_entry.approve").get()
    assert (event.actor, event.target_id) == (f"user:{world.reviewer.pk}", str(entry.pk))
    assert f"名单条目 {entry.pk}" not in refs(world.reviewer)
    body = client.get("/console/").content.decode()
    assert f"名单条目 {entry.pk} 已审核通过，告知书已发出" in body


def test_rejecting_needs_a_reason_said_in_chinese_on_its_field(world):
    client = verified_login(Client(), world.reviewer)
    answer = client.post(f"/console/lists/{world.entry.pk}/review/", {"decision": "reject", "reason": "  "})
    assert answer.status_code == 400
    body = answer.content.decode()
    assert '<p class="field-error" id="reason-error">审核不通过须说明理由</p>' in body
    assert ListEntry.objects.get(pk=world.entry.pk).state == "proposed"
    answer = client.post(
        f"/console/lists/{world.entry.pk}/review/", {"decision": "reject", "reason": "依据不足"}
    )
    assert answer.status_code == 302
    assert ListEntry.objects.get(pk=world.entry.pk).state == "rejected"
    assert AuditEvent.objects.filter(action="list_entry.reject", target_id=str(world.entry.pk)).count() == 1


def test_a_missing_decision_is_refused_in_chinese(world):
    answer = verified_login(Client(), world.reviewer).post(f"/console/lists/{world.entry.pk}/review/", {})
    assert answer.status_code == 400
    assert "请选择审核结论" in answer.content.decode()


def test_four_eyes_a_reviewer_never_gets_nor_reviews_its_own_proposal(world, company, penalty):
    own = lists.list_entry_propose(
        actor=user_actor(world.reviewer, ""),
        list_type="zdgz",
        subject=company,
        basis_record_ids=[penalty.pk],
        legal_basis="《市场监督管理严重违法失信名单管理办法》第二条",
        reasons="一年内受到两次以上较重行政处罚",
        now=SEEN_AT,
    )
    assert f"名单条目 {own.pk}" not in refs(world.reviewer)
    assert f"名单条目 {own.pk}" in refs(world.reviewer_2)
    client = verified_login(Client(), world.reviewer)
    assert client.get(f"/console/lists/{own.pk}/review/").status_code == 404
    answer = client.post(f"/console/lists/{own.pk}/review/", {"decision": "approve", "reason": ""})
    assert answer.status_code == 403
    assert f"四眼原则：提议人不能对自己的提议审核通过（名单条目 {own.pk}）" in answer.content.decode()
    assert ListEntry.objects.get(pk=own.pk).state == "proposed"


def test_another_units_officer_cannot_review_through_the_page(world):
    client = verified_login(Client(), world.czj_officer)
    assert client.get(f"/console/lists/{world.entry.pk}/review/").status_code == 404
    answer = client.post(f"/console/lists/{world.entry.pk}/review/", {"decision": "approve", "reason": ""})
    assert answer.status_code == 403
    assert "只有认定单位（市工商局）的工作人员或信用办审核员可以审核通过" in answer.content.decode()


def test_accepting_an_objection_sends_it_to_the_unit_and_leaves_the_reviewers_queue(world):
    client = verified_login(Client(), world.reviewer)
    page = client.get(f"/console/objections/{world.objection.pk}/accept/").content.decode()
    assert "罚款金额应为一万元" in page and "剩 1 个工作日" in page
    answer = client.post(f"/console/objections/{world.objection.pk}/accept/", {"decision": "accept"})
    assert answer.status_code == 302
    objection = Objection.objects.get(pk=world.objection.pk)
    assert objection.state == "with_provider" and objection.accepted_at == SEEN_AT
    assert last_audit() == ("objection.accept", f"user:{world.reviewer.pk}", str(objection.pk))
    assert f"异议 {objection.pk}" not in refs(world.reviewer)
    assert f"异议 {objection.pk}" in refs(world.gsj_officer)  # now the unit's to verify


def test_refusing_an_objection_needs_the_reason_that_becomes_the_reply(world):
    client = verified_login(Client(), world.reviewer)
    url = f"/console/objections/{world.objection.pk}/accept/"
    answer = client.post(url, {"decision": "refuse", "reason": ""})
    assert answer.status_code == 400 and "不予受理须说明理由" in answer.content.decode()
    answer = client.post(url, {"decision": "refuse", "reason": "同一事项已答复"})
    assert answer.status_code == 302
    objection = Objection.objects.get(pk=world.objection.pk)
    assert (objection.state, objection.reply) == ("refused", "同一事项已答复")
    actions = list(AuditEvent.objects.order_by("-seq").values_list("action", flat=True)[:2])
    assert actions == ["record.objection_clear", "objection.refuse"]  # the refusal, then the flag off


def test_a_unit_officer_cannot_accept_objections(world):
    client = verified_login(Client(), world.gsj_officer)
    assert client.get(f"/console/objections/{world.objection.pk}/accept/").status_code == 404
    answer = client.post(f"/console/objections/{world.objection.pk}/accept/", {"decision": "accept"})
    assert answer.status_code == 403 and "只有信用办审核员可以受理" in answer.content.decode()
    assert Objection.objects.get(pk=world.objection.pk).state == "submitted"


def test_the_forms_need_the_csrf_token(world):
    client = verified_login(Client(enforce_csrf_checks=True), world.reviewer)
    answer = client.post(f"/console/lists/{world.entry.pk}/review/", {"decision": "approve"})
    assert answer.status_code == 403
    assert ListEntry.objects.get(pk=world.entry.pk).state == "proposed"
    assert REVIEWER.label != f"user:{world.reviewer.pk}"
