"""Metrics of what units submit (publicity_on_time, rows_rejected, catalog_completeness) on a small world built
through the intake services, with exact numbers; Beijing month boundaries; an idempotent refresh.

Timeline (Beijing time; the 2026 National Day holiday is 10-01 … 10-07, Sat 10-10 worked; deadline 7 working
days): a licence decided Wed 10-28 arrives Sat 10-31 23:30 (counted Mon 11-02: 3 working days, on time,
October); in November a licence of 10-28 arrives Sun 11-01 00:10 (3, on time) and, on Mon 11-02 10:00,
penalties of 10-28 (3, on time), 10-20 (9: 2 late) and 09-15 (30: 23 late) and one row refused."""

import datetime as dt

import pytest

from tests.support.records import COMPANY, cf_row, reference, xk_row  # noqa: F401 - fixture
from xinyong.accounts.models import Unit
from xinyong.audit.models import AuditEvent
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.metrics.models import UnitMonthFigure
from xinyong.metrics.selectors import figure_rows_behind, figures
from xinyong.metrics.services import month_refresh
from xinyong.records.models import Record
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db

BJ = dt.timezone(dt.timedelta(hours=8))
OTHER = uscc_make("9111010500054321")
OCT, NOV = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)


def _receive(rows, *, category, key, at):
    officer = Actor(label="token:test0001", unit_code="bj-gongshangju", roles=frozenset({"data_officer"}))
    submission_receive(
        actor=officer,
        unit=Unit.objects.get(code="bj-gongshangju"),
        category=Category.objects.get(code=category),
        rows=enumerate(rows),
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=key),
        now=at,
    )


@pytest.fixture
def world(reference):  # noqa: F811 - fixtures imported above
    _receive(
        [xk_row(XK_WSH="许1")], category="XK", key="oct", at=dt.datetime(2026, 10, 31, 23, 30, tzinfo=BJ)
    )
    Subject.objects.filter(uscc=COMPANY).update(district="bj-dongcheng")
    _receive([xk_row(XK_WSH="许2")], category="XK", key="nov1", at=dt.datetime(2026, 11, 1, 0, 10, tzinfo=BJ))
    other = {"CF_XDR_SHXYM": OTHER, "CF_XDR_MC": "北京恒通建筑工程有限公司"}
    _receive(
        [
            cf_row(CF_WSH="罚1", CF_JDRQ="2026-10-28"),
            cf_row(CF_WSH="罚2", CF_JDRQ="2026-10-20", **other),
            cf_row(CF_WSH="罚3", CF_JDRQ="2026-09-15", **other),
            cf_row(CF_WSH="罚4", CF_XDR_SHXYM="91110108000123456X"),  # a wrong check digit: refused
        ],
        category="CF",
        key="nov2",
        at=dt.datetime(2026, 11, 2, 10, 0, tzinfo=BJ),
    )
    for month in (OCT, NOV):
        month_refresh(month=month, now=NOW)
    return Unit.objects.get(code="bj-gongshangju")


def _rows(metric, month):
    rows = UnitMonthFigure.objects.filter(metric=metric, month=month).order_by("district", "dimension")
    return [(r.unit.code, r.district, r.dimension, r.numerator, r.denominator, r.detail) for r in rows]


def test_the_stored_delays_are_the_timeline(world):
    delays = dict(Record.objects.values_list("doc_no", "delay_working_days"))
    assert delays == {"许1": 3, "许2": 3, "罚1": 3, "罚2": 9, "罚3": 30}


def test_publicity_on_time_per_category_and_district_with_histograms(world):
    # the subject's district as it is when the month is computed (moved to 东城区 after October's licence)
    assert _rows("publicity_on_time", OCT) == [("bj-gongshangju", "bj-dongcheng", "XK", 1, 1, {"0": 1})]
    assert _rows("publicity_on_time", NOV) == [
        ("bj-gongshangju", "", "CF", 0, 2, {"2": 1, "23": 1}),
        ("bj-gongshangju", "bj-dongcheng", "CF", 1, 1, {"0": 1}),
        ("bj-gongshangju", "bj-dongcheng", "XK", 1, 1, {"0": 1}),
    ]


def test_rows_rejected_and_catalog_completeness(world):
    assert _rows("rows_rejected", OCT) == [("bj-gongshangju", "", "XK", 0, 1, {})]
    assert _rows("rows_rejected", NOV) == [
        ("bj-gongshangju", "", "CF", 1, 4, {}),
        ("bj-gongshangju", "", "XK", 0, 1, {}),
    ]
    # 市工商局 is a named provider of DJ and JYYC only (XK and CF are open to every provider): none sent
    mine = [r for r in _rows("catalog_completeness", NOV) if r[0] == "bj-gongshangju"]
    assert mine == [("bj-gongshangju", "", "DJ", 0, 1, {}), ("bj-gongshangju", "", "JYYC", 0, 1, {})]


def test_figures_sum_and_merge_medians(world):
    by_month = figures(month_from=OCT, month_to=NOV, metric="publicity_on_time", by="month")
    assert [(t.key["month"], t.numerator, t.denominator, t.median) for t in by_month] == [
        (OCT, 1, 1, 0.0),
        (NOV, 2, 4, 1.0),  # days late 0, 0, 2, 23
    ]
    city = figures(month_from=OCT, month_to=NOV, metric="publicity_on_time")
    assert [(t.key, t.numerator, t.denominator, t.rate, t.median) for t in city] == [({}, 3, 5, 0.6, 0.0)]
    district = figures(month_from=NOV, month_to=NOV, metric="publicity_on_time", district="bj-dongcheng",
                       by=("unit", "dimension"))  # fmt: skip
    assert [(t.key["dimension"], t.numerator, t.denominator) for t in district] == [
        ("CF", 1, 1),
        ("XK", 1, 1),
    ]


def test_rows_behind_a_figure(world):
    behind = figure_rows_behind(metric="publicity_on_time", month=NOV, unit_id=world.pk, limit=10)
    assert sorted((r.kind, r.label.split("（")[0], r.counted) for r in behind) == [
        ("record", "CF 罚1", True),
        ("record", "CF 罚2", False),
        ("record", "CF 罚3", False),
        ("record", "XK 许2", True),
    ]
    assert len(figure_rows_behind(metric="publicity_on_time", month=NOV, unit_id=world.pk, limit=2)) == 2


def test_refresh_is_idempotent_and_audited(world):
    before = _rows("publicity_on_time", NOV) + _rows("rows_rejected", NOV)
    count = UnitMonthFigure.objects.filter(month=NOV).count()
    assert month_refresh(month="2026-11", now=NOW) == count
    assert _rows("publicity_on_time", NOV) + _rows("rows_rejected", NOV) == before
    assert UnitMonthFigure.objects.filter(month=NOV).count() == count
    events = AuditEvent.objects.filter(action="metrics.refresh", target_id="2026-11")
    assert [e.payload["rows"] for e in events] == [count, count]


def test_the_command_refreshes_with_progress(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("metrics_refresh", "--month", "2026-11", stdout=out)
    count = UnitMonthFigure.objects.filter(month=NOV).count()
    assert out.getvalue().startswith(f"[1/1] 2026-11：{count} 行（")
    with pytest.raises(CommandError, match="月份格式应为 YYYY-MM：2026-13"):
        call_command("metrics_refresh", "--month", "2026-13", stdout=StringIO())
