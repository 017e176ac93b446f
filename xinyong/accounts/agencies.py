"""Powers of attorney (授权委托, issue 14): an agent acts for a subject in a scope from one Beijing date
through another. Granted by the credit office after it has seen the signed letter (at the counter, or when it
verifies an agent's registration); revoked by the credit office. Who may act under an agency at a given
moment is read elsewhere (the agent's own pages); these are the only writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from xinyong.accounts.models import AccountApplication, Agency, AgencyScope, User
from xinyong.accounts.roles import OFFICE
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, NotFound, required_text
from xinyong.core.timeutil import business_date

MAX_YEARS = 5  # the longest power of attorney the platform records (a longer one is renewed)
SCOPE_LABELS = dict(AgencyScope.choices)


def _refuse(code: str, field: str, message: str) -> DomainError:
    return DomainError(code, message, errors=[{"field": field, "code": code, "message": message}])


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def scope_check(scope: Iterable[str] | None) -> list[str]:
    """A power of attorney's scope: a non-empty subset of AgencyScope, kept in the scope's own order."""
    given = set(scope or [])
    unknown = sorted(given - set(AgencyScope.values))
    if unknown:
        raise _refuse("agency.scope_invalid", "scope", f"委托事项不在可选范围内：{'、'.join(unknown)}")
    if not given:
        raise _refuse("agency.scope_required", "scope", "请至少选择一项委托事项")
    return [value for value in AgencyScope.values if value in given]


def window_check(valid_from: dt.date, valid_to: dt.date | None) -> dt.date:
    """The last day of a power of attorney: from `valid_from` (inclusive) to at most MAX_YEARS later."""
    if valid_to is None:
        raise _refuse("agency.end_required", "agency_valid_to", "请填写委托截止日期")
    if valid_to < valid_from:
        message = f"委托截止日期 {valid_to} 早于起始日期 {valid_from}：委托已过期"
        raise _refuse("agency.end_past", "agency_valid_to", message)
    latest = years_after(valid_from, MAX_YEARS)
    if valid_to > latest:
        message = f"委托期限最长 {MAX_YEARS} 年：截止日期不得晚于 {latest}"
        raise _refuse("agency.too_long", "agency_valid_to", message)
    return valid_to


def agency_grant(
    *,
    actor: Actor,
    agent: User,
    subject_id: int,
    scope: Iterable[str],
    valid_from: dt.date,
    valid_to: dt.date | None,
    now: dt.datetime,
    application: AccountApplication | None = None,
) -> Agency:
    """Record a power of attorney the credit office has verified (issue 14: agents act only within the
    scope and dates of their 授权委托书). Audited `agency.grant`."""
    actor.require(*OFFICE)
    kept_scope = scope_check(scope)
    window_check(valid_from, valid_to)
    assert valid_to is not None
    with transaction.atomic():
        agency = Agency.objects.create(
            agent=agent, subject_id=subject_id, scope=kept_scope, valid_from=valid_from, valid_to=valid_to,
            application=application, verified_by=actor.label, verified_at=now,
        )  # fmt: skip
        audit_append(
            actor=actor, action="agency.grant", target_type="agency", target_id=agency.pk, now=now,
            payload={"agent": agent.pk, "subject": subject_id, "scope": kept_scope,
                     "valid_from": valid_from.isoformat(), "valid_to": valid_to.isoformat(),
                     "application": application.pk if application else None},
        )  # fmt: skip
    return agency


def agency_revoke(*, actor: Actor, agency_id: int, now: dt.datetime, reason: str) -> Agency:
    """End a power of attorney at once (the principal withdrew it, or it was obtained wrongly); a revoked
    agency stays on record. Audited `agency.revoke` with the reason."""
    actor.require(*OFFICE)
    text = required_text(reason, code="agency.reason_required", field="reason", message="请填写撤销理由")
    with transaction.atomic():
        agency = Agency.objects.select_for_update().filter(pk=agency_id).first()
        if agency is None:
            raise NotFound("agency.not_found", f"授权委托 {agency_id} 不存在")
        if agency.revoked_at is not None:
            when = business_date(agency.revoked_at)
            raise Conflict("agency.already_revoked", f"授权委托 {agency_id} 已于 {when} 撤销，不能再次撤销")
        agency.revoked_at, agency.revoked_by = now, actor.label
        agency.save(update_fields=["revoked_at", "revoked_by"])
        audit_append(
            actor=actor, action="agency.revoke", target_type="agency", target_id=agency.pk, now=now,
            reason=text, payload={"agent": agency.agent_id, "subject": agency.subject_id},
        )  # fmt: skip
    return agency
