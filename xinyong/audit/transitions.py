"""The one transition mechanism of every state machine (docs/architecture.md "Inside an app"; docs/domain.md
Audit: every state change leaves a history row and an audit event): lock the row, check the move against the
app's transition table (plain data in its models.py), bump `version`, save with `update_fields`, write the
history row and the audit event — all in the caller's transaction. Who may act, four eyes, deadlines and
announcements stay in the apps, which each describe their machine once as a `Machine`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, NotFound


def _no_payload(obj: Any) -> dict:
    """Objections and repairs: their audit payload starts with the subject id."""
    return {}


@dataclass(frozen=True)
class Machine:
    """What differs between the machines. `name` prefixes the error codes and audit actions and is the audit
    target type; `label` names the object in messages; `table` maps state → {action: state it leads to}."""

    name: str  # list_entry | tipoff | objection | repair | commitment
    label: str
    model: type[models.Model]
    table: dict[str, dict[str, str]]
    states: dict[str, str]
    actions: dict[str, str]
    history_model: type[models.Model] | None = None  # None: no history rows (and no `step`)
    history_fk: str = ""
    related: tuple[str, ...] = ()  # select_related of the locked row
    payload: Callable[[Any], dict] = _no_payload  # the audit payload's leading, machine-specific fields


def locked(machine: Machine, pk: int) -> Any:
    """The object, locked for this transaction (SELECT … FOR UPDATE of its own row only; SQLite serialises
    writers with BEGIN IMMEDIATE instead), or a 404 `<name>.not_found`."""
    rows = machine.model.objects.select_for_update(of=("self",))
    if machine.related:
        rows = rows.select_related(*machine.related)
    obj = rows.filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"{machine.name}.not_found", f"{machine.label} {pk} 不存在")
    return obj


def target_state(machine: Machine, obj: Any, action: str) -> str:
    """The state `action` leads to from the object's state, or a 409 `<name>.invalid_transition` naming
    both."""
    to_state = machine.table[obj.state].get(action)
    if to_state is None:
        state, label = machine.states[obj.state], machine.actions[action]
        raise Conflict(
            f"{machine.name}.invalid_transition",
            f"{machine.label} {obj.pk} 当前状态为“{state}”，不能{label}",
            state=obj.state,
            action=action,
        )
    return to_state


def step(
    machine: Machine,
    obj: Any,
    *,
    actor: Actor,
    action: str,
    now: dt.datetime,
    reason: str = "",
    fields: Iterable[str] = (),
    extra: dict | None = None,
) -> models.Model:
    """Move a locked object along `action`: new state, version + 1, saved fields, history row, audit event."""
    from_state = obj.state
    obj.state = target_state(machine, obj, action)
    obj.version += 1
    obj.save(update_fields=["state", "version", *fields])
    return history_write(
        machine, obj, actor=actor, action=action, from_state=from_state, now=now, reason=reason, extra=extra
    )


def history_write(
    machine: Machine,
    obj: Any,
    *,
    actor: Actor,
    action: str,
    from_state: str,
    now: dt.datetime,
    reason: str,
    extra: dict | None = None,
) -> models.Model:
    """The history row and the audit event `<name>.<action>` of one step (the creation is a step from no
    state): the payload is the machine's own fields, the subject, from, to, version, then `extra`."""
    transition = machine.history_model.objects.create(
        **{machine.history_fk: obj},
        action=action,
        from_state=from_state,
        to_state=obj.state,
        actor=actor.label,
        unit_code=actor.unit_code,
        reason=reason,
        at=now,
    )
    audit_append(
        actor=actor,
        action=f"{machine.name}.{action}",
        target_type=machine.name,
        target_id=obj.pk,
        reason=reason,
        payload={
            **machine.payload(obj),
            "subject_id": obj.subject_id,
            "from": from_state,
            "to": obj.state,
            "version": obj.version,
            **(extra or {}),
        },
        now=now,
    )
    return transition
