"""The one transition mechanism of objections and repairs (as lists/services/machine.py is for list entries):
lock the case, check the move against its transition table, save, write the history row and the audit event —
in the caller's transaction. Also the working-day deadlines from the rules table and who may act."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xinyong.audit.services import audit_append
from xinyong.catalog.selectors import rule_in_force
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, NotFound, PermissionDenied
from xinyong.core.timeutil import business_date
from xinyong.core.workdays import working_day_deadline
from xinyong.remedies.models import (
    OBJECTION_TRANSITIONS,
    REPAIR_TRANSITIONS,
    Objection,
    ObjectionState,
    ObjectionTransition,
    RepairApplication,
    RepairState,
    RepairTransition,
)

REVIEWER_ROLE = "reviewer"
OFFICER_ROLES = ("data_officer", "case_officer")


@dataclass(frozen=True)
class Kind:
    """What differs between the two machines."""

    name: str  # objection | repair
    label: str
    model: type
    history: type
    history_fk: str
    table: dict
    states: dict
    actions: dict


OBJECTION = Kind(
    "objection",
    "异议",
    Objection,
    ObjectionTransition,
    "objection",
    OBJECTION_TRANSITIONS,
    dict(ObjectionState.choices),
    {
        "file": "提交异议",
        "accept": "受理",
        "refuse": "不予受理",
        "correct": "登记已更正",
        "uphold": "登记维持原信息",
        "leave_unresolved": "登记无法核实",
        "reply": "书面答复",
    },
)
REPAIR = Kind(
    "repair",
    "信用修复申请",
    RepairApplication,
    RepairTransition,
    "repair",
    REPAIR_TRANSITIONS,
    dict(RepairState.choices),
    {
        "apply": "提交修复申请",
        "check": "初审通过",
        "approve": "准予修复",
        "reject": "不予修复",
        "reopen": "重新决定",
    },
)


def locked(kind: Kind, case_id: int):
    """The case, locked for this transaction (FOR UPDATE of its own row; SQLite serialises writers)."""
    case = kind.model.objects.select_for_update(of=("self",)).filter(pk=case_id).first()
    if case is None:
        raise NotFound(f"{kind.name}.not_found", f"{kind.label} {case_id} 不存在")
    return case


def target_state(kind: Kind, case, action: str) -> str:
    to_state = kind.table[case.state].get(action)
    if to_state is None:
        raise Conflict(
            f"{kind.name}.invalid_transition",
            f"{kind.label} {case.pk} 当前状态为“{kind.states[case.state]}”，不能{kind.actions[action]}",
            state=case.state,
            action=action,
        )
    return to_state


def step(
    kind: Kind, case, *, actor: Actor, action: str, now: dt.datetime, reason: str = "", fields=()
) -> None:
    """Move a locked case along `action`: new state, version + 1, saved fields, history row, audit event."""
    from_state = case.state
    case.state = target_state(kind, case, action)
    case.version += 1
    case.save(update_fields=["state", "version", *fields])
    history(kind, case, actor=actor, action=action, from_state=from_state, now=now, reason=reason)


def history(
    kind: Kind, case, *, actor: Actor, action: str, from_state: str, now: dt.datetime, reason: str
) -> None:
    kind.history.objects.create(
        **{kind.history_fk: case},
        action=action,
        from_state=from_state,
        to_state=case.state,
        actor=actor.label,
        unit_code=actor.unit_code,
        reason=reason,
        at=now,
    )
    audit_append(
        actor=actor,
        action=f"{kind.name}.{action}",
        target_type=kind.name,
        target_id=case.pk,
        reason=reason,
        payload={
            "subject_id": case.subject_id,
            "from": from_state,
            "to": case.state,
            "version": case.version,
        },
        now=now,
    )


def deadline(rule_key: str, start: dt.datetime, *, value: str = "deadline") -> tuple[dt.datetime, bool]:
    """The end (23:59:59 Beijing) of the rule's working-day deadline counted from `start`'s business date, by
    the rule in force that day (DESIGN §4), and whether it is provisional (a year's holidays not loaded)."""
    day = business_date(start)
    quantity = rule_in_force(key=rule_key, on=day).values[value]
    if quantity["unit"] != "working_days":
        raise ValueError(f"rule {rule_key}.{value} is not in working days: {quantity}")
    days = quantity["amount"]
    result = working_day_deadline(day, days)
    return result.value, result.provisional


def require_reviewer(actor: Actor, kind: Kind, action: str) -> None:
    if not actor.has_role(REVIEWER_ROLE):
        raise PermissionDenied(f"{kind.name}.reviewer_only", f"只有信用办审核员可以{kind.actions[action]}")


def require_unit_officer(actor: Actor, unit, kind: Kind, action: str) -> None:
    """Officers of `unit` (the providing or deciding unit) act on their cases; reviewers may too."""
    if actor.has_role(REVIEWER_ROLE):
        return
    if actor.unit_code == unit.code and actor.has_role(*OFFICER_ROLES):
        return
    raise PermissionDenied(
        f"{kind.name}.wrong_unit", f"只有{unit.name}的工作人员或信用办审核员可以{kind.actions[action]}"
    )
