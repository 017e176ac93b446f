"""The reporter's identity is encrypted at rest, never in an audit payload, a progress answer or another unit's
answer, and each look at it by the handling unit is audited; progress by query code; the inbox with overdue
flags in working days across the 2026 National Day holiday."""

import json

import pytest
from django.db import connection

from tests.support.records import PERSON
from tests.support.tipoffs import (
    ACCEPT_DEADLINE,
    ACCEPTED_AT,
    CLOSED_AT,
    CONCLUDE_DEADLINE,
    CREDIT_OFFICE,
    GSJ,
    GSJ_AUDITOR,
    OUTSIDER,
    PUBLIC,
    bj,
    file,
    tipoff_in,
    walk,
)
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import DomainError
from xinyong.subjects.identity import person_decrypt
from xinyong.tipoffs import selectors, services
from xinyong.tipoffs.reporter import ReporterIdentity

pytestmark = pytest.mark.django_db
NAME, PHONE = "李秀英", "13912345678"
SECRETS = [NAME, PHONE, PERSON, PERSON[6:14]]


def refused(call, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    return caught.value


def test_identity_is_encrypted_at_rest(company):
    tipoff = file(reporter_id_number=PERSON)
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM tipoffs_tipoff WHERE id = %s", [tipoff.pk])
        row = [str(v) for v in cur.fetchone()]
        cur.execute(
            "SELECT reporter_name_cipher, reporter_phone_cipher, reporter_id_cipher, reporter_masked"
            " FROM tipoffs_tipoff WHERE id = %s",
            [tipoff.pk],
        )
        name_c, phone_c, id_c, masked = cur.fetchone()
    assert not any(secret in value for value in row for secret in SECRETS)
    assert [person_decrypt(c) for c in (name_c, phone_c, id_c)] == [NAME, PHONE, PERSON]
    assert masked == f"李**，139****5678，{PERSON[:6]}********{PERSON[-4:]}"


def test_identity_appears_in_no_audit_event(company):
    tipoff = walk(file(reporter_id_number=PERSON), "closed")
    selectors.tipoff_detail(actor=GSJ, tipoff_id=tipoff.pk, now=CLOSED_AT)
    events = list(AuditEvent.objects.filter(target_type="tipoff").values("action", "payload", "reason"))
    assert len(events) == 7
    text = json.dumps(events, ensure_ascii=False)
    assert not any(secret in text for secret in SECRETS)


def test_detail_reveals_identity_to_the_handling_unit_and_audits_the_look(company):
    tipoff = file(reporter_id_number=PERSON)
    found, identity = selectors.tipoff_detail(actor=GSJ, tipoff_id=tipoff.pk, now=ACCEPTED_AT)
    assert (found.pk, identity) == (tipoff.pk, ReporterIdentity(name=NAME, phone=PHONE, id_number=PERSON))
    event = AuditEvent.objects.get(action="tipoff.identity_read")
    assert (event.actor, event.unit_code, event.target_id, event.payload, event.occurred_at) == (
        GSJ.label,
        "bj-gongshangju",
        str(tipoff.pk),
        {"handling_unit": "bj-gongshangju"},
        ACCEPTED_AT,
    )


def test_anonymous_detail_has_no_identity_and_no_identity_read(company):
    tipoff = file(anonymous=True, reporter_name="", reporter_phone="")
    assert selectors.tipoff_detail(actor=GSJ, tipoff_id=tipoff.pk, now=ACCEPTED_AT)[1] is None
    assert not AuditEvent.objects.filter(action="tipoff.identity_read").exists()


@pytest.mark.parametrize(
    "actor",
    [OUTSIDER, CREDIT_OFFICE, GSJ_AUDITOR, PUBLIC],
    ids=["other_unit", "reviewer", "auditor", "public"],
)
def test_anyone_but_the_handling_unit_gets_404_as_for_a_missing_report(company, actor):
    tipoff = file()
    for tipoff_id in (tipoff.pk, 999):
        error = refused(selectors.tipoff_detail, actor=actor, tipoff_id=tipoff_id, now=ACCEPTED_AT)
        assert (error.code, error.message, error.status) == (
            "tipoff.not_found",
            f"举报 {tipoff_id} 不存在",
            404,
        )
    assert not AuditEvent.objects.filter(action="tipoff.identity_read").exists()


def test_after_rerouting_the_credit_office_no_longer_sees_it(company):
    tipoff = file(category="DJ")
    assert selectors.tipoff_detail(actor=CREDIT_OFFICE, tipoff_id=tipoff.pk, now=ACCEPTED_AT)[1].name == NAME
    services.tipoff_route(actor=CREDIT_OFFICE, tipoff_id=tipoff.pk, unit="市工商局", now=ACCEPTED_AT)
    assert (
        refused(selectors.tipoff_detail, actor=CREDIT_OFFICE, tipoff_id=tipoff.pk, now=ACCEPTED_AT).status
        == 404
    )
    assert selectors.tipoff_detail(actor=GSJ, tipoff_id=tipoff.pk, now=ACCEPTED_AT)[1].phone == PHONE


# ── progress by query code ──────────────────────────────────────────────────────────────────────────────


def test_progress_finds_the_report_by_a_loosely_typed_code(company):
    tipoff = file()
    typed = tipoff.query_code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    progress = selectors.tipoff_progress(code=typed)
    assert (progress["state"], progress["filed_at"]) == ("submitted", "2026-09-30T10:00:00+08:00")
    assert not any(secret in json.dumps(progress, ensure_ascii=False) for secret in SECRETS)


@pytest.mark.parametrize(
    "code", ["", "JB-0000-0000-0000-0000", "YY-0000-0000-0000-0000", "not a code", "JB-UUUU"]
)
def test_wrong_and_malformed_codes_get_the_same_404(company, code):
    file()
    error = refused(selectors.tipoff_progress, code=code)
    assert (error.code, error.message, error.status, error.extra) == (
        "tipoff.code_not_found",
        "查询码无效或不存在",
        404,
        {},
    )


# ── inbox and overdue, in working days ──────────────────────────────────────────────────────────────────


def _inbox(actor, now):
    return [
        (t.pk, t.state, due.kind, due.deadline, due.overdue, due.working_days)
        for t, due in selectors.tipoff_inbox(actor=actor, now=now)
    ]


def test_acceptance_overdue_counts_working_days_across_national_day(company):
    tipoff = file()
    # A count of weekdays only would end on Wed 10-07; the holiday calendar moves it to Tue 10-13 (Sat 10-10
    # is an adjusted working day).
    assert _inbox(GSJ, bj(2026, 10, 8, 9)) == [(tipoff.pk, "submitted", "accept", ACCEPT_DEADLINE, False, 0)]
    assert _inbox(GSJ, bj(2026, 10, 13, 23, 59, 59)) == [
        (tipoff.pk, "submitted", "accept", ACCEPT_DEADLINE, False, 0)
    ]
    assert _inbox(GSJ, bj(2026, 10, 14, 0, 0, 1)) == [
        (tipoff.pk, "submitted", "accept", ACCEPT_DEADLINE, True, 1)
    ]
    assert _inbox(GSJ, bj(2026, 10, 19, 9)) == [(tipoff.pk, "submitted", "accept", ACCEPT_DEADLINE, True, 4)]


def test_conclusion_overdue_and_what_leaves_the_inbox(company):
    investigating = tipoff_in("investigating")
    substantiated = tipoff_in("substantiated")
    tipoff_in("refused")
    tipoff_in("closed")
    assert _inbox(GSJ, bj(2026, 11, 20, 9)) == [
        (investigating.pk, "investigating", "conclude", CONCLUDE_DEADLINE, True, 1),
        (substantiated.pk, "substantiated", "", None, False, 0),
    ]
    assert _inbox(OUTSIDER, bj(2026, 11, 20, 9)) == []


@pytest.mark.parametrize("actor", [PUBLIC, GSJ_AUDITOR], ids=["public", "auditor"])
def test_inbox_is_for_officers_only(company, actor):
    error = refused(selectors.tipoff_inbox, actor=actor, now=ACCEPTED_AT)
    assert (error.code, error.message, error.status) == (
        "tipoff.inbox_officers_only",
        "举报待办只向单位工作人员提供",
        403,
    )
