"""The statement period (陈述申辩期, docs/domain.md principle 2): what the subject says between the notice and
the deadline. The entry does not move; the decision waits for the deadline unless the subject waives."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.roles import Role
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, PermissionDenied
from xinyong.lists.models import EntryState, ListEntry, ListEntryStatement, StatementKind
from xinyong.lists.services.machine import (
    STATE_LABELS,
    entry_locked,
    is_officer_of,
    require_text,
)
from xinyong.lists.services.notices import cn_deadline


def list_entry_statement(
    *,
    actor: Actor,
    entry_id: int,
    text: str,
    now: dt.datetime,
    kind: str = StatementKind.STATEMENT,
    waive: bool = False,
) -> ListEntryStatement:
    """The subject states its case or objects (陈述、申辩、异议) during the statement period, through its own
    account, or an officer of the deciding or proposing unit records a written statement. `waive=True`
    records that the subject waives the rest of the period (放弃陈述申辩), so the decision need not wait.
    Refused outside `notice_sent`, after the deadline, and after a waiver. The entry itself does not move."""
    kind = StatementKind.WAIVER if waive else kind
    if kind not in StatementKind.values:
        raise DomainError(
            "list_entry.statement_kind_invalid", f"陈述类型只能是 statement 或 objection，实为 {kind}"
        )
    text = (text or "").strip()
    with transaction.atomic():
        entry = entry_locked(entry_id)
        on_behalf = _statement_author(actor, entry)
        if not text and (kind != StatementKind.WAIVER or on_behalf):
            require_text(
                text, field="text", message="陈述申辩须有内容（工作人员代为登记的，写明书面材料的内容）"
            )
        _statement_period_open(entry, now)
        statement = ListEntryStatement.objects.create(
            entry=entry,
            kind=kind,
            text=text,
            on_behalf=on_behalf,
            recorded_by=actor.label,
            unit_code=actor.unit_code,
            at=now,
        )
        if kind == StatementKind.WAIVER:
            entry.statement_waived = True
        else:
            entry.statement = text
        entry.save(update_fields=["statement", "statement_waived"])
        audit_append(
            actor=actor,
            action="list_entry.statement",
            target_type="list_entry",
            target_id=entry.pk,
            payload={"statement_id": statement.pk, "kind": kind, "on_behalf": on_behalf},
            now=now,
        )
    return statement


def _statement_author(actor: Actor, entry: ListEntry) -> bool:
    """False for the subject itself (its verified account), True for an officer recording a written
    statement; anyone else is refused."""
    if subject_id_of(actor=actor) == entry.subject_id:
        return False
    if (
        actor.has_role(Role.REVIEWER)
        or is_officer_of(actor, entry.list_type.deciding_unit.code)
        or is_officer_of(actor, entry.proposing_unit.code)
    ):
        return True
    raise PermissionDenied(
        "list_entry.statement_not_allowed",
        "只有被列入的主体本人（主体账户），或认定单位、提议单位的工作人员（登记书面陈述）可以提出陈述申辩",
    )


def _statement_period_open(entry: ListEntry, now: dt.datetime) -> None:
    if entry.state != EntryState.NOTICE_SENT:
        raise Conflict(
            "list_entry.statement_not_open",
            f"名单条目 {entry.pk} 当前状态为“{STATE_LABELS[entry.state]}”，不在陈述申辩期内",
        )
    if now > entry.statement_deadline:
        raise Conflict(
            "list_entry.statement_deadline_passed",
            f"陈述申辩期已于 {cn_deadline(entry.statement_deadline)} 届满",
        )
    if entry.statement_waived:
        raise Conflict("list_entry.statement_waived", "当事人已声明放弃陈述申辩，不再接收陈述")
