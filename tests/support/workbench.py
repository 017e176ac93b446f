"""A known world for the workbench tests (issue 16): people of three units, a list proposal, objections at
two steps, on the remedies tests' timeline (tests/support/remedies.py), seen on Thu 2026-10-08 10:00 Beijing
(the first working day after the 2026 National Day holiday).

- entry: 北京华信科技有限公司 proposed for 市场监管严重违法失信名单 by 市工商局's unit token (PROPOSER); its
  deciding unit is 市工商局, so a reviewer and 市工商局's officers review it;
- objection: filed by the company on its penalty Wed 09-30, to accept by Fri 10-09 (1 working day left: near);
- accepted: filed on a second penalty and accepted by the credit office Wed 09-30, verify by 市工商局 within
  10 working days (Thu 10-15 … capped by 20 calendar days from filing, Tue 10-20);
- people: two reviewers of the credit office (市经济信息化委), a case officer of 市工商局, a data officer of
  市财政局 — each a User, as the console signs them in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.support.lists import propose, receive
from tests.support.records import cf_row
from tests.support.remedies import FILED_AT, REVIEWER, bj, file
from xinyong.accounts.models import Unit, User
from xinyong.lists.models import ListEntry
from xinyong.records.models import Record
from xinyong.remedies import services as remedies
from xinyong.remedies.models import Objection

SEEN_AT = bj(2026, 10, 8, 10)


@dataclass
class World:
    entry: ListEntry
    objection: Objection
    accepted: Objection
    reviewer: User
    reviewer_2: User
    gsj_officer: User
    czj_officer: User


def officer_make(username: str, unit_code: str, role: str, full_name: str) -> User:
    return User.objects.create_user(
        username=username,
        password="x-strong-password-1",
        full_name=full_name,
        unit=Unit.objects.get(code=unit_code),
        roles=[role],
    )


@pytest.fixture
def world(own, penalty, company, clock) -> World:
    receive([cf_row(CF_WSH="京工商罚字〔2025〕第89号", CF_JDRQ="2025-09-21")], key="second")
    second = Record.objects.get(doc_no="京工商罚字〔2025〕第89号")
    entry = propose(company, [penalty])
    objection = file(own, penalty.pk)
    accepted = remedies.objection_accept(
        actor=REVIEWER, objection_id=file(own, second.pk).pk, now=FILED_AT.replace(hour=15)
    )
    clock.set(SEEN_AT)
    return World(
        entry=entry,
        objection=objection,
        accepted=accepted,
        reviewer=officer_make("shen", "bj-jingxinwei", "reviewer", "沈审核"),
        reviewer_2=officer_make("qin", "bj-jingxinwei", "reviewer", "秦审核"),
        gsj_officer=officer_make("zhang", "bj-gongshangju", "case_officer", "张经办"),
        czj_officer=officer_make("li", "bj-caizhengju", "data_officer", "李报送"),
    )
