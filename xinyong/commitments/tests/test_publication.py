"""Commitments signed from a public template are published as 信用承诺信息 records (XYCN, issue 11): one record
on signing (待核查), a new version on verification (已履约 / 未履约), withdrawn with the commitment; a template
that is not public publishes nothing; the standing (profile) shows the record."""

import datetime as dt

from tests.support.commitments import GSJ_OFFICER, SIGNED_AT, sign, verify
from xinyong.audit.models import AuditEvent
from xinyong.commitments.models import CommitmentTemplate
from xinyong.intake.models import Submission
from xinyong.records.models import Record
from xinyong.standing.selectors import PUBLIC, standing_for


def _xycn(commitment):
    return Record.objects.filter(category__code="XYCN", doc_no=f"XYCN-{commitment.pk}").order_by("version")


def test_signing_from_a_public_template_publishes_one_xycn_record(company, own):
    commitment = sign(company, actor=own, template="approval-general")
    (record,) = _xycn(commitment)
    assert commitment.public_record_id == record.pk
    assert (record.subject_id, record.unit.code, record.status, record.decision_date, record.version) == (
        company.pk, "bj-gongshangju", "published", dt.date(2025, 11, 3), 1,
    )  # fmt: skip
    assert (record.payload["XYCN_CNLX"], record.payload["XYCN_LYQK"], record.payload["XYCN_HCQX"]) == (
        "1", "0", "2026-02-03",
    )  # fmt: skip
    assert (
        Submission.objects.get(category__code="XYCN").idempotency_key
        == f"commitment-publish-{commitment.pk}-0"
    )
    event = AuditEvent.objects.get(action="commitment.sign")
    assert event.payload["public_record_id"] == record.pk
    on = dt.date(2025, 11, 4)
    assert standing_for(subject_id=company.pk, on=on, scope=PUBLIC).record_ids() >= {record.pk}


def test_verification_publishes_the_outcome_as_a_new_version(company, own):
    kept = verify(sign(company, actor=own), kept=True)
    assert [(r.version, r.is_current, r.payload["XYCN_LYQK"], r.status) for r in _xycn(kept)] == [
        (1, False, "0", "superseded"),
        (2, True, "1", "published"),
    ]
    assert kept.public_record == _xycn(kept).last()


def test_a_broken_commitment_shows_both_records(company, own):
    broken = verify(sign(company, actor=own, template="approval-general"), kept=False)
    assert _xycn(broken).last().payload["XYCN_LYQK"] == "2"
    assert broken.breach_record.category.code == "XYCNWY"


def test_a_private_template_publishes_nothing(company, own):
    CommitmentTemplate.objects.filter(code="voluntary-general").update(public=False)
    commitment = sign(company, actor=own)
    assert commitment.public_record_id is None
    assert not Record.objects.filter(category__code="XYCN").exists()


def test_withdrawing_the_commitment_withdraws_its_record(company, own):
    from xinyong.commitments.services import commitment_withdraw

    commitment = sign(company, actor=own)
    commitment_withdraw(actor=own, commitment_id=commitment.pk, now=SIGNED_AT + dt.timedelta(days=1))
    assert [(r.version, r.is_current, r.status) for r in _xycn(commitment)] == [
        (1, False, "superseded"),
        (2, True, "withdrawn"),
    ]


def test_an_officer_recorded_commitment_is_published_in_the_units_name(company, commitments_reference):
    commitment = sign(company, actor=GSJ_OFFICER, template="approval-general", evidence="书面承诺书")
    record = _xycn(commitment).get()
    assert (record.unit.code, record.submission.submitted_by) == ("bj-gongshangju", GSJ_OFFICER.label)
