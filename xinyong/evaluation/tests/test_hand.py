"""Issue 16, done when: "a test computes one month's evaluation by hand for three units on known data and
compares every indicator". The data are world.py's November 2026 (submissions through intake, figures through
the metrics layer's refresh); the scorecard is the packaged unit scorecard 2026.1:

  indicator (weight)          scoring
  publicity_on_time (20)      linear, full ≥ 0.95, zero ≤ 0.60
  catalog_completeness (15)   linear, full ≥ 1.00, zero ≤ 0.50
  rows_rejected (15)          linear, full ≤ 0.02, zero ≥ 0.20  (lower is better)
  feedback_on_time (20), objections_on_time (10), repairs_on_time (10), plan_reports_on_time (10): no
  figures in the month for these units → not counted, their weight left out.

Total = Σ points × 100 ÷ Σ weights counted, each rounded half-up to 0.01 (ADR 0036).
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from xinyong.audit.models import AuditEvent
from xinyong.evaluation.models import Evaluation, EvaluationResult
from xinyong.evaluation.services import evaluation_month_compute
from xinyong.evaluation.tests.world import NOV, NOW, OFFICE

pytestmark = pytest.mark.django_db

# (indicator code, numerator, denominator, value, points) — None for not counted
BY_HAND = {
    "bj-gongshangju": [
        # 9 of 10 on time: 0.9 → share (0.9 − 0.6) / (0.95 − 0.6) = 6/7 → 20 × 6/7 = 17.142857… → 17.14
        ("publicity_on_time", 9, 10, D("0.900000"), D("17.14")),
        # named provider of DJ and JYYC, sent neither: 0/2 = 0 ≤ 0.50 → 0
        ("catalog_completeness", 0, 2, D("0.000000"), D("0.00")),
        # 1 of 11 rows refused: 1/11 → share (0.20 − 1/11) / (0.20 − 0.02) = 20/33 → 15 × 20/33 = 9.0909… → 9.09
        ("rows_rejected", 1, 11, D("0.090909"), D("9.09")),
        ("feedback_on_time", None, None, None, None),
        ("objections_on_time", None, None, None, None),
        ("repairs_on_time", None, None, None, None),
        ("plan_reports_on_time", None, None, None, None),
    ],
    "bj-rensheju": [
        ("publicity_on_time", 4, 4, D("1.000000"), D("20.00")),  # 1 ≥ 0.95: full
        ("catalog_completeness", 0, 1, D("0.000000"), D("0.00")),  # SBJN not sent: 0
        ("rows_rejected", 0, 4, D("0.000000"), D("15.00")),  # 0 ≤ 0.02: full
        ("feedback_on_time", None, None, None, None),
        ("objections_on_time", None, None, None, None),
        ("repairs_on_time", None, None, None, None),
        ("plan_reports_on_time", None, None, None, None),
    ],
    "bj-kewei": [
        # 3 of 4: 0.75 → share 0.15 / 0.35 = 3/7 → 20 × 3/7 = 8.571428… → 8.57
        ("publicity_on_time", 3, 4, D("0.750000"), D("8.57")),
        # named provider of no category: no figure → not counted
        ("catalog_completeness", None, None, None, None),
        ("rows_rejected", 0, 4, D("0.000000"), D("15.00")),
        ("feedback_on_time", None, None, None, None),
        ("objections_on_time", None, None, None, None),
        ("repairs_on_time", None, None, None, None),
        ("plan_reports_on_time", None, None, None, None),
    ],
}
# (total, counted weight, rank, level)
TOTALS = {
    "bj-rensheju": (D("70.00"), D("50"), 1, "合格"),  # (20 + 0 + 15) × 100 / 50 = 70.00
    "bj-kewei": (D("67.34"), D("35"), 2, "合格"),  # (8.57 + 15) × 100 / 35 = 67.342857… → 67.34
    "bj-gongshangju": (D("52.46"), D("50"), 3, "不合格"),  # (17.14 + 0 + 9.09) × 100 / 50 = 52.46
}


def _number(value):
    return None if value is None else int(value)


def test_one_month_of_three_units_computed_by_hand(world):
    evaluation = evaluation_month_compute(month=NOV, kind="unit", now=NOW, actor=OFFICE)
    assert (evaluation.scorecard.version, evaluation.month, evaluation.ranked) == (
        "2026.1",
        NOV,
        16,
    )  # catalog 2026.5: +4 providers (ADR 0037)
    for code, expected in BY_HAND.items():
        result = EvaluationResult.objects.get(evaluation=evaluation, unit__code=code)
        got = [
            (i.code, _number(i.numerator), _number(i.denominator), i.value, i.points)
            for i in result.indicators.order_by("position")
        ]
        assert got == expected, code
        assert (result.total, result.counted_weight, result.rank, result.level_name) == TOTALS[code], code
    ranked = EvaluationResult.objects.filter(evaluation=evaluation, rank__isnull=False).order_by("position")
    assert [r.unit.code for r in ranked[:3]] == ["bj-rensheju", "bj-kewei", "bj-gongshangju"]
    # the 13 other named providers sent nothing (catalog 2026.5 added 市投资促进局 and the three intermediate
    # courts, ADR 0037): completeness 0/n is their only counted indicator, total 0.00; equal totals share
    # rank 4 and are listed by code
    tied = [(r.unit.code, r.total, r.counted_weight, r.rank) for r in ranked[3:]]
    assert tied == [
        (code, D("0.00"), D("15"), 4)
        for code in ["bj-bianban", "bj-caizhengju", "bj-dishuiju", "bj-erzhongyuan", "bj-fagaiwei", "bj-gaoyuan",
                     "bj-guoshuiju", "bj-jingxinwei", "bj-minzhengju", "bj-sanzhongyuan", "bj-shangwuwei",
                     "bj-touzicujinju", "bj-yizhongyuan"]
    ]  # fmt: skip
    # every other unit of the ranked types is listed after them, unranked, by code
    rest = EvaluationResult.objects.filter(evaluation=evaluation, rank__isnull=True).order_by("position")
    codes = [r.unit.code for r in rest]
    assert codes == sorted(codes) and len(codes) == evaluation.entities - 16
    assert {r.total for r in rest} == {None}


def test_the_district_of_the_records_is_evaluated_on_its_district_rows(world):
    """District scorecard 2026.1: publicity_on_time (25), linear 0.95 / 0.60. Every record is about a company
    of 东城区: 9 + 4 + 3 = 16 on time of 10 + 4 + 4 = 18 → 8/9 → share (8/9 − 3/5) / (7/20) = 52/63 →
    25 × 52/63 = 20.634920… → 20.63; submissions are no district's (the units are not district governments),
    so nothing else counts: total = 20.63 × 100 / 25 = 82.52, 良好. The 15 other districts have no data."""
    evaluation = evaluation_month_compute(month=NOV, kind="district", now=NOW, actor=OFFICE)
    results = list(EvaluationResult.objects.filter(evaluation=evaluation).order_by("position"))
    first = results[0]
    assert (first.unit.code, first.total, first.counted_weight, first.rank, first.level_name) == (
        "bj-dongcheng", D("82.52"), D("25"), 1, "良好",
    )  # fmt: skip
    publicity = first.indicators.get(code="publicity_on_time")
    assert (publicity.numerator, publicity.denominator, publicity.value, publicity.points) == (
        16, 18, D("0.888889"), D("20.63"),
    )  # fmt: skip
    assert len(results) == 16 and [r.rank for r in results[1:]] == [None] * 15


def test_recomputing_a_month_replaces_it_in_one_audited_step(world):
    first = evaluation_month_compute(month=NOV, kind="unit", now=NOW, actor=OFFICE)
    later = NOW + dt.timedelta(hours=1)
    again = evaluation_month_compute(month=dt.date(2026, 11, 17), kind="unit", now=later, actor=OFFICE)
    assert Evaluation.objects.filter(month=NOV, kind="unit").get().pk == again.pk != first.pk
    assert EvaluationResult.objects.filter(evaluation_id=first.pk).count() == 0
    events = AuditEvent.objects.filter(action="evaluation.compute", target_id="unit:2026-11").order_by("seq")
    assert [e.payload["replaced"] for e in events] == [
        None,
        {"scorecard": "2026.1", "computed_at": NOW.isoformat()},
    ]
    assert events[1].payload["top"] == ["bj-rensheju", "bj-kewei", "bj-gongshangju"]
