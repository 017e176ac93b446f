"""One way to build the Actor for the API, the back office and the portal (issue 17; accounts/actors.py)."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from xinyong.accounts.actors import request_actor, token_actor, user_actor
from xinyong.accounts.models import Unit, User
from xinyong.accounts.reference import units_load
from xinyong.accounts.roles import Role
from xinyong.accounts.services import api_token_create
from xinyong.core.actor import Actor

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
ADMIN = Actor(label="user:1", roles=frozenset({Role.ADMIN}))
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def units():
    units_load(actor=ADMIN, now=NOW)


def _request(path: str, *, user=None, auth=None, request_id: str = "r-1"):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    request.request_id = request_id
    if auth is not None:
        request.auth = auth
    return request


def _token(unit_code: str, role: str, officer: str = ""):
    unit = Unit.objects.get(code=unit_code)
    issued = api_token_create(actor=ADMIN, unit=unit, role=role, now=NOW, officer=officer)
    return issued.token


def test_a_token_acts_with_its_unit_role_and_officer(units):
    token = _token("bj-gongshangju", Role.DATA_OFFICER, officer="张三")
    actor = request_actor(_request("/api/v1/units/me", auth=token))
    assert actor == Actor(
        label=f"token:{token.prefix}",
        unit_code="bj-gongshangju",
        roles=frozenset({Role.DATA_OFFICER}),
        token_id=token.pk,
        request_id="r-1",
        officer="张三",
    )
    assert token_actor(token, "r-1") == actor


def test_the_api_never_acts_for_a_session(units):
    """A signed-in back-office user calling /api/ without a token is the anonymous public."""
    boss = User.objects.create_superuser(username="boss", password="x", email="")
    for auth in (None, "anonymous"):
        actor = request_actor(_request("/api/v1/objections", user=boss, auth=auth))
        assert actor == Actor.anonymous("r-1")


def test_a_back_office_user_acts_with_the_account(units):
    office = Unit.objects.get(code="bj-jingxinwei")
    user = User.objects.create_user(username="clerk", password="x")
    user.unit, user.roles = office, [Role.REVIEWER]
    actor = request_actor(_request("/admin/records/submission/", user=user))
    assert (actor.label, actor.unit_code, actor.roles) == (f"user:{user.pk}", office.code, {Role.REVIEWER})
    user.is_superuser = True
    assert user_actor(user).roles == {Role.REVIEWER, Role.ADMIN}


def test_a_portal_visitor_is_the_public():
    assert request_actor(_request("/progress/")) == Actor.anonymous("r-1")


def test_no_interface_builds_its_own_request_actor():
    """Admin modules, API modules and portal views ask accounts/actors.py; only `core` (below `accounts` in
    the import layers) keeps the calendar admin's own."""
    builders = []
    for path in sorted((ROOT / "xinyong").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if "/tests/" in rel or rel in ("xinyong/accounts/actors.py", "xinyong/core/admin.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.args.args and node.args.args[0].arg == "request":
                if node.returns is not None and ast.unparse(node.returns) == "Actor":
                    builders.append(f"{rel}:{node.name}")
    assert builders == []
