"""Metrics of joint reward and punishment (checks, feedback_on_time, measures_applied) on checks run and fed
back through the measures services, with exact numbers.

COMPANY is on 失信被执行人 (feedback within 10 working days, measure sxbzxr-procurement), OTHER on the
procurement list (5 working days, measure zfcg-ban). 市财政局 checks (政府采购): Fri 10-30 COMPANY (due
11-13); Mon 11-02 COMPANY and OTHER (due 11-09: the shorter deadline); Mon 11-02 an unknown company (no hit).
Feedback: on 11-03 COMPANY's measure applied (on time); on 11-12 OTHER's measure exempted (late)."""

import datetime as dt

import pytest

from tests.support.measures import (  # noqa: F401 - fixtures
    NOW,
    list_subject,
    list_types,
    listed_company,
    memoranda,
    officer_of,
    reference,
    submit_penalties,
)
from tests.support.records import COMPANY, cf_row
from xinyong.accounts.models import Unit
from xinyong.measures.services import check_run, feedback_file
from xinyong.metrics.models import UnitMonthFigure
from xinyong.metrics.selectors import figure_rows_behind, figures
from xinyong.metrics.services import month_refresh
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db

OTHER = uscc_make("9111010500054321")
UNKNOWN = uscc_make("9111010800099999")
OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
BJ = dt.timezone(dt.timedelta(hours=8))
MATTER = "government-procurement"


def _check(*codes, at):
    return check_run(
        actor=officer_of("bj-caizhengju"),
        matter_code="政府采购",
        case_number="C-1",
        identifiers=list(codes),
        now=at,
    )


def _feedback(check, index, measure, outcome, at):
    item = {
        "result_id": check.answers[index]["result_id"],
        "measure_code": measure,
        "outcome": outcome,
        "reason": "" if outcome == "applied" else "依法豁免：唯一供应商",
        "applied_on": at.date(),
    }
    feedback_file(actor=officer_of("bj-caizhengju"), check_id=check.check_id, items=[item], now=at)


@pytest.fixture
def world(listed_company, list_types):  # noqa: F811 - fixtures imported above
    submit_penalties(
        [cf_row(CF_XDR_SHXYM=OTHER, CF_XDR_MC="北京恒通建筑工程有限公司", CF_WSH="京工商罚字〔2026〕第9号")],
        key="k2",
    )
    list_subject(Subject.objects.get(uscc=OTHER), list_types["zfcg-blxw"],
                 published=dt.datetime(2026, 5, 6, 2, 0, tzinfo=dt.UTC))  # fmt: skip
    _check(COMPANY, at=dt.datetime(2026, 10, 30, 10, tzinfo=BJ))
    both = _check(COMPANY, OTHER, at=NOW)
    _check(UNKNOWN, at=NOW)
    _feedback(both, 0, "sxbzxr-procurement", "applied", dt.datetime(2026, 11, 3, 10, tzinfo=BJ))
    _feedback(both, 1, "zfcg-ban", "exempted", dt.datetime(2026, 11, 12, 10, tzinfo=BJ))
    for month in (OCT, NOV):
        month_refresh(month=month, now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    return Unit.objects.get(code="bj-caizhengju")


def _rows(metric, month):
    rows = UnitMonthFigure.objects.filter(metric=metric, month=month).order_by("unit__code", "dimension")
    return [(r.unit.code, r.district, r.dimension, r.numerator, r.denominator) for r in rows]


def test_checks_per_unit_and_matter(world):
    assert _rows("checks", OCT) == [("bj-caizhengju", "", MATTER, 1, 1)]
    assert _rows("checks", NOV) == [("bj-caizhengju", "", MATTER, 1, 2)]  # one of two found a measure


def test_feedback_on_time_counts_each_applicable_measure_due_in_the_month(world):
    assert _rows("feedback_on_time", OCT) == []
    # due in November: 10-30's check (1 measure, no feedback) and 11-02's (2: one on time, one late)
    assert _rows("feedback_on_time", NOV) == [("bj-caizhengju", "", MATTER, 1, 3)]


def test_measures_applied_per_measure(world):
    assert _rows("measures_applied", NOV) == [
        ("bj-caizhengju", "", "sxbzxr-procurement", 1, 2),
        ("bj-caizhengju", "", "zfcg-ban", 0, 1),  # exempted is not applied
    ]
    city = figures(month_from=OCT, month_to=NOV, metric="measures_applied", by="unit")
    assert [(t.key["unit_id"], t.numerator, t.denominator) for t in city] == [(world.pk, 1, 3)]


def test_list_entries_per_deciding_unit_and_month(world):
    march, may = dt.date(2026, 3, 1), dt.date(2026, 5, 1)
    for month in (march, may):
        month_refresh(month=month, now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert [(r[2], r[3]) for r in _rows("list_entries", march)] == [("fy-sxbzx", 1)]
    assert [(r[2], r[3]) for r in _rows("list_entries", may)] == [("zfcg-blxw", 1)]
    assert _rows("list_exits", march) == []


def test_the_checks_behind(world):
    behind = figure_rows_behind(metric="feedback_on_time", month=NOV, unit_id=world.pk, limit=10)
    # the two checks whose feedback is due in November (not 11-02's check of an unknown company)
    assert [(r.kind, r.label.split(" ", 2)[2]) for r in behind] == [("check", "政府采购 C-1")] * 2
    assert [r.label for r in behind] == [f"核查 #{r.id} 政府采购 C-1" for r in behind]
