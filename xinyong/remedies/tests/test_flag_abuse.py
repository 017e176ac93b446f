"""Due process that cannot be abused (issue 12): an objection flags its target (异议处理中, shown to the public)
at once only when the subject itself or the providing unit files it; any other filer — another subject's
account or a unit's public token with a junk "power of attorney", another unit's officer — is received
without a flag, and the flag goes on when the credit office accepts it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.support.commitments import account_for
from tests.support.records import COMPANY, cf_row, uscc_make
from tests.support.remedies import (
    ACCEPTED_AT,
    CZJ,
    FILED_AT,
    GSJ,
    PDF,
    REVIEWER,
    VERIFIED_AT,
    file,
    receive,
)
from xinyong.audit.models import AuditEvent
from xinyong.core.evidence import Upload
from xinyong.records.models import Record, RecordStatus
from xinyong.remedies import services
from xinyong.remedies.tests.test_api import clock, unit_client  # noqa: F401 - fixture reused
from xinyong.remedies.tests.test_objections import refusal
from xinyong.subjects.models import Subject

JUNK = {"agent_name": "某某咨询公司", "authorisation": [Upload("委托书.pdf", b"%PDF-1.4\n junk")]}


@pytest.fixture
def rival(penalty, remedies_reference):
    """Another company's own verified account."""
    other = uscc_make("9111010800054321")
    receive([cf_row(CF_XDR_SHXYM=other, CF_XDR_MC="北京竞争科技有限公司", CF_WSH="京工商罚字〔2025〕第99号",
                    CF_JDRQ="2025-09-20")], key="rival")  # fmt: skip
    return account_for(Subject.objects.get(uscc=other), username="rival")


def status(record) -> str:
    return Record.objects.get(pk=record.pk).status


def public_flag(record_pk: int):
    profile = Client().get(f"/api/v1/subjects/{COMPANY}/profile").json()
    shown = next(r for c in profile["categories"] for r in c["records"] if r["record_id"] == record_pk)
    return shown["status"], shown["under_objection_since"]


def test_another_subjects_account_with_a_junk_power_of_attorney_does_not_flag(rival, penalty):
    received = file(rival, penalty.pk, **JUNK)
    assert (received.state, received.flagged_at) == ("submitted", None)
    assert status(penalty) == RecordStatus.PUBLISHED
    event = AuditEvent.objects.filter(action="objection.file").get()
    assert event.payload["flagged"] is False
    assert not AuditEvent.objects.filter(action="record.objection_flag").exists()
    accepted = services.objection_accept(actor=REVIEWER, objection_id=received.pk, now=ACCEPTED_AT)
    assert (accepted.state, accepted.flagged_at) == ("with_provider", ACCEPTED_AT)
    assert status(penalty) == RecordStatus.UNDER_OBJECTION
    flag = AuditEvent.objects.filter(action="record.objection_flag").get()
    assert flag.payload["objection_id"] == received.pk and flag.occurred_at == ACCEPTED_AT


def test_the_public_profile_shows_the_flag_only_once_accepted(penalty, remedies_reference, clock):  # noqa: F811
    public_token = unit_client("bj-caizhengju", "public")
    answer = public_token.post("/api/v1/objections", {
        "target_kind": "record", "target_id": penalty.pk, "grounds": "error", "description": "暂停公示",
        "applicant_name": "北京华信科技有限公司", "agent_name": "某某咨询公司", "files": [
            SimpleUploadedFile(PDF.name, PDF.data)],
        "authorisation": [SimpleUploadedFile("委托书.pdf", b"%PDF-1.4\n junk")]})  # fmt: skip
    assert answer.status_code == 201, answer.content
    assert (answer.json()["state"], answer.json()["flagged_at"]) == ("submitted", None)
    assert public_flag(penalty.pk) == ("published", None)
    clock.set(ACCEPTED_AT)
    reviewer = unit_client("bj-jingxinwei", "reviewer")
    accepted = reviewer.post(f"/api/v1/objections/{answer.json()['id']}/accept", {}, "application/json")
    assert accepted.status_code == 200 and accepted.json()["flagged_at"] == ACCEPTED_AT.isoformat()
    assert public_flag(penalty.pk) == ("under_objection", "2026-10-09T15:00:00+08:00")


def test_the_subject_itself_and_the_providing_unit_flag_at_once(own, penalty, rival):
    junk = file(rival, penalty.pk, **JUNK)
    mine = file(own, penalty.pk)  # a received objection does not lock the subject out
    assert (mine.flagged_at, status(penalty)) == (FILED_AT, RecordStatus.UNDER_OBJECTION)
    error = refusal(services.objection_accept, actor=REVIEWER, objection_id=junk.pk, now=ACCEPTED_AT)
    assert (error.code, error.message) == (
        "objection.already_open", f"该对象已有正在办理的异议（异议 #{mine.pk}），请等待其办结")  # fmt: skip
    services.objection_refuse(actor=REVIEWER, objection_id=junk.pk, reason="重复异议", now=ACCEPTED_AT)
    assert status(penalty) == RecordStatus.UNDER_OBJECTION  # the subject's objection keeps its flag
    error = refusal(file, rival, penalty.pk, **JUNK)
    assert error.code == "objection.already_open"


@pytest.mark.parametrize(("officer", "flags"), [(GSJ, True), (CZJ, False)])
def test_an_officer_registering_a_written_objection_flags_only_for_the_providing_unit(
    penalty, remedies_reference, officer, flags
):
    registered = file(officer, penalty.pk)
    assert (registered.flagged_at is not None, status(penalty)) == (
        flags, RecordStatus.UNDER_OBJECTION if flags else RecordStatus.PUBLISHED)  # fmt: skip


def test_refusing_a_received_objection_touches_no_flag(rival, penalty):
    received = file(rival, penalty.pk, **JUNK)
    services.objection_refuse(actor=REVIEWER, objection_id=received.pk, reason="委托书无效", now=VERIFIED_AT)
    assert status(penalty) == RecordStatus.PUBLISHED
    assert not AuditEvent.objects.filter(action__startswith="record.objection").exists()
