"""The list-entry lifecycle from review to publication (docs/domain.md "List type and list entry", principle
2):

proposed ──review──▶ notice_sent ──statement period ends──▶ decided ──▶ published
    └─▶ rejected          └─▶ withdrawn                      └─▶ withdrawn

One service per transition, each in one transaction through `machine.step` (lock, TRANSITIONS, history,
audit). The proposal is in proposals.py, the statement period in statements.py, exits in exits.py.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, PermissionDenied
from xinyong.core.timeutil import BEIJING, business_date
from xinyong.lists.models import ListEntry, ListKind, ListType, NoticeKind, StatementKind
from xinyong.lists.remedy import channels_of, remedy_check
from xinyong.lists.services.exits import red_entries_end_for_subjects
from xinyong.lists.services.machine import (
    announce,
    entry_locked,
    is_officer_of,
    require_decider,
    require_four_eyes,
    require_text,
    step,
    target_state,
)
from xinyong.lists.services.notices import cn_deadline, entry_dates, notice_send
from xinyong.lists.services.proposals import red_list_refusal
from xinyong.workdays.selectors import working_day_deadline


def list_entry_review(
    *, actor: Actor, entry_id: int, approve: bool, reason: str, now: dt.datetime
) -> ListEntry:
    """Review a proposal (审核), by a credit-office reviewer or an officer of the deciding unit, never the
    proposer (four eyes, 403 `list_entry.four_eyes`). Approval sends the notice (告知书) with the statement
    deadline: `statement_working_days` working days after today (Beijing), ending 23:59:59; a rejection needs
    a reason."""
    action = "approve" if approve else "reject"
    if approve:
        reason = (reason or "").strip()
    else:
        reason = require_text(reason, field="reason", message="审核不通过须说明理由")
    with transaction.atomic():
        entry = entry_locked(entry_id)
        require_decider(actor, entry, action)
        target_state(entry, action)
        require_four_eyes(actor, entry, action)
        entry.reviewed_by = actor.label
        if not approve:
            step(entry, actor=actor, action=action, now=now, reason=reason, fields=["reviewed_by"])
            return entry
        deadline = working_day_deadline(business_date(now), entry.list_type.statement_working_days)
        entry.statement_deadline, entry.statement_deadline_provisional = deadline.value, deadline.provisional
        notice = notice_send(entry, kind=NoticeKind.NOTICE, now=now)
        extra = {
            "notice_id": notice.pk,
            "statement_deadline": deadline.value.isoformat(),
            "provisional_years": list(deadline.provisional_years),
        }
        fields = ["reviewed_by", "statement_deadline", "statement_deadline_provisional"]
        step(entry, actor=actor, action=action, now=now, reason=reason, fields=fields, extra=extra)
    return entry


def list_entry_decide(
    *,
    actor: Actor,
    entry_id: int,
    remedy: str,
    now: dt.datetime,
    reason: str = "",
    duration_months: int | None = None,
) -> ListEntry:
    """Decide to list (作出列入决定) once the statement period has passed (or the subject waived it), by the
    deciding unit or a reviewer, never the proposer. The decision letter (决定书) states the term, the remedy
    (required, and refused as `list_entry.remedy_incomplete` when it drops one of the list type's remedy
    channels or its period: 《行政处罚法》 art. 44, lists/remedy.py) and, when the subject made
    statements, how they were answered (`reason`, then required).
    `duration_months` may shorten the list type's term where the law sets a range (政府采购: 1–3 years)."""
    remedy = require_text(remedy, field="remedy", message="列入决定须载明救济途径")
    reason = (reason or "").strip()
    with transaction.atomic():
        entry = entry_locked(entry_id)
        require_decider(actor, entry, "decide")
        target_state(entry, "decide")
        require_four_eyes(actor, entry, "decide")
        _statement_period_over(entry, now)
        remedy_check(remedy, channels_of(entry.list_type.remedy_channels))
        if not reason and entry.statements.exclude(kind=StatementKind.WAIVER).exists():
            require_text(
                reason, field="reason", message="当事人提出了陈述、申辩或异议，作出决定须说明采纳情况"
            )
        entry.duration_months = _duration(entry.list_type, duration_months)
        entry.decided_at, entry.remedy = now, remedy
        notice = notice_send(entry, kind=NoticeKind.DECISION, now=now, answer=reason)
        fields = ["decided_at", "remedy", "duration_months"]
        step(
            entry,
            actor=actor,
            action="decide",
            now=now,
            reason=reason,
            fields=fields,
            extra={"notice_id": notice.pk},
        )
    return entry


def list_entry_publish(*, actor: Actor, entry_id: int, now: dt.datetime) -> ListEntry:
    """Publish a decided entry (公布): it is on the list from now through `expires_on` (decision date + term).
    Announces `list_entry.published` through the outbox; a black-list publication ends the subject's
    published red-list entries (exit reason `superseded`, docs/domain.md)."""
    with transaction.atomic():
        entry = entry_locked(entry_id)
        require_decider(actor, entry, "publish")
        target_state(entry, "publish")
        if entry.list_type.kind == ListKind.RED:
            red_list_refusal(entry.subject)
        entry.published_at = now
        entry.expires_on, entry.earliest_exit_on = entry_dates(entry)
        extra = {"expires_on": entry.expires_on and entry.expires_on.isoformat()}
        step(
            entry,
            actor=actor,
            action="publish",
            now=now,
            fields=["published_at", "expires_on", "earliest_exit_on"],
            extra=extra,
        )
        announce(entry, event="published", now=now)
        if entry.list_type.kind == ListKind.BLACK:
            reason = f"主体被列入{entry.list_type.name}（名单条目 {entry.pk}），依规移出红名单"
            red_entries_end_for_subjects(actor=actor, subject_ids=[entry.subject_id], reason=reason, now=now)
    return entry


def list_entry_withdraw(*, actor: Actor, entry_id: int, reason: str, now: dt.datetime) -> ListEntry:
    """Withdraw an entry before publication (撤回), with a reason: by the proposing or the deciding unit, or a
    reviewer. A published entry can only exit."""
    reason = require_text(reason, field="reason", message="撤回须说明理由")
    with transaction.atomic():
        entry = entry_locked(entry_id)
        if not (
            actor.has_role(Role.REVIEWER)
            or is_officer_of(actor, entry.proposing_unit.code)
            or is_officer_of(actor, entry.list_type.deciding_unit.code)
        ):
            raise PermissionDenied(
                "list_entry.wrong_unit", f"只有提议单位、认定单位或信用办可以撤回名单条目 {entry.pk}"
            )
        step(entry, actor=actor, action="withdraw", now=now, reason=reason)
    return entry


def _statement_period_over(entry: ListEntry, now: dt.datetime) -> None:
    if now <= entry.statement_deadline and not entry.statement_waived:
        raise Conflict(
            "list_entry.statement_period_open",
            f"陈述申辩期至 {cn_deadline(entry.statement_deadline)} 届满，"
            "届满前（当事人放弃的除外）不能作出决定",
            statement_deadline=entry.statement_deadline.astimezone(BEIJING).isoformat(),
        )


def _duration(list_type: ListType, months: int | None) -> int | None:
    """The entry's term: the list type's, or a shorter one the decision sets (1 … the list type's term)."""
    if months is None:
        return list_type.duration_months
    longest = list_type.duration_months
    if months < 1 or (longest is not None and months > longest):
        raise DomainError(
            "list_entry.duration_invalid",
            f"列入期限须在 1–{longest} 个月之间" if longest else "列入期限须为正整数（月）",
            errors=[{"field": "duration_months", "code": "out_of_range", "message": "列入期限超出范围"}],
        )
    return months
