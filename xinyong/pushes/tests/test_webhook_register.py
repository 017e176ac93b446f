"""Registering a webhook: who may, what the secret looks like, which addresses are refused (SSRF guard)."""

import base64

import pytest
from django.test import override_settings

from tests.support.pushes import NOW
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, PermissionDenied
from xinyong.pushes import netguard
from xinyong.pushes.models import WebhookEndpoint
from xinyong.pushes.services import webhook_disable, webhook_register

PUBLIC = "http://93.184.216.34/hooks/xinyong"


def officer(unit, role="case_officer"):
    return Actor(label="token:t1", unit_code=unit.code, roles=frozenset({role}))


def test_the_unit_registers_its_url_and_gets_a_standard_webhooks_secret_once(world):
    endpoint, secret = webhook_register(
        actor=officer(world.shuiwuju), unit=world.shuiwuju, url=PUBLIC, now=NOW
    )

    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) == 32
    assert (endpoint.url, endpoint.secret, endpoint.active) == (PUBLIC, secret, True)
    assert (endpoint.registered_at, endpoint.registered_by) == (NOW, "token:t1")
    event = AuditEvent.objects.get(action="push.webhook_register")
    assert (event.target_id, event.payload) == ("shuiwuju", {"url": PUBLIC, "host": "93.184.216.34"})
    assert secret not in str(event.payload)


def test_registering_again_replaces_url_and_secret(world):
    _, first = webhook_register(actor=officer(world.shuiwuju), unit=world.shuiwuju, url=PUBLIC, now=NOW)
    endpoint, second = webhook_register(
        actor=officer(world.shuiwuju), unit=world.shuiwuju, url="https://93.184.216.35/new", now=NOW
    )

    assert first != second
    assert WebhookEndpoint.objects.get() == endpoint
    assert (endpoint.url, endpoint.secret) == ("https://93.184.216.35/new", second)
    assert AuditEvent.objects.filter(action="push.webhook_replace").count() == 1


def test_only_the_units_own_officers_or_an_admin_may_register(world):
    with pytest.raises(PermissionDenied):
        webhook_register(actor=officer(world.chaoyang), unit=world.shuiwuju, url=PUBLIC, now=NOW)
    with pytest.raises(PermissionDenied):
        webhook_register(actor=officer(world.shuiwuju, "auditor"), unit=world.shuiwuju, url=PUBLIC, now=NOW)
    admin = Actor(label="user:1", unit_code="xyb", roles=frozenset({"admin"}))
    webhook_register(actor=admin, unit=world.shuiwuju, url=PUBLIC, now=NOW)
    assert WebhookEndpoint.objects.filter(unit=world.shuiwuju).exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hook",
        "http://127.8.9.10/hook",
        "http://10.1.2.3/hook",
        "http://172.16.0.5/hook",
        "http://192.168.1.20/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:8080/hook",
        "http://[fe80::1]/hook",
        "http://[fd00::5]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://100.64.0.1/hook",
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
        "http://localhost:8000/hook",
    ],
)
def test_loopback_private_link_local_and_reserved_targets_are_refused(world, url):
    with pytest.raises(DomainError) as refused:
        webhook_register(actor=officer(world.shuiwuju), unit=world.shuiwuju, url=url, now=NOW)
    assert refused.value.code == "webhook.url_private"
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "ftp://93.184.216.34/x",
        "93.184.216.34/hook",
        "http://user:pw@93.184.216.34/",
        "https:///nohost",
        "http://93.184.216.34:99999/",
        "http://93.184.216.34/#frag",
        "http://" + "a" * 500 + ".cn/",
    ],
)
def test_malformed_urls_are_refused(world, url):
    with pytest.raises(DomainError) as refused:
        webhook_register(actor=officer(world.shuiwuju), unit=world.shuiwuju, url=url, now=NOW)
    assert refused.value.code == "webhook.url_invalid"


def test_a_host_name_is_judged_by_every_address_it_resolves_to(world, monkeypatch):
    monkeypatch.setattr(netguard, "resolve", lambda host, port: ["93.184.216.34", "10.0.0.7"])
    with pytest.raises(DomainError) as refused:
        webhook_register(
            actor=officer(world.shuiwuju), unit=world.shuiwuju, url="https://hooks.example.gov.cn/x", now=NOW
        )
    assert refused.value.code == "webhook.url_private"
    assert "10.0.0.7" in refused.value.message


def test_an_unresolvable_host_is_refused(world, monkeypatch):
    def fail(host, port):
        raise OSError("Name or service not known")

    monkeypatch.setattr(netguard, "resolve", fail)
    with pytest.raises(DomainError) as refused:
        webhook_register(
            actor=officer(world.shuiwuju), unit=world.shuiwuju, url="https://nowhere.example/", now=NOW
        )
    assert refused.value.code == "webhook.url_unresolvable"


@override_settings(XINYONG_WEBHOOK_ALLOW_PRIVATE=True)
def test_the_operator_setting_allows_loopback_and_private_targets(world):
    for url in ("http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://[::1]:9/x"):
        endpoint, _ = webhook_register(actor=officer(world.shuiwuju), unit=world.shuiwuju, url=url, now=NOW)
        assert endpoint.url == url


@override_settings(XINYONG_WEBHOOK_ALLOW_PRIVATE=True)
def test_multicast_and_unspecified_stay_refused_even_when_private_is_allowed(world):
    for url in ("http://224.0.0.1/hook", "http://0.0.0.0/hook"):
        with pytest.raises(DomainError):
            webhook_register(actor=officer(world.shuiwuju), unit=world.shuiwuju, url=url, now=NOW)


def test_disabling_keeps_the_row_and_stops_webhooks(world):
    webhook_register(actor=officer(world.shuiwuju), unit=world.shuiwuju, url=PUBLIC, now=NOW)
    endpoint = webhook_disable(actor=officer(world.shuiwuju), unit=world.shuiwuju, now=NOW)
    assert endpoint.active is False
    with pytest.raises(DomainError) as again:
        webhook_disable(actor=officer(world.shuiwuju), unit=world.shuiwuju, now=NOW)
    assert again.value.code == "webhook.not_found"
