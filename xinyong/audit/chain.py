"""Hashing of audit events. The canonical form is fixed: changing it breaks every existing chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

GENESIS = "0" * 64


def canonical(fields: dict) -> bytes:
    """Stable bytes of an event's content (sorted keys, UTC timestamp in microseconds)."""
    occurred: dt.datetime = fields["occurred_at"]
    body = {
        "seq": fields["seq"],
        "occurred_at": occurred.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": fields["actor"],
        "unit_code": fields["unit_code"],
        "action": fields["action"],
        "target_type": fields["target_type"],
        "target_id": fields["target_id"],
        "reason": fields["reason"],
        "request_id": fields["request_id"],
        "payload": fields["payload"],
        "prev_hash": fields["prev_hash"],
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(fields: dict) -> str:
    return hashlib.sha256(canonical(fields)).hexdigest()
