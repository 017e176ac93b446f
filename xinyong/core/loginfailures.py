"""The failed-login counter's rows (core owns `LoginFailure`); the lock-out rule is accounts/login.py."""

from __future__ import annotations

import datetime as dt

from xinyong.core.models import LoginFailure


def login_failure_times(
    *, username: str, since: dt.datetime, most: int, address: str | None = None
) -> list[dt.datetime]:
    """The times of the newest `most` failures for `username` after `since` (from `address` if given),
    newest first."""
    failures = LoginFailure.objects.filter(username=username, at__gt=since)
    if address is not None:
        failures = failures.filter(address=address)
    return list(failures.order_by("-at").values_list("at", flat=True)[:most])


def login_failure_add(*, username: str, address: str, at: dt.datetime, forget_before: dt.datetime) -> None:
    """Count one failure at `at`; failures older than `forget_before` are deleted as new ones come."""
    LoginFailure.objects.filter(at__lt=forget_before).delete()
    LoginFailure.objects.create(username=username[:150], address=address[:45], at=at)


def login_failures_clear(*, username: str, address: str) -> None:
    """Forget `username`'s failures from `address` (a successful login)."""
    LoginFailure.objects.filter(username=username, address=address).delete()
