"""/api/v1/commitments (信用承诺) and /api/v1/training (信用修复培训).

Who sees a commitment: the subject itself (its account) and government roles; anyone else gets 404, as for
one that does not exist. Government users alone see who recorded and verified it and the written evidence.
A training certificate can be checked by anyone by its number: course, date and the subject's masked name.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Status

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import OptionalTokenAuth, TokenAuth
from xinyong.accounts.roles import CREDIT_OFFICE, GOVERNMENT
from xinyong.commitments import selectors, services
from xinyong.commitments.models import Commitment, CommitmentKind, CommitmentState, CourseMode, Enrolment
from xinyong.commitments.schemas import (
    CertificateOut,
    CommitmentListOut,
    CommitmentOut,
    CommitmentSignIn,
    CommitmentVerifyIn,
    CommitmentWithdrawIn,
    CompleteIn,
    CourseListOut,
    EnrolIn,
    EnrolmentOut,
    TemplateListOut,
)
from xinyong.core.actor import Actor
from xinyong.core.api import IsoDate, Problem
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.pagination import MAX_PAGE_SIZE, sequence_page
from xinyong.core.timeutil import BEIJING, business_date, now, rfc3339
from xinyong.subjects.masking import person_name_mask
from xinyong.subjects.models import Subject
from xinyong.subjects.selectors import subject_lookup, subject_primary_code

router = Router(tags=["commitments"])
training_router = Router(tags=["training"])

_ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem}
_KIND_LABELS = dict(CommitmentKind.choices)
_STATE_LABELS = dict(CommitmentState.choices)
_MODE_LABELS = dict(CourseMode.choices)


def _iso(instant: dt.datetime | None) -> str | None:
    return rfc3339(instant) if instant else None


def _subject_out(subject: Subject) -> dict:
    code = subject_primary_code(subject)
    return {"id": subject.pk, "code": code, "kind": subject.kind, "name": subject.name}


def _commitment_out(c: Commitment, government: bool) -> dict:
    return {
        "id": c.pk,
        "kind": c.kind,
        "kind_label": _KIND_LABELS[c.kind],
        "state": c.state,
        "state_label": _STATE_LABELS[c.state],
        "template": c.template.code,
        "subject": _subject_out(c.subject),
        "matter": c.matter,
        "accepting_unit": c.accepting_unit.code,
        "accepting_unit_name": c.accepting_unit.name,
        "signer_name": c.signer_name,
        "text": c.text,
        "signed_at": _iso(c.signed_at),
        "on_behalf": c.on_behalf,
        "signed_by": c.signed_by if government else None,
        "evidence": c.evidence if government else None,
        "verify_due": c.verify_due.isoformat(),
        "verified_at": _iso(c.verified_at),
        "verified_by": c.verified_by if government else None,
        "result": c.result,
        "withdrawn_at": _iso(c.withdrawn_at),
        "target_kind": c.target_kind,
        "target_id": c.target_id,
        "breach_record_id": c.breach_record_id,
    }


def _commitment_answer(actor: Actor, commitment_id: int) -> dict:
    """The commitment as `actor` may see it; 404 for anyone but the subject and government roles."""
    commitment = selectors.commitment_get(commitment_id=commitment_id)
    government = actor.has_role(*GOVERNMENT)
    if not government and subject_id_of(actor=actor) != commitment.subject_id:
        raise NotFound("commitment.not_found", f"信用承诺 {commitment_id} 不存在")
    return _commitment_out(commitment, government)


# ── commitments ─────────────────────────────────────────────────────────────────────────────────────────


@router.get(
    "/templates", response=TemplateListOut, operation_id="commitments_templates_list", summary="承诺书模板"
)
def commitments_templates_list(request: HttpRequest):
    templates = list(selectors.template_list())
    return {
        "count": len(templates),
        "templates": [
            {
                "code": t.code,
                "kind": t.kind,
                "kind_label": _KIND_LABELS[t.kind],
                "title": t.title,
                "text": t.text,
                "verify_months": t.verify_months,
            }
            for t in templates
        ],
    }


@router.post(
    "",
    response={201: CommitmentOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="commitments_sign",
    summary="签署信用承诺（主体本人，或受理单位登记书面承诺；严重失信主体不得适用告知承诺）",
)
def commitments_sign(request: HttpRequest, body: CommitmentSignIn):
    actor = request_actor(request)
    subject = subject_lookup(raw=body.subject, field="subject").subject
    commitment = services.commitment_sign(
        actor=actor,
        template_code=body.template,
        subject_id=subject.pk,
        matter=body.matter,
        accepting_unit_code=body.accepting_unit,
        signer_name=body.signer_name,
        evidence=body.evidence,
        target_kind=body.target_kind,
        target_id=body.target_id,
        now=now(),
    )
    return Status(201, _commitment_answer(actor, commitment.pk))


@router.get(
    "/overdue",
    response={200: CommitmentListOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="commitments_overdue_list",
    summary="逾期未核查的信用承诺（本单位；信用办可查全部或指定单位）",
)
def commitments_overdue_list(
    request: HttpRequest,
    unit: str | None = None,
    on: IsoDate | None = None,
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="每页条数"),
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
):
    actor = request_actor(request)
    actor.require(*GOVERNMENT)
    if not actor.has_role(*CREDIT_OFFICE):
        if unit not in (None, actor.unit_code):
            raise PermissionDenied("commitment.other_unit", "只能查看本单位受理的信用承诺")
        unit = actor.unit_code
    due = selectors.commitments_due(unit_code=unit, on=on or business_date(now()))
    shape = lambda c: _commitment_out(c, True)  # noqa: E731
    return sequence_page(request, due, limit=limit, cursor=cursor, shape=shape, count=len(due))


@router.get(
    "/{commitment_id}",
    response={200: CommitmentOut, **_ERRORS},
    auth=OptionalTokenAuth(),
    operation_id="commitments_get",
    summary="信用承诺详情（主体本人与政府用户可见）",
)
def commitments_get(request: HttpRequest, commitment_id: int):
    return _commitment_answer(request_actor(request), commitment_id)


@router.post(
    "/{commitment_id}/verification",
    response={200: CommitmentOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="commitments_verify",
    summary="核查履约情况（未履约的记为违背信用承诺信息）",
)
def commitments_verify(request: HttpRequest, commitment_id: int, body: CommitmentVerifyIn):
    actor = request_actor(request)
    services.commitment_verify(
        actor=actor,
        commitment_id=commitment_id,
        kept=body.kept,
        result=body.result,
        severity=body.severity,
        now=now(),
    )
    return _commitment_answer(actor, commitment_id)


@router.post(
    "/{commitment_id}/withdrawal",
    response={200: CommitmentOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="commitments_withdraw",
    summary="撤回信用承诺（主体本人，核查之前）",
)
def commitments_withdraw(request: HttpRequest, commitment_id: int, body: CommitmentWithdrawIn):
    actor = request_actor(request)
    services.commitment_withdraw(actor=actor, commitment_id=commitment_id, reason=body.reason, now=now())
    return _commitment_answer(actor, commitment_id)


# ── training ────────────────────────────────────────────────────────────────────────────────────────────


def _enrolment_out(e: Enrolment) -> dict:
    return {
        "id": e.pk,
        "course": e.course.code,
        "course_title": e.course.title,
        "subject": _subject_out(e.subject),
        "enrolled_at": _iso(e.enrolled_at),
        "completed_at": _iso(e.completed_at),
        "certificate_no": e.certificate_no,
        "score": e.score,
        "note": e.note,
    }


def mask_name(subject: Subject) -> str:
    """A person keeps the first character (张*); an organisation its first and last two (北京******公司)."""
    name = subject.name
    if subject.is_person or len(name) <= 4:
        return person_name_mask(name)
    return name[:2] + "*" * (len(name) - 4) + name[-2:]


@training_router.get(
    "/courses",
    response={200: CourseListOut, **_ERRORS},
    operation_id="training_courses_list",
    summary="信用修复培训课程（可按名单类型筛选）",
)
def training_courses_list(request: HttpRequest, list_type: str | None = None):
    courses = selectors.course_list(list_type_code=list_type)
    return {
        "count": len(courses),
        "courses": [
            {
                "code": c.code,
                "title": c.title,
                "mode": c.mode,
                "mode_label": _MODE_LABELS[c.mode],
                "hours": c.hours,
                "provider": c.provider.code,
                "provider_name": c.provider.name,
                "list_types": list(c.list_types),
                "description": c.description,
            }
            for c in courses
        ],
    }


@training_router.post(
    "/enrolments",
    response={201: EnrolmentOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="training_enrol",
    summary="报名培训（主体本人或培训单位工作人员）",
)
def training_enrol(request: HttpRequest, body: EnrolIn):
    subject = subject_lookup(raw=body.subject, field="subject").subject
    enrolment = services.course_enrol(
        actor=request_actor(request), course_code=body.course, subject_id=subject.pk, now=now()
    )
    return Status(201, _enrolment_out(enrolment))


@training_router.post(
    "/enrolments/{enrolment_id}/completion",
    response={200: EnrolmentOut, **_ERRORS},
    auth=TokenAuth(),
    operation_id="training_complete",
    summary="登记结业并发放结业证书编号（培训单位工作人员）",
)
def training_complete(request: HttpRequest, enrolment_id: int, body: CompleteIn):
    enrolment = services.enrolment_complete(
        actor=request_actor(request), enrolment_id=enrolment_id, score=body.score, note=body.note, now=now()
    )
    return _enrolment_out(enrolment)


@training_router.get(
    "/certificates/{certificate_no}",
    response={200: CertificateOut, **_ERRORS},
    operation_id="training_certificate_check",
    summary="核验结业证书（课程、结业日期与脱敏的主体名称）",
)
def training_certificate_check(request: HttpRequest, certificate_no: str):
    enrolment = selectors.certificate_lookup(certificate_no=certificate_no.strip().upper())
    if enrolment is None:
        raise NotFound("training.certificate_not_found", f"结业证书 {certificate_no} 不存在")
    course = enrolment.course
    return {
        "certificate_no": enrolment.certificate_no,
        "course": course.code,
        "course_title": course.title,
        "mode": course.mode,
        "hours": course.hours,
        "provider_name": course.provider.name,
        "subject_name": mask_name(enrolment.subject),
        "completed_on": enrolment.completed_at.astimezone(BEIJING).date().isoformat(),
    }
