"""Handling a report by its unit (举报办理, docs/domain.md "Report (whistleblowing)", plan tasks 14/17):

submitted ──accept──▶ accepted ──investigate──▶ investigating ──conclude──▶ substantiated ──reward──▶ close
    ├─refuse──▶ refused                                                  └─▶ unsubstantiated ──close──▶ closed
    └─route (credit-office reviewers re-route to a competent provider)

One service per step, each in one transaction through `machine.step` (lock, TRANSITIONS, history, audit).
Order of refusals: a missing input (400), then the actor (403), then the state (409).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError
from xinyong.tipoffs.models import Outcome, RewardDecision, Tipoff, TipoffState
from xinyong.tipoffs.services.filing import CONCLUDE_RULE, competent_unit, tipoff_deadline, unit_resolve
from xinyong.tipoffs.services.machine import (
    require_handler,
    require_reviewer,
    require_text,
    step,
    target_state,
    tipoff_locked,
)

MAX_REWARD = Decimal("9999999999.99")
CENT = Decimal("0.01")
REWARD_LABELS = dict(RewardDecision.choices)


def _locked_for(actor: Actor, tipoff_id: int, action: str) -> Tipoff:
    tipoff = tipoff_locked(tipoff_id)
    require_handler(actor, tipoff, action)
    target_state(tipoff, action)
    return tipoff


def tipoff_accept(*, actor: Actor, tipoff_id: int, now: dt.datetime) -> Tipoff:
    """Accept (受理) a submitted report. The conclusion is then due within rule `tipoff.conclude` (in force on
    the filing date) working days after today (Beijing), ending 23:59:59."""
    with transaction.atomic():
        tipoff = _locked_for(actor, tipoff_id, "accept")
        deadline = tipoff_deadline(key=CONCLUDE_RULE, filed_at=tipoff.filed_at, start=now)
        tipoff.accepted_at = now
        tipoff.conclude_deadline, tipoff.conclude_deadline_provisional = deadline.value, deadline.provisional
        extra = {
            "conclude_deadline": deadline.value.isoformat(),
            "provisional_years": list(deadline.provisional_years),
        }
        fields = ["accepted_at", "conclude_deadline", "conclude_deadline_provisional"]
        step(tipoff, actor=actor, action="accept", now=now, fields=fields, extra=extra)
    return tipoff


def tipoff_refuse(*, actor: Actor, tipoff_id: int, reason: str, now: dt.datetime) -> Tipoff:
    """Refuse to accept (不予受理) a submitted report, with the reason the reporter will read."""
    reason = require_text(reason, field="reason", message="不予受理须说明理由")
    with transaction.atomic():
        tipoff = _locked_for(actor, tipoff_id, "refuse")
        tipoff.refusal_reason = reason
        step(tipoff, actor=actor, action="refuse", now=now, reason=reason, fields=["refusal_reason"])
    return tipoff


def tipoff_route(*, actor: Actor, tipoff_id: int, unit: str, now: dt.datetime, reason: str = "") -> Tipoff:
    """Re-route (改派) a submitted report to another unit, by a credit-office reviewer: the unit must be
    competent for the category (a provider, or any unit when open: 400 `tipoff.unit_not_competent`). The
    acceptance deadline stays the one set at filing: the reporter's clock does not restart."""
    name = require_text(unit, field="unit", message="须指定改派的承办单位")
    with transaction.atomic():
        tipoff = tipoff_locked(tipoff_id)
        require_reviewer(actor, tipoff)
        target_state(tipoff, "route")
        target = competent_unit(category=tipoff.category, unit=unit_resolve(name, "unit"))
        if target.pk == tipoff.handling_unit_id:
            raise Conflict("tipoff.route_same_unit", f"举报 {tipoff.pk} 已由{target.name}承办，无需改派")
        extra = {"from_unit": tipoff.handling_unit.code, "to_unit": target.code}
        tipoff.handling_unit = target
        reason = (reason or "").strip()
        step(
            tipoff, actor=actor, action="route", now=now, reason=reason, fields=["handling_unit"], extra=extra
        )
    return tipoff


def tipoff_investigate(*, actor: Actor, tipoff_id: int, now: dt.datetime) -> Tipoff:
    """Start the investigation (调查核实) of an accepted report."""
    with transaction.atomic():
        tipoff = _locked_for(actor, tipoff_id, "investigate")
        step(tipoff, actor=actor, action="investigate", now=now)
    return tipoff


def tipoff_conclude(
    *, actor: Actor, tipoff_id: int, substantiated: bool, findings: str, now: dt.datetime
) -> Tipoff:
    """Conclude the investigation with findings (调查结论, required): the report is substantiated (属实) or
    not (不属实). The reporter reads the outcome and the findings by query code."""
    findings = require_text(findings, field="findings", message="作出认定须写明调查结论")
    action = "substantiate" if substantiated else "unsubstantiate"
    with transaction.atomic():
        tipoff = _locked_for(actor, tipoff_id, action)
        tipoff.findings, tipoff.concluded_at = findings, now
        tipoff.outcome = Outcome.SUBSTANTIATED if substantiated else Outcome.UNSUBSTANTIATED
        step(tipoff, actor=actor, action=action, now=now, fields=["findings", "concluded_at", "outcome"])
    return tipoff


def _reward_amount(amount: Decimal | str | None, grant: bool) -> Decimal | None:
    if not grant:
        if amount not in (None, ""):
            raise _reward_error("tipoff.reward_amount_unexpected", "不予奖励时不填写奖励金额")
        return None
    try:
        value = Decimal(str(amount)) if amount not in (None, "") else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value <= 0 or value > MAX_REWARD or value != round(value, 2):
        raise _reward_error("tipoff.reward_amount_invalid", "奖励金额须为大于 0 的金额（元，最多两位小数）")
    return value.quantize(CENT)


def _reward_error(code: str, message: str) -> DomainError:
    return DomainError(code, message, errors=[{"field": "amount", "code": code, "message": message}])


def tipoff_reward(
    *, actor: Actor, tipoff_id: int, grant: bool, text: str, now: dt.datetime, amount: Decimal | None = None
) -> Tipoff:
    """Decide the reward (举报奖励) of a substantiated report, once: granted with an amount in 元 and the
    decision text, or refused with the reason. Any other state is a 409 naming it; a second decision is 409
    `tipoff.reward_decided`."""
    if grant:
        text = require_text(text, field="text", message="给予奖励须写明奖励决定内容")
    else:
        text = require_text(text, field="text", message="不予奖励须说明理由")
    value = _reward_amount(amount, grant)
    with transaction.atomic():
        tipoff = _locked_for(actor, tipoff_id, "reward")
        if tipoff.reward_decision != RewardDecision.NONE:
            raise Conflict(
                "tipoff.reward_decided",
                f"举报 {tipoff.pk} 已作出奖励决定（{REWARD_LABELS[tipoff.reward_decision]}），不能再次决定",
            )
        tipoff.reward_decision = RewardDecision.GRANTED if grant else RewardDecision.REFUSED
        tipoff.reward_amount, tipoff.reward_text, tipoff.reward_decided_at = value, text, now
        extra = {"reward_decision": tipoff.reward_decision, "reward_amount": str(value) if value else None}
        fields = ["reward_decision", "reward_amount", "reward_text", "reward_decided_at"]
        step(tipoff, actor=actor, action="reward", now=now, reason=text, fields=fields, extra=extra)
    return tipoff


def tipoff_close(*, actor: Actor, tipoff_id: int, now: dt.datetime, reason: str = "") -> Tipoff:
    """Close (办结) a concluded report; a substantiated one needs its reward decision first (409
    `tipoff.reward_pending`), so the reporter is never left without an answer on the reward."""
    with transaction.atomic():
        tipoff = _locked_for(actor, tipoff_id, "close")
        if tipoff.state == TipoffState.SUBSTANTIATED and tipoff.reward_decision == RewardDecision.NONE:
            raise Conflict(
                "tipoff.reward_pending",
                f"举报 {tipoff.pk} 经认定属实，须先作出奖励决定（给予或不予奖励）才能办结",
            )
        tipoff.closed_at = now
        step(
            tipoff, actor=actor, action="close", now=now, reason=(reason or "").strip(), fields=["closed_at"]
        )
    return tipoff
