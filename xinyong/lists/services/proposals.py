"""Proposing a list entry (提议列入, docs/domain.md): who may propose, on which records, and the checks that
keep one open entry per list and subject and keep black-listed or seriously dishonest subjects off red
lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from xinyong.accounts.models import Unit
from xinyong.accounts.roles import CASE_HANDLERS
from xinyong.accounts.selectors import unit_by_code
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from xinyong.lists.models import OPEN_STATES, EntryState, ListEntry, ListKind, ListType
from xinyong.lists.services.machine import (
    STATE_LABELS,
    history_write,
    require_text,
)
from xinyong.records.models import Record, RecordStatus
from xinyong.records.selectors import record_in_bulk, record_serious_negative_in_force
from xinyong.subjects.models import Subject, SubjectStatus

MAX_BASIS_RECORDS = 100
# A basis record must be the current version of a fact that still stands.
_NOT_A_BASIS = (RecordStatus.WITHDRAWN, RecordStatus.SUPERSEDED, RecordStatus.REPAIRED)


def list_entry_propose(
    *,
    actor: Actor,
    list_type: ListType | str,
    subject: Subject,
    basis_record_ids: Iterable[int],
    legal_basis: str,
    reasons: str,
    now: dt.datetime,
) -> ListEntry:
    """Propose to put a subject on a list (提议列入), by an officer of a unit or a credit-office reviewer,
    with the legal basis, the reasons and the records it rests on (current versions about this subject). A
    subject has at most one open entry per list (409 `list_entry.duplicate`); a red list refuses a subject
    that is on a black list or has a serious negative record."""
    unit = _proposing_unit(actor)
    legal_basis = require_text(legal_basis, field="legal_basis", message="提议列入须写明法律依据")
    reasons = require_text(reasons, field="reasons", message="提议列入须写明列入理由")
    with transaction.atomic():
        list_type = _list_type_open(list_type)
        if subject.status != SubjectStatus.ACTIVE:
            raise Conflict(
                "list_entry.subject_merged", f"主体 {subject.pk} 已合并至其他主体，请对合并后的主体提议"
            )
        records = _basis_records(subject, basis_record_ids)
        _refuse_duplicate(list_type, subject)
        if list_type.kind == ListKind.RED:
            red_list_refusal(subject)
        try:
            with transaction.atomic():
                entry = ListEntry.objects.create(
                    list_type=list_type,
                    subject=subject,
                    legal_basis=legal_basis,
                    reasons=reasons,
                    proposing_unit=unit,
                    proposed_by=actor.label,
                    proposed_by_user_id=actor.user_id,
                    proposed_at=now,
                )
        except IntegrityError as exc:  # a concurrent proposal committed first
            raise _duplicate(list_type, subject) from exc
        entry.basis_records.set(records)
        extra = {"basis_record_ids": [r.pk for r in records], "proposing_unit": unit.code}
        history_write(
            entry, actor=actor, action="propose", from_state="", now=now, reason=reasons, extra=extra
        )
    return entry


def red_list_refusal(subject: Subject) -> None:
    """A subject on a black list, or with a serious negative record in force, cannot be on a red list."""
    black = (
        ListEntry.objects.filter(subject=subject, state=EntryState.PUBLISHED, list_type__kind=ListKind.BLACK)
        .select_related("list_type")
        .first()
    )
    if black is not None:
        raise Conflict(
            "list_entry.red_blocked",
            f"该主体已被列入{black.list_type.name}（名单条目 {black.pk}），不能列入红名单",
        )
    serious = record_serious_negative_in_force(subject_id=subject.pk)
    if serious is not None:
        raise Conflict(
            "list_entry.red_blocked",
            f"该主体有严重失信信息（{serious.category.name} {serious.doc_no}），不能列入红名单",
        )


def _proposing_unit(actor: Actor) -> Unit:
    unit = unit_by_code(code=actor.unit_code, active_only=True) if actor.unit_code else None
    if not actor.has_role(*CASE_HANDLERS) or unit is None:
        raise PermissionDenied(
            "list_entry.propose_not_allowed", "只有单位的数据报送员、业务经办员或信用办审核员可以提议列入名单"
        )
    return unit


def _list_type_open(list_type: ListType | str) -> ListType:
    code = list_type if isinstance(list_type, str) else list_type.code
    found = ListType.objects.select_related("deciding_unit").filter(code=code).first()
    if found is None:
        raise NotFound("list_type.not_found", f"名单类型 {code} 不存在")
    if not found.active:
        raise Conflict("list_type.inactive", f"名单类型“{found.name}”已停用，不能再提议列入")
    return found


def _basis_records(subject: Subject, ids: Iterable[int]) -> list[Record]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        require_text("", field="basis_record_ids", message="提议列入须附至少一条依据信息")
    if len(wanted) > MAX_BASIS_RECORDS:
        raise DomainError(
            "list_entry.basis_too_many", f"依据信息最多 {MAX_BASIS_RECORDS} 条，实为 {len(wanted)} 条"
        )
    found = record_in_bulk(record_ids=wanted)
    errors = []
    for record_id in wanted:
        record = found.get(record_id)
        if record is None:
            errors.append(("record_not_found", f"信息 {record_id} 不存在"))
        elif record.subject_id != subject.pk:
            errors.append(("record_other_subject", f"信息 {record_id} 不是该主体的信息"))
        elif not record.is_current or record.status in _NOT_A_BASIS:
            errors.append(
                ("record_not_current", f"信息 {record_id} 不是现行有效的版本（已撤回、更正或修复）")
            )
    if errors:
        raise DomainError(
            "list_entry.basis_invalid",
            "依据信息有误：" + "；".join(message for _, message in errors),
            errors=[
                {"field": "basis_record_ids", "code": code, "message": message} for code, message in errors
            ],
        )
    return [found[record_id] for record_id in wanted]


def _refuse_duplicate(list_type: ListType, subject: Subject) -> None:
    if ListEntry.objects.filter(list_type=list_type, subject=subject, state__in=OPEN_STATES).exists():
        raise _duplicate(list_type, subject)


def _duplicate(list_type: ListType, subject: Subject) -> Conflict:
    open_entry = ListEntry.objects.filter(list_type=list_type, subject=subject, state__in=OPEN_STATES).first()
    entry_id = open_entry.pk if open_entry else None
    state = STATE_LABELS[open_entry.state] if open_entry else ""
    return Conflict(
        "list_entry.duplicate",
        f"该主体在{list_type.name}上已有未结束的名单条目（{entry_id}，{state}）",
        entry_id=entry_id,
    )
