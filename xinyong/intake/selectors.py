"""Reads of the intake app: a submission for its own unit, its rejected rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from xinyong.core.errors import NotFound
from xinyong.intake.models import RejectedRow, Submission


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
