"""Credit-repair training (信用修复培训, docs/domain.md Training; plan task 37): enrolment and completion. A
completion carries a certificate number (结业证书编号, e.g. PX-2026-000123) that a repair application quotes;
the repair service checks it with `selectors.training_certificate`.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from xinyong.accounts.access import subject_id_of
from xinyong.audit.services import audit_append
from xinyong.commitments.models import Course, Enrolment
from xinyong.commitments.services.commitments import is_officer_of
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from xinyong.core.timeutil import BEIJING, business_date
from xinyong.subjects.selectors import subject_exists

MAX_NOTE = 1000


def certificate_number(*, enrolment_id: int, on: dt.date) -> str:
    """PX-<year of completion>-<enrolment id, six digits>: unique because the enrolment id is."""
    return f"PX-{on.year}-{enrolment_id:06d}"


def course_enrol(*, actor: Actor, course_code: str, subject_id: int, now: dt.datetime) -> Enrolment:
    """Enrol a subject in an active course: by the subject through its own account, or by an officer of the
    course's provider unit (培训单位). A subject enrols once per course (409 the second time)."""
    course = Course.objects.select_related("provider").filter(code=course_code, active=True).first()
    if course is None:
        raise NotFound("training.course_not_found", f"培训课程 {course_code} 不存在或已停用")
    if not subject_exists(subject_id=subject_id):
        raise NotFound("training.subject_not_found", f"信用主体 {subject_id} 不存在")
    if subject_id_of(actor=actor) != subject_id and not is_officer_of(actor, course.provider.code):
        raise PermissionDenied(
            "training.enrol_not_allowed",
            f"只有信用主体本人（主体账户）或培训单位（{course.provider.name}）的工作人员可以报名",
        )
    existing = Enrolment.objects.filter(course=course, subject_id=subject_id).first()
    if existing is not None:
        raise _already_enrolled(course, existing)
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                course=course, subject_id=subject_id, enrolled_at=now, enrolled_by=actor.label
            )
            audit_append(
                actor=actor,
                action="training.enrol",
                target_type="enrolment",
                target_id=enrolment.pk,
                payload={"course": course.code, "subject_id": subject_id},
                now=now,
            )
    except IntegrityError as exc:  # a concurrent enrolment committed first
        existing = Enrolment.objects.filter(course=course, subject_id=subject_id).first()
        if existing is None:
            raise
        raise _already_enrolled(course, existing) from exc
    return enrolment


def _already_enrolled(course: Course, existing: Enrolment) -> Conflict:
    return Conflict(
        "training.already_enrolled",
        f"该主体已报名课程“{course.title}”（报名记录 {existing.pk}）",
        enrolment_id=existing.pk,
    )


def enrolment_complete(
    *, actor: Actor, enrolment_id: int, now: dt.datetime, score: int | None = None, note: str = ""
) -> Enrolment:
    """An officer of the course's provider unit records the completion (结业) and the platform issues the
    certificate number. Refused twice (409)."""
    if score is not None and not 0 <= score <= 100:
        raise DomainError("training.score_invalid", f"成绩应为 0–100 的整数，实为 {score}")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise DomainError("training.note_too_long", f"备注不能超过 {MAX_NOTE} 个字符，实为 {len(note)} 个")
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course__provider")
            .filter(pk=enrolment_id)
            .first()
        )
        if enrolment is None:
            raise NotFound("training.enrolment_not_found", f"报名记录 {enrolment_id} 不存在")
        provider = enrolment.course.provider
        if not is_officer_of(actor, provider.code):
            raise PermissionDenied(
                "training.complete_not_allowed", f"只有培训单位（{provider.name}）的工作人员可以登记结业"
            )
        if enrolment.completed_at is not None:
            on = enrolment.completed_at.astimezone(BEIJING).date().isoformat()
            raise Conflict(
                "training.already_completed",
                f"报名记录 {enrolment.pk} 已于 {on} 结业（证书编号 {enrolment.certificate_no}）",
            )
        enrolment.completed_at, enrolment.completed_by = now, actor.label
        enrolment.certificate_no = certificate_number(enrolment_id=enrolment.pk, on=business_date(now))
        enrolment.score, enrolment.note = score, note
        enrolment.save(update_fields=["completed_at", "completed_by", "certificate_no", "score", "note"])
        audit_append(
            actor=actor,
            action="training.complete",
            target_type="enrolment",
            target_id=enrolment.pk,
            payload={
                "certificate_no": enrolment.certificate_no,
                "course": enrolment.course.code,
                "score": score,
            },
            now=now,
        )
    return enrolment
