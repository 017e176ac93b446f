"""The figures of one month, metric by metric, from the owner apps' grouped-count selectors (definitions.py
says what each counts). Each function answers `Figure`s; `month_figures` gathers them all."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from xinyong.accounts.models import UnitType
from xinyong.accounts.selectors import unit_list_all
from xinyong.catalog.selectors import categories_named_providers
from xinyong.core.timeutil import BEIJING
from xinyong.intake.selectors import submission_row_counts
from xinyong.lists.selectors import list_moves_counts
from xinyong.measures.selectors import check_counts, feedback_due_counts
from xinyong.oversight import selectors as oversight_selectors
from xinyong.records.selectors import publicity_timeliness_counts
from xinyong.remedies.selectors import objection_verify_counts, repair_decide_counts


@dataclass
class Figure:
    unit_id: int
    district: str
    metric: str
    dimension: str
    numerator: int = 0
    denominator: int = 0
    detail: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Month:
    """A Beijing calendar month: `first` its first day, [start, end) its instants."""

    first: dt.date

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(0), tzinfo=BEIJING)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(next_month(self.first), dt.time(0), tzinfo=BEIJING)


def next_month(first: dt.date) -> dt.date:
    return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)


class _Sums:
    """Figures keyed by (unit, district, metric, dimension), summed as rows arrive."""

    def __init__(self) -> None:
        self.rows: dict[tuple[int, str, str, str], Figure] = {}

    def add(self, unit_id: int, district: str, metric: str, dimension: str, num: int, den: int) -> Figure:
        key = (unit_id, district or "", metric, dimension)
        figure = self.rows.get(key)
        if figure is None:
            figure = self.rows[key] = Figure(*key)
        figure.numerator += num
        figure.denominator += den
        return figure


@dataclass(frozen=True)
class Units:
    ids: list[int]
    district_of: dict[int, str]  # a district government's own code; '' for every other unit


def units() -> Units:
    rows = list(unit_list_all().values_list("pk", "code", "type"))
    return Units(
        [pk for pk, _, _ in rows],
        {pk: code if kind == UnitType.DISTRICT_GOVERNMENT else "" for pk, code, kind in rows},
    )


def publicity(month: Month, known: Units, sums: _Sums) -> None:
    for unit_id, district, category, days_late, n in publicity_timeliness_counts(
        start=month.start, end=month.end, unit_ids=known.ids
    ):
        figure = sums.add(unit_id, district, "publicity_on_time", category, n if days_late == 0 else 0, n)
        figure.detail[str(days_late)] = figure.detail.get(str(days_late), 0) + n


def submissions(month: Month, known: Units, sums: _Sums) -> None:
    accepted: dict[int, set[str]] = defaultdict(set)
    for unit_id, category, total, rejected, ok in submission_row_counts(
        start=month.start, end=month.end, unit_ids=known.ids
    ):
        sums.add(unit_id, known.district_of[unit_id], "rows_rejected", category, rejected, total)
        if ok:
            accepted[unit_id].add(category)
    for unit_id, categories in categories_named_providers().items():
        for category in categories:
            sent = 1 if category in accepted[unit_id] else 0
            sums.add(unit_id, known.district_of[unit_id], "catalog_completeness", category, sent, 1)


def checks(month: Month, known: Units, sums: _Sums) -> None:
    for unit_id, matter, n, hits in check_counts(start=month.start, end=month.end, unit_ids=known.ids):
        sums.add(unit_id, known.district_of[unit_id], "checks", matter, hits, n)
    for unit_id, matter, measure, outcome, on_time, n in feedback_due_counts(
        start=month.start, end=month.end, unit_ids=known.ids
    ):
        district = known.district_of[unit_id]
        sums.add(unit_id, district, "feedback_on_time", matter, n if on_time else 0, n)
        sums.add(unit_id, district, "measures_applied", measure, n if outcome == "applied" else 0, n)


def remedies(month: Month, known: Units, sums: _Sums) -> None:
    for unit_id, district, due, on_time in objection_verify_counts(start=month.start, end=month.end):
        sums.add(unit_id, district, "objections_on_time", "", on_time, due)
    for unit_id, district, due, on_time in repair_decide_counts(start=month.start, end=month.end):
        sums.add(unit_id, district, "repairs_on_time", "", on_time, due)


def lists(month: Month, known: Units, sums: _Sums) -> None:
    for metric, exits in (("list_entries", False), ("list_exits", True)):
        for unit_id, list_type, district, n in list_moves_counts(
            start=month.start, end=month.end, exits=exits
        ):
            sums.add(unit_id, district, metric, list_type, n, n)


def plan_reports(month: Month, known: Units, sums: _Sums) -> None:
    """Task 55's progress reports due in the month, per reporting unit (oversight's own count)."""
    for unit_id, (due, on_time) in oversight_selectors.progress_report_timeliness(month=month.first).items():
        sums.add(unit_id, known.district_of.get(unit_id, ""), "plan_reports_on_time", "", on_time, due)


STEPS: list[Callable[[Month, Units, _Sums], None]] = [
    publicity,
    submissions,
    checks,
    remedies,
    lists,
    plan_reports,
]


def month_figures(
    month: dt.date, *, steps: Iterable[Callable[[Month, Units, _Sums], None]] = STEPS
) -> list[Figure]:
    """Every figure of the Beijing calendar month starting on `month`."""
    span, known, sums = Month(month), units(), _Sums()
    for step in steps:
        step(span, known, sums)
    return list(sums.rows.values())
