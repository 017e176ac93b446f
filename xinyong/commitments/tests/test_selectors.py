"""The lookups the repair service calls (exact signatures are its contract) and the overdue verifications."""

import datetime as dt

import pytest

from tests.support.commitments import (
    GSJ_OFFICER,
    SIGNED_AT,
    VERIFIED_AT,
    XXW_OFFICER,
    person_subject,
    sign,
    verify,
)
from tests.support.lists import bj, propose
from xinyong.commitments import selectors, services

pytestmark = pytest.mark.django_db


def _repair(company, own, target_id, kind="record", now=SIGNED_AT):
    return sign(company, actor=own, template="repair-general", target_kind=kind, target_id=target_id, now=now)


def test_repair_commitment_for_answers_a_signed_or_kept_one_for_that_target(company, penalty, own):
    lookup = {"subject_id": company.pk, "target_kind": "record", "target_id": penalty.pk}
    assert selectors.repair_commitment_for(**lookup) is None
    first = _repair(company, own, penalty.pk)
    assert selectors.repair_commitment_for(**lookup) == first
    verify(first, kept=True)
    assert selectors.repair_commitment_for(**lookup) == first
    assert selectors.repair_commitment_for(**{**lookup, "target_kind": "list_entry"}) is None
    assert selectors.repair_commitment_for(**{**lookup, "target_id": penalty.pk + 1000}) is None
    person = person_subject()
    assert selectors.repair_commitment_for(**{**lookup, "subject_id": person.pk}) is None
    second = _repair(company, own, penalty.pk, now=bj(2025, 11, 10, 10))
    assert selectors.repair_commitment_for(**lookup) == second  # the latest


@pytest.mark.parametrize("end", ["broken", "withdrawn"])
def test_a_broken_or_withdrawn_repair_commitment_does_not_count(company, penalty, own, end):
    entry = propose(company, [penalty])
    commitment = _repair(company, own, entry.pk, kind="list_entry")
    if end == "broken":
        verify(commitment, kept=False)
    else:
        services.commitment_withdraw(actor=own, commitment_id=commitment.pk, now=VERIFIED_AT)
    assert (
        selectors.repair_commitment_for(subject_id=company.pk, target_kind="list_entry", target_id=entry.pk)
        is None
    )


@pytest.fixture
def trained(company, own):
    """Completed: the market-regulation offline course (scjg-yzsx) on 12-01 and the general online course
    (every list) on 12-02; enrolled only: the procurement course (zfcg-blxw)."""
    done = {}
    for code, officer, at in (
        ("scjg-xyxf-offline", GSJ_OFFICER, VERIFIED_AT),
        ("xyxf-online-basic", XXW_OFFICER, bj(2025, 12, 2, 10)),
    ):
        enrolment = services.course_enrol(actor=own, course_code=code, subject_id=company.pk, now=SIGNED_AT)
        done[code] = services.enrolment_complete(actor=officer, enrolment_id=enrolment.pk, now=at)
    services.course_enrol(actor=own, course_code="zfcg-xyxf-online", subject_id=company.pk, now=SIGNED_AT)
    return done


def test_training_certificate_is_the_subjects_own_completed_enrolment(company, trained):
    offline = trained["scjg-xyxf-offline"]
    assert (
        selectors.training_certificate(subject_id=company.pk, certificate_no=offline.certificate_no)
        == offline
    )
    assert selectors.training_certificate(subject_id=company.pk, certificate_no="PX-2025-999999") is None
    other = person_subject()
    assert selectors.training_certificate(subject_id=other.pk, certificate_no=offline.certificate_no) is None


def test_training_completions_by_list_type(company, trained):
    offline, basic = trained["scjg-xyxf-offline"], trained["xyxf-online-basic"]
    assert selectors.training_completions(subject_id=company.pk, list_type_code="scjg-yzsx") == [
        offline,
        basic,
    ]
    assert selectors.training_completions(subject_id=company.pk, list_type_code="fy-sxbzx") == [basic]
    assert selectors.training_completions(subject_id=company.pk, list_type_code="zfcg-blxw") == [
        basic
    ]  # not done
    assert selectors.training_completions(subject_id=company.pk) == [offline, basic]
    other = person_subject()
    assert selectors.training_completions(subject_id=other.pk, list_type_code="scjg-yzsx") == []


def test_commitments_due_lists_signed_ones_past_their_date(company, own):
    gsj = sign(company, actor=own)  # due 2026-02-03
    czj = sign(company, actor=own, unit="bj-caizhengju", now=bj(2025, 11, 1, 10))  # due 2026-02-01
    verify(sign(company, actor=own), kept=True)  # verified: never overdue
    assert selectors.commitments_due(unit_code=None, on=dt.date(2026, 2, 1)) == []
    assert selectors.commitments_due(unit_code=None, on=dt.date(2026, 2, 3)) == [czj]
    assert selectors.commitments_due(unit_code=None, on=dt.date(2026, 2, 4)) == [czj, gsj]
    assert selectors.commitments_due(unit_code="bj-gongshangju", on=dt.date(2026, 2, 4)) == [gsj]
    assert selectors.commitments_due(unit_code="bj-gaoyuan", on=dt.date(2026, 2, 4)) == []
