"""The workbench's item kinds and one item (issue 16, ADR 0039). An item is one thing due from the officer:
what (the kind and its reference), the subject, the unit concerned, the step's deadline with its mark, the
case's state, and the page where the officer acts — a console form for the reviewer's two steps the console
handles itself, the back office's change page (whose actions call the same services) for the others."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xinyong.console.workbench.due import Due, due_of
from xinyong.core.timeutil import BEIJING

# kind → label, in the order the page groups them: the data officer's, the case officer's, the reviewers'
# and deciding units', the credit office's.
KINDS: dict[str, str] = {
    "submission_rejected": "拒收行待更正",
    "submission_late": "超期报送",
    "check_feedback": "核查待反馈",
    "push_unread": "推送待阅",
    "list_review": "名单提议待审核",
    "list_decide": "名单待作出决定",
    "list_publish": "名单决定待公布",
    "objection_accept": "异议待受理",
    "objection_verify": "异议待核实",
    "objection_reply": "异议待答复",
    "repair_check": "修复申请待初审",
    "repair_decide": "修复申请待决定",
    "tipoff_accept": "举报待受理",
    "tipoff_conclude": "举报待办结",
    "objection_escalated": "逾期督办",
    "push_failed": "推送失败",
    "data_alert": "数据质量提醒",
}


@dataclass(frozen=True)
class Item:
    kind: str
    ref: str  # e.g. "名单条目 12"
    what: str  # one line on the matter
    subject: str
    unit_code: str
    unit_name: str
    deadline: dt.datetime | None
    due: Due
    state: str
    action_url: str
    action_label: str

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def deadline_text(self) -> str:
        return self.deadline.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if self.deadline else ""

    @property
    def sort_key(self) -> tuple:
        """Overdue first, then by deadline; items without one after, in their queue's order."""
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        return (self.deadline is None, self.deadline or far)


def item(
    kind: str,
    *,
    ref: str,
    what: str,
    subject: str,
    unit,
    deadline: dt.datetime | None,
    state: str,
    url: str,
    action: str,
    now: dt.datetime,
) -> Item:
    """An item; `unit` is the accounts Unit concerned (or None)."""
    return Item(
        kind=kind,
        ref=ref,
        what=what,
        subject=subject,
        unit_code=unit.code if unit else "",
        unit_name=unit.name if unit else "",
        deadline=deadline,
        due=due_of(deadline, now=now),
        state=state,
        action_url=url,
        action_label=action,
    )
