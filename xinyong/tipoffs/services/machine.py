"""The one mechanism behind every handling step (STYLE "one place for each write"): lock the report, check
the move against `TRANSITIONS` (plain data in models.py), save with `update_fields`, write the history row and
the audit event in the caller's transaction. Also who may act: officers of the handling unit (承办单位), and
credit-office reviewers for routing. Audit payloads never carry the reporter's identity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, NotFound, PermissionDenied, required_text
from xinyong.tipoffs.access import REVIEWER_ROLE, is_handler
from xinyong.tipoffs.models import ACTION_LABELS, TRANSITIONS, Tipoff, TipoffState, TipoffTransition

STATE_LABELS = dict(TipoffState.choices)


def tipoff_locked(tipoff_id: int) -> Tipoff:
    """The report, locked for this transaction (SELECT … FOR UPDATE of its row; SQLite serialises writers)."""
    tipoff = (
        Tipoff.objects.select_for_update(of=("self",))
        .select_related("category", "handling_unit")
        .filter(pk=tipoff_id)
        .first()
    )
    if tipoff is None:
        raise NotFound("tipoff.not_found", f"举报 {tipoff_id} 不存在")
    return tipoff


def target_state(tipoff: Tipoff, action: str) -> str:
    """The state `action` leads to from the report's state, or a 409 naming the state."""
    to_state = TRANSITIONS[tipoff.state].get(action)
    if to_state is None:
        raise Conflict(
            "tipoff.invalid_transition",
            f"举报 {tipoff.pk} 当前状态为“{STATE_LABELS[tipoff.state]}”，不能{ACTION_LABELS[action]}",
            state=tipoff.state,
            action=action,
        )
    return to_state


def step(
    tipoff: Tipoff,
    *,
    actor: Actor,
    action: str,
    now: dt.datetime,
    reason: str = "",
    fields: Iterable[str] = (),
    extra: dict | None = None,
) -> TipoffTransition:
    """Move a locked report along `action`: new state, version + 1, saved fields, history row, audit event."""
    from_state = tipoff.state
    tipoff.state = target_state(tipoff, action)
    tipoff.version += 1
    tipoff.save(update_fields=["state", "version", *fields])
    return history_write(
        tipoff, actor=actor, action=action, from_state=from_state, now=now, reason=reason, extra=extra
    )


def history_write(
    tipoff: Tipoff,
    *,
    actor: Actor,
    action: str,
    from_state: str,
    now: dt.datetime,
    reason: str,
    extra: dict | None = None,
) -> TipoffTransition:
    """The history row and the audit event of one step (the filing is a step from no state). The payload
    names the category, unit and subject id, never the reporter."""
    transition = TipoffTransition.objects.create(
        tipoff=tipoff,
        action=action,
        from_state=from_state,
        to_state=tipoff.state,
        actor=actor.label,
        unit_code=actor.unit_code,
        reason=reason,
        at=now,
    )
    audit_append(
        actor=actor,
        action=f"tipoff.{action}",
        target_type="tipoff",
        target_id=tipoff.pk,
        reason=reason,
        payload={
            "category": tipoff.category.code,
            "handling_unit": tipoff.handling_unit.code,
            "subject_id": tipoff.subject_id,
            "from": from_state,
            "to": tipoff.state,
            "version": tipoff.version,
            **(extra or {}),
        },
        now=now,
    )
    return transition


# ── who may act ─────────────────────────────────────────────────────────────────────────────────────────


def require_handler(actor: Actor, tipoff: Tipoff, action: str) -> None:
    if not is_handler(actor, tipoff):
        unit, label = tipoff.handling_unit.name, ACTION_LABELS[action]
        raise PermissionDenied(
            "tipoff.wrong_unit", f"只有承办单位（{unit}）的工作人员可以{label}（举报 {tipoff.pk}）"
        )


def require_reviewer(actor: Actor, tipoff: Tipoff) -> None:
    if not actor.has_role(REVIEWER_ROLE):
        raise PermissionDenied("tipoff.reviewer_only", f"只有信用办审核员可以改派举报（举报 {tipoff.pk}）")


def require_text(value: str | None, *, field: str, message: str) -> str:
    """A required free text (reason, findings …), stripped; blank is a 400 `tipoff.<field>_required`."""
    return required_text(value, code=f"tipoff.{field}_required", field=field, message=message)
