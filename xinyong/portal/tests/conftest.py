"""Fixtures of the portal's search, subject and record pages (issue 15): the reports tests' company (a
licence, penalties in every state, one under objection, one past its window), put on a black list and a red
list through the lists services, with a signed public commitment and a former name; and a natural person."""

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.support.commitments import account_for, commitments_reference, sign  # noqa: F401
from tests.support.factories import REGISTRAR, make_uscc
from tests.support.lists import (  # noqa: F401 - fixtures reused
    DECIDER,
    PROPOSER,
    REVIEWER,
    bj,
    company,
    lists_reference,
    penalty,
    receive,
    services,
    walk,
)
from tests.support.records import xk_row
from tests.support.reports import Known, known, person, reference  # noqa: F401
from xinyong.core.actor import Actor
from xinyong.lists.models import ListEntry
from xinyong.records.models import Record
from xinyong.subjects.models import Subject
from xinyong.subjects.services import subject_register, subject_rename

VIEWED_AT = dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC)  # Monday 2026-11-16, 10:00 in Beijing
OLD_NAME = "北京华信科技有限公司"
NEW_NAME = "北京华信数字科技有限公司"
HONOURED_NAME = "北京华信物流有限公司"
HONOURED = make_uscc(4242)
RED_PROPOSER = Actor(label="token:xxw-red01", unit_code="bj-jingxinwei", roles=frozenset({"data_officer"}))
RED_DECIDER = Actor(label="token:xxw-red02", unit_code="bj-jingxinwei", roles=frozenset({"case_officer"}))


@dataclass
class World:
    subject: Subject
    known: Known
    black: ListEntry
    red: ListEntry
    serious: Record  # 京工商罚字〔2025〕第88号, the black list's basis
    honoured: Subject  # 北京华信物流有限公司, on the red list of 诚信典型


@pytest.fixture
def world(penalty, known, commitments_reference, clock) -> World:  # noqa: F811
    """北京华信数字科技有限公司 (formerly 北京华信科技有限公司) seen on 2026-11-16."""
    black = walk(_propose(penalty.subject, [penalty], "scjg-yzsx", PROPOSER), "published")
    honoured = _second_company()
    red = walk(
        _propose(honoured, [_licence(honoured)], "cxdx-hmd", RED_PROPOSER), "published", decider=RED_DECIDER
    )
    sign(penalty.subject, actor=account_for(penalty.subject))
    subject_rename(
        actor=REGISTRAR,
        now=bj(2026, 11, 3, 9),
        subject=penalty.subject,
        name=NEW_NAME,
        valid_from=dt.date(2026, 11, 3),
        source="市场监管部门变更登记",
    )
    clock.set(VIEWED_AT)
    return World(Subject.objects.get(pk=penalty.subject.pk), known, black, red, penalty, honoured)


def _second_company() -> Subject:
    return subject_register(
        actor=REGISTRAR,
        now=bj(2025, 1, 6, 9),
        kind="enterprise",
        name=HONOURED_NAME,
        uscc=HONOURED,
        district="bj-haidian",
    )


def _licence(subject: Subject) -> Record:
    doc_no = "京工商许字〔2025〕第8号"
    row = xk_row(XK_XDR_MC=subject.name, XK_XDR_SHXYM=subject.uscc, XK_WSH=doc_no, XK_JDRQ="2025-06-02",
                 XK_YXQZ="2025-06-02")  # fmt: skip
    receive([row], category="XK", key="honoured-licence")
    return Record.objects.get(doc_no=doc_no)


def _propose(subject, records, list_type, actor) -> ListEntry:
    return services.list_entry_propose(
        actor=actor,
        list_type=list_type,
        subject=subject,
        basis_record_ids=[r.pk for r in records],
        legal_basis="《市场监督管理严重违法失信名单管理办法》第二条"
        if list_type == "scjg-yzsx"
        else "《北京市诚信典型红名单管理办法》",
        reasons="列入理由",
        now=bj(2025, 9, 26, 10),
    )
