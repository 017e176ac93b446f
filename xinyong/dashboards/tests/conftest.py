"""The dashboards tests' world: records received through the intake services, the months refreshed."""

import datetime as dt

import pytest

from tests.support.records import COMPANY, cf_row, reference, xk_row  # noqa: F401 - fixture
from xinyong.accounts.models import Unit
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.metrics.services import month_refresh
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject

BJ = dt.timezone(dt.timedelta(hours=8))
OTHER = uscc_make("9111010500054321")
MONTHS = (dt.date(2026, 10, 1), dt.date(2026, 11, 1))


def _receive(unit_code, rows, *, category, key, at):
    officer = Actor(label=f"token:{key}", unit_code=unit_code, roles=frozenset({"data_officer"}))
    submission_receive(
        actor=officer,
        unit=Unit.objects.get(code=unit_code),
        category=Category.objects.get(code=category),
        rows=enumerate(rows),
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=key),
        now=at,
    )


@pytest.fixture
def world(reference):  # noqa: F811 - the fixture imported above
    """市工商局: licences and penalties in October and November, some late, one row refused; 市财政局: two
    licences in November, one late. COMPANY belongs to 东城区."""
    other = {"CF_XDR_SHXYM": OTHER, "CF_XDR_MC": "北京恒通建筑工程有限公司"}
    _receive("bj-gongshangju", [xk_row(XK_WSH="许1")], category="XK", key="g1",
             at=dt.datetime(2026, 10, 31, 23, 30, tzinfo=BJ))  # fmt: skip
    Subject.objects.filter(uscc=COMPANY).update(district="bj-dongcheng")
    _receive("bj-gongshangju", [cf_row(CF_WSH="罚1"), cf_row(CF_WSH="罚2", CF_JDRQ="2026-10-20", **other),
                                cf_row(CF_WSH="罚3", CF_JDRQ="2026-09-15", **other),
                                cf_row(CF_WSH="罚4", CF_XDR_SHXYM="91110108000123456X")],
             category="CF", key="g2", at=dt.datetime(2026, 11, 2, 10, tzinfo=BJ))  # fmt: skip
    _receive("bj-caizhengju", [xk_row(XK_WSH="财许1", XK_JDRQ="2026-11-18", XK_YXQZ="2026-11-18"),
                               xk_row(XK_WSH="财许2", XK_JDRQ="2026-10-09", XK_YXQZ="2026-10-09")],
             category="XK", key="c1", at=dt.datetime(2026, 11, 20, 15, tzinfo=BJ))  # fmt: skip
    for month in MONTHS:
        month_refresh(month=month, now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
