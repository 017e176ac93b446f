"""Set-up for the sign-in tests: officers and subjects with known passwords and authenticator keys, and the
codes an authenticator app would show (django-otp's own RFC 6238 implementation)."""

from __future__ import annotations

import re
from base64 import b32decode

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinyong.accounts.models import Unit, User
from xinyong.audit.models import AuditEvent

PASSWORD = "Xinyong-Pass-2026"
KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key, hex


def unit(code: str = "t-gongshang", name: str = "测试工商局") -> Unit:
    return Unit.objects.get_or_create(code=code, defaults={"name": name, "type": "municipal_department"})[0]


def officer(username: str = "zhang.wei", *, unit_code: str = "t-gongshang", device: bool = True) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        unit=unit(unit_code, f"测试单位{unit_code}"),
        roles=["data_officer"],
        is_staff=True,
        full_name="张伟",
    )
    if device:
        TOTPDevice.objects.create(user=user, name="身份验证器", key=KEY, confirmed=True)
    return user


def subject_user(username: str = "huaxin") -> User:
    return User.objects.create_user(username=username, password=PASSWORD)


def code_now(key_hex: str = KEY, *, steps_ahead: int = 0) -> str:
    """The 6 digits an authenticator shows now (or `steps_ahead` 30-second steps later, which the device's
    tolerance of one step accepts: a second login inside one step needs a fresh code)."""
    return f"{totp(bytes.fromhex(key_hex), drift=steps_ahead):06d}"


def key_from_page(html: str) -> str:
    """The key an enrolment page shows for typing in (base32)."""
    return re.search(r'id="totp-key">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")


def code_from_page(html: str) -> str:
    """The code for the key an enrolment page shows for typing in."""
    return code_now(b32decode(key_from_page(html)).hex())


def password_step(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password, **extra})


def actions(*names: str) -> list[tuple[str, str, dict]]:
    """The audit events of the given actions, oldest first: (action, target id, payload)."""
    events = AuditEvent.objects.filter(action__in=names).order_by("seq")
    return [(e.action, e.target_id, e.payload) for e in events]
