"""Unit registry loading, API tokens (hashed, shown once, expiring, revocable) and the units endpoints."""

import datetime as dt
import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from xinyong.accounts.models import ApiToken, Unit, UnitGroup
from xinyong.accounts.reference import units_load
from xinyong.accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
ADMIN = Actor(label="user:1", roles=frozenset({"admin"}))


@pytest.fixture
def units():
    units_load(actor=ADMIN, now=NOW)


def test_units_load_is_idempotent(units):
    assert Unit.objects.count() == 77
    assert UnitGroup.objects.get(name="各区政府").members.count() == 16
    events = AuditEvent.objects.count()
    again = units_load(actor=ADMIN, now=NOW)
    assert (again.changed, AuditEvent.objects.count()) == ([], events)


def test_aliases_resolve_to_one_unit(units):
    from xinyong.accounts.selectors import unit_get

    assert unit_get(name_or_code="北京市通信管理局") == unit_get(name_or_code="市通信管理局")
    with pytest.raises(DomainError) as err:
        unit_get(name_or_code="市不存在局")
    assert (err.value.code, err.value.status) == ("unit.not_found", 404)


def test_token_is_stored_hashed_and_authenticates(units):
    unit = Unit.objects.get(code="bj-gongshangju")
    issued = api_token_create(actor=ADMIN, unit=unit, role="data_officer", now=NOW, days=30)
    token = ApiToken.objects.get()
    assert issued.secret.startswith(f"xy_{token.prefix}_")
    assert token.secret_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in str(list(ApiToken.objects.values()))
    assert issued.secret not in str(list(AuditEvent.objects.values()))
    assert api_token_authenticate(secret=issued.secret, now=NOW) == token
    assert api_token_authenticate(secret=issued.secret + "x", now=NOW) is None


def test_token_is_read_with_its_unit_as_the_orm_would(units):
    """The raw lookup gives the same instances as the ORM: converted values, the unit loaded with it."""
    unit = Unit.objects.get(code="bj-gongshangju")
    issued = api_token_create(actor=ADMIN, unit=unit, role="data_officer", now=NOW, days=30)
    expected = ApiToken.objects.select_related("unit").get()  # before the first use sets last_used_at
    token = api_token_authenticate(secret=issued.secret, now=NOW)
    fields = [f.attname for f in ApiToken._meta.concrete_fields]
    assert [getattr(token, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert token.expires_at == NOW + dt.timedelta(days=30) and token.expires_at.tzinfo is not None
    assert token._state.adding is False and token._state.db == "default"
    assert "unit" in token._state.fields_cache  # no further query for token.unit
    unit_fields = [f.attname for f in Unit._meta.concrete_fields]
    assert [getattr(token.unit, f) for f in unit_fields] == [getattr(expected.unit, f) for f in unit_fields]
    assert isinstance(token.unit.roles, list)


def test_token_of_a_deactivated_unit_is_refused_on_the_next_request(units):
    unit = Unit.objects.get(code="bj-gongshangju")
    issued = api_token_create(actor=ADMIN, unit=unit, role="case_officer", now=NOW)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert client.get("/api/v1/units/me").status_code == 200
    Unit.objects.filter(pk=unit.pk).update(active=False)
    assert api_token_authenticate(secret=issued.secret, now=NOW) is None
    refused = client.get("/api/v1/units/me")
    assert (refused.status_code, refused.json()["code"]) == (401, "auth.required")


def test_token_expires(units):
    unit = Unit.objects.get(code="bj-gongshangju")
    issued = api_token_create(actor=ADMIN, unit=unit, role="data_officer", now=NOW, days=1)
    assert api_token_authenticate(secret=issued.secret, now=NOW + dt.timedelta(hours=23)) is not None
    assert api_token_authenticate(secret=issued.secret, now=NOW + dt.timedelta(days=1)) is None


def test_token_bad_role_and_expiry_refused(units):
    unit = Unit.objects.get(code="bj-gongshangju")
    with pytest.raises(DomainError, match="token.role_invalid"):
        api_token_create(actor=ADMIN, unit=unit, role="king", now=NOW)
    with pytest.raises(DomainError, match="token.expiry_invalid"):
        api_token_create(actor=ADMIN, unit=unit, role="data_officer", now=NOW, days=0)


def test_revocation_takes_effect_on_next_request(units):
    unit = Unit.objects.get(code="bj-gongshangju")
    issued = api_token_create(actor=ADMIN, unit=unit, role="case_officer", now=NOW)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    first = client.get("/api/v1/units/me")
    assert first.status_code == 200
    assert first.json()["unit_name"] == "市工商局"
    assert first.json()["role"] == "case_officer"
    api_token_revoke(actor=ADMIN, prefix=issued.token.prefix, now=NOW, reason="人员离岗")
    second = client.get("/api/v1/units/me")
    assert second.status_code == 401
    assert second["Content-Type"].startswith("application/problem+json")
    assert second.json()["code"] == "auth.required"
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions[-2:] == ["token.create", "token.revoke"]


def test_revoking_twice_is_a_clear_error(units):
    unit = Unit.objects.get(code="bj-gongshangju")
    issued = api_token_create(actor=ADMIN, unit=unit, role="case_officer", now=NOW)
    api_token_revoke(actor=ADMIN, prefix=issued.token.prefix, now=NOW)
    with pytest.raises(DomainError, match="token.already_revoked"):
        api_token_revoke(actor=ADMIN, prefix=issued.token.prefix, now=NOW)


def test_missing_or_malformed_authorization_is_401(units):
    assert Client().get("/api/v1/units/me").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Basic abc").get("/api/v1/units/me").status_code == 401


def test_token_cli_create_and_revoke(units):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "token",
        "create",
        "--unit",
        "市工商局",
        "--role",
        "data_officer",
        "--name",
        "审批系统",
        stdout=out,
        stderr=err,
    )
    secret = out.getvalue().strip()
    assert secret.startswith("xy_")
    assert "不会再次显示" in err.getvalue()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/units/me").status_code == 200
    out = io.StringIO()
    call_command("token", "revoke", secret, stdout=out)
    assert "已吊销令牌" in out.getvalue()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/units/me").status_code == 401
    with pytest.raises(CommandError, match="单位不存在"):
        call_command(
            "token", "create", "--unit", "市不存在局", "--role", "data_officer", "--name", "审批系统"
        )


def test_units_endpoint_lists_registry(units):
    body = Client().get("/api/v1/units").json()
    assert body["count"] == 77
    telecom = next(u for u in body["units"] if u["name"] == "市通信管理局")
    assert "北京市通信管理局" in telecom["aliases"]
    districts = next(g for g in body["groups"] if g["name"] == "各区政府")
    assert len(districts["members"]) == 16
    courts = Client().get("/api/v1/units?type=court").json()
    assert {u["type"] for u in courts["units"]} == {"court"}


def test_unknown_api_path_is_problem():
    response = Client().get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "not_found"
