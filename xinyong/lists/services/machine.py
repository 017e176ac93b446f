"""The one mechanism behind every lifecycle service (STYLE "one place for each write"): lock the entry, check
the move against `TRANSITIONS` (plain data in models.py), save with `update_fields`, write the history row and
the audit event — all in the caller's transaction. Also who may act on an entry (four eyes, deciding unit) and
the outbox announcement of publications and exits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, NotFound, PermissionDenied, required_text
from xinyong.core.outbox import outbox_emit
from xinyong.lists.models import TRANSITIONS, EntryState, ListEntry, ListEntryTransition

OFFICER_ROLES = ("data_officer", "case_officer")
REVIEWER_ROLE = "reviewer"
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


def entry_locked(entry_id: int) -> ListEntry:
    """The entry, locked for this transaction (SELECT … FOR UPDATE of the entry row only; SQLite serialises
    writers with BEGIN IMMEDIATE instead)."""
    entry = (
        ListEntry.objects.select_for_update(of=("self",))
        .select_related("list_type__deciding_unit", "subject", "proposing_unit")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound("list_entry.not_found", f"名单条目 {entry_id} 不存在")
    return entry


def target_state(entry: ListEntry, action: str) -> str:
    """The state `action` leads to from the entry's state, or a 409 naming both."""
    to_state = TRANSITIONS[entry.state].get(action)
    if to_state is None:
        raise Conflict(
            "list_entry.invalid_transition",
            f"名单条目 {entry.pk} 当前状态为“{STATE_LABELS[entry.state]}”，不能{ACTION_LABELS[action]}",
            state=entry.state,
            action=action,
        )
    return to_state


def step(
    entry: ListEntry,
    *,
    actor: Actor,
    action: str,
    now: dt.datetime,
    reason: str = "",
    fields: Iterable[str] = (),
    extra: dict | None = None,
) -> ListEntryTransition:
    """Move a locked entry along `action`: new state, version + 1, saved fields, history row, audit event."""
    from_state = entry.state
    entry.state = target_state(entry, action)
    entry.version += 1
    entry.save(update_fields=["state", "version", *fields])
    return history_write(
        entry, actor=actor, action=action, from_state=from_state, now=now, reason=reason, extra=extra
    )


def history_write(
    entry: ListEntry,
    *,
    actor: Actor,
    action: str,
    from_state: str,
    now: dt.datetime,
    reason: str,
    extra: dict | None = None,
) -> ListEntryTransition:
    """The history row and the audit event of one step (the proposal is a step from no state)."""
    transition = ListEntryTransition.objects.create(
        entry=entry,
        action=action,
        from_state=from_state,
        to_state=entry.state,
        actor=actor.label,
        unit_code=actor.unit_code,
        reason=reason,
        at=now,
    )
    audit_append(
        actor=actor,
        action=f"list_entry.{action}",
        target_type="list_entry",
        target_id=entry.pk,
        reason=reason,
        payload={
            "list_type": entry.list_type.code,
            "subject_id": entry.subject_id,
            "from": from_state,
            "to": entry.state,
            "version": entry.version,
            **(extra or {}),
        },
        now=now,
    )
    return transition


def announce(entry: ListEntry, *, event: str, now: dt.datetime) -> None:
    """Queue `list_entry.published` / `list_entry.exited` in this transaction; the pushes worker delivers it
    to every unit that implements a measure for the list (DESIGN §3 Push)."""
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
    return bool(actor.unit_code) and actor.unit_code == unit_code and actor.has_role(*OFFICER_ROLES)


def require_decider(actor: Actor, entry: ListEntry, action: str) -> None:
    """Review, decision, publication and exit belong to the credit office's reviewers or to officers of the
    list type's deciding unit (认定单位)."""
    unit = entry.list_type.deciding_unit
    if actor.has_role(REVIEWER_ROLE) or is_officer_of(actor, unit.code):
        return
    raise PermissionDenied(
        "list_entry.wrong_unit",
        f"只有认定单位（{unit.name}）的工作人员或信用办审核员可以{ACTION_LABELS[action]}"
        f"（名单条目 {entry.pk}）",
    )


def require_four_eyes(actor: Actor, entry: ListEntry, action: str) -> None:
    """The proposer never approves or decides its own proposal (DESIGN principle 2): neither under the same
    actor label nor as the same user through another credential."""
    same_user = actor.user_id is not None and actor.user_id == entry.proposed_by_user_id
    if actor.label == entry.proposed_by or same_user:
        raise PermissionDenied(
            "list_entry.four_eyes",
            f"四眼原则：提议人不能对自己的提议{ACTION_LABELS[action]}（名单条目 {entry.pk}）",
        )


def require_text(value: str | None, *, field: str, message: str) -> str:
    """A required free text (reason, remedy …), stripped; blank is a 400 `list_entry.<field>_required`."""
    return required_text(value, code=f"list_entry.{field}_required", field=field, message=message)
