"""The authorisation model (issue 12, accounts/policy.py, ADR 0017): every API operation has a rule, the
committed table docs/authz.md is the one the rules generate, and every operation called as every role — over
HTTP, against ids of objects the caller does not own — is refused by the gate exactly where the table says so.

Object rules (another unit's submission, check, case evidence, list entry …) are tested against real objects
in the apps' own test files (test_authz_*.py)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.support.factories import make_uscc
from xinyong.accounts import policy
from xinyong.accounts.access import subject_account_link
from xinyong.accounts.models import ApiToken, Unit, User
from xinyong.accounts.services import api_token_create, token_secret_hash, user_token_create
from xinyong.core import timeutil
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, PermissionDenied
from xinyong.ops.management.commands.authz_table import api_operations, authz_text
from xinyong.subjects.services import subject_register

OFFICE, OTHER = "bj-jingxinwei", "bj-caizhengju"


@pytest.fixture(autouse=True)
def units(request):
    """The credit office (registry role `reviewer`) and another unit, as the registry has them."""
    if "django_db" not in request.keywords:
        return
    Unit.objects.create(code=OFFICE, name="市经济信息化委", type="municipal_department",
                        roles=["provider", "consumer", "implementer", "reviewer"])  # fmt: skip
    Unit.objects.create(code=OTHER, name="市财政局", type="municipal_department",
                        roles=["provider", "consumer", "implementer"])  # fmt: skip


DOCS = Path(__file__).resolve().parent.parent / "docs" / "authz.md"
SYSTEM = Actor.system()


def test_every_operation_has_exactly_one_rule():
    ids = [op_id for op_id, *_ in api_operations()]
    assert len(ids) == len(set(ids))
    assert policy.missing_operations(ids) == []
    assert sorted(set(policy.OPERATIONS) - set(ids)) == []  # no rule for an operation that is gone


def test_docs_table_is_generated_from_the_rules():
    assert DOCS.read_text(encoding="utf-8") == authz_text(), "请运行 xinyong authz table -o docs/authz.md"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["reviewer", "admin", "auditor"])
def test_a_unit_other_than_the_credit_office_cannot_hold_its_roles(role):
    with pytest.raises(DomainError) as refused:
        api_token_create(actor=SYSTEM, unit=Unit.objects.get(code=OTHER), role=role, now=timeutil.now())
    assert refused.value.code == "token.role_not_for_unit"
    assert not ApiToken.objects.exists()
    api_token_create(actor=SYSTEM, unit=Unit.objects.get(code=OFFICE), role=role, now=timeutil.now())


@pytest.mark.django_db
def test_a_unit_token_cannot_be_a_subject():
    with pytest.raises(DomainError) as refused:
        api_token_create(actor=SYSTEM, unit=Unit.objects.get(code=OTHER), role="subject", now=timeutil.now())
    assert refused.value.code == "token.role_not_for_unit"


def _legacy(unit: Unit, role: str) -> str:
    """A token issued before the rule (straight into the table): it acts with no role."""
    secret = f"xy_legacy{role}_secret"
    at = timeutil.now()
    ApiToken.objects.create(
        unit=unit, role=role, prefix=f"lg{role[:6]}", secret_hash=token_secret_hash(secret),
        created_at=at, created_by="test", expires_at=at + dt.timedelta(days=1),
    )  # fmt: skip
    return secret


def _callers() -> dict[str, tuple[str | None, str]]:
    """name → (secret or None, the table column it must behave as)."""
    at, office, other = timeutil.now(), Unit.objects.get(code=OFFICE), Unit.objects.get(code=OTHER)
    callers: dict[str, tuple[str | None, str]] = {"anonymous": (None, "anonymous")}
    for role in ("public", "institution", "data_officer", "case_officer"):
        callers[role] = (api_token_create(actor=SYSTEM, unit=other, role=role, now=at).secret, role)
    for role in ("reviewer", "admin", "auditor"):
        callers[role] = (api_token_create(actor=SYSTEM, unit=office, role=role, now=at).secret, role)
        callers[f"legacy_{role}_of_{OTHER}"] = (_legacy(other, role), "anonymous")
    registrar = Actor(label="user:registrar", unit_code=OTHER, roles=frozenset({"data_officer"}))
    subject = subject_register(actor=registrar, now=at, kind="enterprise", name="北京某某科技有限公司",
                               uscc=make_uscc(4711))  # fmt: skip
    user = User.objects.create_user(username="own", password="x-strong-password-1")
    subject_account_link(actor=SYSTEM, user=user, subject_id=subject.pk, now=at)
    callers["subject"] = (user_token_create(actor=SYSTEM, user=user, now=at).secret, "subject")
    return callers


def _url(path: str) -> str:
    """A concrete URL for a path template: ids of objects that are not the caller's (none exist)."""
    return re.sub(r"\{(?:\w+:)?(\w+)\}", lambda m: "987654" if m.group(1).endswith("_id") else "x", path)


def _call(client: Client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    return client.generic(method, url, b"{}", content_type="application/json")


@pytest.mark.django_db
def test_every_operation_as_every_role_is_refused_exactly_where_the_table_says():
    """Every operation (95 today) × 12 callers: refused where the table has — (the gate's 403 `auth.operation_forbidden`,
    or 401 for a call without a token), never where it has ✓ (there the call goes on to the service: 2xx,
    400, 404, 409, 422 …, but neither that 403 nor a 500). Tokens of another unit holding the credit office's
    roles act as no role."""
    mismatches = []
    for name, (secret, column) in _callers().items():
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}") if secret else Client()
        for op_id, method, path, _ in api_operations():
            answer = _call(client, method.split(",")[0], _url(path))
            gated = answer.status_code == 403 and answer.json().get("code") == "auth.operation_forbidden"
            refused = gated or (secret is None and answer.status_code == 401)  # no token: 401 first
            allowed = column in policy.OPERATIONS.get(op_id, policy.Rule(frozenset(), "none")).roles
            if refused == allowed or answer.status_code >= 500 or (secret and answer.status_code == 401):
                mismatches.append(
                    f"{name} {op_id} {answer.status_code} {answer.content[:80].decode(errors='replace')}"
                )
    assert mismatches == []


def test_an_operation_without_a_rule_is_refused_to_everyone():
    for actor in (
        Actor.system(),
        Actor.anonymous(),
        Actor(label="token:x", unit_code=OFFICE, roles=frozenset({"reviewer"})),
    ):
        assert not policy.operation_allowed("no_such_operation", actor)
    with pytest.raises(PermissionDenied) as refused:
        policy.require_operation("no_such_operation", Actor.system())
    assert (refused.value.code, refused.value.message) == (
        "auth.operation_forbidden",
        "当前身份不能调用此接口（允许：无）",
    )


@pytest.mark.django_db
def test_token_command_names_the_integration_and_refuses_a_role_the_unit_cannot_hold(capsys):
    from django.core.management import CommandError, call_command

    call_command("token", "create", "--unit", OFFICE, "--role", "reviewer", "--name", "信用办审核系统")
    token = ApiToken.objects.get()
    assert (token.unit.code, token.role, token.name, token.officer) == (
        OFFICE,
        "reviewer",
        "信用办审核系统",
        "",
    )
    with pytest.raises(CommandError) as refused:
        call_command("token", "create", "--unit", OTHER, "--role", "admin", "--name", "财政系统")
    assert str(refused.value) == "市财政局不能持有角色 admin：该角色只属于信用办（市经济信息化委）"
    assert ApiToken.objects.count() == 1
