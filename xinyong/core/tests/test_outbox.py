"""The outbox's two ways to run a handler (ADR 0007, ADR 0032): inside the event's transaction, or outside it
for long work that commits as it goes; and `RetryAt`, which postpones an event without counting a failure."""

import datetime as dt

import pytest
from django.db import connection, transaction

from xinyong.core.models import OutboxEvent
from xinyong.core.outbox import RetryAt, outbox_emit, outbox_process, outside_transaction

NOW = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)
SEEN: list[tuple[str, bool]] = []


def inside(*, payload, now):
    SEEN.append(("inside", connection.in_atomic_block))


@outside_transaction
def outside(*, payload, now):
    SEEN.append(("outside", connection.in_atomic_block))
    if payload.get("busy_until"):
        raise RetryAt(dt.datetime.fromisoformat(payload["busy_until"]), "held by another worker")


@pytest.fixture
def handlers(settings):
    SEEN.clear()
    settings.XINYONG_OUTBOX_HANDLERS = {"t.inside": f"{__name__}.inside", "t.outside": f"{__name__}.outside"}


def _emit(topic, **payload):
    with transaction.atomic():
        return outbox_emit(topic=topic, payload=payload, now=NOW)


@pytest.mark.django_db(transaction=True)
def test_a_marked_handler_runs_outside_the_events_transaction(handlers):
    first, second = _emit("t.inside"), _emit("t.outside")
    assert outbox_process(now=NOW) == 2
    assert SEEN == [("inside", True), ("outside", False)]
    assert [e.processed_at for e in OutboxEvent.objects.filter(pk__in=[first.pk, second.pk])] == [NOW, NOW]


@pytest.mark.django_db(transaction=True)
def test_retry_at_postpones_the_event_without_counting_a_failure(handlers):
    later = NOW + dt.timedelta(minutes=15)
    event = _emit("t.outside", busy_until=later.isoformat())
    assert outbox_process(now=NOW) == 0
    event.refresh_from_db()
    assert (event.available_at, event.attempts, event.processed_at, event.last_error) == (
        later,
        0,
        None,
        "held by another worker",
    )
    assert outbox_process(now=later - dt.timedelta(seconds=1)) == 0 and len(SEEN) == 1
