"""Who gets a push when an entry is published or exits, and what it says (the outbox handler)."""

import datetime as dt

import pytest

from tests.support.constraints import violates
from tests.support.factories import SubjectFactory
from tests.support.pushes import NOW, emit, make_check, make_measure, make_unit
from xinyong.accounts.models import UnitType
from xinyong.audit.models import AuditEvent
from xinyong.core.models import OutboxEvent
from xinyong.lists.models import EntryState
from xinyong.measures.models import Memorandum
from xinyong.pushes.models import Push, WebhookEndpoint
from xinyong.pushes.services import pushes_for_entry_event
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject, SubjectKind


def _recipients(entry, event):
    return sorted(Push.objects.filter(entry=entry, event=event).values_list("unit__code", flat=True))


def _exit(entry, at):
    entry.state, entry.exited_at, entry.exit_reason = EntryState.EXITED, at, "repair"
    entry.save()


def test_publication_reaches_the_implementing_units_only(world):
    assert emit(world.entry, "published") == 1

    assert _recipients(world.entry, "list_entry.published") == ["chaoyang", "shuiwuju"]
    assert OutboxEvent.objects.get().processed_at == NOW


def test_the_payload_is_thin_what_changed_and_where_to_fetch_it(world, settings):
    settings.XINYONG_PUBLIC_URL = "https://xinyong.example/"
    emit(world.entry, "published")

    push = Push.objects.get(unit=world.shuiwuju)
    assert push.payload == {
        "type": "list_entry.published",
        "push_id": push.pk,
        "entry_id": world.entry.pk,
        "list_type": "market-serious-dishonesty",
        "subject_code": world.subject.uscc,
        "occurred_at": "2026-11-02T02:00:00+00:00",
        "href": f"https://xinyong.example/api/v1/lists/entries/{world.entry.pk}",
    }
    assert push.created_at == NOW
    assert push.read_at is None


def test_a_person_is_named_by_the_masked_id_only(world):
    person = Subject.objects.create(
        kind=SubjectKind.NATURAL_PERSON,
        name="王五",
        person_hash="a" * 64,
        person_masked="110105********002X",
        created_at=NOW,
    )
    world.entry.subject = person
    world.entry.save()
    emit(world.entry, "published")

    assert {p.payload["subject_code"] for p in Push.objects.all()} == {"110105********002X"}


def test_webhook_units_get_a_pending_delivery_others_an_inbox_row_only(world):
    WebhookEndpoint.objects.create(unit=world.shuiwuju, url="https://hooks.example/x", secret="whsec_AAAA")
    WebhookEndpoint.objects.create(
        unit=world.chaoyang, url="https://hooks.example/y", secret="whsec_AAAA", active=False
    )
    emit(world.entry, "published")

    hooked = Push.objects.get(unit=world.shuiwuju)
    assert (hooked.webhook_status, hooked.next_attempt_at, hooked.attempts) == ("pending", NOW, 0)
    assert hooked.retry_until == NOW + dt.timedelta(days=3)
    inbox_only = Push.objects.get(unit=world.chaoyang)
    assert (inbox_only.webhook_status, inbox_only.next_attempt_at, inbox_only.retry_until) == ("", None, None)


def test_exit_adds_units_that_checked_the_subject_within_the_last_year(world):
    exited_at = NOW + dt.timedelta(days=200)
    haidian = make_unit("haidian", UnitType.DISTRICT_GOVERNMENT)
    xicheng = make_unit("xicheng", UnitType.DISTRICT_GOVERNMENT)
    make_check(haidian, world.subject, exited_at - dt.timedelta(days=365))  # exactly a year: still in
    make_check(xicheng, world.subject, exited_at - dt.timedelta(days=366))  # too old
    make_check(world.fagaiwei, world.subject, exited_at - dt.timedelta(days=400))
    other = SubjectFactory(uscc=uscc_make("9111010800054321"), name="别的公司", now=NOW)
    make_check(world.renshe, other, exited_at - dt.timedelta(days=3))  # checked someone else
    _exit(world.entry, exited_at)

    emit(world.entry, "exited", now=exited_at + dt.timedelta(minutes=1))

    assert _recipients(world.entry, "list_entry.exited") == ["chaoyang", "haidian", "shuiwuju"]
    push = Push.objects.get(unit=world.chaoyang, event="list_entry.exited")
    assert push.payload["type"] == "list_entry.exited"
    assert push.payload["occurred_at"] == exited_at.isoformat()


def test_checkers_do_not_get_publication_pushes(world):
    make_check(world.fagaiwei, world.subject, NOW - dt.timedelta(days=10))
    emit(world.entry, "published")

    assert _recipients(world.entry, "list_entry.published") == ["chaoyang", "shuiwuju"]


def test_a_measure_for_every_department_reaches_all_active_municipal_departments(world):
    memo = Memorandum.objects.get(code="memo-market")
    make_measure(memo, "m-everyone", implementing_all=True)
    emit(world.entry, "published")

    assert _recipients(world.entry, "list_entry.published") == [
        "chaoyang",
        "fagaiwei",
        "gongshangju",
        "renshe",
        "shuiwuju",
    ]


def test_processing_the_same_event_twice_creates_no_duplicates(world):
    emit(world.entry, "published")
    emit(world.entry, "published")  # the lists app announced it twice
    pushes_for_entry_event(payload={"entry_id": world.entry.pk, "event": "published"}, now=NOW)

    assert Push.objects.count() == 2
    assert OutboxEvent.objects.filter(processed_at__isnull=True).count() == 0
    fan_outs = AuditEvent.objects.filter(action="push.fan_out")
    assert fan_outs.count() == 1
    assert fan_outs.get().payload["units"] == ["chaoyang", "shuiwuju"]


def test_the_database_refuses_a_second_push_for_the_same_unit_entry_and_event(world):
    emit(world.entry, "published")
    with violates(Push, "push_once_per_unit_entry_event"):
        Push.objects.create(
            unit=world.shuiwuju, entry=world.entry, event="list_entry.published", payload={}, created_at=NOW
        )


def test_a_failing_handler_leaves_the_event_for_a_retry_and_writes_nothing(world):
    emit(world.entry, "published", process=False)
    event = OutboxEvent.objects.get()
    event.payload = {**event.payload, "entry_id": 999999}
    event.save()

    from xinyong.core.outbox import outbox_process

    assert outbox_process(now=NOW) == 0
    event.refresh_from_db()
    assert (event.processed_at, event.attempts) == (None, 1)
    assert "DoesNotExist" in event.last_error
    assert Push.objects.count() == 0


def test_unknown_event_is_refused(world):
    with pytest.raises(ValueError, match="unknown list entry event"):
        pushes_for_entry_event(payload={"entry_id": world.entry.pk, "event": "decided"}, now=NOW)
