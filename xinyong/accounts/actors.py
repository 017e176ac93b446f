"""Who is acting: the one way to build the Actor for the API, the back office (admin) and the portal
(issue 17: "one way to build the actor"). Interfaces call `request_actor(request)` and pass the Actor to
services.

- On `/api/` the caller is the bearer token that authentication accepted (`request.auth`), acting with the
  roles its unit may hold (`policy.effective_roles`); without one, the anonymous public. A signed-in
  back-office session never acts on the API (the API takes no cookies, so no cross-site request can borrow
  one).
- Elsewhere (admin, portal pages) the caller is the signed-in user, with the account's roles, plus `admin`
  for a superuser; without one, the anonymous public.
- An agent (代理人, issue 14) whose session names a power of attorney (accounts/acting.py) acts for that
  subject only: the agency is checked against the database on every request, and while it is live the Actor
  carries `acting_for`, `agency_id`, `agency_scope` and none of the user's own unit or roles (it is the
  subject's agent, not an officer or a subject of its own); it gains `subject` for one operation within the
  scope through `policy.agency_actor`. An expired or revoked agency leaves `agency_id` alone on the Actor:
  the agent acts for nobody and the pages refuse with the reason. An agent's API token acts as the token's
  user itself, never for a subject (the API takes no session).
"""

from __future__ import annotations

from django.http import HttpRequest

from xinyong.accounts import policy
from xinyong.accounts.acting import ACTING_SESSION_KEY, agency_live
from xinyong.accounts.models import ApiToken
from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.core.middleware import API_PREFIX
from xinyong.core.timeutil import now


def token_actor(token: ApiToken, request_id: str = "") -> Actor:
    """A token's Actor (label `token:<prefix>`). A person's token (issue 14) acts as the person does now: the
    person's current unit and roles (`policy.person_roles`), read with the token; a unit's token (a system
    integration, or a named officer's before issue 14) with the role its unit may hold; a subject's token
    with `subject`."""
    user = token.user if token.user_id else None
    if user is not None and token.role != Role.SUBJECT:
        unit = user.unit if user.unit_id else None
        return Actor(
            label=f"token:{token.prefix}",
            unit_code=unit.code if unit else "",
            roles=policy.person_roles(unit, user.roles, superuser=user.is_superuser),
            user_id=user.pk,
            token_id=token.pk,
            request_id=request_id,
            officer=user.full_name,
        )
    unit = token.unit if token.unit_id else None
    return Actor(
        label=f"token:{token.prefix}",
        unit_code=unit.code if unit else "",
        roles=policy.effective_roles(unit, token.role),
        user_id=token.user_id,
        token_id=token.pk,
        request_id=request_id,
        officer=token.officer,
    )


def user_actor(user, request_id: str = "", agency_id: int | None = None) -> Actor:
    """A signed-in user's Actor (label `user:<id>`): the same unit and roles as the person's own API token
    (`policy.person_roles`: the roles its unit may hold; a superuser also acts as admin), so a session and
    a token of one person are allowed the same (issue 14). With `agency_id` (the session's choice), the agent
    acting for a subject (module docstring)."""
    if agency_id is not None:
        return _agent_actor(user, request_id, agency_id)
    unit = user.unit if getattr(user, "unit_id", None) else None
    return Actor(
        label=f"user:{user.pk}",
        unit_code=unit.code if unit else "",
        roles=policy.person_roles(unit, getattr(user, "roles", None), superuser=user.is_superuser),
        user_id=user.pk,
        request_id=request_id,
        officer=getattr(user, "full_name", ""),
    )


def _agent_actor(user, request_id: str, agency_id: int) -> Actor:
    label = f"user:{user.pk}"
    agency = agency_live(user_id=user.pk, agency_id=agency_id, now=now())
    if agency is None:  # expired, revoked or not the user's: acts for nobody (the pages say why)
        return Actor(label=label, user_id=user.pk, request_id=request_id, agency_id=agency_id)
    return Actor(
        label=label,
        user_id=user.pk,
        request_id=request_id,
        acting_for=agency.subject_id,
        agency_id=agency.pk,
        agency_scope=frozenset(agency.scope),
    )


def request_actor(request: HttpRequest) -> Actor:
    """The Actor of a request (module docstring: the token on the API, the session elsewhere)."""
    request_id = getattr(request, "request_id", "")
    token = getattr(request, "auth", None)
    if isinstance(token, ApiToken):
        return token_actor(token, request_id)
    user = getattr(request, "user", None)
    on_api = request.path_info.startswith(API_PREFIX)
    if not on_api and user is not None and user.is_authenticated:
        session = getattr(request, "session", None)
        agency_id = session.get(ACTING_SESSION_KEY) if session is not None else None
        return user_actor(user, request_id, agency_id if isinstance(agency_id, int) else None)
    return Actor.anonymous(request_id)
