"""The two state machines of objections and repairs (`OBJECTION`, `REPAIR`) for the one transition
mechanism (audit/transitions.py: lock the case, check the move against its transition table, save, write the
history row and the audit event — in the caller's transaction). Also the working-day deadlines from the rules
table and who may act."""

from __future__ import annotations

import datetime as dt

from xinyong.accounts.roles import UNIT_OFFICERS, Role
from xinyong.audit.transitions import Machine
from xinyong.catalog.selectors import rule_in_force
from xinyong.core.actor import Actor
from xinyong.core.errors import PermissionDenied
from xinyong.core.timeutil import business_date
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
from xinyong.workdays.selectors import working_day_deadline

OBJECTION = Machine(
    name="objection",
    label="异议",
    model=Objection,
    table=OBJECTION_TRANSITIONS,
    states=dict(ObjectionState.choices),
    history_model=ObjectionTransition,
    history_fk="objection",
    actions={
        "file": "提交异议",
        "accept": "受理",
        "refuse": "不予受理",
        "correct": "登记已更正",
        "uphold": "登记维持原信息",
        "leave_unresolved": "登记无法核实",
        "reply": "书面答复",
    },
)
REPAIR = Machine(
    name="repair",
    label="信用修复申请",
    model=RepairApplication,
    table=REPAIR_TRANSITIONS,
    states=dict(RepairState.choices),
    history_model=RepairTransition,
    history_fk="repair",
    actions={
        "apply": "提交修复申请",
        "check": "初审通过",
        "approve": "准予修复",
        "reject": "不予修复",
        "reopen": "重新决定",
    },
)


def deadline(rule_key: str, start: dt.datetime, *, value: str = "deadline") -> tuple[dt.datetime, bool]:
    """The end (23:59:59 Beijing) of the rule's working-day deadline counted from `start`'s business date, by
    the rule in force that day (docs/rules.md), and whether it is provisional (a year's holidays not
    loaded)."""
    day = business_date(start)
    quantity = rule_in_force(key=rule_key, on=day).values[value]
    if quantity["unit"] != "working_days":
        raise ValueError(f"rule {rule_key}.{value} is not in working days: {quantity}")
    days = quantity["amount"]
    result = working_day_deadline(day, days)
    return result.value, result.provisional


def require_reviewer(actor: Actor, kind: Machine, action: str) -> None:
    if not actor.has_role(Role.REVIEWER):
        raise PermissionDenied(f"{kind.name}.reviewer_only", f"只有信用办审核员可以{kind.actions[action]}")


def require_unit_officer(actor: Actor, unit, kind: Machine, action: str) -> None:
    """Officers of `unit` (the providing or deciding unit) act on their cases; reviewers may too."""
    if actor.has_role(Role.REVIEWER):
        return
    if actor.unit_code == unit.code and actor.has_role(*UNIT_OFFICERS):
        return
    raise PermissionDenied(
        f"{kind.name}.wrong_unit", f"只有{unit.name}的工作人员或信用办审核员可以{kind.actions[action]}"
    )
