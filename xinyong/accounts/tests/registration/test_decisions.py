"""Issue 14, the credit office's decisions on registrations (`application_verify`, `application_reject`),
powers of attorney (accounts/agencies.py), the documents' audited reads and the applicant's progress."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.registration import (
    AUDITOR,
    NOW,
    OFFICE,
    OFFICER,
    PDF_BYTES,
    RIC,
    TODAY,
    USCC,
    enterprise_subject,
    person_subject,
    submit,
)
from xinyong.accounts import agencies, documents, registration
from xinyong.accounts.models import AccountApplication, Agency, SubjectAccount
from xinyong.accounts.registrationreads import application_progress
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import DomainError

pytestmark = pytest.mark.django_db
LATER = NOW + dt.timedelta(days=1)  # Tuesday 2026-11-03 in Beijing


def refusal(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    return caught.value


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


def test_verifying_an_enterprise_links_its_user_to_the_registered_subject(uploads):
    subject = enterprise_subject()
    app = submit("enterprise")
    done = registration.application_verify(actor=OFFICE, application_id=app.pk, now=LATER, note="原件一致")
    account = SubjectAccount.objects.get(user=app.user)
    assert (account.subject_id, account.method, account.verified_by, account.verified_at) == (
        subject.pk, "counter", "user:office1", LATER,
    )  # fmt: skip
    app.user.refresh_from_db()
    assert app.user.roles == ["subject"]
    done.refresh_from_db()
    assert (done.status, done.decided_by, done.decided_at, done.reason) == (
        "verified",
        "user:office1",
        LATER,
        "原件一致",
    )
    assert actions()[-2:] == ["account.link_subject", "account.verify"]
    event = AuditEvent.objects.get(action="account.verify")
    assert (event.actor, event.target_id, event.reason, event.payload) == (
        "user:office1", str(app.pk), "原件一致", {"kind": "enterprise", "user": app.user_id},
    )  # fmt: skip


def test_verifying_a_person_finds_the_subject_by_the_keyed_hash(uploads):
    subject = person_subject()
    app = submit("person")
    registration.application_verify(actor=OFFICE, application_id=app.pk, now=LATER)
    assert SubjectAccount.objects.get(user=app.user).subject_id == subject.pk


def test_verifying_an_agent_records_the_power_of_attorney(uploads):
    subject = enterprise_subject()
    app = submit("agent")
    registration.application_verify(actor=OFFICE, application_id=app.pk, now=LATER)
    agency = Agency.objects.get(agent=app.user)
    assert (agency.subject_id, agency.scope, agency.valid_from, agency.valid_to, agency.application_id) == (
        subject.pk, ["objection", "repair"], dt.date(2026, 11, 3), dt.date(2027, 6, 30), app.pk,
    )  # fmt: skip
    assert (agency.verified_by, agency.verified_at, agency.revoked_at) == ("user:office1", LATER, None)
    assert not SubjectAccount.objects.filter(user=app.user).exists()
    assert actions()[-2:] == ["agency.grant", "account.verify"]
    person = person_subject()
    for_person = submit("agent", username="agent-2", subject_code="", resident_id=RIC, scope=["report"])
    registration.application_verify(actor=OFFICE, application_id=for_person.pk, now=LATER)
    assert Agency.objects.get(agent=for_person.user).subject_id == person.pk


def test_an_unregistered_subject_is_refused_and_nothing_changes(uploads):
    app = submit("enterprise")
    err = refusal(registration.application_verify, actor=OFFICE, application_id=app.pk, now=LATER)
    assert (err.code, err.status, err.message) == (
        "account.subject_not_registered", 409,
        f"信用主体库中没有 {USCC} 对应的主体：请先登记该主体，再核验此申请",
    )  # fmt: skip
    person = submit("person")
    err = refusal(registration.application_verify, actor=OFFICE, application_id=person.pk, now=LATER)
    assert err.message == f"信用主体库中没有 {person.person_masked} 对应的主体：请先登记该主体，再核验此申请"
    assert set(AccountApplication.objects.values_list("status", flat=True)) == {"pending"}
    assert not SubjectAccount.objects.exists()
    assert "account.verify" not in actions()


def test_an_application_is_decided_once(uploads):
    enterprise_subject()
    app = submit("enterprise")
    registration.application_verify(actor=OFFICE, application_id=app.pk, now=LATER)
    for call, extra in (
        (registration.application_verify, {}),
        (registration.application_reject, {"reason": "x"}),
    ):
        err = refusal(call, actor=OFFICE, application_id=app.pk, now=LATER, **extra)
        assert (err.code, err.status, err.message) == (
            "account.application_decided", 409, "该申请已有结果（已核验，2026-11-03），不能再次处理",
        )  # fmt: skip
    rejected = submit("person")
    registration.application_reject(actor=OFFICE, application_id=rejected.pk, now=LATER, reason="照片模糊")
    err = refusal(registration.application_verify, actor=OFFICE, application_id=rejected.pk, now=LATER)
    assert err.message == "该申请已有结果（未通过，2026-11-03），不能再次处理"
    assert refusal(registration.application_verify, actor=OFFICE, application_id=999, now=LATER).status == 404


def test_rejecting_needs_a_reason_that_the_applicant_reads(uploads):
    app = submit("person")
    err = refusal(registration.application_reject, actor=OFFICE, application_id=app.pk, now=LATER, reason=" ")
    assert (err.code, err.status, err.errors[0]["field"], err.message) == (
        "account.reason_required", 400, "reason", "请填写不予通过的理由",
    )  # fmt: skip
    registration.application_reject(actor=OFFICE, application_id=app.pk, now=LATER, reason="身份证件照片模糊")
    app.refresh_from_db()
    assert (app.status, app.reason, app.decided_by) == ("rejected", "身份证件照片模糊", "user:office1")
    event = AuditEvent.objects.get(action="account.reject")
    assert (event.reason, event.target_id) == ("身份证件照片模糊", str(app.pk))
    assert application_progress(code=app.query_code.lower()) == {
        "kind_label": "个人账户", "state_label": "未通过", "filed_at": "2026-11-02T10:00:00+08:00",
        "deadlines": {}, "result": "身份证件照片模糊", "reply": "",
        "steps": [
            {"action_label": "提交实名注册申请", "at": "2026-11-02T10:00:00+08:00", "reason": ""},
            {"action_label": "不予通过", "at": "2026-11-03T10:00:00+08:00", "reason": "身份证件照片模糊"},
        ],
    }  # fmt: skip


def test_only_the_credit_office_decides(uploads):
    enterprise_subject()
    app = submit("enterprise")
    for actor in (OFFICER, AUDITOR):
        for call, extra in (
            (registration.application_verify, {}),
            (registration.application_reject, {"reason": "x"}),
        ):
            err = refusal(call, actor=actor, application_id=app.pk, now=LATER, **extra)
            assert (err.code, err.status) == ("auth.role_required", 403)
    app.refresh_from_db()
    assert app.status == "pending"


def test_an_agent_whose_end_date_passed_before_verification_is_refused(uploads):
    enterprise_subject()
    app = submit("agent", agency_valid_to=dt.date(2026, 11, 10))
    err = refusal(
        registration.application_verify, actor=OFFICE, application_id=app.pk, now=NOW + dt.timedelta(days=9)
    )
    assert (err.code, err.message) == (
        "agency.end_past",
        "委托截止日期 2026-11-10 早于起始日期 2026-11-11：委托已过期",
    )
    assert not Agency.objects.exists()
    app.refresh_from_db()
    assert app.status == "pending"


def test_progress_while_pending_and_wrong_codes(uploads):
    app = submit("enterprise")
    shown = application_progress(code=app.query_code)
    assert (shown["state_label"], shown["result"]) == (
        "待核验", "请携带所提交材料的原件到信用办窗口核验；核验通过后即可使用账户办理业务",
    )  # fmt: skip
    for wrong in ("ZC-0000-0000-0000-0000", "hello"):
        err = refusal(application_progress, code=wrong)
        assert (err.code, err.status, err.message) == (
            "query_code.not_found",
            404,
            "查询码不正确，或没有对应的申请",
        )


def test_agency_grant_and_revoke(uploads):
    subject = enterprise_subject()
    user = submit("person").user
    grant = dict(actor=OFFICE, agent=user, subject_id=subject.pk, valid_from=TODAY, now=NOW)
    err = refusal(agencies.agency_grant, scope=["consent", "nope"], valid_to=TODAY, **grant)
    assert (err.code, err.message) == ("agency.scope_invalid", "委托事项不在可选范围内：nope")
    err = refusal(agencies.agency_grant, scope=["consent"], valid_to=dt.date(2031, 11, 3), **grant)
    assert err.code == "agency.too_long"
    assert (
        refusal(
            agencies.agency_grant, scope=["consent"], valid_to=TODAY, **{**grant, "actor": OFFICER}
        ).status
        == 403
    )
    agency = agencies.agency_grant(scope=["consent", "report"], valid_to=TODAY, **grant)
    assert (agency.scope, agency.valid_from, agency.valid_to) == (["report", "consent"], TODAY, TODAY)
    event = AuditEvent.objects.get(action="agency.grant")
    assert event.payload == {"agent": user.pk, "subject": subject.pk, "scope": ["report", "consent"],
                             "valid_from": "2026-11-02", "valid_to": "2026-11-02", "application": None}  # fmt: skip
    revoke = dict(actor=OFFICE, agency_id=agency.pk, now=LATER)
    assert refusal(agencies.agency_revoke, reason="", **revoke).code == "agency.reason_required"
    assert refusal(agencies.agency_revoke, reason="x", **{**revoke, "actor": AUDITOR}).status == 403
    assert refusal(agencies.agency_revoke, reason="x", **{**revoke, "agency_id": 999}).status == 404
    agencies.agency_revoke(reason="委托人书面撤回委托", **revoke)
    agency.refresh_from_db()
    assert (agency.revoked_at, agency.revoked_by) == (LATER, "user:office1")
    event = AuditEvent.objects.get(action="agency.revoke")
    assert (event.reason, event.payload) == ("委托人书面撤回委托", {"agent": user.pk, "subject": subject.pk})
    err = refusal(agencies.agency_revoke, reason="again", **revoke)
    assert (err.code, err.status, err.message) == (
        "agency.already_revoked", 409, f"授权委托 {agency.pk} 已于 2026-11-03 撤销，不能再次撤销",
    )  # fmt: skip


def test_documents_are_read_by_the_credit_office_only_and_each_read_is_audited(uploads):
    doc = submit("enterprise").documents.get()
    read = dict(application_id=doc.application_id, document_id=doc.pk, now=LATER)
    assert refusal(documents.document_read, actor=OFFICER, **read).status == 403
    found, data = documents.document_read(actor=OFFICE, **read)
    assert (found.pk, data) == (doc.pk, PDF_BYTES)
    event = AuditEvent.objects.get(action="account.document_view")
    assert (event.actor, event.target_id, event.payload) == (
        "user:office1", str(doc.application_id), {"document": doc.pk, "kind": "licence", "sha256": doc.sha256},
    )  # fmt: skip
    err = refusal(documents.document_read, actor=OFFICE, **{**read, "application_id": doc.application_id + 1})
    assert (err.code, err.status) == ("account.document_not_found", 404)
    (uploads / doc.stored_name).unlink()
    err = refusal(documents.document_read, actor=OFFICE, **read)
    assert (err.code, err.status) == ("account.document_not_found", 404)
