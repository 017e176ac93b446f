"""Reads of the evaluation app (issue 16): the scorecard in force, a month's ranking, one unit's (or
district's) result with its indicators, and `indicator_explain` — why an indicator has its value: the metric's
definition, the source query of the metrics layer and the records behind the figure (DESIGN principle 5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from xinyong.accounts.models import Unit
from xinyong.accounts.roles import CREDIT_OFFICE
from xinyong.accounts.selectors import unit_list_all
from xinyong.core.actor import Actor
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.evaluation import inputs
from xinyong.evaluation.models import Evaluation, EvaluationResult, IndicatorResult, Scorecard
from xinyong.evaluation.scorecard import Scorecard as ScorecardValue
from xinyong.evaluation.scorecard import scorecard_from_document

ROWS_BEHIND_LIMIT = 50


def scorecard_in_force(*, kind: str, month: dt.date) -> Scorecard | None:
    """The version whose `effective_from` is the latest on or before the month's first day."""
    first = month.replace(day=1)
    return Scorecard.objects.filter(kind=kind, effective_from__lte=first).order_by("-effective_from").first()


def scorecard_value(stored: Scorecard) -> ScorecardValue:
    return scorecard_from_document(stored.document)


def scorecard_versions(*, kind: str | None = None) -> QuerySet[Scorecard]:
    cards = Scorecard.objects.all()
    return cards.filter(kind=kind) if kind else cards


def units_evaluated(*, unit_types: Iterable[str]) -> list[Unit]:
    """The active units of these types, by code: every one is listed in the ranking, with data or not."""
    wanted = set(unit_types)
    return [u for u in unit_list_all() if u.active and u.type in wanted]


def evaluation_months(*, kind: str) -> list[dt.date]:
    """Months evaluated for `kind`, newest first."""
    return list(Evaluation.objects.filter(kind=kind).order_by("-month").values_list("month", flat=True))


def evaluation_get(*, month: dt.date, kind: str) -> Evaluation:
    evaluation = (
        Evaluation.objects.select_related("scorecard").filter(month=month.replace(day=1), kind=kind).first()
    )
    if evaluation is None:
        raise NotFound("evaluation.not_found", f"{month:%Y-%m} 的考核尚未计算")
    return evaluation


def evaluation_ranking(*, evaluation: Evaluation) -> list[EvaluationResult]:
    """Every result in ranking order (ties by unit code; unranked last), with its unit and indicators."""
    return list(
        EvaluationResult.objects.filter(evaluation=evaluation)
        .select_related("unit")
        .prefetch_related("indicators")
        .order_by("position")
    )


def may_see(*, actor: Actor, unit: Unit) -> bool:
    """The credit office sees every unit's page; a unit's officer sees its own (and the ranking)."""
    return actor.has_role(*CREDIT_OFFICE) or (bool(actor.unit_code) and actor.unit_code == unit.code)


def evaluation_result(*, evaluation: Evaluation, unit_code: str, actor: Actor) -> EvaluationResult:
    """One unit's result with its indicators; 404 when not evaluated, 403 when not the actor's to see."""
    result = (
        EvaluationResult.objects.filter(evaluation=evaluation, unit__code=unit_code)
        .select_related("unit")
        .prefetch_related("indicators")
        .first()
    )
    if result is None:
        raise NotFound("evaluation.unit_not_found", f"{unit_code} 不在本期考核中")
    if not may_see(actor=actor, unit=result.unit):
        raise PermissionDenied("evaluation.forbidden", "只能查看本单位的考核明细")
    return result


@dataclass(frozen=True)
class Explanation:
    """Why an indicator has its value: the row, the scoring rule, the metric's definition, the query that
    produced the figure and (for a unit) the records behind it."""

    indicator: IndicatorResult
    rule: str
    definition: dict[str, Any]
    source: str
    rows_behind: list[dict[str, Any]]
    rows_note: str


def indicator_explain(
    *,
    evaluation: Evaluation,
    unit_code: str,
    indicator_code: str,
    actor: Actor,
    limit: int = ROWS_BEHIND_LIMIT,
) -> Explanation:
    """The indicator of one unit's result, its rule, the metrics layer's definition and source query, and up
    to `limit` records behind the figure (issue 16: each indicator's value, its source query, its records)."""
    result = evaluation_result(evaluation=evaluation, unit_code=unit_code, actor=actor)
    row = next((i for i in result.indicators.all() if i.code == indicator_code), None)
    if row is None:
        raise NotFound("evaluation.indicator_not_found", f"指标 {indicator_code} 不在本期考核中")
    card = scorecard_value(evaluation.scorecard)
    indicator = next(i for i in card.indicators if i.code == indicator_code)
    behind, note = inputs.rows_behind(
        kind=evaluation.kind, metric=row.metric, month=evaluation.month, unit=result.unit, limit=limit
    )
    return Explanation(
        indicator=row,
        rule=indicator.rule_text(),
        definition=inputs.definition(metric=row.metric),
        source=inputs.source_text(
            kind=evaluation.kind, metric=row.metric, month=evaluation.month, unit=result.unit
        ),
        rows_behind=behind,
        rows_note=note,
    )


def weakest_indicators(result: EvaluationResult, *, count: int = 2) -> list[IndicatorResult]:
    """The counted indicators that lost the most points (weight − points), heaviest loss first."""
    counted = [i for i in result.indicators.all() if i.points is not None]
    return sorted(counted, key=lambda i: (-(i.weight - (i.points or 0)), i.position))[:count]
