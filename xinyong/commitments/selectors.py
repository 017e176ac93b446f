"""Reads of the commitments app. The repair service (another app) calls `repair_commitment_for`,
`training_certificate` and `training_completions` to check a repair's conditions (docs/domain.md Repair: a
signed credit commitment; training completed where the list type requires it); `commitments_due` feeds a
unit's statistics of overdue verifications.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from xinyong.commitments.models import (
    Commitment,
    CommitmentKind,
    CommitmentState,
    CommitmentTemplate,
    Course,
    Enrolment,
)
from xinyong.core.errors import NotFound
from xinyong.lists.models import ListEntry
from xinyong.lists.selectors import list_entry_black_published


def repair_commitment_for(*, subject_id: int, target_kind: str, target_id: int) -> Commitment | None:
    """The subject's latest repair commitment (信用修复承诺) for that record or list entry, signed or kept;
    None when there is none (or only withdrawn or broken ones)."""
    return (
        Commitment.objects.filter(
            kind=CommitmentKind.REPAIR,
            subject_id=subject_id,
            target_kind=target_kind,
            target_id=target_id,
            state__in=[CommitmentState.SIGNED, CommitmentState.KEPT],
        )
        .order_by("-signed_at", "-id")
        .first()
    )


def training_certificate(*, subject_id: int, certificate_no: str) -> Enrolment | None:
    """The completed enrolment holding that certificate for that subject; None if the number is unknown,
    belongs to another subject, or the enrolment is not completed."""
    return (
        Enrolment.objects.select_related("course")
        .filter(subject_id=subject_id, certificate_no=certificate_no, completed_at__isnull=False)
        .first()
    )


def training_completions(*, subject_id: int, list_type_code: str | None = None) -> list[Enrolment]:
    """The subject's completed enrolments in courses that serve `list_type_code` (a course with an empty
    list serves every list type); every completion when no list type is given. Oldest completion first."""
    completed = (
        Enrolment.objects.select_related("course")
        .filter(subject_id=subject_id, completed_at__isnull=False)
        .order_by("completed_at", "id")
    )
    # Filtered in Python: JSON containment is not portable to SQLite, and a subject has few completions.
    return [e for e in completed if e.course.serves(list_type_code)]


def commitments_due(*, unit_code: str | None, on: dt.date) -> list[Commitment]:
    """Signed commitments whose verification date has passed before `on` (overdue verifications, 逾期未核查),
    of one accepting unit or of all units; earliest due first."""
    due = Commitment.objects.select_related("subject", "accepting_unit", "template").filter(
        state=CommitmentState.SIGNED, verify_due__lt=on
    )
    if unit_code is not None:
        due = due.filter(accepting_unit__code=unit_code)
    return list(due.order_by("verify_due", "id"))


def serious_list_entry(*, subject_id: int) -> ListEntry | None:
    """A published entry of the subject on a black list (严重失信主体名单), which rules out 告知承诺."""
    return list_entry_black_published(subject_id=subject_id)


def commitment_get(*, commitment_id: int) -> Commitment:
    commitment = (
        Commitment.objects.select_related("subject", "accepting_unit", "template")
        .filter(pk=commitment_id)
        .first()
    )
    if commitment is None:
        raise NotFound("commitment.not_found", f"信用承诺 {commitment_id} 不存在")
    return commitment


def template_list() -> QuerySet[CommitmentTemplate]:
    return CommitmentTemplate.objects.filter(active=True).order_by("code")


def course_list(*, list_type_code: str | None = None) -> list[Course]:
    """Active courses, those serving `list_type_code` when given."""
    courses = Course.objects.select_related("provider").filter(active=True).order_by("code")
    return [c for c in courses if c.serves(list_type_code)]


def certificate_lookup(*, certificate_no: str) -> Enrolment | None:
    """The completed enrolment with that certificate number (for the public certificate check)."""
    return (
        Enrolment.objects.select_related("course__provider", "subject")
        .filter(certificate_no=certificate_no, completed_at__isnull=False)
        .first()
    )
