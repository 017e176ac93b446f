"""Metric `plan_reports_on_time` (issue 16, plan task 55): the reports due in a month per reporting unit, of
them first submitted by the deadline, from the oversight app's own count; and the reports behind a figure."""

import datetime as dt

import pytest

from tests.support.oversight import ACTOR, DONGCHENG, FINANCE, T0, unit_actor
from xinyong.accounts.models import Unit
from xinyong.accounts.reference import units_load
from xinyong.metrics.models import UnitMonthFigure
from xinyong.metrics.selectors import figure_rows_behind
from xinyong.metrics.services import month_refresh
from xinyong.oversight.models import PlanTaskUnit
from xinyong.oversight.services import plan_load, plan_report_save
from xinyong.workdays.selectors import invalidate
from xinyong.workdays.services import calendar_load_builtin

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))
OCTOBER = dt.date(2026, 10, 1)


@pytest.fixture
def reporting(settings, tmp_path):
    settings.XINYONG_UPLOAD_DIR = tmp_path / "uploads"
    units_load(actor=ACTOR, now=T0)
    plan_load(actor=ACTOR, now=T0)
    calendar_load_builtin(actor=ACTOR, now=T0, years=[2026])
    invalidate()


def _report(code: str, task: int, at: dt.datetime):
    values = {"progress": "on_track", "narrative": "已建立责任制。", "evidence": []}
    return plan_report_save(
        actor=unit_actor(code), task_number=task, period="2026Q3", now=at, submit=True, **values
    )


def test_reports_due_in_october_counted_per_unit_with_the_reports_behind(reporting):
    on_time = _report(FINANCE, 3, dt.datetime(2026, 10, 12, 10, 0, tzinfo=BEIJING))
    _report(FINANCE, 2, dt.datetime(2026, 10, 21, 9, 0, tzinfo=BEIJING))  # after Tue 10-20 23:59:59: late
    month_refresh(month=OCTOBER, now=T0)
    finance = Unit.objects.get(code=FINANCE)
    owed = PlanTaskUnit.objects.filter(unit=finance).count()
    figure = UnitMonthFigure.objects.get(month=OCTOBER, unit=finance, metric="plan_reports_on_time")
    assert (figure.numerator, figure.denominator, figure.district, figure.dimension) == (1, owed, "", "")
    dongcheng = UnitMonthFigure.objects.get(
        month=OCTOBER, unit__code=DONGCHENG, metric="plan_reports_on_time"
    )
    assert dongcheng.numerator == 0 and dongcheng.denominator > 0
    behind = figure_rows_behind(metric="plan_reports_on_time", month=OCTOBER, unit_id=finance.pk)
    assert len(behind) == owed
    filed = {row.label: (row.id, row.counted) for row in behind if row.id != ""}
    assert filed["任务3 2026Q3 进度报告"] == (on_time.pk, True)
    assert filed["任务2 2026Q3 进度报告"][1] is False
    assert all(row.label.endswith("（未报送）") and row.counted is False for row in behind if row.id == "")
    assert not UnitMonthFigure.objects.filter(
        month=dt.date(2026, 11, 1), metric="plan_reports_on_time"
    ).exists()
