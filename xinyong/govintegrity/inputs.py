"""(b) of the district evaluation: the districts' indicators from the evaluation of units and districts
(issue 16 "Evaluation of units and districts", app `xinyong.evaluation`, ADR 0037).

The scorecard takes them as plain input — district unit code → indicator code → `IndicatorInput` — so the
district government integrity result can be computed, tested and explained whatever produces them. When this
branch was written the evaluation app had no district results yet: `district_indicator_inputs` answers no
values, every (b) indicator of a result says 缺少数据, and the rate is taken over (a) alone. Wiring it is one
function: read the evaluation's district results for the month and map its indicator codes to the
scorecard's (data/scorecard.yaml `indicators`)."""

from __future__ import annotations

import datetime as dt

from xinyong.govintegrity.scoring import IndicatorInput

DistrictInputs = dict[str, dict[str, IndicatorInput]]


def district_indicator_inputs(*, month: dt.date) -> DistrictInputs:
    """The evaluation's district indicator values for `month` (none yet: see the module docstring)."""
    return {}
