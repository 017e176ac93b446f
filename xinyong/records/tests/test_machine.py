"""The record's status machine (records/machine.py, issue 17): the table walked whole — every allowed move
works (new status, history row), every other is refused with `record.invalid_transition` naming the status and
the event — and the services' status changes are all moves of the table."""

import datetime as dt

import pytest
from django.db import transaction

from tests.support.records import NOW, cf_row
from xinyong.accounts.models import Unit
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.records.flags import record_objection_clear, record_objection_flag, record_repair
from xinyong.records.machine import (
    EVENTS,
    RECORD_TRANSITIONS,
    STATUS_LABELS,
    record_step,
    record_steps,
    record_target,
)
from xinyong.records.models import Record, RecordStatus, RecordStatusChange
from xinyong.records.services import record_withdraw, records_sweep

REVIEWER = Actor(label="user:9", unit_code="bj-fagaiwei", roles=frozenset({"reviewer"}), user_id=9)
DOC = "京工商罚字〔2026〕第101号"
PAIRS = [(status, event) for status in RecordStatus.values for event in EVENTS]


def _receive(officer, key: str, doc_no: str = DOC, **fields) -> Record:
    submission_receive(
        actor=officer,
        unit=Unit.objects.get(code="bj-gongshangju"),
        category=Category.objects.get(code="CF"),
        rows=enumerate([cf_row(CF_WSH=doc_no, **fields)]),
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=key),
        now=NOW,
    )
    return Record.objects.get(doc_no=doc_no, is_current=True)


@pytest.fixture
def penalty(officer) -> Record:
    return _receive(officer, "first")


def test_the_table_is_whole():
    assert set(RECORD_TRANSITIONS) == set(RecordStatus.values)
    used = {event for moves in RECORD_TRANSITIONS.values() for event in moves}
    assert used == set(EVENTS)  # every event is a move somewhere, and every move is a declared event
    assert all(to in RecordStatus.values for moves in RECORD_TRANSITIONS.values() for to in moves.values())
    assert all(event.label and event.who for event in EVENTS.values())
    assert RECORD_TRANSITIONS[RecordStatus.ERASED] == {}  # the tombstone is the end


def test_every_move_of_the_table_and_no_other(penalty):
    """All 64 (status, event) pairs on one record version: the status set before each, nothing else kept."""
    for status, event in PAIRS:
        Record.objects.filter(pk=penalty.pk).update(status=status)
        _walk_one(Record.objects.get(pk=penalty.pk), status, event)


def _walk_one(record: Record, status: str, event: str) -> None:
    before = RecordStatusChange.objects.count()
    to = RECORD_TRANSITIONS[status].get(event)
    if to is None:
        with pytest.raises(Conflict) as caught, transaction.atomic():
            record_step(record, event, actor=REVIEWER, reason="测试", now=NOW)
        assert (caught.value.code, caught.value.status, caught.value.message) == (
            "record.invalid_transition",
            409,
            f"信用信息 {record.pk} 当前状态为“{STATUS_LABELS[status]}”，不能{EVENTS[event].label}",
        ), (status, event)
        assert Record.objects.get(pk=record.pk).status == status
        assert RecordStatusChange.objects.count() == before
        return
    change = record_step(record, event, actor=REVIEWER, reason=f"{status}-{event}", now=NOW)
    assert Record.objects.get(pk=record.pk).status == to
    assert (change.record_id, change.from_status, change.to_status, change.actor, change.reason) == (
        record.pk,
        status,
        to,
        REVIEWER.label,
        f"{status}-{event}",
    )


def test_the_bulk_form_checks_every_row_before_writing_any(penalty):
    rows = [(penalty.pk, RecordStatus.PUBLISHED), (penalty.pk + 1, RecordStatus.WITHDRAWN)]
    with pytest.raises(Conflict) as caught, transaction.atomic():
        record_steps(rows, "expire", reason="公示期满", actor_label="system", at=NOW)
    assert caught.value.extra == {"status": "withdrawn", "event": "expire"}
    assert RecordStatusChange.objects.count() == 0
    record_steps(rows[:1], "expire", reason="公示期满", actor_label="system", at=NOW)
    change = RecordStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.at) == ("published", "expired", NOW)
    assert record_target(RecordStatus.SUPERSEDED, "erase") == RecordStatus.ERASED


def test_the_services_move_records_only_along_the_table(officer, penalty):
    record_objection_flag(actor=REVIEWER, record_id=penalty.pk, objection_id=1, now=NOW)
    _receive(officer, "second", CF_NR="罚款人民币一万元", CF_NR_FK="1")  # supersedes, keeps the flag
    record_objection_clear(actor=REVIEWER, record_id=penalty.pk, objection_id=1, now=NOW)
    record_repair(actor=REVIEWER, record_id=penalty.pk, repair_id=2, now=NOW)
    current = Record.objects.get(doc_no=DOC, is_current=True)
    record_withdraw(actor=officer, record_id=current.pk, reason="决定被撤销", now=NOW)
    other = _receive(officer, "other", doc_no="京工商罚字〔2026〕第102号")
    records_sweep(actor=Actor.system(), now=NOW + dt.timedelta(days=800))

    moves = {(status, to) for status, events in RECORD_TRANSITIONS.items() for to in events.values()}
    changes = list(RecordStatusChange.objects.order_by("id").values_list("from_status", "to_status"))
    assert set(changes) <= moves
    assert changes == [
        ("published", "under_objection"),  # flag
        ("under_objection", "superseded"),  # the correction's new version
        ("under_objection", "published"),  # unflag
        ("published", "repaired"),  # repair
        ("repaired", "superseded"),  # withdrawal: the old version …
        ("repaired", "withdrawn"),  # … and the new one, from where the old one stood
        ("published", "expired"),  # the sweep
    ]
    assert Record.objects.get(pk=other.pk).status == RecordStatus.EXPIRED
