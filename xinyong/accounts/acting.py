"""Agents acting for a subject (代理人, issue 14): the reads of powers of attorney (`Agency`) the session and
the self-service pages need, and the agent's choice of the one subject it acts for.

The rule: an agent (a user with `Agency` rows) acts for ONE subject at a time, chosen on /me/acting/ from its
live agencies — `valid_from` ≤ today ≤ `valid_to` in Beijing business dates, not revoked. The choice is kept
in the session (`ACTING_SESSION_KEY`) and checked against the database again on every request
(accounts/actors.py `user_actor`): an agency that has expired or been revoked since stops the agent at once
(403 `agency.expired` / `agency.revoked`, `agency_refusal`). What the agent may do for the subject is the
agency's scope (accounts/policy.py `agency_actor`). Granting and revoking agencies is accounts/agencies.py.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.accounts.models import Agency, AgencyScope
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.timeutil import business_date

ACTING_SESSION_KEY = "xinyong_acting_agency"

LIVE, EXPIRED, REVOKED, NOT_STARTED = "live", "expired", "revoked", "not_started"
STATUS_LABELS = {LIVE: "有效", EXPIRED: "已过期", REVOKED: "已撤销", NOT_STARTED: "尚未生效"}
REVOKED_MESSAGE = "授权委托已被撤销，不能再代为办理"


def agency_status(agency: Agency, *, today: dt.date) -> str:
    """live, expired, revoked or not_started on business date `today` (revocation wins)."""
    if agency.revoked_at is not None:
        return REVOKED
    if today > agency.valid_to:
        return EXPIRED
    if today < agency.valid_from:
        return NOT_STARTED
    return LIVE


def agencies_of(*, user_id: int) -> list[Agency]:
    """Every power of attorney the user holds as agent, with its subject, latest end date first."""
    rows = Agency.objects.filter(agent_id=user_id).select_related("subject")
    return list(rows.order_by("-valid_to", "-id"))


def agency_of(*, user_id: int, agency_id: int) -> Agency | None:
    """The user's own agency with that id (with its subject), None for another's or none."""
    return Agency.objects.select_related("subject").filter(pk=agency_id, agent_id=user_id).first()


def agency_live(*, user_id: int, agency_id: int, now: dt.datetime) -> Agency | None:
    """The user's agency if it is live at `now` (the per-request check of accounts/actors.py), else None."""
    agency = agency_of(user_id=user_id, agency_id=agency_id)
    if agency is None or agency_status(agency, today=business_date(now)) != LIVE:
        return None
    return agency


def scope_labels(scope) -> list[str]:
    """The Chinese names of an agency's scope, in the order AgencyScope lists them."""
    return [label for value, label in AgencyScope.choices if value in set(scope)]


def agency_refusal(*, user_id: int, agency_id: int, now: dt.datetime) -> PermissionDenied:
    """The 403 for acting under an agency that is not live: `agency.expired`, `agency.revoked`,
    `agency.not_started`, or `agency.revoked` for one that is not the user's (any more)."""
    agency = agency_of(user_id=user_id, agency_id=agency_id)
    if agency is None:
        return PermissionDenied("agency.revoked", REVOKED_MESSAGE)
    status = agency_status(agency, today=business_date(now))
    if status == EXPIRED:
        return PermissionDenied(
            "agency.expired",
            f"授权委托已于 {agency.valid_to:%Y年%m月%d日} 到期，不能再代为办理；如需继续，请重新办理授权委托",
        )
    if status == NOT_STARTED:
        return PermissionDenied(
            "agency.not_started", f"授权委托自 {agency.valid_from:%Y年%m月%d日} 起生效，目前还不能代为办理"
        )
    return PermissionDenied("agency.revoked", REVOKED_MESSAGE)


def acting_start(*, actor: Actor, user_id: int, agency_id: int, now: dt.datetime) -> Agency:
    """The agent chooses to act for the subject of one of its agencies (the caller keeps the choice in the
    session). Refused unless the agency is the user's and live; audited (`agency.act`)."""
    agency = agency_of(user_id=user_id, agency_id=agency_id)
    if agency is None:
        raise NotFound("agency.not_found", "没有该授权委托")
    if agency_status(agency, today=business_date(now)) != LIVE:
        raise agency_refusal(user_id=user_id, agency_id=agency_id, now=now)
    with transaction.atomic():
        audit_append(
            actor=actor,
            action="agency.act",
            target_type="subject",
            target_id=agency.subject_id,
            now=now,
            payload={"agency": agency.pk, "scope": list(agency.scope), "valid_to": agency.valid_to},
        )
    return agency


def acting_stop(*, actor: Actor, agency_id: int, now: dt.datetime) -> None:
    """The agent stops acting for a subject (back to its own account); audited (`agency.act_end`)."""
    with transaction.atomic():
        audit_append(actor=actor, action="agency.act_end", target_type="agency", target_id=agency_id, now=now)
