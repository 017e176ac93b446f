"""The report's state machine (`TIPOFF`) for the one transition mechanism (audit/transitions.py,
docs/architecture.md "Inside an app": lock, `TRANSITIONS` from models.py, history row, audit event, in the
caller's transaction); `tipoff_locked`, `target_state`, `step` and `history_write` are that mechanism bound to
it. Audit payloads never carry the reporter's identity. Also who may act: officers of the handling unit
(承办单位), and credit-office reviewers for routing.
"""

from __future__ import annotations

from functools import partial

from xinyong.accounts.roles import Role
from xinyong.audit import transitions
from xinyong.audit.transitions import Machine
from xinyong.core.actor import Actor
from xinyong.core.errors import PermissionDenied, required_text
from xinyong.tipoffs.access import is_handler
from xinyong.tipoffs.models import ACTION_LABELS, TRANSITIONS, Tipoff, TipoffState, TipoffTransition

STATE_LABELS = dict(TipoffState.choices)


def _payload(tipoff: Tipoff) -> dict:
    """The audit payload names the category and the handling unit (then the subject id), never the reporter
    (ADR 0009)."""
    return {"category": tipoff.category.code, "handling_unit": tipoff.handling_unit.code}


TIPOFF = Machine(
    name="tipoff",
    label="举报",
    model=Tipoff,
    table=TRANSITIONS,
    states=STATE_LABELS,
    actions=ACTION_LABELS,
    history_model=TipoffTransition,
    history_fk="tipoff",
    related=("category", "handling_unit"),
    payload=_payload,
)
tipoff_locked = partial(transitions.locked, TIPOFF)
target_state = partial(transitions.target_state, TIPOFF)
step = partial(transitions.step, TIPOFF)
history_write = partial(transitions.history_write, TIPOFF)


# ── who may act ─────────────────────────────────────────────────────────────────────────────────────────


def require_handler(actor: Actor, tipoff: Tipoff, action: str) -> None:
    if not is_handler(actor, tipoff):
        unit, label = tipoff.handling_unit.name, ACTION_LABELS[action]
        raise PermissionDenied(
            "tipoff.wrong_unit", f"只有承办单位（{unit}）的工作人员可以{label}（举报 {tipoff.pk}）"
        )


def require_reviewer(actor: Actor, tipoff: Tipoff) -> None:
    if not actor.has_role(Role.REVIEWER):
        raise PermissionDenied("tipoff.reviewer_only", f"只有信用办审核员可以改派举报（举报 {tipoff.pk}）")


def require_text(value: str | None, *, field: str, message: str) -> str:
    """A required free text (reason, findings …), stripped; blank is a 400 `tipoff.<field>_required`."""
    return required_text(value, code=f"tipoff.{field}_required", field=field, message=message)
