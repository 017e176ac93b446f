"""The one way to write the audit trail."""

from __future__ import annotations

import datetime as dt
import json

from django.db import connection, transaction

from xinyong.audit.chain import GENESIS, event_hash
from xinyong.audit.models import AuditEvent, AuditHead
from xinyong.core.actor import Actor


def audit_append(
    *,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: str | int = "",
    reason: str = "",
    payload: dict | None = None,
    now: dt.datetime,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction (DESIGN §3 Audit).

    Must run inside `transaction.atomic()`: the event commits or rolls back with the write it records.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_append must run inside the transaction of the write it records")
    head = _lock_head()
    fields = {
        "seq": head.seq + 1,
        "occurred_at": now,
        "actor": actor.label,
        "unit_code": actor.unit_code,
        "action": action,
        "target_type": target_type,
        "target_id": str(target_id),
        "reason": reason,
        "request_id": actor.request_id,
        "payload": _jsonable(payload or {}),
        "prev_hash": head.hash,
    }
    fields["hash"] = event_hash(fields)
    event = AuditEvent.objects.create(**fields)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


def _lock_head() -> AuditHead:
    """Lock the chain tip (one statement on the hot path; the row is created once, on the first event)."""
    head = AuditHead.objects.select_for_update().filter(id=1).first()
    if head is None:
        with transaction.atomic():
            AuditHead.objects.get_or_create(id=1, defaults={"seq": 0, "hash": GENESIS})
        head = AuditHead.objects.select_for_update().get(id=1)
    return head


def _jsonable(payload: dict) -> dict:
    """Round-trip through JSON so the stored payload hashes exactly as it is read back."""
    return json.loads(json.dumps(payload, ensure_ascii=False, default=str))
