"""Officers as people (issue 14): creation with a one-time set-password link, roles checked against the
unit, person tokens acting with the person's current roles, immediate revocation on deactivation, the audit
events of each account action, and the `account` / `token` commands."""

import datetime as dt
import io

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from tests.support.factories import PersonFactory, SubjectFactory, make_ric, make_uscc
from xinyong.accounts.models import ApiToken, SubjectAccount, Unit, User
from xinyong.accounts.people import (
    officer_create,
    officer_roles_set,
    person_deactivate,
    person_reactivate,
    set_password_link,
    subject_account_create,
)
from xinyong.accounts.reference import units_load
from xinyong.accounts.services import person_token_create
from xinyong.audit.models import AuditEvent
from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
ADMIN = Actor(label="user:1", roles=frozenset({"admin"}))


@pytest.fixture
def units():
    units_load(actor=ADMIN, now=NOW)


def _unit(code="bj-gongshangju") -> Unit:
    return Unit.objects.get(code=code)


def _actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="account.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_an_officer_gets_a_one_time_set_password_link(units, settings):
    settings.XINYONG_PUBLIC_URL = "https://xy.example.gov.cn/"
    user, link = officer_create(
        actor=ADMIN, unit=_unit(), roles=["data_officer", "case_officer"], full_name=" 王五 ", now=NOW
    )
    assert (user.username, user.full_name, user.roles, user.unit.code) == (
        "bj-gongshangju-001",
        "王五",
        ["data_officer", "case_officer"],
        "bj-gongshangju",
    )
    assert not user.has_usable_password() and user.is_active and user.is_staff
    uid, token = link.removeprefix("https://xy.example.gov.cn/accounts/set-password/").rstrip("/").split("/")
    assert link == set_password_link(user).replace(token, token)  # same shape every time
    assert default_token_generator.check_token(user, token)
    user.set_password("a-long-new-passphrase-9")
    user.save()
    assert not default_token_generator.check_token(user, token)  # one time: gone once the password is set
    second, _ = officer_create(actor=ADMIN, unit=_unit(), roles=["case_officer"], full_name="赵六", now=NOW)
    assert second.username == "bj-gongshangju-002"
    event = AuditEvent.objects.get(action="account.create", target_id=str(user.pk))
    assert event.payload == {
        "kind": "officer",
        "username": "bj-gongshangju-001",
        "unit": "bj-gongshangju",
        "roles": ["data_officer", "case_officer"],
    }


@pytest.mark.parametrize(
    ("roles", "name", "username", "code"),
    [
        ([], "王五", None, "account.roles_required"),
        (["subject"], "王五", None, "account.role_invalid"),
        (["reviewer"], "王五", None, "account.role_not_for_unit"),
        (["data_officer"], "  ", None, "account.name_required"),
        (["data_officer"], "王五", "bad name!", "account.username_invalid"),
    ],
)
def test_bad_officer_input_is_refused_without_a_write(units, roles, name, username, code):
    with pytest.raises(DomainError) as refused:
        officer_create(actor=ADMIN, unit=_unit(), roles=roles, full_name=name, username=username, now=NOW)
    assert (refused.value.code, refused.value.status) == (code, 400)
    assert (User.objects.count(), _actions()) == (0, [])


def test_only_an_administrator_creates_officers(units):
    clerk = Actor(label="user:9", unit_code="bj-gongshangju", roles=frozenset({"data_officer"}))
    with pytest.raises(DomainError) as refused:
        officer_create(actor=clerk, unit=_unit(), roles=["data_officer"], full_name="王五", now=NOW)
    assert (refused.value.code, refused.value.status) == ("auth.role_required", 403)


def test_a_person_token_acts_with_the_persons_current_roles(units, clock):
    user, _ = officer_create(actor=ADMIN, unit=_unit(), roles=["data_officer"], full_name="王五", now=NOW)
    client = Client(
        HTTP_AUTHORIZATION=f"Bearer {person_token_create(actor=ADMIN, user=user, now=timeutil.now()).secret}"
    )
    me = client.get("/api/v1/units/me").json()
    assert (me["unit_code"], me["role"], me["roles"], me["user"]) == (
        "bj-gongshangju",
        "data_officer",
        ["data_officer"],
        "bj-gongshangju-001",
    )
    officer_roles_set(actor=ADMIN, user=user, roles=["case_officer", "data_officer"], now=NOW)
    me = client.get("/api/v1/units/me").json()  # the next request acts with the new roles
    assert (me["role"], me["roles"]) == ("data_officer", ["case_officer", "data_officer"])
    from xinyong.accounts.services import api_token_authenticate

    assert AuditEvent.objects.get(action="account.roles_change").payload == {
        "username": user.username,
        "from": ["data_officer"],
        "to": ["case_officer", "data_officer"],
    }
    with pytest.raises(DomainError) as refused:
        officer_roles_set(actor=ADMIN, user=user, roles=["admin"], now=NOW)
    assert refused.value.code == "account.role_not_for_unit"
    assert api_token_authenticate(secret="xy_nothing_here", now=timeutil.now()) is None


def test_deactivating_a_person_refuses_its_tokens_and_ends_its_sessions_at_once(units, clock):
    user, _ = officer_create(actor=ADMIN, unit=_unit(), roles=["data_officer"], full_name="王五", now=NOW)
    user.set_password("a-long-new-passphrase-9")
    user.save()
    secrets = [person_token_create(actor=ADMIN, user=user, now=timeutil.now()).secret for _ in range(2)]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secrets[0]}")
    assert api.get("/api/v1/units/me").status_code == 200
    browser = Client()
    browser.force_login(user)
    from django.contrib.sessions.models import Session

    assert Session.objects.count() == 1
    assert person_deactivate(actor=ADMIN, user=user, now=timeutil.now(), reason="调离本单位") == 2
    assert api.get("/api/v1/units/me").status_code == 401  # the very next request
    assert Session.objects.count() == 0
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 0
    user.refresh_from_db()
    assert (user.is_active, user.deactivated_at) == (False, timeutil.now())
    event = AuditEvent.objects.get(action="account.deactivate")
    assert (event.reason, event.payload["tokens_revoked"], event.payload["sessions_ended"]) == (
        "调离本单位",
        sorted(ApiToken.objects.filter(user=user).values_list("prefix", flat=True)),
        1,
    )
    with pytest.raises(DomainError) as again:
        person_deactivate(actor=ADMIN, user=user, now=timeutil.now(), reason="x")
    assert (again.value.code, again.value.status) == ("account.already_inactive", 409)
    person_reactivate(actor=ADMIN, user=user, now=timeutil.now(), reason="返岗")
    assert api.get("/api/v1/units/me").status_code == 401  # its tokens stay revoked
    assert _actions() == ["account.create", "account.deactivate", "account.reactivate"]


def test_a_token_of_a_deactivated_person_is_refused_even_if_not_revoked(units, clock):
    user, _ = officer_create(actor=ADMIN, unit=_unit(), roles=["data_officer"], full_name="王五", now=NOW)
    secret = person_token_create(actor=ADMIN, user=user, now=timeutil.now()).secret
    User.objects.filter(pk=user.pk).update(is_active=False)  # as if deactivated by another path
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/units/me").status_code == 401
    user.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        person_token_create(actor=ADMIN, user=user, now=timeutil.now())
    assert (refused.value.code, refused.value.status) == ("token.person_inactive", 409)


def test_subject_accounts_from_the_command_line(units):
    firm = SubjectFactory(uscc=make_uscc(7), name="北京甲科技有限公司")
    person = PersonFactory(resident_id=make_ric(3), name="张三")
    user, link = subject_account_create(actor=ADMIN, subject_code=make_uscc(7), now=NOW)
    account = SubjectAccount.objects.get(user=user)
    assert (account.subject_id, account.method, user.roles, user.full_name) == (
        firm.pk,
        "command",
        ["subject"],
        "北京甲科技有限公司",
    )
    assert "/accounts/set-password/" in link and not user.has_usable_password()
    mine, _ = subject_account_create(actor=ADMIN, subject_code=make_ric(3), now=NOW)
    assert SubjectAccount.objects.get(user=mine).subject_id == person.pk
    with pytest.raises(DomainError) as twice:
        subject_account_create(actor=ADMIN, subject_code=make_uscc(7), now=NOW)
    assert (twice.value.code, twice.value.status) == ("account.subject_has_account", 409)
    with pytest.raises(DomainError) as unknown:
        subject_account_create(actor=ADMIN, subject_code=make_uscc(8), now=NOW)
    assert (unknown.value.code, unknown.value.status) == ("subject.not_found", 404)
    assert [e.payload["kind"] for e in AuditEvent.objects.filter(action="account.create")] == [
        "subject",
        "subject",
    ]


def _call(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_account_and_token_commands(units, clock):
    out, err = _call(
        "account",
        "create",
        "--unit",
        "市工商局",
        "--role",
        "data_officer",
        "--role",
        "case_officer",
        "--name",
        "王五",
    )
    assert out.strip().startswith("http://127.0.0.1:8000/accounts/set-password/")
    assert "已新建工作人员 bj-gongshangju-001（王五，市工商局，数据报送员、业务经办员）" in err
    out, err = _call("token", "create", "--user", "bj-gongshangju-001", "--name", "笔记本")
    secret = out.strip()
    assert secret.startswith("xy_") and "不会再次显示" in err
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/units/me").status_code == 200
    with pytest.raises(CommandError, match="有效天数须在"):
        _call("token", "create", "--user", "bj-gongshangju-001", "--days", "0")
    out, _ = _call("account", "list", "--unit", "市工商局")
    assert out == "bj-gongshangju-001\t王五\tbj-gongshangju\tdata_officer,case_officer\t启用\n"
    out, _ = _call("account", "deactivate", "bj-gongshangju-001", "--reason", "离职")
    assert out == "已停用 bj-gongshangju-001，吊销令牌 1 个，其会话已结束\n"
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/units/me").status_code == 401
    with pytest.raises(CommandError, match="系统对接令牌须写明对接系统的名称"):
        _call("token", "create", "--unit", "市工商局", "--role", "data_officer")
    out, _ = _call(
        "token", "create", "--unit", "市工商局", "--role", "data_officer", "--name", "区政务服务系统"
    )
    assert ApiToken.objects.get(prefix=out.strip().split("_")[1]).name == "区政务服务系统"
    SubjectFactory(uscc=make_uscc(7))
    with pytest.raises(CommandError, match="没有账户"):
        _call("token", "create", "--subject", make_uscc(7))
    out, err = _call("account", "create", "--subject", make_uscc(7))
    assert "/accounts/set-password/" in out and "已新建主体账户" in err
    out, _ = _call("token", "create", "--subject", make_uscc(7))
    assert Client(HTTP_AUTHORIZATION=f"Bearer {out.strip()}").get("/api/v1/me/consents").status_code == 200
    with pytest.raises(CommandError, match="用户不存在"):
        _call("account", "deactivate", "nobody", "--reason", "x")
    with pytest.raises(CommandError, match="--unit、--role 和 --name"):
        _call("account", "create", "--unit", "市工商局", "--role", "data_officer")
