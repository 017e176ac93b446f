"""Publication windows and timeliness (双公示): which rule applied, from when to when, how late it came.

docs/rules.md: penalty publication by severity under the rule in force on the decision date (minor: not
published, unless the department chose to publish it where the rule allows, for at most the rule's
`choice_max`; general and serious: minimum and maximum periods from the decision date); licences and other
while-valid categories are public until their validity ends (2099-12-31 = long-term); 双公示 categories must
arrive within 7 working days of the decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from xinyong.catalog.periods import add_quantity
from xinyong.catalog.selectors import rule_in_force
from xinyong.records.models import RecordStatus
from xinyong.workdays.selectors import add_working_days, is_working_day, working_days_between

LONG_TERM = dt.date(2099, 12, 31)


@dataclass(frozen=True)
class Window:
    status: str
    min_end: dt.date | None = None
    max_end: dt.date | None = None
    rule_key: str = ""
    rule_effective_from: dt.date | None = None


@dataclass(frozen=True)
class Timeliness:
    delay_working_days: int | None
    late: bool
    provisional: bool


@lru_cache(maxsize=4096)
def _severity_rule(severity: str, decision_date: dt.date) -> tuple[str, dt.date, dict]:
    key = f"publication.penalty.{severity}"
    rule = rule_in_force(key=key, on=decision_date)
    return key, rule.effective_from, rule.values


def clear_caches() -> None:
    """Forget cached rules (after a rules reload; tests)."""
    _severity_rule.cache_clear()


def publication_window(
    *,
    publication_rule: str,
    severity: str,
    decision_date: dt.date,
    valid_until: dt.date | None,
    today: dt.date,
    publish_minor: bool = False,
) -> Window:
    """The window and status of a new record arriving `today`; a window already past is `expired` at once.
    `publish_minor`: the department chose to publish a minor penalty (validated in records/severity.py)."""
    if publication_rule == "severity_period":
        return _severity_window(severity, decision_date, today, publish_minor)
    if publication_rule == "while_valid" and valid_until and valid_until < LONG_TERM:
        return _status_by_end(
            Window(RecordStatus.PUBLISHED, max_end=valid_until, rule_key="while_valid"), today
        )
    return Window(RecordStatus.PUBLISHED, rule_key=publication_rule)


def _severity_window(severity: str, decision_date: dt.date, today: dt.date, publish_minor: bool) -> Window:
    key, effective_from, values = _severity_rule(severity or "general", decision_date)
    if not values.get("published") and publish_minor and "choice_max" in values:
        # chosen publication (2025 measures): no minimum period, the rule's cap as the maximum end
        end = add_quantity(decision_date, values["choice_max"])
        chosen = Window(RecordStatus.PUBLISHED, max_end=end, rule_key=key, rule_effective_from=effective_from)
        return _status_by_end(chosen, today)
    if not values.get("published"):
        return Window(RecordStatus.NOT_PUBLISHED, rule_key=key, rule_effective_from=effective_from)
    window = Window(
        RecordStatus.PUBLISHED,
        min_end=add_quantity(decision_date, values["min"]),
        max_end=add_quantity(decision_date, values["max"]),
        rule_key=key,
        rule_effective_from=effective_from,
    )
    return _status_by_end(window, today)


def _status_by_end(window: Window, today: dt.date) -> Window:
    if window.max_end is not None and window.max_end < today:
        return Window(
            RecordStatus.EXPIRED, window.min_end, window.max_end, window.rule_key, window.rule_effective_from
        )
    return window


def timeliness(*, decision_date: dt.date, arrival: dt.date, deadline_working_days: int | None) -> Timeliness:
    """双公示 timeliness (国办发〔2015〕51号: within 7 working days of the decision, docs/rules.md; rule
    `deadline.shuanggongshi`): late when the arrival date falls after the deadline day, whatever kind of day
    it falls on — an arrival on the Saturday after a Friday deadline, or during a public holiday after the
    deadline, is late; an arrival on the deadline day itself (until 23:59:59 Beijing time) is on time.

    `delay_working_days` counts the working days w with decision_date < w <= the arrival day, where an
    arrival on a weekend or holiday counts as arriving on the next working day (the first day anyone can
    act on it). So a Saturday arrival after a Friday deadline of 7 has delay 8, and `late` is always
    `delay > deadline`. An arrival on or before the decision date has delay 0."""
    if deadline_working_days is None:
        return Timeliness(None, False, False)
    if arrival <= decision_date:
        return Timeliness(0, False, False)
    counted_on = arrival if is_working_day(arrival) else add_working_days(arrival, 1).value
    delay = working_days_between(decision_date, counted_on)
    return Timeliness(delay.value, delay.value > deadline_working_days, delay.provisional)
