"""Webhook delivery to a real HTTP receiver on 127.0.0.1: Standard Webhooks signature, retries with backoff,
no redirects, three days then failed, and the DNS-rebinding guard at delivery time."""

import datetime as dt
import json

import pytest
from django.test import override_settings

from tests.support.pushes import NOW, emit
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.pushes import netguard
from xinyong.pushes.delivery import push_backoff, push_deliver_due, webhook_signature
from xinyong.pushes.models import Push
from xinyong.pushes.selectors import push_failed_list
from xinyong.pushes.services import push_retry, webhook_register
from xinyong.pushes.tests.receiver import Receiver, verify_standard_webhook

pytestmark = pytest.mark.usefixtures("allow_loopback")
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def allow_loopback():
    with override_settings(XINYONG_WEBHOOK_ALLOW_PRIVATE=True):
        yield


def _hook(world, url: str) -> str:
    actor = Actor(label="token:t1", unit_code="shuiwuju", roles=frozenset({"case_officer"}))
    return webhook_register(actor=actor, unit=world.shuiwuju, url=url, now=NOW)[1]


def _pending_push(world) -> Push:
    emit(world.entry, "published")
    return Push.objects.get(unit=world.shuiwuju)


def test_delivery_is_signed_as_standard_webhooks_and_verifies_at_the_receiver(world):
    with Receiver(200) as receiver:
        secret = _hook(world, receiver.url)
        push = _pending_push(world)

        counts = push_deliver_due(now=NOW)

    assert (counts.delivered, counts.retrying, counts.failed) == (1, 0, 0)
    [got] = receiver.received
    assert got.path == "/hook"
    assert got.headers["webhook-id"] == str(push.pk)
    assert got.headers["webhook-timestamp"] == str(int(NOW.timestamp())) == "1793584800"
    assert got.headers["content-type"] == "application/json; charset=utf-8"
    assert verify_standard_webhook(secret, got.headers, got.body)
    assert not verify_standard_webhook(secret, got.headers, got.body.replace(b"published", b"exited"))
    assert json.loads(got.body) == push.payload
    push.refresh_from_db()
    assert (push.webhook_status, push.attempts, push.delivered_at, push.next_attempt_at) == (
        "delivered",
        1,
        NOW,
        None,
    )
    assert Push.objects.get(unit=world.chaoyang).webhook_status == ""  # inbox only: no webhook registered


def test_signature_matches_the_standard_webhooks_reference_vector():
    # The test vector published with the Standard Webhooks specification (used by its reference libraries).
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    sig = webhook_signature(
        secret=secret, msg_id="msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp=1614265330, body=body
    )
    assert sig == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_a_failing_receiver_is_retried_after_the_backoff(world):
    with Receiver(500, 200) as receiver:
        secret = _hook(world, receiver.url)
        push = _pending_push(world)

        first = push_deliver_due(now=NOW)
        push.refresh_from_db()
        assert (first.retrying, push.webhook_status, push.attempts) == (1, "pending", 1)
        assert push.next_attempt_at == NOW + dt.timedelta(seconds=30)
        assert push.last_error == "HTTP 500: receiver error"

        assert push_deliver_due(now=NOW + 29 * SECOND).attempted == 0  # not due yet
        second = push_deliver_due(now=NOW + 30 * SECOND)

    assert second.delivered == 1
    push.refresh_from_db()
    assert (push.webhook_status, push.attempts, push.delivered_at, push.last_error) == (
        "delivered",
        2,
        NOW + 30 * SECOND,
        "",
    )
    assert len(receiver.received) == 2
    assert {r.headers["webhook-id"] for r in receiver.received} == {str(push.pk)}  # stable: receivers dedupe
    assert [r.headers["webhook-timestamp"] for r in receiver.received] == [
        str(int(NOW.timestamp())),
        str(int(NOW.timestamp()) + 30),
    ]
    assert all(verify_standard_webhook(secret, r.headers, r.body) for r in receiver.received)


def test_a_redirect_is_a_failure_and_is_not_followed(world):
    with Receiver(200) as elsewhere, Receiver(("redirect", "http://127.0.0.1:1/x")) as receiver:
        receiver.plan(("redirect", elsewhere.url))
        _hook(world, receiver.url)
        push = _pending_push(world)

        counts = push_deliver_due(now=NOW)

    assert counts.retrying == 1
    assert len(receiver.received) == 1
    assert elsewhere.received == []
    push.refresh_from_db()
    assert push.webhook_status == "pending"
    assert push.last_error == f"HTTP 302 重定向未跟随 → {elsewhere.url}"


def test_connection_refused_is_a_failure_with_the_reason(world):
    with Receiver(200) as receiver:
        url = receiver.url
    _hook(world, url)  # the receiver is gone: nothing listens on that port any more
    push = _pending_push(world)

    assert push_deliver_due(now=NOW).retrying == 1
    push.refresh_from_db()
    assert push.last_error.startswith("ConnectionRefusedError")


def test_backoff_doubles_from_30_seconds_up_to_6_hours():
    assert [push_backoff(n).total_seconds() for n in (1, 2, 3, 4, 10, 11, 20)] == [
        30,
        60,
        120,
        240,
        15360,
        21600,
        21600,
    ]


def test_after_three_days_of_failures_the_push_is_failed_and_shown_to_the_credit_office(world):
    with Receiver(503) as receiver:
        _hook(world, receiver.url)
        push = _pending_push(world)
        attempts_at = []
        while push.webhook_status == "pending":
            attempts_at.append(push.next_attempt_at)
            push_deliver_due(now=push.next_attempt_at)
            push.refresh_from_db()

    # 30 s, 1 min, … 4 h 16 min (10 waits), then every 6 h, the last try exactly at three days.
    assert attempts_at[:4] == [NOW, NOW + 30 * SECOND, NOW + 90 * SECOND, NOW + 210 * SECOND]
    assert attempts_at[-1] == NOW + dt.timedelta(days=3)
    assert attempts_at[-1] - attempts_at[-2] < dt.timedelta(hours=6)
    assert (push.webhook_status, push.attempts, len(receiver.received)) == ("failed", 22, 22)
    assert push.next_attempt_at is None
    assert push.last_error == "HTTP 503: receiver error"
    assert list(push_failed_list()) == [push]
    event = AuditEvent.objects.get(action="push.failed")
    assert (event.target_id, event.payload["attempts"]) == (str(push.pk), 22)
    assert push_deliver_due(now=NOW + dt.timedelta(days=4)).attempted == 0


def test_the_credit_office_sends_a_failed_push_again(world):
    with Receiver(503, 200) as receiver:
        _hook(world, receiver.url)
        push = _pending_push(world)
        Push.objects.filter(pk=push.pk).update(retry_until=NOW)  # its three days are over
        assert push_deliver_due(now=NOW).failed == 1

        later = NOW + dt.timedelta(days=5)
        reviewer = Actor(label="user:9", unit_code="xyb", roles=frozenset({"reviewer"}))
        push_retry(actor=reviewer, push_id=push.pk, now=later)
        assert push_deliver_due(now=later).delivered == 1

    push.refresh_from_db()
    assert (push.webhook_status, push.attempts, push.retry_until) == (
        "delivered",
        2,
        later + dt.timedelta(days=3),
    )
    assert AuditEvent.objects.filter(action="push.retry").count() == 1


def test_a_disabled_endpoint_means_failure_not_a_silent_success(world):
    with Receiver(200) as receiver:
        _hook(world, receiver.url)
        push = _pending_push(world)
        world.shuiwuju.webhook.active = False
        world.shuiwuju.webhook.save()

        assert push_deliver_due(now=NOW).retrying == 1
    assert receiver.received == []
    push.refresh_from_db()
    assert push.last_error.startswith("webhook.disabled")


@override_settings(XINYONG_WEBHOOK_ALLOW_PRIVATE=False)
def test_the_address_is_checked_again_at_delivery_dns_rebinding(world, monkeypatch):
    with Receiver(200) as receiver:
        monkeypatch.setattr(netguard, "resolve", lambda host, port: ["93.184.216.34"])
        _hook(world, f"http://hooks.example.gov.cn:{receiver.port}/hook")
        push = _pending_push(world)
        monkeypatch.setattr(netguard, "resolve", lambda host, port: ["127.0.0.1"])  # rebound to loopback

        assert push_deliver_due(now=NOW).retrying == 1

    assert receiver.received == []
    push.refresh_from_db()
    assert push.last_error.startswith("webhook.url_private")


def test_delivery_connects_to_the_vetted_address_and_names_the_host(world, monkeypatch):
    monkeypatch.setattr(netguard, "resolve", lambda host, port: ["127.0.0.1"])
    with Receiver(200) as receiver:
        secret = _hook(world, f"http://hooks.example.gov.cn:{receiver.port}/hook?unit=shuiwuju")
        _pending_push(world)

        assert push_deliver_due(now=NOW).delivered == 1

    [got] = receiver.received
    assert got.path == "/hook?unit=shuiwuju"
    assert got.headers["host"] == f"hooks.example.gov.cn:{receiver.port}"
    assert verify_standard_webhook(secret, got.headers, got.body)


def test_a_claimed_push_is_not_sent_again_before_its_lease_runs_out(world):
    with Receiver(200) as receiver:
        _hook(world, receiver.url)
        push = _pending_push(world)
        # A worker claimed it and died before recording anything.
        Push.objects.filter(pk=push.pk).update(attempts=1, next_attempt_at=NOW + dt.timedelta(minutes=2))

        assert push_deliver_due(now=NOW + dt.timedelta(minutes=1)).attempted == 0
        assert push_deliver_due(now=NOW + dt.timedelta(minutes=2)).delivered == 1

    push.refresh_from_db()
    assert (push.webhook_status, push.attempts, len(receiver.received)) == ("delivered", 2, 1)
