"""Recovery codes (issue 14) are shown once and kept only as keyed hashes (accounts/mfa.py): the table holds
digests, never a code; each code signs in once, also when two sign-ins race with it; codes of before the
change are hashed by migration accounts 0007 and keep working once; a rotated SECRET_KEY left in
SECRET_KEY_FALLBACKS still opens the codes made under it."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from tests.support.otp import verified_login
from tests.support.threads import run_together
from xinyong.accounts import mfa
from xinyong.accounts.tests.signin_support import actions, officer, password_step
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor

pytestmark = pytest.mark.django_db
MIGRATION = "xinyong.accounts.migrations.0007_recovery_codes_hashed"


def _codes_made(client: Client) -> list[str]:
    page = client.post("/accounts/mfa/", {"action": "recovery"}).content.decode()
    return re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)


def _stored(user) -> list[str]:
    return sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def _sign_in(code: str):
    client = Client()
    password_step(client, "zhang.wei")
    return client.post("/accounts/login/otp/", {"code": code})


def _left_on_page(client: Client) -> str:
    page = client.get("/accounts/mfa/").content.decode()
    return re.search(r'<strong id="recovery-left">(\d+)</strong>', page).group(1)


def _tables_holding(texts: list[str]) -> list[str]:
    """Every table of the database with a column whose value, as text, contains one of `texts` (any case)."""
    found, quote = [], connection.ops.quote_name
    patterns = [f"%{text.lower()}%" for text in texts]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = connection.introspection.get_table_description(cursor, table)
            where = " OR ".join(
                f"lower(CAST({quote(c.name)} AS TEXT)) LIKE %s" for c in columns for _ in texts
            )
            cursor.execute(f"SELECT 1 FROM {quote(table)} WHERE {where} LIMIT 1", patterns * len(columns))
            if cursor.fetchone():
                found.append(table)
    return found


def test_codes_are_shown_once_and_only_their_keyed_hashes_are_stored(clock):
    user = officer()
    client = verified_login(Client(), user)
    codes = _codes_made(client)
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    stored = _stored(user)
    assert stored == sorted(mfa.recovery_code_digest(code) for code in codes)
    assert all(re.fullmatch(r"[A-Z2-7]{16}", token) for token in stored) and not set(stored) & set(codes)
    assert actions("account.recovery_codes") == [("account.recovery_codes", str(user.pk), {"count": 10})]
    assert _left_on_page(client) == "10"
    assert "<code>" not in client.get("/accounts/mfa/").content.decode()  # shown once, on the making page


def test_the_database_never_holds_a_plain_code(clock):
    user = officer()
    client = verified_login(Client(), user)
    codes = _codes_made(client)
    assert _sign_in(codes[0])["Location"] == "/console/"
    assert StaticToken._meta.db_table in connection.introspection.table_names()  # searched with the rest
    assert _tables_holding(codes) == []
    assert _tables_holding([mfa.recovery_code_digest(codes[1])]) == [StaticToken._meta.db_table]  # it sees
    assert not any(code in str(e.payload) for e in AuditEvent.objects.all() for code in codes)


def test_a_code_signs_in_once_then_is_refused_and_its_digest_is_no_code(clock):
    user = officer()
    client = verified_login(Client(), user)
    codes = _codes_made(client)
    digest = mfa.recovery_code_digest(codes[1])
    first = _sign_in(f" {codes[0][:4].upper()} {codes[0][4:]} ")  # typed in capitals, with spaces
    assert (first.status_code, first["Location"]) == (302, "/console/")
    clock.advance(seconds=5)
    again = _sign_in(codes[0])
    assert again.status_code == 200 and "验证码不正确" in again.content.decode()
    clock.advance(seconds=5)
    assert "验证码不正确" in _sign_in(digest).content.decode()  # what the table holds opens nothing
    assert [p["method"] for _, _, p in actions("account.login")] == ["password+recovery_code"]
    assert len(_stored(user)) == 9 and mfa.recovery_code_digest(codes[0]) not in _stored(user)
    assert _left_on_page(client) == "9"


def test_a_plain_code_of_before_is_hashed_by_the_migration_and_works_once(clock):
    user = officer()
    device = StaticDevice.objects.create(user=user, name=mfa.RECOVERY, confirmed=True)
    plain, other = StaticToken.random_token(), StaticToken.random_token()
    StaticToken.objects.create(device=device, token=plain)
    StaticToken.objects.create(device=device, token=mfa.recovery_code_digest(other))  # made after the change
    migration = importlib.import_module(MIGRATION)
    migration.hash_plain_codes(apps, None)
    migration.hash_plain_codes(apps, None)  # a second run leaves digests alone
    assert _stored(user) == sorted([mfa.recovery_code_digest(plain), mfa.recovery_code_digest(other)])
    assert _sign_in(plain)["Location"] == "/console/"
    clock.advance(seconds=5)
    assert "验证码不正确" in _sign_in(plain).content.decode()
    assert _stored(user) == [mfa.recovery_code_digest(other)]


def test_codes_made_under_a_rotated_secret_key_still_work(clock, settings):
    user = officer()
    codes = mfa.recovery_codes_make(actor=Actor.system(), user=user, now=clock())
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    assert mfa.code_check(user=user, code=codes[0]).method == "password+recovery_code"
    assert mfa.code_check(user=user, code=codes[0]).device is None
    settings.SECRET_KEY_FALLBACKS = []
    assert mfa.code_check(user=user, code=codes[1]).device is None  # the old key dropped: its codes too


@pytest.mark.django_db(transaction=True)
def test_one_code_used_twice_at_once_signs_in_once():
    user = officer()
    code = mfa.recovery_codes_make(actor=Actor.system(), user=user, now=timezone.now())[0]
    checks: list = []

    def use():
        checks.append(mfa.code_check(user=user, code=code))

    run_together(use, use)
    assert sorted(check.device is not None for check in checks) == [False, True]
    assert len(_stored(user)) == 9
