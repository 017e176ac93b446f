"""/api/v1/subjects: look a subject up by any code; request and decide code corrections (重错码更正)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import OptionalTokenAuth, TokenAuth
from xinyong.accounts.roles import GOVERNMENT, OFFICE, REGISTRARS
from xinyong.core.actor import Actor
from xinyong.core.api import Problem, problem
from xinyong.core.timeutil import now
from xinyong.subjects import selectors, services
from xinyong.subjects.models import CodeCorrection, IdentifierKind, Subject, SubjectKind, SubjectStatus
from xinyong.subjects.schemas import (
    CodeCorrectedOut,
    CorrectionDecisionIn,
    CorrectionIn,
    CorrectionOut,
    SubjectOut,
)

router = Router(tags=["subjects"])

_KIND_LABELS = dict(SubjectKind.choices)
_STATUS_LABELS = dict(SubjectStatus.choices)
_IDENTIFIER_LABELS = dict(IdentifierKind.choices)
_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem}


def _subject_url(code: str) -> str:
    return f"/api/v1/subjects/{code}"


def _public_fields(subject: Subject, details: selectors.SubjectDetails) -> dict:
    return {
        "name": subject.name,
        "uscc": subject.uscc,
        "district": subject.district,
        "industry": subject.industry,
        "aliases": [
            {"kind": a.kind, "kind_label": _IDENTIFIER_LABELS[a.kind], "value": a.display}
            for a in details.aliases
        ],
        "corrected_codes": details.corrected_codes,
        "name_history": [
            {"name": n.name, "valid_from": n.valid_from, "valid_to": n.valid_to} for n in details.names
        ],
    }


def _subject_out(subject: Subject, government: bool) -> dict:
    """Public tier for everyone; a person's name and history only for government roles.

    The shown tier's aliases, corrected codes and names come from one statement (issue 18)."""
    shown = not subject.is_person or government
    details = selectors.subject_details(subject=subject) if shown else None
    return {
        "code": selectors.subject_primary_code(subject, details),
        "kind": subject.kind,
        "kind_label": _KIND_LABELS[subject.kind],
        "tier": "government" if government else "public",
        "masked_id": subject.person_masked or None,
        "status": subject.status,
        "status_label": _STATUS_LABELS[subject.status],
        **(_public_fields(subject, details) if details is not None else {}),
    }


def _corrected(request: HttpRequest, old: str, new_code: str, person: bool) -> HttpResponse:
    """301 to the corrected code; a person's new number is never put in a URL, so no Location then."""
    response = problem(
        request,
        301,
        "subject.code_corrected",
        f"代码 {old} 已更正为 {new_code}（重错码更正）",
        new_code=new_code,
    )
    if not person:
        response["Location"] = _subject_url(new_code)
    return response


def _correction_out(c: CodeCorrection) -> dict:
    return {
        "id": c.pk,
        "status": c.status,
        "status_label": c.get_status_display(),
        "wrong_kind": c.wrong_kind,
        "wrong_code": c.wrong_display,
        "to_subject_code": selectors.subject_primary_code(c.to_subject),
        "from_subject_code": selectors.subject_primary_code(c.from_subject) if c.from_subject else None,
        "reason": c.reason,
        "evidence": c.evidence,
        "requested_by": c.requested_by,
        "requested_at": c.requested_at,
        "decided_by": c.decided_by,
        "decided_at": c.decided_at,
        "decision_note": c.decision_note,
    }


@router.post(
    "/corrections",
    auth=TokenAuth(),
    response={201: CorrectionOut, **_ERRORS, 422: Problem},
    operation_id="subjects_corrections_create",
    summary="申请重错码更正",
)
def corrections_create(request: HttpRequest, payload: CorrectionIn):
    """Request a code correction (plan task 32); data officers, reviewers and administrators."""
    actor = request_actor(request)
    actor.require(*REGISTRARS)
    target = selectors.subject_lookup(raw=payload.to_code, field="to_code").subject
    correction = services.code_correction_request(
        actor=actor,
        now=now(),
        wrong_value=payload.wrong_code,
        to_subject=target,
        reason=payload.reason,
        evidence=payload.evidence,
    )
    return Status(201, _correction_out(correction))


@router.post(
    "/corrections/{int:correction_id}/decision",
    auth=TokenAuth(),
    response={200: CorrectionOut, **_ERRORS, 422: Problem},
    operation_id="subjects_corrections_decide",
    summary="审核重错码更正",
)
def corrections_decide(request: HttpRequest, correction_id: int, payload: CorrectionDecisionIn):
    """Approve or reject a code correction; reviewers and administrators, never the requester."""
    actor = request_actor(request)
    actor.require(*OFFICE)
    correction = selectors.code_correction_get(correction_id=correction_id)
    decided = services.code_correction_decide(
        actor=actor, now=now(), correction=correction, approve=payload.approve, note=payload.note
    )
    return _correction_out(decided)


def _log_person_read(actor: Actor, subject: Subject, purpose: str) -> None:
    services.subject_person_read_log(actor=actor, now=now(), subject=subject, purpose=purpose)


@router.get(
    "/{path:code}",
    auth=OptionalTokenAuth(),
    response={200: SubjectOut, 301: CodeCorrectedOut, **_ERRORS},
    operation_id="subjects_get",
    summary="按任一代码查询信用主体",
)
def subjects_get(request: HttpRequest, code: str, purpose: str = ""):
    """Look up a subject by USCC, organisation code, registration number, tax number or resident ID.

    An invalid code is a 400 whose `code` names the failed rule (e.g. `uscc.check_character`); a corrected
    code answers 301 with the new code. Reading a person's name as a government role is audited.
    """
    actor = request_actor(request)
    found = selectors.subject_lookup(raw=code)
    if found.redirected_from is not None:
        return _corrected(
            request, found.redirected_from, found.redirect_to_code or "", found.subject.is_person
        )
    government = actor.has_role(*GOVERNMENT)
    if government and found.subject.is_person:
        _log_person_read(actor, found.subject, purpose)
    return _subject_out(found.subject, government)
