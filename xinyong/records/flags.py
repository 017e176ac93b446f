"""What objections and repairs do to a record (docs/domain.md Objection, Repair; plan tasks 30, 36).

The remedies app decides; these services change the record, each with a status-change row and an audit event,
in the caller's transaction:

- `record_objection_flag`: the current version of the objected decision is flagged `under_objection` at once
  when it is public (`published`); a version that is not public keeps its status (nobody else sees it).
- `record_objection_clear`: the flag comes off; the status is what the publication window says today
  (`published`, or `expired` when the window ended meanwhile).
- `record_repair`: the current version becomes `repaired` (never public again, still retained).

The flag and the repair follow the decision, not one version: a new version submitted while a record is under
objection stays `under_objection`, one of a repaired record stays `repaired` (records/staging.py
`sticky_status`). The sweep expires flagged records too when their window ends: a record past its maximum
period must leave public view whatever else is pending.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, NotFound
from xinyong.core.timeutil import business_date
from xinyong.records.machine import record_step
from xinyong.records.models import Record, RecordStatus

LABELS = dict(RecordStatus.choices)
NOT_OBJECTIONABLE = {RecordStatus.WITHDRAWN: "已撤回", RecordStatus.REPAIRED: "已信用修复"}


def decision_versions(record: Record) -> QuerySet[Record]:
    """Every version of the decision `record` belongs to: same providing unit, category, document number and
    subject (docs/domain.md principle 1: a correction is a new version of the same decision)."""
    return Record.objects.filter(
        unit_id=record.unit_id,
        category_id=record.category_id,
        doc_no=record.doc_no,
        subject_id=record.subject_id,
    )


def decision_version_ids(record: Record) -> list[int]:
    """The ids of `decision_versions`, newest version first."""
    return list(decision_versions(record).order_by("-version").values_list("pk", flat=True))


def record_current_locked(record_id: int) -> Record:
    """The current version of the decision `record_id` belongs to (following supersessions), locked."""
    record = (
        Record.objects.filter(pk=record_id)
        .only("unit_id", "category_id", "doc_no", "subject_id", "status")
        .first()
    )
    if record is None:
        raise NotFound("record.not_found", f"信用信息 {record_id} 不存在")
    if record.status == RecordStatus.ERASED:  # a tombstone has no decision left (records/retention.py)
        raise Conflict("record.erased", f"信用信息 {record_id} 保存期满，已删除")
    decision = decision_versions(record).select_for_update(of=("self",)).select_related("unit", "category")
    # On PostgreSQL a version superseded while this statement waited for its lock is skipped, and the new
    # version is not in the statement's snapshot yet: the next statement sees it.
    for _ in range(3):
        current = decision.filter(is_current=True).first()
        if current is not None:
            return current
    raise Conflict("record.no_current_version", f"信用信息 {record_id} 没有当前版本")


def record_require_objectionable(record: Record) -> None:
    """Refuse an objection against a withdrawn or repaired record (it is no longer published)."""
    if record.status in NOT_OBJECTIONABLE:
        raise Conflict(
            "objection.target_closed",
            f"信用信息 {record.pk} {NOT_OBJECTIONABLE[record.status]}，不再公示，不能对其提出异议",
        )


def record_objection_flag(*, actor: Actor, record_id: int, objection_id: int, now: dt.datetime) -> Record:
    """Flag the objected decision's current version (异议标注). Refuses withdrawn and repaired records."""
    record = record_current_locked(record_id)
    record_require_objectionable(record)
    if record.status == RecordStatus.PUBLISHED:
        _change(record, "flag", f"异议 #{objection_id} 处理中，公示时标注", actor, now,
                action="record.objection_flag", objection_id=objection_id)  # fmt: skip
    return record


def record_objection_clear(*, actor: Actor, record_id: int, objection_id: int, now: dt.datetime) -> Record:
    """Take the objection flag off the decision's current version: back to what its window says today."""
    record = record_current_locked(record_id)
    if record.status == RecordStatus.UNDER_OBJECTION:
        ended = record.publish_max_end is not None and record.publish_max_end < business_date(now)
        event = "unflag_ended" if ended else "unflag"
        _change(record, event, f"异议 #{objection_id} 办结，取消异议标注", actor, now,
                action="record.objection_clear", objection_id=objection_id)  # fmt: skip
    return record


def record_repair(*, actor: Actor, record_id: int, repair_id: int, now: dt.datetime) -> Record:
    """The decision's current version becomes `repaired` (信用修复): publication and sharing end, the record
    stays retained with the repair decision."""
    record = record_current_locked(record_id)
    if record.status == RecordStatus.REPAIRED:
        raise Conflict("record.already_repaired", f"信用信息 {record.pk} 已信用修复")
    _change(record, "repair", f"信用修复申请 #{repair_id} 准予修复，停止公示和共享", actor, now,
            action="record.repair", repair_id=repair_id)  # fmt: skip
    return record


def _change(
    record: Record, event: str, reason: str, actor: Actor, now: dt.datetime, *, action: str, **ref
) -> None:
    from_status = record.status
    to = record_step(record, event, actor=actor, reason=reason, now=now).to_status
    audit_append(
        actor=actor,
        action=action,
        target_type="record",
        target_id=record.pk,
        now=now,
        reason=reason,
        payload={"from": from_status, "to": to, "subject_id": record.subject_id, **ref},
    )
