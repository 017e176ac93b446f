"""The transactional outbox (docs/performance.md): `outbox_emit` inside the change's transaction;
`outbox_process` (called by the worker) hands each due event to the handler configured for its topic, at least
once."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.utils.module_loading import import_string

from xinyong.core.models import OutboxEvent

log = logging.getLogger(__name__)
MAX_BACKOFF = dt.timedelta(hours=6)


def outbox_emit(*, topic: str, payload: dict, now: dt.datetime) -> OutboxEvent:
    """Record an event in the caller's transaction (it commits or rolls back with the change)."""
    if not connection.in_atomic_block:
        raise RuntimeError("outbox_emit must run inside the transaction of the change it announces")
    return OutboxEvent.objects.create(topic=topic, payload=payload, created_at=now, available_at=now)


def _handler(topic: str) -> Callable[..., None]:
    handlers = getattr(settings, "XINYONG_OUTBOX_HANDLERS", {})
    if topic not in handlers:
        raise LookupError(f"no outbox handler configured for topic {topic!r}")
    return import_string(handlers[topic])


def outbox_process(*, now: dt.datetime, limit: int = 100) -> int:
    """Process due events one by one, each in its own transaction with its handler's writes; a failing
    handler leaves the event for a later try with exponential backoff. Returns the number processed."""
    done = 0
    ids = list(
        OutboxEvent.objects.filter(processed_at__isnull=True, available_at__lte=now)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    for event_id in ids:
        done += _process_one(event_id, now)
    return done


def _process_one(event_id: int, now: dt.datetime) -> int:
    try:
        with transaction.atomic():
            event = OutboxEvent.objects.select_for_update().get(pk=event_id)
            if event.processed_at is not None:
                return 0
            _handler(event.topic)(payload=event.payload, now=now)
            event.processed_at = now
            event.save(update_fields=["processed_at"])
        return 1
    except Exception as exc:  # noqa: BLE001 - any handler failure is recorded and retried later
        log.exception("outbox event %s failed", event_id)
        attempts = OutboxEvent.objects.get(pk=event_id).attempts + 1
        delay = min(dt.timedelta(seconds=30 * 2 ** (attempts - 1)), MAX_BACKOFF)
        OutboxEvent.objects.filter(pk=event_id).update(
            attempts=attempts, available_at=now + delay, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return 0
