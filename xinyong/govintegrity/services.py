"""Writes of the government integrity app (政务诚信, plan tasks 8–10, ADR 0037): the district government
integrity evaluation of one month, replaced whole on every recompute."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict

from django.db import transaction

from xinyong.accounts.roles import OFFICE
from xinyong.accounts.selectors import district_governments
from xinyong.audit.services import audit_append
from xinyong.catalog.selectors import category_list_bare
from xinyong.core.actor import Actor
from xinyong.govintegrity.inputs import DistrictInputs, district_indicator_inputs
from xinyong.govintegrity.models import DistrictEvaluation, DistrictIndicator
from xinyong.govintegrity.scorecard import Scorecard, scorecard_on
from xinyong.govintegrity.scoring import DistrictResult, RecordFact, district_score, month_bounds, ranks
from xinyong.records.selectors import record_rows_of_categories


def district_evaluation_compute(
    *, actor: Actor, now: dt.datetime, month: dt.date, inputs: DistrictInputs | None = None
) -> list[DistrictEvaluation]:
    """Score every district government for `month` under the scorecard version in force on its first day
    (plan task 8: the city evaluates the district governments' integrity) and keep each result with its
    indicators' inputs and points. A month already computed is replaced whole, in one transaction with one
    audit event (`govintegrity.district_evaluation`) naming the scores replaced. Credit office only.
    `inputs` are (b), the district indicators; None reads them from the evaluation (inputs.py)."""
    actor.require(*OFFICE)
    first, _last = month_bounds(month)
    card = scorecard_on(first)
    results = _results(card, first, district_indicator_inputs(month=first) if inputs is None else inputs)
    with transaction.atomic():
        replaced = _replace(results, first, card, now)
        audit_append(
            actor=actor, action="govintegrity.district_evaluation", target_type="district_evaluation",
            target_id=f"{first:%Y-%m}", now=now,
            payload={"month": f"{first:%Y-%m}", "scorecard": card.version,
                     "scores": {r.district: str(r.score) for r in results}, "replaced": replaced},
        )  # fmt: skip
    return list(DistrictEvaluation.objects.filter(month=first).order_by("rank", "district"))


def _results(card: Scorecard, first: dt.date, inputs: DistrictInputs) -> list[DistrictResult]:
    _first, last = month_bounds(first)
    facts: dict[str, list[RecordFact]] = defaultdict(list)
    for row in record_rows_of_categories(category_codes=card.categories, decided_until=last):
        facts[row.district].append(
            RecordFact(
                row.id, row.category_code, row.severity, row.decision_date, row.status, row.publish_max_end
            )
        )
    names = {c.code: c.name for c in category_list_bare()}
    return [
        district_score(district=unit.code, month=first, card=card, category_names=names,
                       facts=facts.get(unit.code, []), inputs=inputs.get(unit.code, {}))
        for unit in district_governments()
    ]  # fmt: skip


def _replace(
    results: list[DistrictResult], first: dt.date, card: Scorecard, now: dt.datetime
) -> dict[str, str]:
    """Delete the month's results (their indicators go with them) and write the new ones; old scores back."""
    old = DistrictEvaluation.objects.select_for_update().filter(month=first)
    replaced = {e.district: str(e.score) for e in old}
    old.delete()
    ranking = ranks(results)
    for result in results:
        evaluation = DistrictEvaluation.objects.create(
            district=result.district, month=first, scorecard_version=card.version, score=result.score,
            max_score=result.max_score, rate=result.rate, level=result.level,
            records_points=result.records_points, complete=result.complete, rank=ranking[result.district],
            computed_at=now,
        )  # fmt: skip
        DistrictIndicator.objects.bulk_create(
            DistrictIndicator(evaluation=evaluation, order=order, **asdict(i))
            for order, i in enumerate(result.indicators)
        )
    return replaced
