"""`xinyong audit secure` (issue 12, ADR 0019): after it, the application's own PostgreSQL role — a real
second login role — can append and read audit events and nothing else: no UPDATE, DELETE, TRUNCATE, no
disabling or dropping the guard, no taking the table back. SQLite has no roles: the command says so."""

import datetime as dt
import io
import os
from contextlib import contextmanager

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from xinyong.audit.models import AuditEvent
from xinyong.audit.selectors import audit_chain_verify
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor

pytestmark = pytest.mark.django_db(transaction=True)  # roles and grants must be visible to other sessions
T0 = dt.datetime(2026, 11, 2, 1, 0, tzinfo=dt.UTC)
APP, OWNER = f"xy_app_{os.getpid()}", f"xy_audit_owner_{os.getpid()}"
postgres_only = pytest.mark.skipif(
    "os.environ.get('XINYONG_DATABASE_URL', '').startswith('postgres') is False",
    reason="SQLite has no roles: the single-file database is protected by the signed checkpoints",
)


def _append(label: str) -> None:
    with transaction.atomic():
        audit_append(actor=Actor(label=label), action="test.write", target_type="thing", now=T0)


def _secure(app_role: str = APP) -> str:
    out = io.StringIO()
    call_command("audit_secure", "--owner-role", OWNER, "--app-role", app_role, stdout=out)
    return out.getvalue()


@pytest.fixture
def app_role():
    """A login role for the application, dropped (with the owner role) afterwards: roles are cluster-wide."""
    with connection.cursor() as cur:
        cur.execute(f"CREATE ROLE {APP} LOGIN")
    yield APP
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [OWNER])
        if cur.fetchone():
            cur.execute(f"REASSIGN OWNED BY {OWNER} TO current_user")
            cur.execute(f"DROP OWNED BY {OWNER}")
            cur.execute(f"DROP ROLE {OWNER}")
        cur.execute(f"DROP OWNED BY {APP}")
        cur.execute(f"DROP ROLE {APP}")


@contextmanager
def logged_in_as(role: str):
    """Django's own connection, logged in as `role` (a new session), and back to the test's user after."""
    user = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = role
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"] = user


def _psycopg(role: str) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"] or "localhost", port=db["PORT"] or 5432, dbname=db["NAME"], user=role, autocommit=True
    )


ATTACKS = [
    "UPDATE audit_event SET reason = '改写'",
    "DELETE FROM audit_event",
    "TRUNCATE audit_event",
    "ALTER TABLE audit_event DISABLE TRIGGER USER",
    "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change",
    "DROP TRIGGER audit_event_no_change ON audit_event",
    "SET session_replication_role = replica",  # would skip every trigger of the session
    f"ALTER TABLE audit_event OWNER TO {APP}",
    "DROP TABLE audit_event",
    "CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$ BEGIN RETURN NEW; END; $$"
    " LANGUAGE plpgsql",
    "UPDATE audit_head SET seq = 0",  # allowed: the tip moves with every append (the checkpoints guard it)
]


@postgres_only
def test_application_role_can_only_append_and_read(app_role):
    _append("user:before")
    out = _secure()
    assert f"审计表属主为 {OWNER}；应用角色 {APP} 只能追加和读取审计事件" in out
    assert f'CREATE ROLE "{OWNER}" NOLOGIN' in out
    with _psycopg(APP) as conn:
        refused = {}
        for sql in ATTACKS:
            try:
                conn.execute(sql)
                refused[sql.split(" SET")[0]] = None
            except psycopg.Error as exc:
                refused[sql.split(" SET")[0]] = exc.sqlstate
        assert conn.execute("SELECT count(*) FROM audit_event").fetchone() == (1,)
    allowed = {sql for sql, state in refused.items() if state is None}
    assert allowed == {"UPDATE audit_head"}, refused
    assert set(refused.values()) == {"42501", None}  # insufficient_privilege, every one
    with connection.cursor() as cur:  # the tip back where it was (the allowed UPDATE above)
        cur.execute("UPDATE audit_head SET seq = 1")
    with logged_in_as(APP):
        with connection.cursor() as cur:
            cur.execute("SELECT current_user")
            assert cur.fetchone() == (APP,)
        _append("user:after")  # audit_append as the application: lock the tip, insert, move the tip
    assert list(AuditEvent.objects.values_list("actor", flat=True)) == ["user:before", "user:after"]
    assert audit_chain_verify().ok
    assert "CREATE ROLE" not in _secure()  # a second run changes nothing and succeeds


@postgres_only
def test_a_superuser_application_role_is_refused():
    with pytest.raises(CommandError, match="是超级用户：权限对其无效"):
        _secure(connection.settings_dict["USER"])


def test_sqlite_has_no_roles_and_says_what_protects_it():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite answer")
    with pytest.raises(
        CommandError, match="^SQLite 单文件数据库没有角色可分：其审计记录靠库外的锚定检查点保护"
    ):
        _secure()
