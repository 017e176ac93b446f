"""The back office for units, people and tokens (issue 14): only the credit office's administrators see it,
every change goes through the account services and is audited, secrets are shown once and hashes never."""

import datetime as dt
import json
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client

from tests.support.otp import verified_login
from xinyong.accounts.models import ApiToken, Unit, User
from xinyong.accounts.people import officer_create
from xinyong.accounts.reference import units_load
from xinyong.accounts.services import person_token_create
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
SYSTEM = Actor.system()


@pytest.fixture
def units():
    units_load(actor=SYSTEM, now=NOW)


def _officer(code: str, roles: list[str], name: str) -> User:
    user, _ = officer_create(
        actor=SYSTEM, unit=Unit.objects.get(code=code), roles=roles, full_name=name, now=NOW
    )
    user.set_password("a-long-new-passphrase-9")
    user.save()
    return user


@pytest.fixture
def office(units) -> Client:
    """The credit office's administrator (not a superuser: the `admin` role in the credit office)."""
    return verified_login(Client(), _officer("bj-jingxinwei", ["admin"], "管理员甲"))


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_the_pages_render_for_the_office_admin_and_show_no_hashes(office):
    x = _officer("bj-gongshangju", ["data_officer"], "王五")
    person_token_create(actor=SYSTEM, user=x, now=NOW)
    for url in (
        "/admin/accounts/unit/",
        "/admin/accounts/unit/?q=工商",
        f"/admin/accounts/unit/{x.unit_id}/change/",
        "/admin/accounts/user/",
        "/admin/accounts/user/?role=data_officer&is_active__exact=1",
        f"/admin/accounts/user/{x.pk}/change/",
        "/admin/accounts/user/add/",
        "/admin/accounts/apitoken/",
        "/admin/accounts/apitoken/add/",
    ):
        answer = office.get(url)
        assert answer.status_code == 200, url
        text = answer.content.decode()
        assert "pbkdf2" not in text and x.password not in text and "secret_hash" not in text
    listed = office.get("/admin/accounts/user/?role=data_officer").content.decode()
    assert "王五" in listed and "管理员甲" not in listed


def test_another_units_officer_sees_nothing_of_it(units):
    clerk = _officer("bj-gongshangju", ["data_officer", "case_officer"], "王五")
    client = verified_login(Client(), clerk)
    index = client.get("/admin/")
    assert index.status_code == 200 and "/admin/accounts/" not in index.content.decode()
    for url in ("/admin/accounts/user/", "/admin/accounts/apitoken/add/", "/admin/accounts/unit/"):
        assert client.get(url).status_code == 403, url


def test_create_an_officer_shows_the_link_once_and_audits(office):
    page = office.post(
        "/admin/accounts/user/add/",
        {"unit": Unit.objects.get(code="bj-gongshangju").pk, "roles": ["case_officer"], "full_name": "赵六"},
    )
    text = page.content.decode()
    link = re.search(r'<code id="shown-once">([^<]+)</code>', text).group(1)
    assert "/accounts/set-password/" in link
    user = User.objects.get(full_name="赵六")
    assert (user.username, user.roles) == ("bj-gongshangju-001", ["case_officer"])
    assert [e.target_id for e in _events("account.create")][-1] == str(user.pk)
    refused = office.post(
        "/admin/accounts/user/add/",
        {"unit": Unit.objects.get(code="bj-gongshangju").pk, "roles": ["reviewer"], "full_name": "钱七"},
    )
    assert "市工商局的工作人员不能持有角色 reviewer" in refused.content.decode()
    assert not User.objects.filter(full_name="钱七").exists()


def test_roles_deactivate_and_reactivate_go_through_the_services(office):
    x = _officer("bj-gongshangju", ["data_officer"], "王五")
    secret = person_token_create(actor=SYSTEM, user=x, now=NOW).secret
    changed = office.post(f"/admin/accounts/user/{x.pk}/change/", {"roles": ["data_officer", "case_officer"]})
    assert changed.status_code == 302
    x.refresh_from_db()
    assert x.roles == ["data_officer", "case_officer"]
    assert _events("account.roles_change")[-1].payload["to"] == ["data_officer", "case_officer"]
    selected = {"action": "deactivate", ACTION_CHECKBOX_NAME: [x.pk]}
    confirm = office.post("/admin/accounts/user/", selected)
    assert "确认停用" in confirm.content.decode() and User.objects.get(pk=x.pk).is_active
    done = office.post("/admin/accounts/user/", {**selected, "confirm": "yes", "reason": "调离"})
    assert done.status_code == 302
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/units/me").status_code == 401
    assert _events("account.deactivate")[-1].reason == "调离"
    office.post("/admin/accounts/user/", {"action": "reactivate", ACTION_CHECKBOX_NAME: [x.pk]})
    assert User.objects.get(pk=x.pk).is_active and len(_events("account.reactivate")) == 1


def test_tokens_are_issued_shown_once_and_revoked(office):
    x = _officer("bj-gongshangju", ["data_officer"], "王五")
    page = office.post(
        "/admin/accounts/apitoken/add/", {"kind": "person", "user": x.pk, "days": 30, "name": ""}
    )
    secret = re.search(r'<code id="shown-once">([^<]+)</code>', page.content.decode()).group(1)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/units/me").json()["user"] == x.username
    missing = office.post(
        "/admin/accounts/apitoken/add/",
        {"kind": "integration", "unit": x.unit_id, "role": "data_officer", "days": 30, "name": " "},
    )
    assert "请填写对接系统名称" in missing.content.decode()
    office.post(
        "/admin/accounts/apitoken/add/",
        {
            "kind": "integration",
            "unit": x.unit_id,
            "role": "data_officer",
            "days": 30,
            "name": "区政务服务系统",
        },
    )
    assert [e.payload.get("unit") for e in _events("token.create")] == ["bj-gongshangju", "bj-gongshangju"]
    token = ApiToken.objects.get(user=x)
    office.post("/admin/accounts/apitoken/", {"action": "revoke", ACTION_CHECKBOX_NAME: [token.pk]})
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/units/me").status_code == 401
    assert [e.target_id for e in _events("token.revoke")] == [token.prefix]


def test_a_unit_edit_is_audited(office):
    unit = Unit.objects.get(code="bj-gongshangju")
    answer = office.post(
        f"/admin/accounts/unit/{unit.pk}/change/",
        {
            "name": unit.name,
            "full_name": "北京市市场监督管理局（测试）",
            "type": unit.type,
            "uscc": unit.uscc or "",
            "roles": json.dumps(unit.roles),
            "active": "on",
            "successor": "",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    event = _events("unit.change")[-1]
    assert event.target_id == str(unit.pk) and "full_name" in event.payload["fields"]
    assert Unit.objects.get(pk=unit.pk).full_name == "北京市市场监督管理局（测试）"
