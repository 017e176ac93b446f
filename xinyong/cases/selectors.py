"""Reads of 典型案例 for the public (portal /cases/): published cases only, newest publication first."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from xinyong.cases.models import CaseStatus, TypicalCase
from xinyong.core.timeutil import BEIJING


def cases_published(
    *, kind: str | None = None, district: str | None = None, year: int | None = None
) -> QuerySet[TypicalCase]:
    """Published cases, filtered by kind, district (a district unit's code) and year of publication (Beijing
    time), newest first (then newest id)."""
    cases = TypicalCase.objects.filter(status=CaseStatus.PUBLISHED)
    if kind:
        cases = cases.filter(kind=kind)
    if district:
        cases = cases.filter(district__code=district)
    if year:
        start = dt.datetime(year, 1, 1, tzinfo=BEIJING)
        cases = cases.filter(published_at__gte=start, published_at__lt=start.replace(year=year + 1))
    return cases.select_related("unit", "district", "subject").order_by("-published_at", "-id")


def case_years() -> list[int]:
    """The years (Beijing time) in which the published cases were published, newest first."""
    stamps = TypicalCase.objects.filter(status=CaseStatus.PUBLISHED).values_list("published_at", flat=True)
    return sorted({stamp.astimezone(BEIJING).year for stamp in stamps.iterator() if stamp}, reverse=True)


def case_get(*, case_id: int) -> TypicalCase | None:
    """One case in any status (the portal tells a withdrawn case from none), its units and subject joined."""
    return TypicalCase.objects.select_related("unit", "district", "subject").filter(pk=case_id).first()
