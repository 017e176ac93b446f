"""The transactional outbox (docs/performance.md): `outbox_emit` inside the change's transaction;
`outbox_process` (called by the worker) hands each due event to the handler configured for its topic, at least
once. A handler marked `outside_transaction` (long work that commits as it goes, e.g. a file import, ADR 0032)
runs before the event is locked and marks it done only when it returns; `RetryAt` postpones an event to a time
(work another worker holds under a lease) without counting a failure."""

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


class RetryAt(Exception):  # noqa: N818 - a request to the outbox, not an error
    """Raised by a handler: try the event again at `at`, not sooner (no failed attempt is counted)."""

    def __init__(self, at: dt.datetime, reason: str) -> None:
        super().__init__(reason)
        self.at = at


def outside_transaction(handler: Callable[..., None]) -> Callable[..., None]:
    """Mark a handler that runs outside the event's transaction and commits its own work, so a run of
    minutes holds no lock and can commit progress (ADR 0032). It must be idempotent and guard itself
    against a concurrent run of the same event (two workers may both see the event due)."""
    handler.outbox_outside_transaction = True  # type: ignore[attr-defined]
    return handler


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
        event = OutboxEvent.objects.get(pk=event_id)
        handler = _handler(event.topic)
        if event.processed_at is None and getattr(handler, "outbox_outside_transaction", False):
            handler(payload=event.payload, now=now)
            return OutboxEvent.objects.filter(pk=event_id, processed_at__isnull=True).update(processed_at=now)
        with transaction.atomic():
            event = OutboxEvent.objects.select_for_update().get(pk=event_id)
            if event.processed_at is not None:
                return 0
            _handler(event.topic)(payload=event.payload, now=now)
            event.processed_at = now
            event.save(update_fields=["processed_at"])
        return 1
    except RetryAt as later:
        OutboxEvent.objects.filter(pk=event_id).update(available_at=later.at, last_error=str(later)[:2000])
        return 0
    except Exception as exc:  # noqa: BLE001 - any handler failure is recorded and retried later
        log.exception("outbox event %s failed", event_id)
        attempts = OutboxEvent.objects.get(pk=event_id).attempts + 1
        delay = min(dt.timedelta(seconds=30 * 2 ** (attempts - 1)), MAX_BACKOFF)
        OutboxEvent.objects.filter(pk=event_id).update(
            attempts=attempts, available_at=now + delay, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return 0
