"""Signed-in sessions (issue 14): how a login ends (`session_start`), the half-way states between the
password and the second factor, where a user goes afterwards, and the idle and absolute timeouts.

- A login writes `account.login` (method `password`, `password+totp` or `password+recovery_code`); Django
  rotates the session key; the login time and the last request time are kept in the session.
- Between the password and the code (or the enrolment of a first authenticator by an officer) the session
  holds only `PENDING`: the user's id, the step, the wanted page and when the password was right — the user
  is not signed in, so nothing else opens. It lasts `PENDING_SECONDS`.
- `SessionTimeoutMiddleware`: a session idle for `XINYONG_SESSION_IDLE_MINUTES` (30) or older than
  `XINYONG_SESSION_MAX_HOURS` (12) is ended (`account.logout` with the reason) and the browser is sent to the
  login page with a Chinese message. /api/ keeps no session and is passed by.
- The login page, and a subject's own pages after a login, are named in the active language (issue 15): a
  session that times out on an English page, or a login begun on /en/accounts/login/, stays in English.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from xinyong.accounts.actors import user_actor
from xinyong.accounts.mfa import is_officer
from xinyong.accounts.roles import GOVERNMENT
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor

LOGIN_URL = "accounts:login"  # /accounts/login/, or /en/accounts/login/ on an English page
CONSOLE_URL = "/console/"  # the officers' home (xinyong/console), which checks the same GOVERNMENT roles
PENDING = "xinyong_signin_pending"
LOGIN_AT, SEEN_AT = "xinyong_login_at", "xinyong_seen_at"
PENDING_SECONDS = 15 * 60
SEEN_RESOLUTION = 60  # the last-request time is written at most once a minute (no session write per request)
STEP_OTP, STEP_ENROL = "otp", "enrol"
PASSWORD_BACKEND = "xinyong.accounts.login.LockoutModelBackend"


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")[:45]


def _actor_of(user, request: HttpRequest) -> Actor:
    return user_actor(user, getattr(request, "request_id", ""))


def safe_next(request: HttpRequest, wanted: str | None) -> str:
    """`wanted` when it is a path on this site, else ''."""
    allowed = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if wanted and allowed else ""


def destination(user, wanted: str = "") -> str:
    """Where a signed-in user goes: the (safe) page asked for; else an officer with a government role to the
    officers' console, another officer (back office only) to the back office, a subject or agent to /me/
    (/en/me/ when signing in in English)."""
    if wanted:
        return wanted
    if user_actor(user).has_role(*GOVERNMENT):
        return CONSOLE_URL
    return "/admin/" if is_officer(user) else localised("/me/")


def localised(path: str) -> str:
    """A page's Chinese path in the active language (/me/ → /en/me/ on an English page)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(settings.LANGUAGE_CODE):  # the Chinese path resolves in Chinese
        return translate_url(path, language)


def login_url(next_path: str = "") -> str:
    """The login page in the active language, with the page to return to."""
    return reverse(LOGIN_URL) + (f"?{urlencode({'next': next_path})}" if next_path else "")


def pending_set(request: HttpRequest, user, *, step: str, wanted: str) -> None:
    now = int(timezone.now().timestamp())
    request.session[PENDING] = {"user": user.pk, "step": step, "next": wanted, "at": now}


def pending_get(request: HttpRequest, step: str) -> dict | None:
    """The half-way state of `step`, if it is there and fresh."""
    pending = request.session.get(PENDING)
    if not pending or pending.get("step") != step:
        return None
    if timezone.now().timestamp() - pending["at"] > PENDING_SECONDS:
        del request.session[PENDING]
        return None
    return pending


def pending_clear(request: HttpRequest) -> None:
    request.session.pop(PENDING, None)


def session_start(
    request: HttpRequest, user, *, method: str, device=None, backend: str = PASSWORD_BACKEND
) -> None:
    """Sign `user` in (the password, and the code when `device` is given, were right; or another login such
    as OpenID Connect, naming its `method` and `backend`) and audit it."""
    import django_otp

    now = timezone.now()
    pending_clear(request)
    auth.login(request, user, backend=backend)  # a new session key (no fixation)
    if device is not None:
        django_otp.login(request, device)
    request.session[LOGIN_AT] = request.session[SEEN_AT] = int(now.timestamp())
    with transaction.atomic():
        audit_append(
            actor=_actor_of(user, request),
            action="account.login",
            target_type="user",
            target_id=user.pk,
            now=now,
            payload={"method": method, "address": client_address(request)},
        )


def session_end(request: HttpRequest, *, reason: str) -> None:
    """Sign the user out (`reason`: user, idle_timeout, absolute_timeout) and audit it."""
    user = request.user
    if user.is_authenticated:
        with transaction.atomic():
            audit_append(
                actor=_actor_of(user, request),
                action="account.logout",
                target_type="user",
                target_id=user.pk,
                now=timezone.now(),
                payload={"reason": reason},
            )
    auth.logout(request)


def _expired(session, now: float) -> str:
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        return ""
    if now - login_at > settings.XINYONG_SESSION_MAX_HOURS * 3600:
        return "absolute_timeout"
    if now - seen_at > settings.XINYONG_SESSION_IDLE_MINUTES * 60:
        return "idle_timeout"
    return ""


class SessionTimeoutMiddleware:
    """Idle and absolute session timeouts (module docstring). Placed after the message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is None or SESSION_KEY not in session:
            return self.get_response(request)  # /api/, or nobody signed in: nothing to time out
        now = timezone.now().timestamp()
        reason = _expired(session, now)
        if reason:
            session_end(request, reason=reason)
            messages.warning(request, self._message(reason))
            wanted = request.get_full_path() if request.method == "GET" else ""
            return HttpResponseRedirect(login_url(wanted))
        if session.get(LOGIN_AT) is None:  # a session from before this rule: it starts counting now
            session[LOGIN_AT] = int(now)
        if now - session.get(SEEN_AT, 0) >= SEEN_RESOLUTION:
            session[SEEN_AT] = int(now)
        return self.get_response(request)

    @staticmethod
    def _message(reason: str) -> str:
        if reason == "idle_timeout":
            minutes = settings.XINYONG_SESSION_IDLE_MINUTES
            return _("您已超过 %(minutes)d 分钟未操作，为保护账户安全已自动退出，请重新登录。") % {
                "minutes": minutes
            }
        hours = settings.XINYONG_SESSION_MAX_HOURS
        return _("本次登录已超过 %(hours)d 小时，为保护账户安全已自动退出，请重新登录。") % {"hours": hours}
