"""Code correction (重错码更正, plan task 32): a wrong or duplicate code is redirected to the right subject.

A data officer or reviewer requests; a reviewer or administrator who is not the requester decides (four
eyes, docs/domain.md principle 2). Approval marks the wrong identifier `corrected` with `redirect_to` the
right subject and, when the wrong code belonged to a duplicate subject, marks that subject `merged` into the
right one. Both subjects and the wrong code stay in history; lookups of the old code redirect.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.accounts.policy import same_person
from xinyong.accounts.roles import OFFICE, REGISTRARS
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, PermissionDenied
from xinyong.subjects.models import (
    CodeCorrection,
    CorrectionStatus,
    IdentifierStatus,
    Subject,
    SubjectIdentifier,
    SubjectStatus,
)
from xinyong.subjects.selectors import CodeKey, code_key, identifier_find

S = CorrectionStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.APPLIED, S.REJECTED}),
    S.APPLIED: frozenset(),
    S.REJECTED: frozenset(),
}


def _target_active(subject: Subject) -> None:
    if subject.status != SubjectStatus.ACTIVE:
        raise Conflict("correction.target_merged", "正确主体已被合并，请以合并后的主体申请更正")


def _request_origin(key: CodeKey, to_subject: Subject) -> tuple[str, Subject | None]:
    """The wrong code's stored kind and the (duplicate) subject holding it, if any."""
    row = identifier_find(key=key)
    if row is not None and row.status == IdentifierStatus.CORRECTED:
        raise Conflict("correction.already_corrected", f"代码 {key.display} 已更正")
    if row is not None and row.subject_id == to_subject.pk:
        raise DomainError("correction.same_subject", f"代码 {key.display} 已属于该主体，无需更正")
    kind = row.kind if row is not None else key.kind
    if CodeCorrection.objects.filter(wrong_kind=kind, wrong_value=key.value, status=S.SUBMITTED).exists():
        raise Conflict("correction.pending", f"代码 {key.display} 已有待审核的更正申请")
    return kind, (row.subject if row is not None else None)


def code_correction_request(
    *, actor: Actor, now: dt.datetime, wrong_value: str, to_subject: Subject, reason: str, evidence: str = ""
) -> CodeCorrection:
    """Open a 重错码更正 ticket (plan task 32) for a valid but wrong code.

    The wrong code may belong to a duplicate subject or to none (then it was only ever used by mistake).
    """
    actor.require(*REGISTRARS)
    key = code_key(wrong_value, field="wrong_value")
    if not reason.strip():
        raise DomainError("correction.reason_required", "须说明更正理由", errors=[{"field": "reason"}])
    with transaction.atomic():
        to_subject = Subject.objects.select_for_update().get(pk=to_subject.pk)
        _target_active(to_subject)
        kind, from_subject = _request_origin(key, to_subject)
        correction = CodeCorrection.objects.create(
            wrong_kind=kind,
            wrong_value=key.value,
            wrong_display=key.display,
            from_subject=from_subject,
            to_subject=to_subject,
            reason=reason.strip(),
            evidence=evidence,
            requested_by=actor.label,
            requested_at=now,
        )
        audit_append(
            actor=actor,
            action="code_correction.request",
            target_type="code_correction",
            target_id=correction.pk,
            now=now,
            reason=correction.reason,
            payload={
                "wrong_kind": kind,
                "wrong_value": key.display,
                "to_subject": to_subject.pk,
                "from_subject": from_subject.pk if from_subject else None,
            },
        )
    return correction


def _check_decision(actor: Actor, correction: CodeCorrection, target: str, note: str) -> None:
    """Allowed transition, four eyes (the same person: accounts/policy.py `same_person`, issue 12), a
    reason for a rejection."""
    if target not in TRANSITIONS[correction.status]:
        raise Conflict(
            "correction.transition_invalid",
            f"更正单当前状态为“{correction.get_status_display()}”，不能再审核",
        )
    if same_person(actor, correction.requested_by):
        raise PermissionDenied("correction.same_person", "申请人不能审核自己提交的更正申请（双人复核）")
    if target == S.REJECTED and not note.strip():
        raise DomainError("correction.note_required", "驳回须说明理由", errors=[{"field": "note"}])


def _redirect_identifier(
    correction: CodeCorrection, to_subject: Subject, now: dt.datetime
) -> SubjectIdentifier:
    """Mark the wrong identifier corrected (created if the code was unknown), pointing at the target."""
    row = (
        SubjectIdentifier.objects.select_for_update()
        .filter(kind=correction.wrong_kind, value=correction.wrong_value)
        .first()
    )
    if row is None:
        if correction.from_subject_id is not None:
            raise Conflict("correction.stale", "错误代码的登记情况已变化，请重新申请")
        return SubjectIdentifier.objects.create(
            subject=to_subject,
            kind=correction.wrong_kind,
            value=correction.wrong_value,
            display=correction.wrong_display,
            status=IdentifierStatus.CORRECTED,
            redirect_to=to_subject,
            correction=correction,
            recorded_at=now,
        )
    if row.status != IdentifierStatus.ACTIVE or row.subject_id != correction.from_subject_id:
        raise Conflict("correction.stale", "错误代码的登记情况已变化，请重新申请")
    row.status, row.redirect_to, row.correction = IdentifierStatus.CORRECTED, to_subject, correction
    row.save(update_fields=["status", "redirect_to", "correction"])
    return row


def _merge_duplicate(actor: Actor, now: dt.datetime, correction: CodeCorrection, to_subject: Subject) -> None:
    """The duplicate subject that held the wrong code is merged into the right one (kept as history)."""
    if correction.from_subject_id is None:
        return
    duplicate = Subject.objects.select_for_update().get(pk=correction.from_subject_id)
    if duplicate.status != SubjectStatus.ACTIVE:
        return
    duplicate.status, duplicate.merged_into = SubjectStatus.MERGED, to_subject
    duplicate.save(update_fields=["status", "merged_into"])
    audit_append(
        actor=actor,
        action="subject.merge",
        target_type="subject",
        target_id=duplicate.pk,
        now=now,
        reason=f"重错码更正 #{correction.pk}",
        payload={"merged_into": to_subject.pk, "correction": correction.pk},
    )


def _apply(actor: Actor, now: dt.datetime, correction: CodeCorrection) -> None:
    to_subject = Subject.objects.select_for_update().get(pk=correction.to_subject_id)
    _target_active(to_subject)
    row = _redirect_identifier(correction, to_subject, now)
    audit_append(
        actor=actor,
        action="subject_identifier.correct",
        target_type="subject_identifier",
        target_id=row.pk,
        now=now,
        reason=f"重错码更正 #{correction.pk}",
        payload={
            "kind": row.kind,
            "value": row.display,
            "subject": row.subject_id,
            "redirect_to": to_subject.pk,
        },
    )
    _merge_duplicate(actor, now, correction, to_subject)


def code_correction_decide(
    *, actor: Actor, now: dt.datetime, correction: CodeCorrection, approve: bool, note: str
) -> CodeCorrection:
    """Approve or reject a 重错码更正 ticket (plan task 32); reviewer or admin, never the requester."""
    actor.require(*OFFICE)
    target = S.APPLIED if approve else S.REJECTED
    with transaction.atomic():
        correction = CodeCorrection.objects.select_for_update().get(pk=correction.pk)
        _check_decision(actor, correction, target, note)
        if approve:
            _apply(actor, now, correction)
        correction.status, correction.decided_by, correction.decided_at = target, actor.label, now
        correction.decision_note = note.strip()
        correction.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_append(
            actor=actor,
            action=f"code_correction.{'apply' if approve else 'reject'}",
            target_type="code_correction",
            target_id=correction.pk,
            now=now,
            reason=correction.decision_note,
            payload={
                "status": target,
                "to_subject": correction.to_subject_id,
                "from_subject": correction.from_subject_id,
            },
        )
    return correction
