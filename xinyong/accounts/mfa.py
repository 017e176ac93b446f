"""Second factor (issue 14: officers log in with password and a second factor; "use a maintained library such
as django-otp … not home-made crypto"): TOTP devices (RFC 6238, django-otp's otp_totp) and one set of
recovery codes per user (otp_static). Services here audit every change (`account.mfa_enrol`,
`account.mfa_remove`, `account.recovery_codes`); codes and keys never reach the audit trail.

Rules: an officer — a user with a unit, staff or superuser — needs a confirmed TOTP device before anything
else and may not remove the last one; a subject's or agent's account may add one (then its logins ask for a
code too). Recovery codes stand in for a lost authenticator at the code step; they are not a device of their
own and need a TOTP device to exist.

Recovery codes are kept as keyed hashes, never as text: django-otp's otp_static keeps its codes in plain text
(`StaticToken.token`), so anyone who reads the table (a backup, a DBA) could pass an officer's second factor.
Here the token column holds `recovery_code_digest(code)`: HMAC-SHA256 of the code under a key derived from
SECRET_KEY (Django's `salted_hmac` with a salt of its own), the first 80 bits in upper-case base32 — 16
characters, the column's length, and never a code (codes are 8 lower-case characters). A fast keyed hash is
enough: a code is 40 random bits (`StaticToken.random_token`), so without the key a copy of the table tells
nothing, and the sign-in page throttles guesses (who holds the key as well could try every code offline, but
the key also signs sessions, so it is kept as the secret it already is); Django's password hashers (salted,
~0.3 s each) would cost seconds per check on 10 codes and hand the public sign-in page a way to burn the
server's time. A key in SECRET_KEY_FALLBACKS still opens the codes made under it. Codes are checked only by
`code_check` here, never by django-otp's `StaticDevice.verify_token` (which compares the text as it is); a
code is used up by deleting its row, and only the request whose delete removed the row signs in (two uses at
once: one succeeds). Migration accounts 0007 turned the codes of a live database into hashes; they keep
working, once each.
"""

from __future__ import annotations

import datetime as dt
from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError

AUTHENTICATOR = "身份验证器"
RECOVERY = "恢复码"
RECOVERY_CODES = 10
RECOVERY_KEY_SALT = "xinyong.accounts.mfa.recovery_code"  # accounts 0007 repeats it: change neither alone


def is_officer(user) -> bool:
    """工作人员: bound to a unit, or allowed into the back office."""
    return bool(user.unit_id or user.is_staff or user.is_superuser)


def totp_devices(user) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id"))


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_code_digest(code: str, secret: str | bytes | None = None) -> str:
    """What the token column keeps for `code` (module docstring); `secret` defaults to SECRET_KEY."""
    mac = salted_hmac(RECOVERY_KEY_SALT, code, secret=secret, algorithm="sha256").digest()
    return b32encode(mac[:10]).decode()


def _recovery_code_use(device: StaticDevice, code: str) -> bool:
    """Use up `code` on the (locked) device, with django-otp's throttling as its own verify_token has it."""
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    match = device.token_set.filter(token__in={recovery_code_digest(code, key) for key in keys}).first()
    if match is not None and StaticToken.objects.filter(pk=match.pk).delete()[0] == 1:
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
        return True
    device.throttle_increment()
    return False


def totp_device_pending(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (made once, so reloading the page keeps its key)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


def _audit(actor: Actor, action: str, user, now: dt.datetime, payload: dict) -> None:
    audit_append(actor=actor, action=action, target_type="user", target_id=user.pk, now=now, payload=payload)


def totp_device_confirm(*, actor: Actor, device: TOTPDevice, code: str, now: dt.datetime) -> bool:
    """Confirm an enrolment with the first code the authenticator shows; False for a wrong code."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
        if not device.verify_token(code.strip()):
            return False
        number = TOTPDevice.objects.filter(user_id=device.user_id, confirmed=True).count() + 1
        device.confirmed, device.name = True, AUTHENTICATOR if number == 1 else f"{AUTHENTICATOR} {number}"
        device.save(update_fields=["confirmed", "name"])
        TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
        _audit(actor, "account.mfa_enrol", device.user, now, {"device": "totp", "name": device.name})
    return True


@dataclass(frozen=True)
class CodeCheck:
    """What a code did: the device that accepted it, or (refused) until when django-otp's throttling
    refuses every code of the user's devices."""

    device: Device | None
    throttled_until: dt.datetime | None = None

    @property
    def method(self) -> str:
        return "password+recovery_code" if isinstance(self.device, StaticDevice) else "password+totp"


def code_check(*, user, code: str) -> CodeCheck:
    """Try a 6-digit code on the user's authenticators, or a recovery code (used up), with django-otp's own
    throttling (a wait of 1, 2, 4 … seconds after each wrong code)."""
    code = code.strip().replace(" ", "")
    devices: list[Device] = []
    if len(code) == 6 and code.isdigit():
        devices += totp_devices(user)
    else:
        code = code.lower()
        devices += StaticDevice.objects.filter(user=user, confirmed=True)
    waits = []
    with transaction.atomic():
        for device in devices:
            device = type(device).objects.select_for_update().get(pk=device.pk)
            allowed, info = device.verify_is_allowed()
            if not allowed:
                waits.append((info or {}).get("locked_until"))
                continue
            if isinstance(device, StaticDevice):
                accepted = _recovery_code_use(device, code)
            else:
                accepted = device.verify_token(code)
            if accepted:
                return CodeCheck(device)
    known = [w for w in waits if w is not None]
    return CodeCheck(None, min(known) if known and len(waits) == len(devices) else None)


def recovery_codes_make(*, actor: Actor, user, now: dt.datetime) -> list[str]:
    """A new set of recovery codes (the old set stops working), shown once: only their digests are kept."""
    if not has_totp(user):
        raise DomainError("mfa.no_authenticator", "请先添加身份验证器，再生成恢复码。", status=409)
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY, defaults={"confirmed": True})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(
            [StaticToken(device=device, token=recovery_code_digest(code)) for code in codes]
        )
        _audit(actor, "account.recovery_codes", user, now, {"count": len(codes)})
    return codes


def device_remove(*, actor: Actor, user, device_id: str, now: dt.datetime) -> str:
    """Remove one of the user's own devices (an authenticator, or the recovery codes); an officer keeps at
    least one authenticator. Returns the removed device's name."""
    with transaction.atomic():
        device = Device.from_persistent_id(device_id, for_verify=True)
        if device is None or device.user_id != user.pk or not device.confirmed:
            raise DomainError("mfa.device_not_found", "没有这个验证设备。", status=404)
        if isinstance(device, TOTPDevice) and is_officer(user):
            others = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk)
            if not others.exists():
                raise DomainError(
                    "mfa.last_authenticator",
                    "工作人员必须保留至少一个身份验证器：请先添加新的身份验证器，再删除这一个。",
                    status=409,
                )
        kind = "totp" if isinstance(device, TOTPDevice) else "recovery_codes"
        name = device.name
        device.delete()
        if kind == "totp" and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            StaticDevice.objects.filter(user=user).delete()  # recovery codes stand in for an authenticator
        _audit(actor, "account.mfa_remove", user, now, {"device": kind, "name": name})
    return name
