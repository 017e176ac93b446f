"""The push endpoints: inbox with cursor, mark read, webhook registration, failed list for the credit office;
and the back-office lists."""

import datetime as dt

import pytest
from django.test import Client, override_settings

from tests.support.factories import SubjectFactory
from tests.support.otp import verified_login
from tests.support.pushes import NOW, emit
from xinyong.accounts.models import User
from xinyong.accounts.services import api_token_create
from xinyong.core.actor import Actor
from xinyong.core.timeutil import now
from xinyong.lists.models import ListEntry
from xinyong.pushes.models import Push, WebhookEndpoint
from xinyong.subjects.identifiers import uscc_make


def _client(unit, role="case_officer") -> Client:
    issued = api_token_create(actor=Actor.system(), unit=unit, role=role, now=now())
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def _more_entries(world, n):
    for i in range(n):
        entry = ListEntry.objects.get(pk=world.entry.pk)
        entry.pk = None
        entry.subject = SubjectFactory(uscc=uscc_make(f"91110108000{i:05d}"), name=f"公司{i}", now=NOW)
        entry.published_at = NOW + dt.timedelta(hours=i + 1)
        entry.save()
        emit(entry, "published", now=NOW + dt.timedelta(hours=i + 1))


def test_inbox_lists_the_units_pushes_newest_first_with_a_cursor(world):
    emit(world.entry, "published")
    _more_entries(world, 2)
    client = _client(world.shuiwuju)

    first = client.get("/api/v1/pushes/inbox?limit=2")
    assert first.status_code == 200
    body = first.json()
    mine = list(Push.objects.filter(unit=world.shuiwuju).order_by("-created_at").values_list("pk", flat=True))
    assert [p["id"] for p in body["items"]] == mine[:2]
    assert body["items"][0]["payload"]["push_id"] == mine[0]
    assert body["items"][0]["list_type"] == "market-serious-dishonesty"
    second = client.get(f"/api/v1/pushes/inbox?limit=2&cursor={body['next_cursor']}").json()
    assert [p["id"] for p in second["items"]] == mine[2:]
    assert second["next_cursor"] is None


def test_mark_read_then_unread_filter(world):
    emit(world.entry, "published")
    push = Push.objects.get(unit=world.shuiwuju)
    client = _client(world.shuiwuju)

    answer = client.post(f"/api/v1/pushes/{push.pk}/read")
    assert answer.status_code == 200
    assert answer.json()["read_at"] is not None
    assert client.get("/api/v1/pushes/inbox?unread=true").json()["items"] == []
    assert len(client.get("/api/v1/pushes/inbox").json()["items"]) == 1


def test_a_unit_cannot_read_or_mark_another_units_push(world):
    emit(world.entry, "published")
    theirs = Push.objects.get(unit=world.chaoyang)
    client = _client(world.shuiwuju)

    answer = client.post(f"/api/v1/pushes/{theirs.pk}/read")
    assert (answer.status_code, answer.json()["code"]) == (404, "push.not_found")
    assert theirs.pk not in [p["id"] for p in client.get("/api/v1/pushes/inbox").json()["items"]]
    assert Client().get("/api/v1/pushes/inbox").status_code == 401


@override_settings(XINYONG_WEBHOOK_ALLOW_PRIVATE=False)
def test_webhook_registration_returns_the_secret_once_and_refuses_private_targets(world):
    client = _client(world.shuiwuju)

    refused = client.post(
        "/api/v1/pushes/webhook", {"url": "http://169.254.169.254/"}, content_type="application/json"
    )
    assert (refused.status_code, refused.json()["code"]) == (400, "webhook.url_private")
    answer = client.post(
        "/api/v1/pushes/webhook", {"url": "https://93.184.216.34/hook"}, content_type="application/json"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert (body["unit"], body["url"], body["active"]) == ("shuiwuju", "https://93.184.216.34/hook", True)
    assert body["secret"] == WebhookEndpoint.objects.get(unit=world.shuiwuju).secret
    assert body["secret"].startswith("whsec_")
    other = client.post(
        "/api/v1/pushes/webhook",
        {"url": "https://93.184.216.34/x", "unit": "chaoyang"},
        content_type="application/json",
    )
    assert other.status_code == 403
    disabled = client.delete("/api/v1/pushes/webhook")
    assert (disabled.status_code, disabled.json()["active"], disabled.json()["secret"]) == (200, False, None)


def test_failed_pushes_are_listed_for_reviewers_only(world):
    emit(world.entry, "published")
    Push.objects.filter(unit=world.shuiwuju).update(
        webhook_status="failed", last_error="HTTP 503: down", attempts=22
    )

    assert _client(world.shuiwuju).get("/api/v1/pushes/failed").status_code == 403
    answer = _client(world.office, "reviewer").get("/api/v1/pushes/failed")
    assert answer.status_code == 200
    [row] = answer.json()["items"]
    assert (row["unit_code"], row["last_error"], row["attempts"], row["webhook_status"]) == (
        "shuiwuju",
        "HTTP 503: down",
        22,
        "failed",
    )
    assert _client(world.office, "reviewer").get("/api/v1/pushes/failed?unit=chaoyang").json()["items"] == []


def test_a_token_without_a_unit_has_no_inbox(world):
    user = User.objects.create_user(username="someone", password="x-very-long-pass")
    from xinyong.accounts.services import user_token_create

    issued = user_token_create(actor=Actor.system(), user=user, now=now())
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}").get("/api/v1/pushes/inbox")
    assert (answer.status_code, answer.json()["code"]) == (403, "auth.operation_forbidden")


@pytest.fixture
def failed_push(world):
    emit(world.entry, "published")
    Push.objects.filter(unit=world.shuiwuju).update(webhook_status="failed", last_error="HTTP 503: down")
    WebhookEndpoint.objects.create(
        unit=world.shuiwuju, url="https://93.184.216.34/h", secret="whsec_SECRETVALUE"
    )
    return Push.objects.get(unit=world.shuiwuju)


def test_admin_lists_failed_pushes_and_never_shows_the_secret(failed_push, world):
    boss = User.objects.create_superuser(username="boss", password="x-very-long-pass", email="")
    client = Client()
    verified_login(client, boss)

    page = client.get("/admin/pushes/push/?webhook_status__exact=failed")
    assert page.status_code == 200
    assert f"/admin/pushes/push/{failed_push.pk}/change/" in page.content.decode()
    assert (
        f"/admin/pushes/push/{Push.objects.get(unit=world.chaoyang).pk}/change/" not in page.content.decode()
    )
    hooks = client.get("/admin/pushes/webhookendpoint/")
    detail = client.get(f"/admin/pushes/webhookendpoint/{WebhookEndpoint.objects.get().pk}/change/")
    assert hooks.status_code == detail.status_code == 200
    assert "whsec_SECRETVALUE" not in hooks.content.decode() + detail.content.decode()


def test_admin_retry_action_requeues_a_failed_push(failed_push):
    boss = User.objects.create_superuser(username="boss", password="x-very-long-pass", email="")
    client = Client()
    verified_login(client, boss)

    answer = client.post(
        "/admin/pushes/push/", {"action": "retry", "_selected_action": [failed_push.pk]}, follow=True
    )
    assert answer.status_code == 200
    failed_push.refresh_from_db()
    assert failed_push.webhook_status == "pending"


def test_admin_shows_a_unit_user_only_its_own_pushes(world):
    emit(world.entry, "published")
    clerk = User.objects.create_user(
        username="clerk",
        password="x-very-long-pass",
        unit=world.chaoyang,
        roles=["case_officer"],
        is_staff=True,
    )
    from django.contrib.auth.models import Permission

    clerk.user_permissions.add(Permission.objects.get(codename="view_push"))
    client = Client()
    verified_login(client, clerk)
    page = client.get("/admin/pushes/push/").content.decode()
    mine = Push.objects.get(unit=world.chaoyang).pk
    theirs = Push.objects.get(unit=world.shuiwuju).pk
    assert f"/admin/pushes/push/{mine}/change/" in page
    assert f"/admin/pushes/push/{theirs}/change/" not in page
