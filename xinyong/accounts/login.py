"""Lock-out on every password login (issue 12: 40 wrong admin passwords in a row were all tried).

Rule (settings): a login is refused without checking the password while, within the last
`XINYONG_LOGIN_LOCKOUT_SECONDS` (default 900), there were `XINYONG_LOGIN_MAX_FAILURES` (5) failures for that
user name from the same address, or `XINYONG_LOGIN_MAX_FAILURES_PER_USER` (20) from any addresses (guessing
spread over many addresses). The lock ends when the oldest counted failure leaves the window; a success
clears that user name's failures from that address. Refused attempts are not counted, so a lock cannot be
prolonged by hammering it. Each lock-out is an audit event.

Enforced in the authentication backend (every login through `django.contrib.auth.authenticate`); the admin's
login form says it in Chinese. The address is REMOTE_ADDR: behind the front proxy every login comes from the
proxy's address, and the per-address rule then counts per user name.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.loginfailures import login_failure_add, login_failure_times, login_failures_clear

LOCKED = "登录失败次数过多，该账户已暂停登录，请 %(minutes)d 分钟后再试。"


def _window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.XINYONG_LOGIN_LOCKOUT_SECONDS)


def login_locked_for(*, username: str, address: str, now: dt.datetime) -> int:
    """Seconds until a login as `username` from `address` is allowed again; 0 when it is allowed now."""
    rules = (
        (address, settings.XINYONG_LOGIN_MAX_FAILURES),
        (None, settings.XINYONG_LOGIN_MAX_FAILURES_PER_USER),
    )
    waits = [_wait(username, source, most, now) for source, most in rules]
    return max(waits)


def _wait(username: str, address: str | None, most: int, now: dt.datetime) -> int:
    """0 below `most` failures; else the seconds until the most-th newest one leaves the window."""
    times = login_failure_times(username=username, since=now - _window(), most=most, address=address)
    if len(times) < most:
        return 0
    return max(0, math.ceil((times[-1] + _window() - now).total_seconds()))


def login_failure_record(*, username: str, address: str, now: dt.datetime) -> None:
    """Count a failed login; audit the failure that starts a lock-out."""
    login_failure_add(username=username, address=address, at=now, forget_before=now - _window())
    if login_locked_for(username=username, address=address, now=now):
        audit_append(
            actor=Actor(label="anonymous"),
            action="account.login_locked",
            target_type="user",
            target_id=username[:128],
            now=now,
            reason="连续登录失败，暂停登录",
            payload={"address": address},
        )


def _address(request) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "")[:45]


class LockoutModelBackend(ModelBackend):
    """Django's model backend behind the lock-out (module docstring)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return super().authenticate(request, username=username, password=password, **kwargs)
        now, address = timezone.now(), _address(request)
        if login_locked_for(username=username, address=address, now=now):
            raise PermissionDenied("login locked")  # stops authenticate(): no other backend is tried
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failure_record(username=username, address=address, now=now)
        else:
            login_failures_clear(username=username, address=address)
        return user


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form, saying in Chinese that (and for how long) the account is locked."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and self.cleaned_data.get("password"):
            wait = login_locked_for(username=username, address=_address(self.request), now=timezone.now())
            if wait:
                raise ValidationError(LOCKED, code="locked", params={"minutes": math.ceil(wait / 60)})
        return super().clean()
