"""A known November 2026 for three units, built through the real services: submissions through intake
(`submission_receive`), the month's figures through the metrics layer's own refresh (`month_refresh`), the
scorecards through their loader. Shared by the hand test, the 通报 and the console tests.

All rows arrive on Mon 2026-11-02 10:00 Beijing time; the 双公示 deadline is 7 working days and the National
Day holiday runs 10-01 … 10-07 (metrics' own test): a decision of 10-28 is 3 working days old (on time), one
of 10-20 is 9 (2 days late). A penalty whose party code has a wrong check digit is refused (退回).

- 市工商局 (bj-gongshangju; catalog names it provider of DJ and JYYC): 9 licences of 10-28, one penalty of
  10-20, one refused penalty → publicity 9/10, rows refused 1/11, completeness 0/2.
- 市人力社保局 (bj-rensheju; named provider of SBJN): 4 licences of 10-28 → publicity 4/4, refused 0/4,
  completeness 0/1.
- 市科委 (bj-kewei; named provider of nothing): 3 licences of 10-28, one penalty of 10-20 → publicity 3/4,
  refused 0/4, no completeness figure.
Every record is about one company whose district is 东城区 (bj-dongcheng) when the month is refreshed.
"""

import datetime as dt

import pytest

from tests.support.records import COMPANY, cf_row, reference, xk_row  # noqa: F401 - fixture
from xinyong.accounts.models import Unit
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.evaluation.services import scorecards_load
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.metrics.services import month_refresh
from xinyong.subjects.models import Subject

BJ = dt.timezone(dt.timedelta(hours=8))
NOV = dt.date(2026, 11, 1)
ARRIVED = dt.datetime(2026, 11, 2, 10, 0, tzinfo=BJ)
NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
OFFICE = Actor(label="user:office", roles=frozenset({"reviewer"}))
BAD_CODE = "91110108000123456X"  # wrong check digit: the row is refused


def receive(unit_code: str, category: str, rows: list[dict], key: str) -> None:
    officer = Actor(label=f"token:{key}", unit_code=unit_code, roles=frozenset({"data_officer"}))
    submission_receive(
        actor=officer,
        unit=Unit.objects.get(code=unit_code),
        category=Category.objects.get(code=category),
        rows=enumerate(rows),
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=key),
        now=ARRIVED,
    )


def licences(prefix: str, count: int) -> list[dict]:
    return [xk_row(XK_WSH=f"{prefix}许{i}", XK_JDRQ="2026-10-28", XK_YXQZ="2026-10-28") for i in range(count)]


@pytest.fixture
def world(reference):  # noqa: F811 - the fixture imported above
    receive("bj-gongshangju", "XK", licences("工商", 9), "gs-xk")
    receive(
        "bj-gongshangju",
        "CF",
        [cf_row(CF_WSH="工商罚1", CF_JDRQ="2026-10-20"), cf_row(CF_WSH="工商罚2", CF_XDR_SHXYM=BAD_CODE)],
        "gs-cf",
    )
    receive("bj-rensheju", "XK", licences("人社", 4), "rs-xk")
    receive("bj-kewei", "XK", licences("科委", 3), "kw-xk")
    receive("bj-kewei", "CF", [cf_row(CF_WSH="科委罚1", CF_JDRQ="2026-10-20")], "kw-cf")
    Subject.objects.filter(uscc=COMPANY).update(district="bj-dongcheng")
    month_refresh(month=NOV, now=NOW)
    scorecards_load(actor=Actor.system(), now=NOW)
    return {code: Unit.objects.get(code=code) for code in ("bj-gongshangju", "bj-rensheju", "bj-kewei")}
