"""The situation a push needs: units, a list type with a published entry, a memorandum whose measures bind
some units, checks of the subject, and the real outbox path that the lists app takes. The subject is registered
through its service; the rest are plain ORM rows (a list type and memorandum of their own, not the shipped
ones, so that every way a unit can or cannot be bound is present)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import transaction

from tests.support.factories import SubjectFactory
from xinyong.accounts.models import Unit, UnitType
from xinyong.core.outbox import outbox_emit, outbox_process
from xinyong.lists.models import EntryState, ListEntry, ListKind, ListType
from xinyong.measures.models import Check, CheckResult, Matter, Measure, Memorandum
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject

NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # Monday 10:00 in Beijing
COMPANY = uscc_make("9111010800012345")


def make_unit(code: str, type: str = UnitType.MUNICIPAL_DEPARTMENT, active: bool = True) -> Unit:
    return Unit.objects.create(code=code, name=f"单位{code}", type=type, active=active)


def make_measure(memo: Memorandum, code: str, *units: Unit, implementing_all: bool = False) -> Measure:
    measure = Measure.objects.create(
        memorandum=memo,
        code=code,
        text=f"措施{code}",
        kind="punishment",
        strength="restrict",
        legal_basis="《企业信息公示暂行条例》第十八条",
        implementing_all=implementing_all,
    )
    measure.implementing_units.set(units)
    return measure


def make_check(unit: Unit, subject: Subject, at: dt.datetime) -> Check:
    matter, _ = Matter.objects.get_or_create(code="procurement", defaults={"name": "政府采购"})
    check = Check.objects.create(
        unit=unit, matter=matter, case_number=f"C-{unit.code}-{at:%Y%m%d}", checked_by="张三", checked_at=at
    )
    CheckResult.objects.create(check_run=check, identifier=subject.uscc or "", subject=subject)
    return check


def emit(entry: ListEntry, event: str, now: dt.datetime = NOW, process: bool = True) -> int:
    """What the lists app does in the transition's transaction, then one outbox pass of the worker."""
    with transaction.atomic():
        outbox_emit(
            topic=f"list_entry.{event}",
            payload={
                "entry_id": entry.pk,
                "event": event,
                "list_type": entry.list_type.code,
                "subject_id": entry.subject_id,
                "reason": entry.exit_reason,
            },
            now=now,
        )
    return outbox_process(now=now) if process else 0


@pytest.fixture
def world(db):
    """Units shuiwuju and chaoyang implement a measure for the list; fagaiwei only a retired measure;
    gongshangju only through an inactive memorandum; renshe only for another list; tieta is inactive."""
    w = SimpleNamespace()
    w.office = make_unit("xyb", UnitType.CREDIT_OFFICE)
    w.shuiwuju = make_unit("shuiwuju")
    w.chaoyang = make_unit("chaoyang", UnitType.DISTRICT_GOVERNMENT)
    w.fagaiwei = make_unit("fagaiwei")
    w.gongshangju = make_unit("gongshangju")
    w.renshe = make_unit("renshe")
    w.tieta = make_unit("tieta", active=False)
    w.list_type = ListType.objects.create(
        code="market-serious-dishonesty",
        name="市场监管严重违法失信名单",
        kind=ListKind.BLACK,
        legal_basis="《市场监督管理严重违法失信名单管理办法》",
        criteria="严重违法",
        deciding_unit=w.gongshangju,
    )
    other_list = ListType.objects.create(
        code="tax-a",
        name="A级纳税人",
        kind=ListKind.RED,
        legal_basis="税务总局公告",
        criteria="A级",
        deciding_unit=w.shuiwuju,
    )
    memo = Memorandum.objects.create(
        code="memo-market", title="联合惩戒备忘录", signed_on=dt.date(2018, 3, 1)
    )
    memo.list_types.set([w.list_type])
    make_measure(memo, "m-procure", w.shuiwuju, w.chaoyang, w.tieta)
    make_measure(memo, "m-funds", w.shuiwuju)
    retired = make_measure(memo, "m-retired", w.fagaiwei)
    retired.active = False
    retired.save()
    old = Memorandum.objects.create(
        code="memo-old", title="已废止备忘录", signed_on=dt.date(2016, 1, 1), active=False
    )
    old.list_types.set([w.list_type])
    make_measure(old, "m-old", w.gongshangju)
    other = Memorandum.objects.create(code="memo-tax", title="激励备忘录", signed_on=dt.date(2019, 1, 1))
    other.list_types.set([other_list])
    make_measure(other, "m-green", w.renshe)
    w.subject = SubjectFactory(uscc=COMPANY, name="北京华信科技有限公司", now=NOW - dt.timedelta(days=900))
    w.entry = ListEntry.objects.create(
        list_type=w.list_type,
        subject=w.subject,
        state=EntryState.PUBLISHED,
        legal_basis="第五条",
        reasons="虚假宣传",
        proposing_unit=w.gongshangju,
        proposed_by="user:1",
        reviewed_by="user:2",
        proposed_at=NOW - dt.timedelta(days=30),
        decided_at=NOW - dt.timedelta(days=2),
        published_at=NOW,
    )
    return w
