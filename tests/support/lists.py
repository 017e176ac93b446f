"""Shared set-up for the lists tests: reference data with the list types, actors, records to base entries on,
and a helper that walks an entry to any state through the services.

Timeline of the standard walk (Beijing time; the 2025 National Day holiday is 10-01 … 10-08, with 09-28 and
10-11 worked): proposed Fri 2025-09-26, approved Mon 09-29 (statement deadline: 5 working days → Mon 10-13
23:59:59), decided Tue 10-14, published Wed 10-15.
"""

import datetime as dt

import pytest

from tests.support.records import SETUP_AT, cf_row, reference, xk_row  # noqa: F401
from tests.support.snapshot import restore
from xinyong.accounts.models import Unit
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.lists import services
from xinyong.lists.models import ListEntry
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

BJ = dt.timezone(dt.timedelta(hours=8))


def bj(*args) -> dt.datetime:
    """An instant given in Beijing time."""
    return dt.datetime(*args, tzinfo=BJ)


PROPOSED_AT = bj(2025, 9, 26, 10)
APPROVED_AT = bj(2025, 9, 29, 10)
DEADLINE = bj(2025, 10, 13, 23, 59, 59)
DECIDED_AT = bj(2025, 10, 14, 9)
PUBLISHED_AT = bj(2025, 10, 15, 9)

# The market regulation's serious list (scjg-yzsx) is decided by 市工商局 (bj-gongshangju).
PROPOSER = Actor(label="token:gsj00001", unit_code="bj-gongshangju", roles=frozenset({"data_officer"}))
DECIDER = Actor(label="token:gsj00002", unit_code="bj-gongshangju", roles=frozenset({"case_officer"}))
REVIEWER = Actor(label="user:71", unit_code="bj-jingxinwei", roles=frozenset({"reviewer"}), user_id=71)
REVIEWER_2 = Actor(label="user:72", unit_code="bj-jingxinwei", roles=frozenset({"reviewer"}), user_id=72)
OUTSIDER = Actor(label="token:czj00001", unit_code="bj-caizhengju", roles=frozenset({"data_officer"}))
SYSTEM = Actor.system()
REMEDY = "对列入决定不服的，可以自知道该决定之日起六十日内申请行政复议，或者六个月内提起行政诉讼。"


@pytest.fixture
def lists_reference(reference):  # noqa: F811 - the records fixture, reused
    restore(__name__, lambda: services.list_types_load(actor=SYSTEM, now=SETUP_AT))


def receive(rows, *, category="CF", key="k", unit_code="bj-gongshangju", now=PROPOSED_AT) -> None:
    """Records through the records app's own intake, as a provider unit's data officer."""
    officer = Actor(label=f"token:{unit_code}", unit_code=unit_code, roles=frozenset({"data_officer"}))
    submission_receive(
        actor=officer,
        unit=Unit.objects.get(code=unit_code),
        category=Category.objects.get(code=category),
        rows=enumerate(rows),
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=key),
        now=now,
    )


@pytest.fixture
def penalty(lists_reference) -> Record:
    """A serious penalty of 2025-09-20 against 北京华信科技有限公司 (the basis of a black-list entry)."""
    receive([cf_row(CF_WSH="京工商罚字〔2025〕第88号", CF_JDRQ="2025-09-20", XY_YZCD="严重")], key="penalty")
    return Record.objects.get(doc_no="京工商罚字〔2025〕第88号")


@pytest.fixture
def company(penalty) -> Subject:
    return penalty.subject


def licence(doc_no="京工商许字〔2025〕第7号", key="licence") -> Record:
    """A licence (neutral record): the basis of red-list entries in these tests."""
    receive([xk_row(XK_WSH=doc_no, XK_JDRQ="2025-06-02", XK_YXQZ="2025-06-02")], category="XK", key=key)
    return Record.objects.get(doc_no=doc_no)


def propose(subject, records, *, list_type="scjg-yzsx", actor=PROPOSER, now=PROPOSED_AT) -> ListEntry:
    return services.list_entry_propose(
        actor=actor,
        list_type=list_type,
        subject=subject,
        basis_record_ids=[r.pk for r in records],
        legal_basis="《市场监督管理严重违法失信名单管理办法》第二条",
        reasons="在商品包装上作虚假宣传，受到从重罚款的较重行政处罚",
        now=now,
    )


def remedy_for(entry: ListEntry) -> str:
    """REMEDY (行政复议 and 行政诉讼 with their periods) where the list type's channels are those two; the list
    type's own remedy text otherwise (the tax list adds 申请复评, the court list has its own channels)."""
    channels = {c["action"] for c in entry.list_type.remedy_channels}
    return REMEDY if channels == {"申请行政复议", "提起行政诉讼"} else entry.list_type.remedy


def walk(entry: ListEntry, to: str, *, decider=DECIDER) -> ListEntry:
    """Move a proposed entry forward through the services to `to` (notice_sent, decided, published)."""
    order = ["notice_sent", "decided", "published"]
    steps = {
        "notice_sent": lambda: services.list_entry_review(
            actor=REVIEWER, entry_id=entry.pk, approve=True, reason="", now=APPROVED_AT
        ),
        "decided": lambda: services.list_entry_decide(
            actor=decider, entry_id=entry.pk, remedy=remedy_for(entry), now=DECIDED_AT
        ),
        "published": lambda: services.list_entry_publish(actor=decider, entry_id=entry.pk, now=PUBLISHED_AT),
    }
    for state in order[: order.index(to) + 1]:
        entry = steps[state]()
    return entry


def entry_in(state: str, subject, records) -> ListEntry:
    """An entry in any state of the machine, reached through the services."""
    entry = propose(subject, records)
    ends = {
        "rejected": lambda: services.list_entry_review(
            actor=REVIEWER, entry_id=entry.pk, approve=False, reason="依据不足", now=APPROVED_AT
        ),
        "withdrawn": lambda: services.list_entry_withdraw(
            actor=PROPOSER, entry_id=entry.pk, reason="案件复查", now=APPROVED_AT
        ),
        "exited": lambda: services.list_entry_exit(
            actor=DECIDER,
            entry_id=walk(entry, "published").pk,
            reason_code="revocation",
            reason="行政处罚决定被复议机关撤销",
            now=bj(2025, 11, 3, 9),
        ),
    }
    if state == "proposed":
        return entry
    if state in ends:
        return ends[state]()
    return walk(entry, state)
