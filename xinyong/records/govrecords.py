"""Reads of records for government integrity (政务诚信, ADR 0037), re-exported by records.selectors: the
negative records of government bodies shown on a day (the console's monitoring) and the rows of the 政务失信
categories (the district evaluation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from xinyong.records.models import Record, RecordStatus
from xinyong.records.shown import record_shown_q


def record_shown_negative_of(
    *,
    on: dt.date,
    subject_kinds: Iterable[str],
    category_codes: Iterable[str],
    district: str | None = None,
    category_code: str | None = None,
) -> list[Record]:
    """Negative records shown on `on` (records.shown: published or under objection, within the window) whose
    subject is of one of `subject_kinds` or whose category is one of `category_codes` — the 政务失信
    monitoring (ADR 0037) — optionally of subjects of one `district` ("" = city level) and of one category;
    with subject, category and providing unit, by subject, then newest decision first.
    Two queries rather than one with OR, so that each can use an index: the categories' through
    record_publicity_idx (category first), the kinds' through record_subject_idx (subject first)."""
    base = Record.objects.filter(record_shown_q(on), category__polarity="negative")
    if district is not None:
        base = base.filter(subject__district=district)
    if category_code:
        base = base.filter(category__code=category_code)
    found = {r.pk: r for r in base.filter(category__code__in=list(category_codes)).select_related(*_MONITOR)}
    for record in base.filter(subject__kind__in=list(subject_kinds)).select_related(*_MONITOR):
        found.setdefault(record.pk, record)
    return sorted(found.values(), key=lambda r: (r.subject_id, -r.decision_date.toordinal(), -r.pk))


_MONITOR = ("subject", "category", "unit")


class CategoryRecordRow(NamedTuple):
    id: int
    category_code: str
    severity: str
    decision_date: dt.date
    status: str
    publish_max_end: dt.date | None
    subject_id: int
    district: str


def record_rows_of_categories(
    *, category_codes: Iterable[str], decided_until: dt.date
) -> list[CategoryRecordRow]:
    """Current versions of these categories decided on or before `decided_until`, withdrawn and erased ones
    left out, with their subject's district (the district government integrity evaluation, ADR 0037)."""
    records = Record.objects.filter(
        category__code__in=list(category_codes), is_current=True, decision_date__lte=decided_until
    ).exclude(status__in=[RecordStatus.WITHDRAWN, RecordStatus.SUPERSEDED, RecordStatus.ERASED])
    fields = ("id", "category__code", "severity", "decision_date", "status", "publish_max_end", "subject_id",
              "subject__district")  # fmt: skip
    return list(map(CategoryRecordRow._make, records.order_by("id").values_list(*fields)))
