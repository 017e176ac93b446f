"""The list entry's state machine (`LIST_ENTRY`) for the one transition mechanism (audit/transitions.py,
docs/architecture.md "Inside an app": lock, `TRANSITIONS` from models.py, history row, audit event led by the
list type, in the caller's transaction); `entry_locked`, `target_state`, `step` and `history_write` are that
mechanism bound to it. Also who may act on an entry (four eyes, deciding unit) and the outbox announcement of
publications and exits.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from xinyong.accounts.roles import UNIT_OFFICERS, Role
from xinyong.audit import transitions
from xinyong.audit.transitions import Machine
from xinyong.core.actor import Actor
from xinyong.core.errors import PermissionDenied, required_text
from xinyong.core.outbox import outbox_emit
from xinyong.lists.models import TRANSITIONS, EntryState, ListEntry, ListEntryTransition
from xinyong.lists.selectors import list_entry_proposed_by

STATE_LABELS = dict(EntryState.choices)
ACTION_LABELS = {
    "propose": "提议列入",
    "approve": "审核通过",
    "reject": "审核不通过",
    "decide": "作出列入决定",
    "publish": "公布",
    "exit": "移出",
    "withdraw": "撤回",
}

LIST_ENTRY = Machine(
    name="list_entry",
    label="名单条目",
    model=ListEntry,
    table=TRANSITIONS,
    states=STATE_LABELS,
    actions=ACTION_LABELS,
    history_model=ListEntryTransition,
    history_fk="entry",
    related=("list_type__deciding_unit", "subject", "proposing_unit"),
    payload=lambda entry: {"list_type": entry.list_type.code},
)
entry_locked = partial(transitions.locked, LIST_ENTRY)
target_state = partial(transitions.target_state, LIST_ENTRY)
step = partial(transitions.step, LIST_ENTRY)
history_write = partial(transitions.history_write, LIST_ENTRY)


def announce(entry: ListEntry, *, event: str, now: dt.datetime) -> None:
    """Queue `list_entry.published` / `list_entry.exited` in this transaction; the pushes worker delivers it
    to every unit that implements a measure for the list (docs/domain.md Push)."""
    outbox_emit(
        topic=f"list_entry.{event}",
        payload={
            "entry_id": entry.pk,
            "event": event,
            "list_type": entry.list_type.code,
            "subject_id": entry.subject_id,
            "reason": entry.exit_reason,
        },
        now=now,
    )


# ── who may act ─────────────────────────────────────────────────────────────────────────────────────────


def is_officer_of(actor: Actor, unit_code: str) -> bool:
    return bool(actor.unit_code) and actor.unit_code == unit_code and actor.has_role(*UNIT_OFFICERS)


def require_decider(actor: Actor, entry: ListEntry, action: str) -> None:
    """Review, decision, publication and exit belong to the credit office's reviewers or to officers of the
    list type's deciding unit (认定单位)."""
    unit = entry.list_type.deciding_unit
    if actor.has_role(Role.REVIEWER) or is_officer_of(actor, unit.code):
        return
    raise PermissionDenied(
        "list_entry.wrong_unit",
        f"只有认定单位（{unit.name}）的工作人员或信用办审核员可以{ACTION_LABELS[action]}"
        f"（名单条目 {entry.pk}）",
    )


def require_four_eyes(actor: Actor, entry: ListEntry, action: str) -> None:
    """The proposer never approves or decides its own proposal (docs/domain.md principle 2): neither under the
    same actor label, nor as the same user or the same named officer through another credential (issue 12:
    accounts/policy.py `same_person`)."""
    if list_entry_proposed_by(actor, entry):
        raise PermissionDenied(
            "list_entry.four_eyes",
            f"四眼原则：提议人不能对自己的提议{ACTION_LABELS[action]}（名单条目 {entry.pk}）",
        )


def require_text(value: str | None, *, field: str, message: str) -> str:
    """A required free text (reason, remedy …), stripped; blank is a 400 `list_entry.<field>_required`."""
    return required_text(value, code=f"list_entry.{field}_required", field=field, message=message)
