"""(b) of the district evaluation: the districts' results in the evaluation of districts (issue 16
"Evaluation of units and districts", app `xinyong.evaluation`, kind district; ADR 0037).

The scorecard takes them as plain input — district unit code → indicator code → `IndicatorInput` — so the
district government integrity result can be computed, tested and explained whatever produces them. Read
here from the evaluation of the same month: for each district, each indicator the evaluation counted gives
its share of the weight earned there (0–1, by the evaluation's own thresholds), with its value, numerator,
denominator and points kept as the input's detail. A month the evaluation has not computed gives no input:
every (b) indicator then says 缺少数据 and the rate is taken over (a) alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from xinyong.core.errors import NotFound
from xinyong.evaluation.models import EvaluationKind, IndicatorResult
from xinyong.evaluation.selectors import evaluation_get, evaluation_ranking
from xinyong.govintegrity.scoring import IndicatorInput

DistrictInputs = dict[str, dict[str, IndicatorInput]]


def _text(indicator: IndicatorResult) -> str:
    value = "" if indicator.value is None else f"{indicator.value * 100:.2f}%"
    return f"{value}（考核得分比例 {indicator.share:.2f}）"


def _input(indicator: IndicatorResult, source: str) -> IndicatorInput:
    detail = {
        key: None if getattr(indicator, key) is None else str(getattr(indicator, key))
        for key in ("value", "numerator", "denominator", "share", "points", "weight")
    }
    return IndicatorInput(
        value=indicator.share or Decimal(0), source=source, detail=detail, text=_text(indicator)
    )


def district_indicator_inputs(*, month: dt.date) -> DistrictInputs:
    """The evaluation of districts' counted indicators for `month`, per district (module docstring)."""
    try:
        evaluation = evaluation_get(month=month, kind=EvaluationKind.DISTRICT)
    except NotFound:
        return {}
    out: DistrictInputs = {}
    for result in evaluation_ranking(evaluation=evaluation):
        source = f"考核评价 {month:%Y-%m}（区，评分表 {evaluation.scorecard.version}）结果 #{result.pk}"
        out[result.unit.code] = {
            i.code: _input(i, f"{source} 指标 {i.code}")
            for i in result.indicators.all()
            if i.share is not None
        }
    return out
