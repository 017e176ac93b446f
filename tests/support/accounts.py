"""Builders for the issue-14 account tests: agents (代理人) with powers of attorney (`Agency` rows, written
directly: granting through the back office is accounts/agencies.py), signed-in test clients, and a browser
signed in with a test client's session cookie (the sign-in page is tested on its own)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.test import Client

from xinyong.accounts.acting import ACTING_SESSION_KEY
from xinyong.accounts.models import Agency, AgencyScope, User

VERIFIED_AT = dt.datetime(2026, 8, 31, 2, 0, tzinfo=dt.UTC)


def agent_make(username: str = "daili", full_name: str = "李代理") -> User:
    """A person who signs in and holds no role of its own (its powers come from its agencies)."""
    return User.objects.create_user(username=username, password="x-strong-password-1", full_name=full_name)


def agency_make(
    agent: User,
    subject,
    *,
    scope=(AgencyScope.OBJECTION,),
    valid_from: dt.date = dt.date(2026, 9, 1),
    valid_to: dt.date = dt.date(2026, 12, 31),
    revoked_at: dt.datetime | None = None,
) -> Agency:
    """A verified power of attorney of `agent` for `subject` (revoked when `revoked_at` is given)."""
    return Agency.objects.create(
        agent=agent,
        subject=subject,
        scope=[str(s) for s in scope],
        valid_from=valid_from,
        valid_to=valid_to,
        verified_by="user:1",
        verified_at=VERIFIED_AT,
        revoked_at=revoked_at,
        revoked_by="user:1" if revoked_at else "",
    )


def signed_in(user: User, *, acting: Agency | None = None) -> Client:
    """A test client signed in as `user`; with `acting`, its session names that agency (as if chosen on
    /me/acting/ while it was live)."""
    client = Client()
    client.force_login(user)
    if acting is not None:
        session = client.session
        session[ACTING_SESSION_KEY] = acting.pk
        session.save()
    return client


def browser_sign_in(browser, live_server, user: User, *, acting: Agency | None = None) -> None:
    """Give the browser the session of a test client signed in as `user` (see `signed_in`)."""
    client = signed_in(user, acting=acting)
    browser.get(f"{live_server.url}/progress/")  # a page of the site, so that its cookie can be set
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    browser.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "path": "/"})
