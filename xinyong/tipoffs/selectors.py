"""Reads of the tipoffs app: the reporter's progress by query code, the handling unit's case view and
detail (the detail reveals the reporter's identity and is therefore audited, docs/domain.md principle 6), and
a unit's inbox of open reports with overdue flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from xinyong.accounts.roles import CASE_HANDLERS
from xinyong.audit.reads import evidence_read
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.models import EvidenceFile
from xinyong.core.querycode import query_code_normalise
from xinyong.core.timeutil import business_date, rfc3339
from xinyong.tipoffs.access import is_handler
from xinyong.tipoffs.models import ACTION_LABELS, OPEN_STATES, RewardDecision, Tipoff, TipoffState
from xinyong.tipoffs.reporter import ReporterIdentity, reporter_reveal
from xinyong.workdays.selectors import working_days_between

CODE_NOT_FOUND = ("tipoff.code_not_found", "查询码无效或不存在")


@dataclass(frozen=True)
class Overdue:
    """The deadline that runs now (acceptance while submitted, conclusion while accepted or investigating)
    and whether it has passed; `working_days` late counts working days after the deadline day."""

    kind: str  # "accept" | "conclude" | ""
    deadline: dt.datetime | None
    overdue: bool
    working_days: int


def tipoff_overdue(tipoff: Tipoff, *, now: dt.datetime) -> Overdue:
    """Whether the report's running deadline (rules tipoff.accept / tipoff.conclude, reckoned in working days
    under the holiday calendar when set) has passed at `now`."""
    if tipoff.state == TipoffState.SUBMITTED:
        kind, deadline = "accept", tipoff.accept_deadline
    elif tipoff.state in (TipoffState.ACCEPTED, TipoffState.INVESTIGATING):
        kind, deadline = "conclude", tipoff.conclude_deadline
    else:
        return Overdue("", None, False, 0)
    late = now > deadline
    days = working_days_between(business_date(deadline), business_date(now)).value if late else 0
    return Overdue(kind, deadline, late, days)


def _tipoffs() -> QuerySet[Tipoff]:
    return Tipoff.objects.select_related("category", "handling_unit", "subject").prefetch_related(
        "transitions"
    )


def _iso(instant: dt.datetime | None) -> str | None:
    return rfc3339(instant) if instant else None


def tipoff_reward_view(tipoff: Tipoff) -> dict:
    """The reward decision as the reporter and the unit read it (amount in 元, two decimals)."""
    amount = tipoff.reward_amount
    return {
        "decision": tipoff.reward_decision,
        "decision_label": RewardDecision(tipoff.reward_decision).label,
        "amount_yuan": f"{amount:.2f}" if amount is not None else None,
        "text": tipoff.reward_text,
        "decided_at": _iso(tipoff.reward_decided_at),
    }


def tipoff_progress(*, code: str) -> dict:
    """What the reporter reads by query code, without an account (docs/domain.md Report: "status and outcome
    visible to the reporter by code"): state, dates, refusal reason, outcome and findings, the reward decision
    and the steps with their dates. Never the identity, the officers' labels or internal re-routings. A
    malformed code and a wrong one get the same 404, so codes cannot be probed."""
    normalised = query_code_normalise(code)
    tipoff = _tipoffs().filter(query_code=normalised).first() if normalised else None
    if tipoff is None:
        raise NotFound(*CODE_NOT_FOUND)
    return {
        "state": tipoff.state,
        "state_label": TipoffState(tipoff.state).label,
        "category_name": tipoff.category.name,
        "handling_unit_name": tipoff.handling_unit.name,
        "filed_at": _iso(tipoff.filed_at),
        "accept_deadline": _iso(tipoff.accept_deadline),
        "accepted_at": _iso(tipoff.accepted_at),
        "conclude_deadline": _iso(tipoff.conclude_deadline),
        "refusal_reason": tipoff.refusal_reason,
        "outcome": tipoff.outcome,
        "findings": tipoff.findings,
        "concluded_at": _iso(tipoff.concluded_at),
        "reward": tipoff_reward_view(tipoff),
        "closed_at": _iso(tipoff.closed_at),
        "steps": [
            {"action": s.action, "action_label": ACTION_LABELS[s.action], "at": _iso(s.at)}
            for s in tipoff.transitions.all()
            if s.action != "route"
        ],
    }


def tipoff_case(*, actor: Actor, tipoff_id: int) -> Tipoff:
    """A report for its handling unit's officers; anyone else gets the same 404 as for a missing report."""
    tipoff = _tipoffs().filter(pk=tipoff_id).first()
    if tipoff is None or not is_handler(actor, tipoff):
        raise NotFound("tipoff.not_found", f"举报 {tipoff_id} 不存在")
    return tipoff


def tipoff_detail(
    *, actor: Actor, tipoff_id: int, now: dt.datetime
) -> tuple[Tipoff, ReporterIdentity | None]:
    """The report with the reporter's identity in clear, for the handling unit only (others: 404). Reading a
    named reporter's identity appends `tipoff.identity_read` to the audit trail (payload without the
    identity), so every look at it is logged."""
    tipoff = tipoff_case(actor=actor, tipoff_id=tipoff_id)
    identity = reporter_reveal(tipoff)
    if identity is not None:
        with transaction.atomic():
            audit_append(
                actor=actor,
                action="tipoff.identity_read",
                target_type="tipoff",
                target_id=tipoff.pk,
                payload={"handling_unit": tipoff.handling_unit.code},
                now=now,
            )
    return tipoff, identity


def tipoff_evidence(*, actor: Actor, tipoff_id: int, file_id: int, now: dt.datetime) -> EvidenceFile:
    """A file given with the report, for the handling unit only (others: 404, as for the report); every read
    appends `evidence.read` to the audit trail (the payload names the report, never the reporter)."""
    tipoff = tipoff_case(actor=actor, tipoff_id=tipoff_id)
    return evidence_read(
        actor=actor, file_id=file_id, among=tipoff.evidence_ids, case="tipoff", case_id=tipoff.pk, now=now
    )


def tipoff_inbox(*, actor: Actor, now: dt.datetime) -> list[tuple[Tipoff, Overdue]]:
    """The open reports (not refused, not closed) of the actor's unit, oldest first, each with its overdue
    flag (working days under the holiday calendar). Only officers of a unit have an inbox."""
    if not (actor.unit_code and actor.has_role(*CASE_HANDLERS)):
        raise PermissionDenied("tipoff.inbox_officers_only", "举报待办只向单位工作人员提供")
    rows = (
        Tipoff.objects.select_related("category", "handling_unit")
        .filter(handling_unit__code=actor.unit_code, state__in=OPEN_STATES)
        .order_by("filed_at", "id")
    )
    return [(t, tipoff_overdue(t, now=now)) for t in rows]


def tipoff_count() -> int:
    """How many reports were filed (the demo's summary)."""
    return Tipoff.objects.count()
