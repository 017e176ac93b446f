"""The audit trail is append-only in the database and any tampering breaks the verified chain."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from xinyong.audit.dbguard import audit_guard_lifted
from xinyong.audit.models import AuditEvent
from xinyong.audit.selectors import audit_chain_verify
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor

pytestmark = pytest.mark.django_db(transaction=True)
T0 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
DB_REFUSALS = DatabaseError  # IntegrityError on SQLite, ProgrammingError on PostgreSQL


def _append_events(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_append(
                actor=Actor(label="user:1", unit_code="jxw", request_id=f"r{i}"),
                action="test.write",
                target_type="thing",
                target_id=i,
                payload={"i": i, "名称": "测试"},
                now=T0 + dt.timedelta(seconds=i),
            )


def _without_guard(sql: str, params=()) -> None:
    """Tamper as someone with direct database access would: switch the triggers off first."""
    with audit_guard_lifted(), connection.cursor() as cur:
        cur.execute(sql, params)


def test_untouched_chain_verifies():
    _append_events(5)
    report = audit_chain_verify()
    assert (report.ok, report.checked, report.broken_seq) == (True, 5, None)
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_returned_event_is_the_stored_one():
    """audit_append returns the event as it reads back (values and the stored payload text)."""
    payload = {"count": 3, "名称": "测试", "due": dt.date(2026, 11, 9), "ids": (1, 2), 7: None}
    with transaction.atomic():
        event = audit_append(
            actor=Actor(label="user:1", unit_code="jxw", request_id="r1"),
            action="test.write", target_type="thing", target_id=42, reason="理由", payload=payload, now=T0,
        )  # fmt: skip
    stored = AuditEvent.objects.get()
    fields = [f.attname for f in AuditEvent._meta.concrete_fields]
    assert [getattr(event, f) for f in fields] == [getattr(stored, f) for f in fields]
    assert event.payload == {"count": 3, "名称": "测试", "due": "2026-11-09", "ids": [1, 2], "7": None}
    assert event._state.adding is False
    with connection.cursor() as cur:
        cur.execute("SELECT payload FROM audit_event")
        text = cur.fetchone()[0]
    assert json.loads(text) == event.payload
    if connection.vendor == "sqlite":  # stored as dumped (PostgreSQL's jsonb keeps its own key order)
        assert text == '{"count": 3, "名称": "测试", "due": "2026-11-09", "ids": [1, 2], "7": null}'
    assert audit_chain_verify().ok


def test_append_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_append(actor=Actor.system(), action="x", target_type="t", now=T0)


def test_audit_event_rolls_back_with_the_write():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_append(actor=Actor.system(), action="x", target_type="t", now=T0)
        raise ZeroDivisionError
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("sql", ["UPDATE audit_event SET reason = 'x'", "DELETE FROM audit_event"])
def test_database_refuses_update_and_delete(sql):
    _append_events(2)
    with pytest.raises(DB_REFUSALS, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql)
    assert AuditEvent.objects.count() == 2


def test_changed_event_is_caught():
    _append_events(5)
    _without_guard("UPDATE audit_event SET reason = 'changed' WHERE seq = 3")
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq, report.checked) == (False, 3, 2)
    assert "被修改" in report.problem


def test_changed_payload_is_caught():
    _append_events(4)
    _without_guard("UPDATE audit_event SET payload = %s WHERE seq = 2", ['{"i": 99}'])
    assert audit_chain_verify().broken_seq == 2


def test_deleted_event_is_caught():
    _append_events(5)
    _without_guard("DELETE FROM audit_event WHERE seq = 2")
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq) == (False, 3)
    assert "序号不连续" in report.problem


def test_deleted_tail_is_caught():
    _append_events(5)
    _without_guard("DELETE FROM audit_event WHERE seq = 5")
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq, report.checked) == (False, 5, 4)
    assert "链尾不符" in report.problem


def test_reordered_events_are_caught():
    _append_events(5)
    _without_guard("UPDATE audit_event SET seq = -1 WHERE seq = 2")
    _without_guard("UPDATE audit_event SET seq = 2 WHERE seq = 4")
    _without_guard("UPDATE audit_event SET seq = 4 WHERE seq = -1")
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq) == (False, 2)


def test_renumbered_after_delete_is_caught():
    _append_events(4)
    _without_guard("DELETE FROM audit_event WHERE seq = 2")
    _without_guard("UPDATE audit_event SET seq = seq - 1 WHERE seq > 2")
    report = audit_chain_verify()
    assert (report.ok, report.broken_seq) == (False, 2)
    assert "前一事件哈希不符" in report.problem


def test_verify_command_reports_first_broken_link(capsys):
    _append_events(3)
    call_command("audit_verify")
    assert "审计链完好：共 3 个事件" in capsys.readouterr().out
    _without_guard("UPDATE audit_event SET actor = 'someone' WHERE seq = 2")
    with pytest.raises(CommandError, match="审计链断开于第 2 号事件"):
        call_command("audit_verify")
