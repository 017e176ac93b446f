"""How one district's month is scored (ADR 0037): pure functions over plain rows and the scorecard, so that a
test can compute the same numbers by hand. No Django, no database. The arithmetic is the evaluation engine's
(evaluation/scoring.py, on the card of scorecard.py); this module counts (a)'s deductions and words the rows.

(a) 政务失信: for each category of the scorecard, every record of the district's government bodies decided in
    the month (新增) and every record still shown on the month's last day (现存) deducts the points of its
    severity tier; the part is `records.max_points` minus the deductions, never below 0.
(b) 区级指标: each indicator of the evaluation of units and districts scores linearly between `zero_at` and
    `full_at`; one the district has no value for scores nothing and leaves the available maximum.
The result: score = (a) + (b), rate = score / available maximum, level by the rate, rank by rate then score.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from xinyong.catalog.vocabulary import SEVERITIES
from xinyong.evaluation import scoring as engine
from xinyong.evaluation.scoring import Figure
from xinyong.govintegrity.scorecard import Indicator, Scorecard

CENT, TEN_THOUSANDTH = Decimal("0.01"), Decimal("0.0001")
SHOWN_AT_END = ("published", "under_objection")  # records.shown SHOWN_STATUSES
EXPIRED = "expired"
RECORDS_SOURCE = (
    "records.selectors.record_rows_of_categories：本区机关的政务失信记录（当前版本，未撤回），"
    "新增 = 决定日期在当月；现存 = 当月最后一日仍在公示（公示中或异议处理中，未过公示期）"
)


@dataclass(frozen=True)
class RecordFact:
    """One 政务失信 record as the scoring needs it (records.selectors.CategoryRecordRow)."""

    id: int
    category_code: str
    severity: str
    decision_date: dt.date
    status: str
    publish_max_end: dt.date | None


@dataclass(frozen=True)
class IndicatorInput:
    """(b) one district's value of one indicator from the evaluation of units and districts."""

    value: Decimal
    source: str = ""
    detail: dict = field(default_factory=dict)
    text: str = ""  # how the value reads (default: the value as a percentage)


@dataclass(frozen=True)
class IndicatorResult:
    part: str
    code: str
    name: str
    value: Decimal | None
    value_text: str
    points: Decimal | None
    max_points: Decimal | None
    inputs: dict
    source: str


@dataclass(frozen=True)
class DistrictResult:
    district: str
    score: Decimal
    max_score: Decimal
    rate: Decimal
    level: str
    records_points: Decimal
    complete: bool
    indicators: tuple[IndicatorResult, ...]
    scored: engine.EntityScore  # the engine's score


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def shown_on(fact: RecordFact, day: dt.date) -> bool:
    """Shown on `day` as far as the record says now: published or under objection within its window, or
    expired by the sweep only after `day` (its window ended later)."""
    if fact.decision_date > day:
        return False
    if fact.status in SHOWN_AT_END:
        return fact.publish_max_end is None or fact.publish_max_end >= day
    return fact.status == EXPIRED and fact.publish_max_end is not None and fact.publish_max_end >= day


def _by_tier(facts: list[RecordFact]) -> dict[str, int]:
    counts = Counter(f.severity for f in facts)
    return {tier: counts[tier] for tier in SEVERITIES if counts[tier]}


def _tier_text(counts: dict[str, int]) -> str:
    return "、".join(f"{SEVERITIES[tier]} {n}" for tier, n in counts.items())


def _count_text(label: str, facts: list[RecordFact]) -> str:
    counts = _by_tier(facts)
    return f"{label} {len(facts)}" + (f"（{_tier_text(counts)}）" if counts else "")


def _category_result(
    code: str, name: str, card: Scorecard, facts: list[RecordFact], month: dt.date
) -> IndicatorResult:
    first, last = month_bounds(month)
    mine = [f for f in facts if f.category_code == code]
    new = [f for f in mine if first <= f.decision_date <= last]
    current = [f for f in mine if shown_on(f, last)]
    rule = card.categories[code]
    deduction = sum((rule.new.get(f.severity, Decimal(0)) for f in new), Decimal(0)) + sum(
        (rule.current.get(f.severity, Decimal(0)) for f in current), Decimal(0)
    )
    inputs = {
        "new": [f.id for f in new], "current": [f.id for f in current],
        "new_by_severity": _by_tier(new), "current_by_severity": _by_tier(current),
        "deduction": str(deduction),
    }  # fmt: skip
    return IndicatorResult(
        part="records", code=code, name=name, value=Decimal(len(current)),
        value_text=f"{_count_text('新增', new)}，{_count_text('现存', current)}",
        points=-deduction, max_points=None, inputs=inputs, source=RECORDS_SOURCE,
    )  # fmt: skip


def indicator_points(indicator: Indicator, value: Decimal) -> Decimal:
    """Full points at or above `full_at`, none at or below `zero_at`, linear between (to the cent)."""
    return engine.indicator_score(indicator.engine(), Figure(value, Decimal(1))).points or Decimal(0)


def _district_result(
    indicator: Indicator, given: IndicatorInput | None, score: engine.IndicatorScore
) -> IndicatorResult:
    if given is None:
        return IndicatorResult("district", indicator.code, indicator.name, None, "缺少数据（不计入满分）",
                               None, indicator.points, {}, "")  # fmt: skip
    return IndicatorResult(
        part="district", code=indicator.code, name=indicator.name, value=given.value,
        value_text=given.text or f"{engine.half_up(given.value * 100)}%", points=score.points,
        max_points=indicator.points, inputs=dict(given.detail), source=given.source,
    )  # fmt: skip


def district_score(
    *,
    district: str,
    month: dt.date,
    card: Scorecard,
    category_names: Mapping[str, str],
    facts: Iterable[RecordFact],
    inputs: Mapping[str, IndicatorInput],
) -> DistrictResult:
    """One district's result for `month` (see the module docstring)."""
    facts = list(facts)
    records = [
        _category_result(code, category_names.get(code, code), card, facts, month) for code in card.categories
    ]
    deductions = -sum((r.points or Decimal(0) for r in records), Decimal(0))
    figures = {code: Figure(given.value, Decimal(1)) for code, given in inputs.items()}
    part_a = card.card.indicators[0]
    figures[part_a.metric] = Figure(deductions, part_a.weight)
    scored = engine.entity_score(card.card, district, figures)
    district_rows = [
        _district_result(i, inputs.get(i.code), s)
        for i, s in zip(card.indicators, scored.scores[1:], strict=True)
    ]
    total = scored.total or Decimal(0)  # none: no maximum available, rate 0
    level = engine.level_of(card.card.levels, total)
    return DistrictResult(
        district=district, score=scored.points.quantize(CENT), max_score=scored.counted_weight.quantize(CENT),
        rate=(total / 100).quantize(TEN_THOUSANDTH), level=level.name if level else "",
        records_points=(scored.scores[0].points or Decimal(0)).quantize(CENT),
        complete=all(r.points is not None for r in district_rows), indicators=(*records, *district_rows),
        scored=scored,
    )  # fmt: skip


def ranks(results: list[DistrictResult]) -> dict[str, int]:
    """District → rank by rate, then score (equal results share a rank: 1, 1, 3): the engine's ranking."""
    ranking = engine.ranked([r.scored for r in results], key=lambda s: (s.total or Decimal(0), s.points))
    return {s.code: s.rank or 0 for s in ranking}
