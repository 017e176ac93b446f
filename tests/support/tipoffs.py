"""Shared set-up for the tipoffs tests: reference data (units, rules, catalog, the 2024–2026 holiday calendar),
a company to report, actors of the units involved, and a helper that walks a report to any state.

Timeline (Beijing time; 2026: 中秋 09-25 and National Day 10-01 … 10-07 off, Sun 09-20 and Sat 10-10 worked):
filed Wed 2026-09-30 10:00 → acceptance due 5 working days later, Tue 10-13 23:59:59 (10-08, 10-09, 10-10,
10-12, 10-13); accepted Fri 10-09 → conclusion due 30 working days later, Thu 11-19 23:59:59.
"""

import datetime as dt

import pytest

from tests.support.factories import SubjectFactory
from tests.support.records import COMPANY, reference  # noqa: F401
from xinyong.core.actor import Actor
from xinyong.core.evidence import Upload
from xinyong.tipoffs import services
from xinyong.tipoffs.models import Tipoff

BJ = dt.timezone(dt.timedelta(hours=8))


def bj(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=BJ)


FILED_AT = bj(2026, 9, 30, 10)
ACCEPT_DEADLINE = bj(2026, 10, 13, 23, 59, 59)
ACCEPTED_AT = bj(2026, 10, 9, 10)
CONCLUDE_DEADLINE = bj(2026, 11, 19, 23, 59, 59)
INVESTIGATED_AT = bj(2026, 10, 12, 9)
CONCLUDED_AT = bj(2026, 11, 2, 9)
REWARDED_AT = bj(2026, 11, 3, 9)
CLOSED_AT = bj(2026, 11, 4, 9)

# 经营异常名录 (JYYC) has one provider, 市工商局; 登记注册 (DJ) three; 行政处罚 (CF) is open to all units.
GSJ = Actor(label="token:gsj00001", unit_code="bj-gongshangju", roles=frozenset({"case_officer"}))
MZJ = Actor(label="token:mzj00001", unit_code="bj-minzhengju", roles=frozenset({"data_officer"}))
CREDIT_OFFICE = Actor(label="user:71", unit_code="bj-jingxinwei", roles=frozenset({"reviewer"}), user_id=71)
OUTSIDER = Actor(label="token:czj00001", unit_code="bj-caizhengju", roles=frozenset({"data_officer"}))
GSJ_AUDITOR = Actor(label="token:gsj00009", unit_code="bj-gongshangju", roles=frozenset({"auditor"}))
PUBLIC = Actor.anonymous()

REPORTER = {"reporter_name": "李秀英", "reporter_phone": "13912345678", "reporter_id_number": ""}
PDF = Upload("合同.pdf", b"%PDF-1.4 evidence")
DESCRIPTION = "该公司在其住所地已无法联系，仍以原地址对外签订合同。"
FINDINGS = "经实地核查，该公司通过登记的住所无法联系，已依法列入经营异常名录。"


@pytest.fixture
def company(reference):  # noqa: F811 - the records fixture, reused
    return SubjectFactory(name="北京华信科技有限公司", uscc=COMPANY)


def file(*, category="JYYC", subject="北京华信科技有限公司", actor=PUBLIC, now=FILED_AT, **kwargs) -> Tipoff:
    fields = {"description": DESCRIPTION, "files": [PDF], **REPORTER, **kwargs}
    return services.tipoff_file(actor=actor, subject=subject, category=category, now=now, **fields)


def walk(tipoff: Tipoff, to: str, *, actor=GSJ, substantiated=True) -> Tipoff:
    """Move a submitted report through the services to `to`."""
    steps = {
        "accepted": lambda: services.tipoff_accept(actor=actor, tipoff_id=tipoff.pk, now=ACCEPTED_AT),
        "investigating": lambda: services.tipoff_investigate(
            actor=actor, tipoff_id=tipoff.pk, now=INVESTIGATED_AT
        ),
        "concluded": lambda: services.tipoff_conclude(
            actor=actor, tipoff_id=tipoff.pk, substantiated=substantiated, findings=FINDINGS, now=CONCLUDED_AT
        ),
        "rewarded": lambda: services.tipoff_reward(
            actor=actor,
            tipoff_id=tipoff.pk,
            grant=True,
            amount="2000",
            text="给予举报奖励 2000 元",
            now=REWARDED_AT,
        ),
        "closed": lambda: services.tipoff_close(actor=actor, tipoff_id=tipoff.pk, now=CLOSED_AT),
    }
    order = list(steps) if substantiated else ["accepted", "investigating", "concluded", "closed"]
    for state in order[: order.index(to) + 1]:
        tipoff = steps[state]()
    return tipoff


def tipoff_in(state: str, **file_kwargs) -> Tipoff:
    """A 市工商局 report (JYYC) in any state, reached through the services."""
    tipoff = file(**file_kwargs)
    if state == "submitted":
        return tipoff
    if state == "refused":
        return services.tipoff_refuse(
            actor=GSJ, tipoff_id=tipoff.pk, reason="不属于本单位职责", now=ACCEPTED_AT
        )
    if state == "substantiated":
        return walk(tipoff, "concluded")
    if state == "unsubstantiated":
        return walk(tipoff, "concluded", substantiated=False)
    return walk(tipoff, state)
