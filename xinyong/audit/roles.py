"""The audit trail owned by a role of its own, so that the application's role can only append (issue 12,
ADR 0019; PostgreSQL only).

A table's owner can always disable its triggers, drop them or rewrite its rows: as long as the application's
role owns `audit_event`, the append-only guard (ADR 0003) binds only honest code. `audit_roles_secure` gives
the audit tables and the guard function to an owner role that does not log in, and leaves the application's
role SELECT and INSERT on the events (plus what `audit_append` needs on the one-row tip), nothing else.
SQLite has no roles: a single-file database is protected by the signed checkpoints (audit.anchor).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection, transaction

from xinyong.core.errors import DomainError

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
EVENT_TABLE, HEAD_TABLE, GUARD_FUNCTION = "audit_event", "audit_head", "audit_event_refuse_change()"
# What the application's role keeps: append events; read, lock (FOR UPDATE needs UPDATE) and move the tip.
APP_GRANTS = {EVENT_TABLE: "SELECT, INSERT", HEAD_TABLE: "SELECT, INSERT, UPDATE"}
REFUSED = ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")


@dataclass(frozen=True)
class SecureResult:
    statements: list[str]
    privileges: dict[str, bool]  # "audit_event UPDATE" → the app role holds it (all False when secured)
    warnings: list[str]


def audit_roles_secure(*, owner_role: str, app_role: str) -> SecureResult:
    """Create `owner_role` (NOLOGIN) if needed, give it the audit tables, their sequences and the guard
    function, and grant `app_role` only what appending needs. Run as a superuser (it changes owners)."""
    _check_preconditions(owner_role, app_role)
    statements = _statements(owner_role, app_role)
    with transaction.atomic(), connection.cursor() as cur:
        for sql in statements:
            cur.execute(sql)
    return SecureResult(statements, _privileges(app_role), _warnings(app_role))


def _refuse(code: str, message: str) -> None:
    raise DomainError(f"audit.{code}", message)


def _check_preconditions(owner_role: str, app_role: str) -> None:
    if connection.vendor != "postgresql":
        _refuse(
            "roles_unsupported",
            "SQLite 单文件数据库没有角色可分：其审计记录靠库外的锚定检查点保护（xinyong audit anchor）",
        )
    for name in (owner_role, app_role):
        if not ROLE_NAME.match(name):
            _refuse("role_name", f"角色名 {name!r} 不合规（小写字母、数字、下划线，至多 63 个字符）")
    if owner_role == app_role:
        _refuse("same_role", "审计属主角色不能是应用角色本身")
    app = _one("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [app_role])
    if app is None:
        _refuse("app_role_missing", f"应用角色 {app_role} 不存在")
    if app[0]:
        _refuse("app_role_superuser", f"应用角色 {app_role} 是超级用户：权限对其无效，请让应用以普通角色连接")
    if not _one("SELECT rolsuper FROM pg_roles WHERE rolname = current_user", [])[0]:
        _refuse("not_superuser", "须以超级用户连接运行（变更表的属主）")
    if _one("SELECT pg_has_role(%s, %s, 'MEMBER')", [app_role, owner_role]) == (True,):
        _refuse("app_in_owner", f"应用角色 {app_role} 是 {owner_role} 的成员，会继承属主权限")


def _one(sql: str, params: list) -> tuple | None:
    with connection.cursor() as cur:
        try:
            cur.execute(sql, params)
        except Exception:  # noqa: BLE001 - pg_has_role on a role that does not exist yet
            return None
        return cur.fetchone()


def _statements(owner_role: str, app_role: str) -> list[str]:
    q = connection.ops.quote_name
    owner, app = q(owner_role), q(app_role)
    exists = _one("SELECT 1 FROM pg_roles WHERE rolname = %s", [owner_role])
    statements = [] if exists else [f"CREATE ROLE {owner} NOLOGIN"]
    for table in (EVENT_TABLE, HEAD_TABLE):
        statements += [
            f"ALTER TABLE {table} OWNER TO {owner}",  # sequences owned by its columns follow
            f"REVOKE ALL ON {table} FROM PUBLIC, {app}",
            f"GRANT {APP_GRANTS[table]} ON {table} TO {app}",
        ]
        sequence = _one("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        if sequence and sequence[0]:
            statements.append(f"GRANT USAGE ON SEQUENCE {sequence[0]} TO {app}")
    statements += [
        f"ALTER FUNCTION {GUARD_FUNCTION} OWNER TO {owner}",
        f"REVOKE ALL ON FUNCTION {GUARD_FUNCTION} FROM PUBLIC",
    ]
    return statements


def _privileges(app_role: str) -> dict[str, bool]:
    held = {}
    for privilege in REFUSED:
        held[f"{EVENT_TABLE} {privilege}"] = bool(
            _one("SELECT has_table_privilege(%s, %s, %s)", [app_role, EVENT_TABLE, privilege])[0]
        )
    held["audit_event 属主"] = _one(
        "SELECT pg_has_role(%s, tableowner, 'USAGE') FROM pg_tables WHERE tablename = %s",
        [app_role, EVENT_TABLE],
    )[0]
    return held


def _warnings(app_role: str) -> list[str]:
    """Who owns the schema may DROP the table whatever its owner: say so (the checkpoints still catch it)."""
    owner = _one(
        "SELECT pg_has_role(%s, nspowner, 'USAGE') FROM pg_namespace WHERE nspname = current_schema()",
        [app_role],
    )
    if owner and owner[0]:
        return [
            f"应用角色 {app_role} 拥有当前模式（或是数据库属主）：仍可删除整张审计表。"
            "建议把模式交给其他角色（ALTER SCHEMA … OWNER TO …，再授予应用 USAGE, CREATE）；"
            "删除或重建审计表会被锚定检查点发现"
        ]
    return []
