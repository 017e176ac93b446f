"""Reporting periods of plan progress reports (规划任务进度报送周期; plan task 55; ADR 0038).

The rules are data (``data/reporting-periods.yaml``): from its ``effective_from`` each rule cuts the calendar
into periods of ``months`` months aligned to the year (2026Q3, 2026H1, 2026-07, 2026) and makes each
period's report due ``due_working_days`` working days after the period's last day, at 23:59:59 Beijing time
(``workdays.working_day_deadline``). A period follows the rule in force on its first day.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from xinyong.workdays.selectors import working_day_deadline

RULES_PATH = Path(__file__).resolve().parent / "data" / "reporting-periods.yaml"
_CHINESE_NUMBERS = "一二三四"


@dataclass(frozen=True)
class ReportingRule:
    effective_from: dt.date
    months: int
    due_working_days: int
    note: str = ""


@dataclass(frozen=True)
class Period:
    """One reporting period: its code (``2026Q3``), Chinese label, first and last day and deadline."""

    code: str
    label: str
    start: dt.date
    end: dt.date
    due_at: dt.datetime
    provisional: bool  # the deadline rests on a year whose holiday schedule is not loaded


@functools.cache
def reporting_rules(path: Path = RULES_PATH) -> tuple[ReportingRule, ...]:
    """The rules in effective order; a rule that does not start a period of its length is refused."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]
    rules = tuple(sorted((_rule(entry) for entry in raw), key=lambda rule: rule.effective_from))
    for rule in rules:
        if rule.months not in (1, 3, 6, 12) or rule.effective_from.day != 1:
            raise ValueError(f"reporting rule {rule}: months must be 1, 3, 6 or 12, from a first of month")
        if (rule.effective_from.month - 1) % rule.months:
            raise ValueError(f"reporting rule {rule}: effective_from does not start a period")
    return rules


def _rule(entry: dict) -> ReportingRule:
    return ReportingRule(
        entry["effective_from"], int(entry["months"]), int(entry["due_working_days"]), entry.get("note", "")
    )


def periods_started(*, on: dt.date) -> list[Period]:
    """Every period that has begun by ``on``, newest first."""
    rules = reporting_rules()
    found: list[Period] = []
    cursor = rules[0].effective_from if rules else on + dt.timedelta(days=1)
    while cursor <= on:
        rule = _rule_on(rules, cursor)
        period = _period(rule, cursor)
        found.append(period)
        cursor = period.end + dt.timedelta(days=1)
    return found[::-1]


def period_get(code: str, *, on: dt.date) -> Period | None:
    """The period with this code among those begun by ``on``, else None."""
    return next((p for p in periods_started(on=on) if p.code == code), None)


def _rule_on(rules: tuple[ReportingRule, ...], day: dt.date) -> ReportingRule:
    return [rule for rule in rules if rule.effective_from <= day][-1]


def _period(rule: ReportingRule, start: dt.date) -> Period:
    first_month = start.month - (start.month - 1) % rule.months
    start = dt.date(start.year, first_month, 1)
    after = _add_months(start, rule.months)
    end = after - dt.timedelta(days=1)
    deadline = working_day_deadline(end, rule.due_working_days)
    code, label = _names(start, rule.months)
    return Period(code, label, start, end, deadline.value, deadline.provisional)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _names(start: dt.date, months: int) -> tuple[str, str]:
    year, n = start.year, (start.month - 1) // months
    if months == 3:
        return f"{year}Q{n + 1}", f"{year}年第{_CHINESE_NUMBERS[n]}季度"
    if months == 6:
        return f"{year}H{n + 1}", f"{year}年{'上下'[n]}半年"
    if months == 1:
        return f"{year}-{start.month:02d}", f"{year}年{start.month}月"
    return f"{year}", f"{year}年度"
