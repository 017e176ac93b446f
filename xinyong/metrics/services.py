"""Writes of the metrics app: the figures of one month recomputed from the owner apps (issue 16, ADR 0035)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.metrics.compute import month_figures
from xinyong.metrics.models import UnitMonthFigure


def month_first(month: dt.date | str) -> dt.date:
    """The first day of a month given as a date or as "YYYY-MM" (a clear error otherwise)."""
    if isinstance(month, dt.date):
        return month.replace(day=1)
    try:
        return dt.datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise DomainError("metrics.month_invalid", f"月份格式应为 YYYY-MM：{month}") from None


def month_refresh(*, month: dt.date | str, now: dt.datetime, actor: Actor | None = None) -> int:
    """Recompute every figure of the Beijing calendar month `month` in one transaction: its rows are deleted
    and the new ones inserted, with the audit event `metrics.refresh`; readers see the old month or the new
    one, never half. Idempotent: the same data give the same rows. Answers the number of rows written."""
    first = month_first(month)
    with transaction.atomic():
        rows = _rows(first, now)
        deleted, _ = UnitMonthFigure.objects.filter(month=first).delete()
        UnitMonthFigure.objects.bulk_create(rows, batch_size=500)
        audit_append(
            actor=actor or Actor.system(),
            action="metrics.refresh",
            target_type="metrics.month",
            target_id=f"{first:%Y-%m}",
            payload={"rows": len(rows), "replaced": deleted},
            now=now,
        )
    return len(rows)


def _rows(first: dt.date, now: dt.datetime) -> list[UnitMonthFigure]:
    return [
        UnitMonthFigure(
            month=first, unit_id=f.unit_id, district=f.district, metric=f.metric, dimension=f.dimension,
            numerator=f.numerator, denominator=f.denominator, detail=f.detail, computed_at=now,
        )
        for f in month_figures(first)
    ]  # fmt: skip


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first`'s through `last`'s, in order."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months
