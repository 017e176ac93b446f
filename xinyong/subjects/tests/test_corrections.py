"""重错码更正 (plan task 32): request, four eyes, approve, redirect, both subjects kept in history."""

import pytest

from tests.support.factories import (
    T0,
    PersonFactory,
    SubjectFactory,
    make_regno,
    make_ric,
    make_uscc,
)
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import DomainError
from xinyong.subjects.models import CodeCorrection, Subject, SubjectIdentifier
from xinyong.subjects.selectors import subject_lookup
from xinyong.subjects.services import TRANSITIONS, code_correction_decide, code_correction_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    """A right subject and a duplicate registered under a wrong code (with a regno alias of its own)."""
    right = SubjectFactory(uscc=make_uscc(1), name="北京甲科技有限公司")
    duplicate = SubjectFactory(uscc=make_uscc(2), regno=make_regno(2), name="北京甲科技有限公司")
    return right, duplicate


def _request(actor, wrong, to_subject):
    return code_correction_request(
        actor=actor,
        now=T0,
        wrong_value=wrong,
        to_subject=to_subject,
        reason="同一企业重复赋码",
        evidence="核查函",
    )


def test_request_records_the_duplicate(registrar, pair):
    right, duplicate = pair
    c = _request(registrar, make_uscc(2).lower(), right)
    assert (c.wrong_kind, c.wrong_value, c.wrong_display, c.from_subject_id, c.to_subject_id, c.status) == (
        "uscc",
        make_uscc(2),
        make_uscc(2),
        duplicate.pk,
        right.pk,
        "submitted",
    )
    assert (c.requested_by, c.requested_at, c.decided_by, c.decided_at) == ("user:registrar", T0, "", None)
    assert AuditEvent.objects.filter(action="code_correction.request", target_id=str(c.pk)).count() == 1


def test_requester_may_not_decide(reviewer, pair):
    c = _request(reviewer, make_uscc(2), pair[0])
    with pytest.raises(DomainError) as exc:
        code_correction_decide(actor=reviewer, now=T0, correction=c, approve=True, note="")
    assert (exc.value.code, exc.value.status) == ("correction.same_person", 403)
    c.refresh_from_db()
    assert c.status == "submitted"


def test_data_officer_may_not_decide(registrar, second_reviewer, pair):
    c = _request(second_reviewer, make_uscc(2), pair[0])
    with pytest.raises(DomainError) as exc:
        code_correction_decide(actor=registrar, now=T0, correction=c, approve=True, note="")
    assert (exc.value.code, exc.value.status) == ("auth.role_required", 403)


def test_approve_redirects_the_wrong_code_and_merges_the_duplicate(registrar, reviewer, pair):
    right, duplicate = pair
    c = _request(registrar, make_uscc(2), right)
    decided = code_correction_decide(actor=reviewer, now=T0, correction=c, approve=True, note="核实无误")
    assert (decided.status, decided.decided_by, decided.decided_at, decided.decision_note) == (
        "applied",
        "user:reviewer",
        T0,
        "核实无误",
    )
    wrong = SubjectIdentifier.objects.get(kind="uscc", value=make_uscc(2))
    assert (wrong.subject_id, wrong.status, wrong.redirect_to_id, wrong.correction_id) == (
        duplicate.pk,
        "corrected",
        right.pk,
        c.pk,
    )
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id, duplicate.uscc) == ("merged", right.pk, make_uscc(2))
    assert Subject.objects.count() == 2
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions[-4:] == [
        "code_correction.request",
        "subject_identifier.correct",
        "subject.merge",
        "code_correction.apply",
    ]


def test_old_codes_redirect_after_approval(registrar, reviewer, pair):
    right, duplicate = pair
    code_correction_decide(
        actor=reviewer, now=T0, correction=_request(registrar, make_uscc(2), right), approve=True, note=""
    )
    by_code = subject_lookup(raw=make_uscc(2))
    assert (by_code.subject.pk, by_code.matched_kind, by_code.redirected_from, by_code.redirect_to_code) == (
        right.pk,
        "uscc",
        make_uscc(2),
        make_uscc(1),
    )
    by_alias = subject_lookup(raw=make_regno(2))  # the duplicate's other codes follow the merge
    assert (by_alias.subject.pk, by_alias.redirected_from, by_alias.redirect_to_code) == (
        right.pk,
        make_regno(2),
        make_uscc(1),
    )
    assert subject_lookup(raw=make_uscc(1)).redirected_from is None


def test_unknown_wrong_code_gets_an_identifier_row(registrar, reviewer, pair):
    right = pair[0]
    c = _request(registrar, make_uscc(77), right)
    assert c.from_subject_id is None
    code_correction_decide(actor=reviewer, now=T0, correction=c, approve=True, note="")
    row = SubjectIdentifier.objects.get(value=make_uscc(77))
    assert (row.kind, row.subject_id, row.status, row.redirect_to_id) == (
        "uscc",
        right.pk,
        "corrected",
        right.pk,
    )
    assert subject_lookup(raw=make_uscc(77)).redirect_to_code == make_uscc(1)


def test_person_correction_keeps_only_the_hash(registrar, reviewer):
    person = PersonFactory(resident_id=make_ric(1))
    c = _request(registrar, make_ric(2), person)
    assert (c.wrong_kind, c.wrong_display) == ("ric_hash", make_ric(2)[:6] + "********" + make_ric(2)[-4:])
    assert make_ric(2) not in c.wrong_value
    code_correction_decide(actor=reviewer, now=T0, correction=c, approve=True, note="")
    found = subject_lookup(raw=make_ric(2))
    assert (found.subject.pk, found.redirect_to_code) == (person.pk, person.person_masked)


def test_reject_needs_a_note_and_changes_no_identifier(registrar, reviewer, pair):
    c = _request(registrar, make_uscc(2), pair[0])
    with pytest.raises(DomainError) as exc:
        code_correction_decide(actor=reviewer, now=T0, correction=c, approve=False, note=" ")
    assert exc.value.code == "correction.note_required"
    rejected = code_correction_decide(actor=reviewer, now=T0, correction=c, approve=False, note="证据不足")
    assert rejected.status == "rejected"
    assert subject_lookup(raw=make_uscc(2)).subject.pk == pair[1].pk


def test_decided_ticket_cannot_be_decided_again(registrar, reviewer, second_reviewer, pair):
    c = _request(registrar, make_uscc(2), pair[0])
    code_correction_decide(actor=reviewer, now=T0, correction=c, approve=False, note="证据不足")
    with pytest.raises(DomainError) as exc:
        code_correction_decide(actor=second_reviewer, now=T0, correction=c, approve=True, note="")
    assert (exc.value.code, exc.value.status) == ("correction.transition_invalid", 409)


@pytest.mark.parametrize(
    "wrong,code",
    [(make_uscc(1), "correction.same_subject"), ("91110108MA000002OM", "uscc.character")],
)
def test_request_refusals(registrar, pair, wrong, code):
    with pytest.raises(DomainError) as exc:
        _request(registrar, wrong, pair[0])
    assert exc.value.code == code


def test_one_open_request_per_code(registrar, pair):
    _request(registrar, make_uscc(2), pair[0])
    with pytest.raises(DomainError) as exc:
        _request(registrar, make_uscc(2), pair[0])
    assert (exc.value.code, exc.value.status) == ("correction.pending", 409)
    assert CodeCorrection.objects.count() == 1


def test_transitions_table():
    assert TRANSITIONS == {
        "submitted": frozenset({"applied", "rejected"}),
        "applied": frozenset(),
        "rejected": frozenset(),
    }
