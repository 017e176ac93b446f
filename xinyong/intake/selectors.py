"""Reads of the intake app: a submission for its own unit, its rejected rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import Sum

from xinyong.core.errors import NotFound
from xinyong.intake.models import RejectedRow, Submission, SubmissionState


def submission_get(*, submission_id: int, unit_code: str | None) -> Submission:
    """A submission, visible to its own unit; `unit_code` None (admins, auditors of the credit office) sees
    every unit's. An empty unit code sees none (issue 12: it once meant "all units" for a subject's token)."""
    submission = Submission.objects.select_related("unit", "category").filter(pk=submission_id).first()
    if submission is None or (unit_code is not None and submission.unit.code != unit_code):
        raise NotFound("submission.not_found", f"归集批次 {submission_id} 不存在")
    return submission


def rejected_rows(*, submission: Submission) -> Iterator[RejectedRow]:
    return submission.rejected_rows.order_by("row_index").iterator(chunk_size=2000)


def submissions_to_follow_up(*, unit_code: str, since: dt.datetime, limit: int) -> list[Submission]:
    """The unit's submissions received since `since` that refused rows (to fix and resubmit) or carried
    records past the 双公示 deadline (超期报送), newest first, at most `limit` (the data officers'
    workbench, issue 16)."""
    rows = Submission.objects.filter(unit__code=unit_code, received_at__gte=since).exclude(rejected=0, late=0)
    return list(rows.select_related("unit", "category").order_by("-received_at", "-id")[:limit])


def submission_row_counts(
    *, start: dt.datetime, end: dt.datetime, unit_ids: Iterable[int]
) -> list[tuple[int, str, int, int, int]]:
    """Rows received in [start, end) per unit and category — (unit id, category code, rows, rejected rows,
    accepted rows) — over the submissions not abandoned (issue 16 metrics `rows_rejected`,
    `catalog_completeness`). Cost: submission_unit_received_idx, the month's submissions only."""
    rows = (
        Submission.objects.filter(unit_id__in=list(unit_ids), received_at__gte=start, received_at__lt=end)
        .exclude(state=SubmissionState.ABANDONED)
        .values_list("unit_id", "category__code")
        .annotate(total=Sum("total"), rejected=Sum("rejected"), accepted=Sum("accepted"))
        .order_by("unit_id", "category__code")
    )
    return [(u, c, total or 0, rejected or 0, accepted or 0) for u, c, total, rejected, accepted in rows]


def submissions_of_month(
    *, start: dt.datetime, end: dt.datetime, unit_id: int, limit: int
) -> list[tuple[int, str, int, int]]:
    """One unit's submissions received in [start, end): (id, label, rows, rejected rows), latest first."""
    rows = (
        Submission.objects.filter(unit_id=unit_id, received_at__gte=start, received_at__lt=end)
        .exclude(state=SubmissionState.ABANDONED)
        .order_by("-received_at", "-id")
        .values_list("pk", "category__code", "file_name", "total", "rejected")[:limit]
    )
    return [
        (pk, f"{code} 批次 #{pk} {name}".rstrip(), total, rejected)
        for pk, code, name, total, rejected in rows
    ]
