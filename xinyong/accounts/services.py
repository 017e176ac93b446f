"""Writes for units, users and API credentials (accounts)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Field

from xinyong.accounts.models import ApiToken, Unit, User
from xinyong.accounts.policy import refuse_unheld_role
from xinyong.accounts.roles import ALL_ROLES, Role
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError

TOKEN_PREFIX = "xy_"
DEFAULT_TOKEN_DAYS = 365
MAX_TOKEN_DAYS = 3 * 365


@dataclass(frozen=True)
class IssuedToken:
    """The only moment the secret exists outside the caller's hands: print it once, never store it."""

    token: ApiToken
    secret: str


def token_secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(
    *,
    actor: Actor,
    unit: Unit,
    role: str,
    now: dt.datetime,
    days: int = DEFAULT_TOKEN_DAYS,
    name: str = "",
    officer: str = "",
) -> IssuedToken:
    """Issue a unit's API credential: stored hashed, shown once, with an expiry (issue 2, accounts).
    A role the unit cannot hold is refused (issue 12, accounts/policy.py); `officer` names the person who
    uses it (four eyes compares officers: unnamed tokens of one unit count as one person)."""
    if role not in ALL_ROLES:
        raise DomainError("token.role_invalid", f"未知角色：{role}（可选：{', '.join(sorted(ALL_ROLES))}）")
    refuse_unheld_role(unit, role)
    officer = officer.strip()
    if len(officer) > 50:
        raise DomainError("token.officer_invalid", "经办人姓名不能超过 50 个字符")
    audit = {"unit": unit.code, "role": role, **({"officer": officer} if officer else {})}
    return _token_issue(
        actor=actor,
        now=now,
        days=days,
        owner={"unit": unit, "name": name, "officer": officer},
        role=role,
        audit=audit,
    )


def user_token_create(*, actor: Actor, user: User, now: dt.datetime, days: int = 90) -> IssuedToken:
    """A subject's own API credential (role `subject`), tied to its user account rather than to a unit; not
    for a deactivated account (409 `token.person_inactive`)."""
    if not user.is_active:
        raise DomainError("token.person_inactive", f"用户 {user.username} 已停用，不能签发令牌", status=409)
    return _token_issue(
        actor=actor,
        now=now,
        days=days,
        owner={"user": user},
        role=Role.SUBJECT,
        audit={"user": user.pk, "role": "subject"},
    )


def integration_token_create(
    *, actor: Actor, unit: Unit, role: str, name: str, now: dt.datetime, days: int = DEFAULT_TOKEN_DAYS
) -> IssuedToken:
    """A token of a named system integration of a unit (系统对接, e.g. 区政务服务系统), issue 14: officers use
    their own person tokens; a unit's token is a system's, and names it (400 `token.name_required`). Four
    eyes counts one integration (unit and name) as one person (accounts/policy.py `same_person`)."""
    name = name.strip()
    if not name:
        raise DomainError(
            "token.name_required",
            "系统对接令牌须写明对接系统的名称（如“区政务服务系统”）；工作人员请使用本人令牌（--user）",
            errors=[{"field": "name", "code": "token.name_required", "message": "请填写对接系统名称"}],
        )
    if len(name) > 100:
        raise DomainError("token.name_invalid", "对接系统名称不能超过 100 个字符")
    return api_token_create(actor=actor, unit=unit, role=role, now=now, days=days, name=name)


def person_token_create(
    *, actor: Actor, user: User, now: dt.datetime, days: int = DEFAULT_TOKEN_DAYS, name: str = ""
) -> IssuedToken:
    """A person's own API token (issue 14): it acts with the person's unit and roles as they are when it is
    used (accounts/actors.py `token_actor`), is refused once the person is deactivated, and counts as that
    person for four eyes. Only an active officer (a unit and at least one role) may hold one; a subject's
    account uses `user_token_create`."""
    if not user.is_active:
        raise DomainError("token.person_inactive", f"用户 {user.username} 已停用，不能签发令牌", status=409)
    officer_roles = [r for r in user.roles if r != Role.SUBJECT]
    unit = user.unit if user.unit_id else None
    if unit is None or not officer_roles:
        raise DomainError(
            "token.not_an_officer",
            f"用户 {user.username} 不是工作人员（须有所属单位和角色），不能签发本人令牌",
        )
    if len(name.strip()) > 100:
        raise DomainError("token.name_invalid", "令牌用途不能超过 100 个字符")
    return _token_issue(
        actor=actor,
        now=now,
        days=days,
        owner={"user": user, "name": name.strip()},
        role=officer_roles[0],  # informational: the token acts with the person's roles at use time
        audit={"user": user.pk, "username": user.username, "unit": unit.code, "kind": "person"},
    )


def _token_issue(
    *, actor: Actor, now: dt.datetime, days: int, owner: dict, role: str, audit: dict
) -> IssuedToken:
    """Mint the secret, keep only its hash, audit the issue; the caller shows the secret once."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise DomainError("token.expiry_invalid", f"有效天数须在 1–{MAX_TOKEN_DAYS} 之间")
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            **owner,
            role=role,
            prefix=prefix,
            secret_hash=token_secret_hash(secret),
            created_at=now,
            created_by=actor.label,
            expires_at=now + dt.timedelta(days=days),
        )
        audit_append(
            actor=actor,
            action="token.create",
            target_type="api_token",
            target_id=prefix,
            now=now,
            payload={**audit, "expires_at": token.expires_at.isoformat()},
        )
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, actor: Actor, prefix: str, now: dt.datetime, reason: str = "") -> ApiToken:
    """Revoke a credential; the next request that presents it is refused."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(prefix=prefix).first()
        if token is None:
            raise DomainError("token.not_found", f"令牌 {prefix} 不存在", status=404)
        if token.revoked_at is not None:
            raise DomainError(
                "token.already_revoked", f"令牌 {prefix} 已于 {token.revoked_at:%Y-%m-%d %H:%M} 吊销"
            )
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_append(
            actor=actor,
            action="token.revoke",
            target_type="api_token",
            target_id=prefix,
            now=now,
            reason=reason,
        )
    return token


def api_token_authenticate(*, secret: str, now: dt.datetime) -> ApiToken | None:
    """The live token for this secret, or None (unknown, revoked or expired; its unit deactivated; its person
    deactivated, issue 14: revoking a person revokes their tokens at once). Checked on every request, against
    the database (no cache: a revocation or a deactivation is refused on the very next request).

    One raw indexed query (token joined to its person and to its unit — the token's own, else the person's)
    read into model instances with the fields' own converters: the ORM queryset cost about 0.3 ms per
    request to build and compile (docs/performance.md, issue 5). `token.unit`, `token.user` and the
    person's `user.unit` are loaded with it.
    """
    token = _live_token(token_secret_hash(secret), now)
    if token is None:
        return None
    person = token.user if token.user_id else None
    unit = token.unit if token.unit_id else (person.unit if person is not None and person.unit_id else None)
    if unit is not None and not unit.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # throttled bookkeeping, not audited
    return token


def _live_token(secret_hash: str, now: dt.datetime) -> ApiToken | None:
    token_fields, user_fields, unit_fields = _reader(ApiToken), _reader(User), _reader(Unit)
    columns = ", ".join(
        [
            *(f't."{f.column}"' for f in token_fields),
            *(f'p."{f.column}"' for f in user_fields),
            *(f'u."{f.column}"' for f in unit_fields),
        ]
    )
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {columns} FROM accounts_apitoken t LEFT JOIN accounts_user p ON p.id = t.user_id "
            "LEFT JOIN accounts_unit u ON u.id = COALESCE(t.unit_id, p.unit_id) "
            "WHERE t.secret_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s "
            "AND (t.user_id IS NULL OR p.is_active)",
            [secret_hash, connection.ops.adapt_datetimefield_value(now)],
        )
        row = cur.fetchone()
    if row is None:
        return None
    first, second = len(token_fields), len(token_fields) + len(user_fields)
    token = ApiToken.from_db(connection.alias, _names(token_fields), _converted(token_fields, row[:first]))
    unit = None
    if row[second] is not None:
        unit = Unit.from_db(connection.alias, _names(unit_fields), _converted(unit_fields, row[second:]))
    if token.unit_id is not None:
        token.unit = unit
    if token.user_id is not None:
        user = User.from_db(connection.alias, _names(user_fields), _converted(user_fields, row[first:second]))
        if unit is not None and user.unit_id == unit.pk:
            user.unit = unit
        token.user = user
    return token


_READERS: dict[tuple[str, type], list] = {}


def _reader(model) -> list:
    """The model's concrete fields, each with the converters the ORM would apply to its column."""
    key = (connection.vendor, model)
    columns = _READERS.get(key)
    if columns is None:
        columns = []
        for field in model._meta.concrete_fields:
            col = field.get_col(model._meta.db_table)
            converters = [*connection.ops.get_db_converters(col), *field.get_db_converters(connection)]
            columns.append(_Column(field, col, converters))
        _READERS[key] = columns
    return columns


@dataclass(frozen=True)
class _Column:
    field: Field
    expression: object
    converters: list

    @property
    def column(self) -> str:
        return self.field.column


def _names(columns: list[_Column]) -> list[str]:
    return [c.field.attname for c in columns]


def _converted(columns: list[_Column], values) -> list:
    out = []
    for c, value in zip(columns, values, strict=True):
        for convert in c.converters:
            value = convert(value, c.expression, connection)
        out.append(value)
    return out


def admin_user_create(*, actor: Actor, username: str, password: str, unit: Unit, now: dt.datetime) -> User:
    """Create a credit-office administrator account (the first account of a new platform)."""
    if User.objects.filter(username=username).exists():
        raise DomainError("user.exists", f"用户 {username} 已存在", status=409)
    with transaction.atomic():
        user = User.objects.create_superuser(username=username, password=password, email="")
        user.unit, user.roles = unit, [Role.ADMIN, Role.REVIEWER]
        user.save(update_fields=["unit", "roles"])
        audit_append(
            actor=actor,
            action="user.create_admin",
            target_type="user",
            target_id=user.pk,
            now=now,
            payload={"username": username, "unit": unit.code},
        )
    return user
