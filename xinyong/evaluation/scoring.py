"""Applying a scorecard to one month's figures (issue 16): pure arithmetic, no ORM, so the hand test and the
service compute the same way. docs/adr/0036-evaluation-scorecards.md states the rules:

- value = numerator / denominator (exact), stored rounded to 6 places;
- an indicator whose denominator is 0 or that has no figure is *not counted*: no points, its weight left out,
  and the total re-normalised — total = Σ points × 100 / Σ weights counted;
- points = weight × share, rounded half-up to 0.01 (share from `linear` or `bands`, computed exactly);
  total rounded half-up to 0.01; a unit with no indicator counted has no total, no rank and no level;
- ranking: total descending; equal totals share a rank (1, 2, 2, 4) and are listed by unit code;
- level: the first band (highest first) whose `min` the total reaches.

The same engine scores the district government integrity card (govintegrity, ADR 0037): its rate is the total
/ 100 and it ranks by total, then points (`ranked(key=…)`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from xinyong.evaluation.scorecard import Indicator, Level, Scorecard

CENT = Decimal("0.01")
VALUE_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Figure:
    """One metric of one unit (or district) for the month, as the metrics layer has it."""

    numerator: Decimal
    denominator: Decimal
    detail: Mapping = field(default_factory=dict)


@dataclass(frozen=True)
class IndicatorScore:
    indicator: Indicator
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None  # None: not counted
    share: Decimal | None
    points: Decimal | None

    @property
    def counted(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class EntityScore:
    code: str
    scores: tuple[IndicatorScore, ...]
    total: Decimal | None
    counted_weight: Decimal
    level: Level | None
    rank: int | None = None

    @property
    def points(self) -> Decimal:
        """The points of the indicators counted (the total before re-normalising)."""
        return sum((s.points or Decimal(0) for s in self.scores if s.counted), Decimal(0))


def half_up(value: Fraction | Decimal, places: Decimal = CENT) -> Decimal:
    """Round exactly, half away from zero (values here are never negative)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(places, rounding=ROUND_HALF_UP)


def share_of(indicator: Indicator, value: Fraction) -> Fraction:
    """The share of the indicator's weight that `value` earns (0 … 1), exactly."""
    higher = indicator.direction == "higher"
    if indicator.method == "linear":
        full, zero = Fraction(indicator.full_at or 0), Fraction(indicator.zero_at or 0)
        if (value >= full) if higher else (value <= full):
            return Fraction(1)
        if (value <= zero) if higher else (value >= zero):
            return Fraction(0)
        return (value - zero) / (full - zero)
    for step in indicator.steps:  # best first
        if (value >= Fraction(step.at)) if higher else (value <= Fraction(step.at)):
            return Fraction(step.share)
    return Fraction(0)


def indicator_score(indicator: Indicator, figure: Figure | None) -> IndicatorScore:
    if figure is None:
        return IndicatorScore(indicator, None, None, None, None, None)
    if not figure.denominator:
        return IndicatorScore(indicator, figure.numerator, figure.denominator, None, None, None)
    value = Fraction(figure.numerator) / Fraction(figure.denominator)
    share = share_of(indicator, value)
    points = half_up(Fraction(indicator.weight) * share)
    return IndicatorScore(
        indicator, figure.numerator, figure.denominator, half_up(value, VALUE_PLACES),
        half_up(share, VALUE_PLACES), points,
    )  # fmt: skip


def entity_score(card: Scorecard, code: str, figures: Mapping[str, Figure]) -> EntityScore:
    """One unit's (or district's) scores: `figures` by metric key."""
    scores = tuple(indicator_score(i, figures.get(i.metric)) for i in card.indicators)
    counted = [s for s in scores if s.counted]
    weight = sum((s.indicator.weight for s in counted), Decimal(0))
    if not counted:
        return EntityScore(code, scores, None, weight, None)
    points = sum((s.points or Decimal(0) for s in counted), Decimal(0))
    total = half_up(Fraction(points) * 100 / Fraction(weight))
    return EntityScore(code, scores, total, weight, level_of(card.levels, total))


def level_of(levels: Sequence[Level], total: Decimal) -> Level | None:
    return next((lv for lv in levels if total >= lv.min), None)


def ranked(
    scores: Sequence[EntityScore], key: Callable[[EntityScore], Any] = lambda s: s.total
) -> list[EntityScore]:
    """Ranked by `key` (default: the total) descending; equal keys share the rank and are listed by code; a
    score whose key is None (no total) is unranked and listed last, by code."""
    by_code = sorted(scores, key=lambda s: s.code)
    keyed = sorted((s for s in by_code if key(s) is not None), key=key, reverse=True)
    out: list[EntityScore] = []
    for position, score in enumerate(keyed, 1):
        rank = out[-1].rank if out and key(out[-1]) == key(score) else position
        out.append(replace(score, rank=rank))
    return out + [s for s in by_code if key(s) is None]
