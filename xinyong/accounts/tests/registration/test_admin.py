"""Issue 14, the back office of registrations, subject accounts, agents and OIDC identities
(accounts/subjectadmin.py): the credit office only, masked resident IDs, verify / refuse / revoke through
the services, audited document downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.support.otp import verified_login
from tests.support.registration import (
    PDF_BYTES,
    RIC,
    enterprise_subject,
    person_subject,
    submit,
)
from xinyong.accounts.models import (
    AccountApplication,
    Agency,
    OidcIdentity,
    SubjectAccount,
    Unit,
    UnitType,
    User,
)
from xinyong.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
LIST = "/admin/accounts/accountapplication/"


def _unit_for(roles) -> Unit:
    """The credit office for its own roles, a municipal department for the others (officers have a unit)."""
    if set(roles) & {"reviewer", "admin", "auditor"}:
        code, name, kind = "bj-jingxinwei", "市经济信息化委", UnitType.CREDIT_OFFICE
    else:
        code, name, kind = "bj-tiyuju", "市体育局", UnitType.MUNICIPAL_DEPARTMENT
    return Unit.objects.get_or_create(code=code, defaults={"name": name, "type": kind})[0]


def signed_in(roles=("reviewer",), superuser=False) -> tuple[Client, User]:
    user = User.objects.create_user(username=f"staff-{'-'.join(roles)}{superuser}", password=None, is_staff=True,
                                    roles=list(roles), is_superuser=superuser, unit=_unit_for(roles))  # fmt: skip
    return verified_login(Client(), user), user


def said(answer) -> list[str]:
    return [str(m) for m in answer.context["messages"]] if answer.context else []


def test_the_office_lists_filters_and_searches_with_ids_masked(uploads):
    person = submit("person")
    enterprise = submit("enterprise")
    client, _ = signed_in()
    page = client.get(LIST).content.decode()
    assert person.query_code in page and enterprise.query_code in page
    assert person.person_masked in page and RIC not in page and person.person_hash not in page
    filtered = client.get(LIST, {"kind__exact": "person"}).content.decode()
    assert person.query_code in filtered and enterprise.query_code not in filtered
    found = client.get(LIST, {"q": enterprise.query_code}).content.decode()
    assert enterprise.query_code in found and person.query_code not in found
    detail = client.get(f"{LIST}{person.pk}/change/").content.decode()
    assert RIC not in detail and person.person_hash not in detail
    assert f'href="{LIST}{person.pk}/documents/{person.documents.get().pk}/"' in detail
    for path in (
        "/admin/accounts/subjectaccount/",
        "/admin/accounts/agency/",
        "/admin/accounts/oidcidentity/",
    ):
        assert client.get(path).status_code == 200
    superuser, _ = signed_in(roles=(), superuser=True)
    assert superuser.get(LIST).status_code == 200


def test_others_do_not_see_these_pages(uploads):
    doc = submit("enterprise").documents.get()
    for roles in (("case_officer",), ("auditor",)):
        client, _ = signed_in(roles)
        for path in (LIST, f"{LIST}{doc.application_id}/change/", "/admin/accounts/agency/",
                     "/admin/accounts/subjectaccount/", "/admin/accounts/oidcidentity/"):  # fmt: skip
            assert client.get(path).status_code == 403, (roles, path)
        assert client.get(f"{LIST}{doc.application_id}/documents/{doc.pk}/").status_code == 403
        answer = client.post(LIST, {"action": "verify", "_selected_action": [doc.application_id]})
        assert answer.status_code == 403
    assert not AuditEvent.objects.filter(action="account.document_view").exists()
    assert AccountApplication.objects.get().status == "pending"


def test_verify_makes_a_counter_verified_subject_account_and_a_second_decision_is_refused(uploads, clock):
    subject = enterprise_subject()
    app = submit("enterprise")
    client, officer = signed_in()
    answer = client.post(LIST, {"action": "verify", "_selected_action": [app.pk]}, follow=True)
    assert said(answer) == ["法人账户 北京蓝桥科技有限公司：核验通过"]
    account = SubjectAccount.objects.get(user=app.user)
    assert (account.subject_id, account.method, account.verified_by) == (
        subject.pk,
        "counter",
        f"user:{officer.pk}",
    )
    assert AuditEvent.objects.get(action="account.verify").actor == f"user:{officer.pk}"
    again = client.post(LIST, {"action": "verify", "_selected_action": [app.pk]}, follow=True)
    assert said(again) == [
        "法人账户 北京蓝桥科技有限公司：该申请已有结果（已核验，2026-11-02），不能再次处理（account.application_decided）"
    ]
    assert SubjectAccount.objects.count() == 1


def test_verifying_an_agent_records_its_power_of_attorney_and_revoking_ends_it(uploads):
    subject = enterprise_subject()
    app = submit("agent")
    client, officer = signed_in(("admin",))
    client.post(LIST, {"action": "verify", "_selected_action": [app.pk]})
    agency = Agency.objects.get(agent=app.user)
    assert (agency.subject_id, agency.scope, agency.valid_to) == (
        subject.pk,
        ["objection", "repair"],
        dt.date(2027, 6, 30),
    )
    listing = client.get("/admin/accounts/agency/").content.decode()
    assert "异议申诉、信用修复" in listing and "有效" in listing
    agencies = "/admin/accounts/agency/"
    form = client.post(agencies, {"action": "revoke", "_selected_action": [agency.pk]})
    assert form.status_code == 200 and "撤销理由" in form.content.decode()
    empty = client.post(
        agencies, {"action": "revoke", "_selected_action": [agency.pk], "confirm": "yes", "reason": ""}
    )
    assert "请填写撤销理由" in empty.content.decode()
    done = client.post(agencies, {"action": "revoke", "_selected_action": [agency.pk], "confirm": "yes",
                                  "reason": "委托人撤回"}, follow=True)  # fmt: skip
    assert said(done) == [f"{agency}：已撤销"]
    agency.refresh_from_db()
    assert agency.revoked_by == f"user:{officer.pk}"
    assert AuditEvent.objects.get(action="agency.revoke").reason == "委托人撤回"
    assert "已撤销" in client.get(agencies).content.decode()


def test_refusing_asks_for_a_reason_and_the_applicant_reads_it(uploads):
    app = submit("person")
    client, _ = signed_in()
    form = client.post(LIST, {"action": "reject", "_selected_action": [app.pk]})
    assert form.status_code == 200 and "不予通过的理由" in form.content.decode()
    empty = client.post(
        LIST, {"action": "reject", "_selected_action": [app.pk], "confirm": "yes", "reason": " "}
    )
    assert "请填写不予通过的理由" in empty.content.decode()
    assert AccountApplication.objects.get().status == "pending"
    client.post(
        LIST, {"action": "reject", "_selected_action": [app.pk], "confirm": "yes", "reason": "证件照片模糊"}
    )
    app.refresh_from_db()
    assert (app.status, app.reason) == ("rejected", "证件照片模糊")
    assert "证件照片模糊" in Client().get("/progress/", {"code": app.query_code}).content.decode()


def test_an_unregistered_subject_is_a_message_not_an_error_page(uploads):
    app = submit("enterprise")
    client, _ = signed_in()
    answer = client.post(LIST, {"action": "verify", "_selected_action": [app.pk]}, follow=True)
    assert answer.status_code == 200
    assert said(answer) == [
        f"法人账户 北京蓝桥科技有限公司：信用主体库中没有 {app.subject_code} 对应的主体：请先登记该主体，再核验此申请"
        "（account.subject_not_registered）"
    ]


def test_a_document_downloads_for_the_office_and_the_read_is_audited(uploads):
    app = submit("enterprise")
    doc = app.documents.get()
    client, officer = signed_in()
    answer = client.get(f"{LIST}{app.pk}/documents/{doc.pk}/")
    assert answer.status_code == 200
    assert (answer["Content-Type"], answer.content) == ("application/pdf", PDF_BYTES)
    assert (
        answer["Content-Disposition"]
        == "attachment; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf"
    )
    assert "no-store" in answer["Cache-Control"]
    event = AuditEvent.objects.get(action="account.document_view")
    assert (event.actor, event.payload["document"]) == (f"user:{officer.pk}", doc.pk)
    other = submit("person")
    assert client.get(f"{LIST}{other.pk}/documents/{doc.pk}/").status_code == 404  # not that application's
    assert AuditEvent.objects.filter(action="account.document_view").count() == 1


def test_subject_accounts_and_oidc_identities_are_read_only(uploads):
    person_subject()
    app = submit("person")
    client, _ = signed_in()
    client.post(LIST, {"action": "verify", "_selected_action": [app.pk]})
    OidcIdentity.objects.create(
        user=app.user, issuer="https://id.example.cn", sub="abc", linked_at=app.submitted_at
    )
    page = client.get("/admin/accounts/subjectaccount/").content.decode()
    assert "窗口核验（证照材料）" in page
    assert "https://id.example.cn" in client.get("/admin/accounts/oidcidentity/").content.decode()
    account = SubjectAccount.objects.get()
    assert client.get(f"/admin/accounts/subjectaccount/{account.pk}/delete/").status_code == 403
    assert client.get("/admin/accounts/subjectaccount/add/").status_code == 403


def test_the_detail_page_offers_the_decisions_while_pending(uploads):
    enterprise_subject()
    app = submit("enterprise")
    client, _ = signed_in()
    page = client.get(f"{LIST}{app.pk}/change/").content.decode()
    decide = page[page.index('<div class="submit-row" id="decide">') :]
    main = page.index('id="accountapplication_form"')
    assert main < page.index("</form>", main) < page.index('id="decide"')  # the forms are not nested
    assert decide.count(f'action="{LIST}"') == 2
    assert 'name="action" value="verify"' in decide and 'name="action" value="reject"' in decide
    assert f'name="_selected_action" value="{app.pk}"' in decide
    client.post(LIST, {"action": "verify", "_selected_action": [app.pk]})
    assert 'id="decide"' not in client.get(f"{LIST}{app.pk}/change/").content.decode()
