"""/me/consents/ (查询授权, issue 15): the subject lists, grants and revokes its consents through the disclosure
services the API calls (each change audited); refusals in Chinese; an agent needs the `consent` scope of its
power of attorney. Clock: Wed 2026-09-30 10:00 Beijing."""

import datetime as dt
import re

import pytest

from tests.support.accounts import agency_make, agent_make, signed_in
from tests.support.factories import SubjectFactory, make_uscc
from tests.support.remedies import FILED_AT
from xinyong.accounts.models import AgencyScope, Unit, User
from xinyong.audit.models import AuditEvent
from xinyong.disclosure.models import Consent

URL = "/me/consents/"
GRANT = {"grantee": "bj-jinrongju", "purpose": "贷款审批", "valid_until": "2026-12-31"}


def text(answer) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.content.decode()))


@pytest.fixture
def huaxin(own, clock):
    clock.set(FILED_AT)
    return signed_in(User.objects.get(pk=own.user_id))


def test_the_subject_grants_lists_and_revokes(huaxin, company):
    assert "尚未授权任何单位。" in text(huaxin.get(URL))
    granted = huaxin.post(URL, GRANT)
    assert (granted.status_code, granted["Location"]) == (302, URL)
    consent = Consent.objects.get()
    assert (consent.subject_id, consent.grantee.code, consent.purpose) == (
        company.pk,
        "bj-jinrongju",
        "贷款审批",
    )
    assert consent.valid_until == dt.date(2026, 12, 31)
    listed = text(huaxin.get(URL))
    assert "已授权市金融局查询本主体的非公开信息，有效期至 2026年12月31日" in listed
    assert "市金融局 贷款审批 2026年09月30日 10:00 2026年12月31日 有效 撤回" in listed
    revoked = huaxin.post(f"/me/consents/{consent.pk}/revoke")
    assert (revoked.status_code, revoked["Location"]) == (302, URL)
    listed = text(huaxin.get(URL))
    assert "已撤回对市金融局的授权" in listed and "已于 2026年09月30日 10:00 撤回" in listed
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="consent.").order_by("seq")] == [
        "consent.grant",
        "consent.revoke",
    ]
    again = huaxin.post(f"/me/consents/{consent.pk}/revoke")
    assert again.status_code == 409 and "该授权已撤回" in text(again)


def test_each_field_is_refused_in_chinese(huaxin):
    answer = huaxin.post(URL, {"grantee": "", "purpose": "", "valid_until": "明年"})
    assert answer.status_code == 400
    shown = text(answer)
    for line in (
        "被授权单位：请选择被授权单位",
        "授权用途：请填写授权用途",
        "有效期至：请按 2026-12-31 的格式填写日期",
    ):
        assert line in shown
    late = huaxin.post(URL, {**GRANT, "valid_until": "2028-01-01"})
    assert late.status_code == 400 and "有效期至：授权有效期须在今天到一年以内" in text(late)
    blank = huaxin.post(URL, {**GRANT, "purpose": "   "})
    assert blank.status_code == 400 and "授权用途：请填写授权用途" in text(blank)
    wrong = huaxin.post(URL, {**GRANT, "grantee": "bj-nowhere"})
    assert wrong.status_code == 400 and "被授权单位：请从列表中选择被授权单位" in text(wrong)
    assert Consent.objects.count() == 0


def test_another_subjects_consent_is_not_found(huaxin, company, remedies_reference):
    other = SubjectFactory(name="北京另一家贸易有限公司", uscc=make_uscc(7100))
    consent = Consent.objects.create(
        subject=other, grantee=Unit.objects.get(code="bj-jinrongju"), purpose="x", granted_at=FILED_AT,
        valid_until=dt.date(2026, 12, 31), recorded_by="user:1",
    )  # fmt: skip
    answer = huaxin.post(f"/me/consents/{consent.pk}/revoke")
    assert answer.status_code == 404 and f"授权 {consent.pk} 不存在" in text(answer)
    assert Consent.objects.get(pk=consent.pk).revoked_at is None


def test_an_agent_needs_the_consent_scope(company, remedies_reference, clock):
    clock.set(FILED_AT)
    agent = agent_make()
    without = agency_make(agent, company, valid_to=dt.date(2026, 10, 10))
    answer = signed_in(agent, acting=without).get(URL)
    assert answer.status_code == 403
    assert "授权委托书的委托事项不包括“查询授权”，代理人不能代为办理" in text(answer)
    within = agency_make(agent, company, scope=(AgencyScope.CONSENT,), valid_to=dt.date(2026, 10, 10))
    client = signed_in(agent, acting=within)
    assert client.post(URL, GRANT).status_code == 302
    event = AuditEvent.objects.get(action="consent.grant")
    assert event.actor == f"user:{agent.pk}" and Consent.objects.get().subject_id == company.pk


def test_a_user_who_is_no_subject_is_refused(remedies_reference, clock):
    clock.set(FILED_AT)
    plain = signed_in(User.objects.create_user(username="nobody", password="x-strong-password-1"))
    for answer in (plain.get(URL), plain.post(URL, GRANT), plain.post("/me/consents/1/revoke")):
        assert answer.status_code == 403
        assert "仅限已实名核验的信用主体账户，或正在代为办理的代理人使用" in text(answer)
    assert Consent.objects.count() == 0


def test_the_new_services_are_linked_from_me_and_from_the_home_page(huaxin):
    actions = re.search(r'<ul id="actions">(.*?)</ul>', huaxin.get("/me/").content.decode(), re.S).group(1)
    assert '<li><a href="/me/reports/new">申请信用报告</a></li>' in actions
    assert '<li><a href="/me/consents/">查询授权</a></li>' in actions
    services = re.search(
        r'<ul class="services" id="services">(.*?)</ul>', huaxin.get("/").content.decode(), re.S
    )
    for link in (
        '<a href="/tipoffs/new">失信行为举报（可匿名）</a>',
        '<a href="/me/reports/new">申请信用报告</a>',
        '<a href="/me/consents/">查询授权</a>',
    ):
        assert link in services.group(1)
