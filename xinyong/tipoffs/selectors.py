"""Reads of the tipoffs app: the reporter's progress by query code, the handling unit's case view and
detail (the detail reveals the reporter's identity and is therefore audited, DESIGN principle 6), and a
unit's inbox of open reports with overdue flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.querycode import query_code_normalise
from xinyong.core.timeutil import business_date
from xinyong.core.workdays import working_days_between
from xinyong.tipoffs.access import HANDLER_ROLES, is_handler
from xinyong.tipoffs.models import OPEN_STATES, Tipoff, TipoffState
from xinyong.tipoffs.reporter import ReporterIdentity, reporter_reveal

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


def tipoff_progress(*, code: str) -> Tipoff:
    """The report a query code belongs to, for its reporter (no account needed). A malformed code and a
    wrong one get the same 404, so codes cannot be probed; what to show is the interface's choice among the
    reporter-facing fields (never the identity or officers' labels)."""
    normalised = query_code_normalise(code)
    tipoff = _tipoffs().filter(query_code=normalised).first() if normalised else None
    if tipoff is None:
        raise NotFound(*CODE_NOT_FOUND)
    return tipoff


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


def tipoff_inbox(*, actor: Actor, now: dt.datetime) -> list[tuple[Tipoff, Overdue]]:
    """The open reports (not refused, not closed) of the actor's unit, oldest first, each with its overdue
    flag (working days under the holiday calendar). Only officers of a unit have an inbox."""
    if not (actor.unit_code and actor.has_role(*HANDLER_ROLES)):
        raise PermissionDenied("tipoff.inbox_officers_only", "举报待办只向单位工作人员提供")
    rows = (
        Tipoff.objects.select_related("category", "handling_unit")
        .filter(handling_unit__code=actor.unit_code, state__in=OPEN_STATES)
        .order_by("filed_at", "id")
    )
    return [(t, tipoff_overdue(t, now=now)) for t in rows]
