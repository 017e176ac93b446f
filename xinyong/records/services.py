"""Writes of the records app: withdrawing records, status changes, the publication sweep (issue 3); receiving
submissions is the intake app's (intake/services.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from xinyong.accounts.roles import OFFICE, REGISTRARS, SUBMITTERS, Role
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from xinyong.core.timeutil import business_date
from xinyong.records.machine import record_step, record_steps
from xinyong.records.models import ChangeKind, NameChangeCandidate, Record, RecordStatus
from xinyong.records.staging import batch_staging

SWEPT_STATUSES = (RecordStatus.PUBLISHED, RecordStatus.UNDER_OBJECTION)


# ── withdrawal and the sweep ─────────────────────────────────────────────────────────────────────────────


def record_withdraw(*, actor: Actor, record_id: int, reason: str, now: dt.datetime) -> Record:
    """The providing unit withdraws a decision (撤回): a new version in status `withdrawn` (principle 1)."""
    actor.require(*SUBMITTERS)
    if not reason.strip():
        raise DomainError("record.reason_required", "撤回须说明理由")
    with transaction.atomic():
        old = Record.objects.select_for_update().select_related("unit").filter(pk=record_id).first()
        if old is None:
            raise NotFound("record.not_found", f"信用信息 {record_id} 不存在")
        if actor.unit_code != old.unit.code and not actor.has_role(Role.ADMIN):
            raise PermissionDenied("record.other_unit", "只有提供单位可以撤回本条信息")
        if not old.is_current or old.status == RecordStatus.WITHDRAWN:
            raise Conflict("record.not_current", "该信息不是当前版本或已撤回")
        staging = batch_staging(unit_id=old.unit_id, category_id=old.category_id)
        if staging is not None:  # its versions may replace this one at publication (ADR 0026)
            raise Conflict(
                "record.import_in_progress",
                f"本单位该类别的归集批次 #{staging} 正在导入，请在其完成后再撤回",
                submission_id=staging,
            )
        new = _withdrawal_version(old, now)
        record_step(old, "supersede", actor=actor, reason=f"被撤回版本 #{new.pk} 取代", now=now)
        record_step(new, "withdraw", actor=actor, reason=reason, now=now)
        audit_append(
            actor=actor,
            action="record.withdraw",
            target_type="record",
            target_id=new.pk,
            now=now,
            reason=reason,
            payload={"supersedes": old.pk, "doc_no": old.doc_no},
        )
    return new


def _withdrawal_version(old: Record, now: dt.datetime) -> Record:
    old.is_current = False
    old.save(update_fields=["is_current"])
    fields = {f.attname: getattr(old, f.attname) for f in Record._meta.concrete_fields if f.attname != "id"}
    fields.update(
        version=old.version + 1,
        is_current=True,
        supersedes_id=old.pk,
        change_kind=ChangeKind.WITHDRAWAL,
        received_at=now,  # with the old version's status: the `withdraw` step moves it from there
    )
    return Record.objects.create(**fields)


@dataclass(frozen=True)
class SweepResult:
    today: dt.date
    expired: int


def records_sweep(*, actor: Actor, now: dt.datetime, batch: int = 2000) -> SweepResult:
    """End publication at the maximum period (docs/rules.md): every published record whose window ended before
    today becomes `expired` — flagged ones (`under_objection`) too: a record past its maximum period leaves
    public view whatever is pending (the objection goes on) — with a status change per record and one audit
    event per batch.
    Safe to run at any time and often; after days without running it catches up (it compares with today)."""
    today = business_date(now)
    expired = 0
    while True:
        with transaction.atomic():
            rows = list(
                Record.objects.select_for_update()
                .filter(status__in=SWEPT_STATUSES, publish_max_end__lt=today)
                .values_list("id", "status")[:batch]
            )
            if not rows:
                break
            _expire(rows, today, actor, now)
            expired += len(rows)
    return SweepResult(today, expired)


def _expire(rows: list[tuple[int, str]], today: dt.date, actor: Actor, now: dt.datetime) -> None:
    reason = f"公示期满（截至 {today} 前的最长公示期已届满）"
    ids = [i for i, _ in rows]
    record_steps(rows, "expire", reason=reason, actor_label=actor.label, at=now)
    # the status test again: a row another writer changed since it was read keeps that change
    Record.objects.filter(id__in=ids, status__in=SWEPT_STATUSES).update(status=RecordStatus.EXPIRED)
    audit_append(
        actor=actor,
        action="records.sweep",
        target_type="record",
        target_id=f"{ids[0]}..{ids[-1]}",
        now=now,
        payload={"expired": len(ids), "today": today.isoformat()},
    )


# ── suspected name changes ───────────────────────────────────────────────────────────────────────────────


def name_candidate_dismiss(
    *, actor: Actor, candidate_id: int, reason: str, now: dt.datetime
) -> NameChangeCandidate:
    """Dismiss a suspected name change (不予采纳): the registry name stays (issue 3: never overwritten
    silently); status ``dismissed`` and a ``name_candidate.dismiss`` audit event, in one transaction."""
    actor.require(*REGISTRARS)
    with transaction.atomic():
        candidate = (
            NameChangeCandidate.objects.select_for_update(of=("self",))
            .select_related("submission__unit")
            .filter(pk=candidate_id)
            .first()
        )
        if candidate is None:
            raise NotFound("name_candidate.not_found", f"疑似更名 {candidate_id} 不存在")
        if not actor.has_role(*OFFICE) and actor.unit_code != candidate.submission.unit.code:
            raise PermissionDenied("name_candidate.other_unit", "只能处理本单位报送中发现的疑似更名")
        if candidate.status != "open":
            raise Conflict("name_candidate.not_open", "该疑似更名已处理")
        candidate.status = "dismissed"
        candidate.save(update_fields=["status"])
        audit_append(
            actor=actor,
            action="name_candidate.dismiss",
            target_type="name_candidate",
            target_id=candidate.pk,
            now=now,
            reason=reason,
            payload={"subject": candidate.subject_id, "submission": candidate.submission_id},
        )
    return candidate
