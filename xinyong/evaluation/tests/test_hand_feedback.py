"""The banded indicator by hand: 联合奖惩反馈按时率 of 市财政局 in November 2026, from checks and feedback filed
through the measures services and figures from the metrics refresh (the metrics layer's own checks world).

COMPANY is on 失信被执行人 (feedback within 10 working days), OTHER on the procurement list (5 working days).
市财政局 checks (政府采购) Fri 10-30 COMPANY (feedback due 11-13, never filed) and Mon 11-02 COMPANY and OTHER
(due 11-09), and files both of 11-02's measures on 11-03: 2 of the 3 measures due in November on time.

Unit scorecard 2026.1:
  feedback_on_time (20), bands ≥0.95 → 1, ≥0.90 → 0.8, ≥0.80 → 0.6, ≥0.60 → 0.3: 2/3 = 0.666667 ≥ 0.60 →
      share 0.3 → 20 × 0.3 = 6.00
  catalog_completeness (15): named provider of HTLY, sent none: 0/1 → 0.00
  every other indicator: no figure for 市财政局 → not counted
  total = (6.00 + 0.00) × 100 / 35 = 17.142857… → 17.14, 不合格.
"""

import datetime as dt
from decimal import Decimal as D

import pytest

from tests.support.measures import (  # noqa: F401 - fixtures
    NOW,
    list_subject,
    list_types,
    listed_company,
    memoranda,
    officer_of,
    reference,
)
from tests.support.records import COMPANY
from xinyong.core.actor import Actor
from xinyong.evaluation.models import EvaluationResult
from xinyong.evaluation.services import evaluation_month_compute, scorecards_load
from xinyong.measures.services import check_run, feedback_file
from xinyong.metrics.services import month_refresh
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
OTHER = uscc_make("9111010500054321")
NOV = dt.date(2026, 11, 1)
BJ = dt.timezone(dt.timedelta(hours=8))
LATER = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)


def _check(*codes, at):
    return check_run(
        actor=officer_of("bj-caizhengju"),
        matter_code="政府采购",
        case_number="C-1",
        identifiers=list(codes),
        now=at,
    )


def _applied(check, index, measure, at):
    item = {"result_id": check.answers[index]["result_id"], "measure_code": measure, "outcome": "applied",
            "reason": "", "applied_on": at.date()}  # fmt: skip
    feedback_file(actor=officer_of("bj-caizhengju"), check_id=check.check_id, items=[item], now=at)


@pytest.fixture
def feedback_world(listed_company, list_types):  # noqa: F811 - fixtures imported above
    from tests.support.measures import submit_penalties
    from tests.support.records import cf_row

    submit_penalties(
        [cf_row(CF_XDR_SHXYM=OTHER, CF_XDR_MC="北京恒通建筑工程有限公司", CF_WSH="罚9")], key="k2"
    )
    list_subject(Subject.objects.get(uscc=OTHER), list_types["zfcg-blxw"],
                 published=dt.datetime(2026, 5, 6, 2, 0, tzinfo=dt.UTC))  # fmt: skip
    _check(COMPANY, at=dt.datetime(2026, 10, 30, 10, tzinfo=BJ))
    both = _check(COMPANY, OTHER, at=NOW)
    _applied(both, 0, "sxbzxr-procurement", dt.datetime(2026, 11, 3, 10, tzinfo=BJ))
    _applied(both, 1, "zfcg-ban", dt.datetime(2026, 11, 3, 11, tzinfo=BJ))
    month_refresh(month=NOV, now=LATER)
    scorecards_load(actor=Actor.system(), now=LATER)


def test_the_banded_feedback_indicator_of_one_unit_by_hand(feedback_world):
    office = Actor(label="user:office", roles=frozenset({"reviewer"}))
    evaluation = evaluation_month_compute(month=NOV, kind="unit", now=LATER, actor=office)
    result = EvaluationResult.objects.get(evaluation=evaluation, unit__code="bj-caizhengju")
    counted = [
        (i.code, int(i.numerator), int(i.denominator), i.value, i.share, i.points)
        for i in result.indicators.order_by("position")
        if i.value is not None
    ]
    assert counted == [
        # catalog 2026.5 names 市财政局 for HTLY, ZFWY and ZFCG (ADR 0037)
        ("catalog_completeness", 0, 3, D("0.000000"), D("0.000000"), D("0.00")),
        ("feedback_on_time", 2, 3, D("0.666667"), D("0.300000"), D("6.00")),
    ]
    assert (result.total, result.counted_weight, result.level_name) == (D("17.14"), D("35"), "不合格")
