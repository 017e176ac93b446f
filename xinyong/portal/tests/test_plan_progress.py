"""The public 规划进度 page reads the accepted progress reports (plan task 55, ADR 0038): under each task the
latest accepted report of each unit (status, period, date accepted, narrative); a report still under review
or returned is not shown; the English page shows the same in English around the stored text."""

import datetime as dt
import re

import pytest
from django.test import Client

from tests.support.oversight import ACTOR, DONGCHENG, FINANCE, T0, reviewer_actor, unit_actor
from xinyong.accounts.reference import units_load
from xinyong.oversight.services import plan_load, plan_report_accept, plan_report_return, plan_report_save
from xinyong.workdays.services import calendar_load_builtin

pytestmark = pytest.mark.django_db
BEIJING = dt.timezone(dt.timedelta(hours=8))
OCT_12 = dt.datetime(2026, 10, 12, 10, 0, tzinfo=BEIJING)


def _report(code: str, narrative: str, progress: str = "on_track"):
    return plan_report_save(
        actor=unit_actor(code), task_number=3, period="2026Q3", progress=progress, narrative=narrative,
        evidence=[], now=OCT_12, submit=True,
    )  # fmt: skip


@pytest.fixture
def reports(db, clock, settings, tmp_path):
    settings.XINYONG_UPLOAD_DIR = tmp_path
    clock.set(OCT_12)
    units_load(actor=ACTOR, now=T0)
    plan_load(actor=ACTOR, now=T0)
    calendar_load_builtin(actor=ACTOR, now=T0, years=[2026])
    accepted = _report(FINANCE, "已建立政府采购政务诚信责任制。", "completed")
    plan_report_accept(actor=reviewer_actor(), report_id=accepted.pk, now=OCT_12 + dt.timedelta(days=1))
    returned = _report(DONGCHENG, "东城区尚未开展。")
    plan_report_return(actor=reviewer_actor(), report_id=returned.pk, reason="请补充", now=OCT_12)
    _report("bj-xicheng", "西城区已报送，待审核。")


def _progress(url: str) -> str:
    html = Client().get(url).content.decode()
    return re.sub(
        r">\s+<", "><", html.split('<div class="progress" id="progress-3">')[1].split("</div>")[0]
    ).strip()


def test_the_plan_page_shows_only_accepted_reports(reports):
    block = _progress("/plan/")
    assert block == (
        '<p class="label">进度（经市信用办采纳）：</p><ul class="plain">'
        f'<li id="progress-3-{FINANCE}"><strong>市财政局</strong> · 2026Q3 · 已完成 · 2026-10-13 采纳'
        "<p>已建立政府采购政务诚信责任制。</p></li></ul>"
    )
    assert '<div class="progress" id="progress-4">' not in Client().get("/plan/").content.decode()


def test_the_english_plan_page_shows_them_in_english(reports):
    block = _progress("/en/plan/")
    assert "Progress (accepted by the credit office): " in block
    assert "<strong>市财政局</strong> · 2026Q3 · Completed · accepted 2026-10-13" in block
