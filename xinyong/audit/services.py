"""The one way to write the audit trail."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.db import connection, transaction

from xinyong.audit.anchor import AnchorError, Checkpoint, checkpoint_append, checkpoint_last, checkpoint_sign
from xinyong.audit.chain import GENESIS, event_hash
from xinyong.audit.models import AuditEvent, AuditHead
from xinyong.audit.selectors import audit_chain_verify_since
from xinyong.core.actor import Actor
from xinyong.core.bulk import execute
from xinyong.core.roundtrips import Read, execute_prepared


def audit_append(
    *,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: str | int = "",
    reason: str = "",
    payload: dict | None = None,
    now: dt.datetime,
    head: HeadSlot | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction (docs/domain.md Audit).

    Must run inside `transaction.atomic()`: the event commits or rolls back with the write it records.
    `head` is the chain tip the caller has already locked in this transaction with `audit_head_read` (sent
    with its own statements: the check on PostgreSQL, issue 18); then nothing here waits for the database.

    An agent acting for a subject (issue 14) keeps its own label (`user:<id>`: four eyes and the trail name
    the person); the event's payload adds `acting_for` — the power of attorney and the subject — so every
    event a service appends for an agent says for whom and under which agency it acted.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_append must run inside the transaction of the write it records")
    seq, prev_hash = (head.seq, head.hash) if head is not None else _lock_head()
    fields = {
        "seq": seq + 1,
        "occurred_at": now,
        "actor": actor.label,
        "unit_code": actor.unit_code,
        "action": action,
        "target_type": target_type,
        "target_id": str(target_id),
        "reason": reason,
        "request_id": actor.request_id,
        "prev_hash": prev_hash,
    }
    if actor.agency_id is not None:
        payload = {**(payload or {}), "acting_for": {"agency": actor.agency_id, "subject": actor.acting_for}}
    fields["payload"], text = _jsonable(payload or {})
    fields["hash"] = event_hash(fields)
    fields["payload_text"] = text
    return _insert(fields, head.next_id if head is not None else None)


# Raw SQL: every write of the platform passes here, so it is kept to three statements (lock the tip, insert
# the event, move the tip); the ORM version took about twice as long per event.
_COLUMNS = [
    "seq",
    "occurred_at",
    "actor",
    "unit_code",
    "action",
    "target_type",
    "target_id",
    "reason",
    "request_id",
    "payload",
    "prev_hash",
    "hash",
]
_MARKS = ", ".join(["%s"] * len(_COLUMNS))
_INSERT = f"INSERT INTO audit_event ({', '.join(_COLUMNS)}) VALUES ({_MARKS}) RETURNING id"
_INSERT_WITH_ID = f"INSERT INTO audit_event (id, {', '.join(_COLUMNS)}) VALUES (%s, {_MARKS})"
_UPDATE_HEAD = "UPDATE audit_head SET seq = %s, hash = %s WHERE id = 1"


@dataclass(frozen=True)
class HeadSlot:
    """The chain tip as locked in the caller's transaction and, on PostgreSQL, the next event's id drawn
    from its sequence (so the insert need not return it)."""

    seq: int
    hash: str
    next_id: int | None


def audit_head_read() -> Read[HeadSlot | None]:
    """Lock the chain tip, as `audit_append` does, as a read the caller sends with its own (core.roundtrips;
    the check, issue 18). Run inside the write's transaction; None when the chain has no tip yet
    (`audit_append` then creates it)."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT seq, hash, nextval(pg_get_serial_sequence('audit_event', 'id')) "
            "FROM audit_head WHERE id = 1 FOR UPDATE"
        )
    else:
        sql = "SELECT seq, hash, NULL FROM audit_head WHERE id = 1"
    return Read.one(sql, decode=lambda rows: HeadSlot(*rows[0]) if rows else None)


def _lock_head() -> tuple[int, str]:
    """Lock the chain tip (SELECT … FOR UPDATE on PostgreSQL; SQLite's write transaction already holds the
    only write lock) and return (seq, hash); the tip row is created once, with the first event."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    row = execute(f"SELECT seq, hash FROM audit_head WHERE id = 1{lock}").fetchone()
    if row is None:
        with transaction.atomic():
            AuditHead.objects.get_or_create(id=1, defaults={"seq": 0, "hash": GENESIS})
        head = AuditHead.objects.select_for_update().get(id=1)
        row = (head.seq, head.hash)
    return row


def _insert(fields: dict, event_id: int | None = None) -> AuditEvent:
    ops = connection.ops
    values = [fields[c] for c in _COLUMNS]
    values[1] = ops.adapt_datetimefield_value(fields["occurred_at"])
    values[9] = fields.pop("payload_text")
    if event_id is None:
        event_id = execute(_INSERT, values).fetchone()[0]
        execute(_UPDATE_HEAD, [fields["seq"], fields["hash"]])
    else:  # nothing read back: queued in the caller's pipeline until its commit (PostgreSQL)
        execute_prepared(_INSERT_WITH_ID, [event_id, *values])
        execute_prepared(_UPDATE_HEAD, [fields["seq"], fields["hash"]])
    # a saved instance built positionally (Model.from_db), not through the keyword path of Model.__init__
    return AuditEvent.from_db(connection.alias, None, [event_id if f == "id" else fields[f] for f in _FIELDS])


_FIELDS = [f.attname for f in AuditEvent._meta.concrete_fields]


def _jsonable(payload: dict) -> tuple[dict, str]:
    """The payload round-tripped through JSON (so it hashes exactly as it is read back) and the JSON text
    stored, which is the same text the round-tripped payload dumps to."""
    text = json.dumps(payload, ensure_ascii=False, default=str)
    return json.loads(text), text


def audit_anchor(*, now: dt.datetime) -> tuple[Checkpoint | None, bool]:
    """Sign the chain's head into the checkpoint file outside the database (issue 12, ADR 0019), after
    checking every event since the last checkpoint, so that a chain rewritten since then is never signed.
    Returns (the head's checkpoint or None for an empty chain, whether a new line was written)."""
    last = checkpoint_last()
    head = AuditHead.objects.filter(id=1).values_list("seq", "hash").first()
    if head is None or head[0] == 0:
        return None, False
    if last is not None and (last.seq, last.hash) == head:
        return last, False
    report = audit_chain_verify_since(checkpoint=last, through_seq=head[0])
    tip = AuditEvent.objects.filter(seq=head[0]).values_list("hash", flat=True).first()
    if not report.ok or tip != head[1]:
        problem = report.problem or f"链尾不符：记录的链尾第 {head[0]} 号与库中事件不同"
        raise AnchorError(f"拒绝锚定：审计链断开于第 {report.broken_seq or head[0]} 号事件：{problem}")
    line = checkpoint_sign(seq=head[0], head_hash=head[1], now=now)
    checkpoint_append(line)
    return Checkpoint(head[0], head[1], json.loads(line)["at"]), True
