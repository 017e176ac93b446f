"""Credit repair (信用修复, docs/domain.md Repair; plan tasks 36, 37): an application that fails a condition
is refused at once with every reason, before anyone reviews it; one that meets them all is checked by the
credit office and decided by the unit that made the original decision (never by the checker: four eyes),
within the rules' working days. Approval ends publication and sharing of the record (`repaired`, retained),
takes the list entries it supports off their lists, and announces the repair through the outbox so every unit
that checked the subject hears of it. Repair is free: there is no fee field anywhere.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.policy import same_person
from xinyong.accounts.roles import CASE_HANDLERS
from xinyong.audit.transitions import history_write, locked, step, target_state
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, PermissionDenied, required_text
from xinyong.core.evidence import Upload, evidence_check, evidence_store
from xinyong.core.outbox import outbox_emit
from xinyong.core.querycode import query_code_new
from xinyong.core.timeutil import business_date
from xinyong.lists.selectors import list_entries_published_on_records
from xinyong.lists.services import list_entry_exit
from xinyong.records.flags import decision_version_ids, record_repair
from xinyong.remedies.models import RepairApplication, RepairState
from xinyong.remedies.services.conditions import Target, commitment_for, repair_conditions, repair_target
from xinyong.remedies.services.machine import (
    REPAIR,
    deadline,
    require_reviewer,
    require_unit_officer,
)

OPEN_STATES = (RepairState.SUBMITTED, RepairState.CHECKED)


def repair_preview(
    *,
    actor: Actor,
    target_kind: str,
    target_id: int,
    evidence_count: int,
    certificate_no: str,
    now: dt.datetime,
) -> tuple[Target, list]:
    """The conditions as they stand, for the applicant to read before applying (writes nothing). The target is
    read as `repair_apply` reads it, locked (select_for_update), so in a transaction of its own: outside one,
    PostgreSQL refuses the lock (the portal's preview answered 500 there; SQLite ignores the lock)."""
    with transaction.atomic():
        target = repair_target(target_kind=target_kind, target_id=target_id)
        _require_applicant(actor, target.subject_id)
        conditions = repair_conditions(
            target=target,
            evidence_count=evidence_count,
            certificate_no=certificate_no,
            today=business_date(now),
        )
    return target, conditions


def repair_apply(
    *,
    actor: Actor,
    target_kind: str,
    target_id: int,
    statement: str,
    applicant_name: str,
    evidence: list[Upload],
    certificate_no: str,
    now: dt.datetime,
) -> RepairApplication:
    """Apply (申请信用修复). Refused at once (422, one error per unmet condition) unless every condition
    holds."""
    statement = required_text(
        statement,
        code="repair.statement_required",
        field="statement",
        message="请说明申请修复的理由和已纠正失信行为的情况",
    )
    applicant_name = required_text(
        applicant_name, code="repair.applicant_required", field="applicant_name", message="请填写申请人"
    )
    evidence_check(list(evidence))
    with transaction.atomic():
        target = repair_target(target_kind=target_kind, target_id=target_id)
        _require_applicant(actor, target.subject_id)
        _require_none_open(target)
        conditions = repair_conditions(
            target=target,
            evidence_count=len(evidence),
            certificate_no=certificate_no,
            today=business_date(now),
        )
        _refuse_unmet(conditions)
        repair = _create(target, actor, statement, applicant_name, certificate_no, conditions, now)
        repair.evidence = evidence_store(
            files=list(evidence), purpose="repair", actor_label=actor.label, now=now
        )
        repair.save(update_fields=["evidence"])
        history_write(REPAIR, repair, actor=actor, action="apply", from_state="", now=now, reason=statement)
    return repair


def _require_applicant(actor: Actor, subject_id: int) -> None:
    """The subject itself, or an officer registering a written application for it."""
    if subject_id_of(actor=actor) == subject_id or actor.has_role(*CASE_HANDLERS):
        return
    raise PermissionDenied(
        "repair.not_subject", "只有信用主体本人可以申请信用修复（或由工作人员代为登记书面申请）"
    )


def _require_none_open(target: Target) -> None:
    if target.record is not None:
        same = RepairApplication.objects.filter(record__in=decision_version_ids(target.record))
    else:
        same = RepairApplication.objects.filter(list_entry=target.entry)
    other = same.filter(state__in=OPEN_STATES).values_list("pk", flat=True).first()
    if other is not None:
        raise Conflict("repair.already_open", f"该对象已有正在办理的信用修复申请（申请 #{other}）")


def _refuse_unmet(conditions: list) -> None:
    unmet = [c for c in conditions if not c.met]
    if unmet:
        raise DomainError(
            "repair.conditions_not_met",
            "不符合信用修复条件：" + "；".join(f"{c.label}——{c.detail}" for c in unmet),
            status=422,
            errors=[{"field": c.code, "code": "unmet", "message": c.detail} for c in unmet],
            extra={"conditions": [c.as_dict() for c in conditions]},
        )


def _create(target: Target, actor: Actor, statement, applicant_name, certificate_no, conditions, now):
    commitment = commitment_for(target)
    overall_due, provisional = deadline("repair.overall", now)
    return RepairApplication.objects.create(
        query_code=query_code_new("repair"),
        subject_id=target.subject_id,
        target_kind=target.kind,
        record=target.record,
        list_entry=target.entry,
        deciding_unit=target.deciding_unit,
        statement=statement,
        commitment_id=commitment.pk if commitment else None,
        certificate_no=certificate_no.strip(),
        conditions=[c.as_dict() for c in conditions],
        applicant_name=applicant_name,
        filed_by=actor.label,
        filed_at=now,
        overall_due=overall_due,
        deadline_provisional=provisional,
    )


def repair_check(
    *, actor: Actor, repair_id: int, passed: bool, reason: str, now: dt.datetime
) -> RepairApplication:
    """The credit office's check of the materials (初审): passed → to the deciding unit, which has the rule's
    working days; failed → rejected with the reasons."""
    require_reviewer(actor, REPAIR, "check" if passed else "reject")
    reason = reason.strip()
    if not passed:
        reason = required_text(
            reason, code="repair.reason_required", field="reason", message="不予修复须说明理由"
        )
    with transaction.atomic():
        repair = locked(REPAIR, repair_id)
        target_state(REPAIR, repair, "check")  # the check happens once, on a submitted application
        if passed:
            repair.checked_by = actor.label
            repair.decide_due, provisional = deadline("repair.decide", now)
            repair.deadline_provisional = repair.deadline_provisional or provisional
            step(
                REPAIR,
                repair,
                actor=actor,
                action="check",
                now=now,
                reason=reason,
                fields=["checked_by", "decide_due", "deadline_provisional"],
            )
        else:
            _decide(repair, actor, approve=False, reason=reason, now=now)
    return repair


def repair_decide(
    *, actor: Actor, repair_id: int, approve: bool, reason: str, now: dt.datetime
) -> RepairApplication:
    """The deciding unit's decision (准予 / 不予修复), with reasons; never by the one who checked it."""
    reason = required_text(
        reason, code="repair.reason_required", field="reason", message="修复决定须说明理由"
    )
    with transaction.atomic():
        repair = locked(REPAIR, repair_id)
        require_unit_officer(actor, repair.deciding_unit, REPAIR, "approve" if approve else "reject")
        if same_person(actor, repair.checked_by):  # four eyes between people (issue 12)
            raise PermissionDenied(
                "repair.four_eyes", f"四眼原则：初审人不能对同一申请作出修复决定（申请 #{repair.pk}）"
            )
        _decide(repair, actor, approve=approve, reason=reason, now=now)
    return repair


def _decide(repair: RepairApplication, actor: Actor, *, approve: bool, reason: str, now: dt.datetime) -> None:
    repair.decided_by, repair.decided_at, repair.decision_reason = actor.label, now, reason
    fields = ["decided_by", "decided_at", "decision_reason"]
    if approve:
        repair.share_due, _ = deadline("repair.share", now)
        fields.append("share_due")
    step(
        REPAIR,
        repair,
        actor=actor,
        action="approve" if approve else "reject",
        now=now,
        reason=reason,
        fields=fields,
    )
    if approve:
        _effects(repair, actor, now)


def _effects(repair: RepairApplication, actor: Actor, now: dt.datetime) -> None:
    """Publication and sharing end; supported list entries exit where their list's exit rule allows a repair
    (lists: `list_entry_exit`); units that relied on the old state hear of it."""
    reason = f"信用修复（修复申请 #{repair.pk} 准予修复）"
    if repair.list_entry_id:
        list_entry_exit(
            actor=actor, entry_id=repair.list_entry_id, reason_code="repair", reason=reason, now=now
        )
        return
    record = record_repair(actor=actor, record_id=repair.record_id, repair_id=repair.pk, now=now)
    for entry in list_entries_published_on_records(record_ids=decision_version_ids(record)):
        list_entry_exit(  # the list's exit rule decides: repairable, and its earliest exit date reached
            actor=actor, entry_id=entry.pk, reason_code="repair", reason=reason, now=now, consequence=True
        )
    outbox_emit(
        topic="record.repaired",
        payload={
            "record_id": record.pk,
            "subject_id": record.subject_id,
            "repair_id": repair.pk,
            "category": record.category.code,
        },
        now=now,
    )


def repair_reopen(*, actor: Actor, repair_id: int, objection_id: int, now: dt.datetime) -> RepairApplication:
    """An objection to a rejection found it wrong: the application goes back to the deciding unit (the caller
    holds the transaction)."""
    repair = locked(REPAIR, repair_id)
    repair.decide_due, _ = deadline("repair.decide", now)
    repair.decided_by, repair.decided_at, repair.decision_reason = "", None, ""
    step(
        REPAIR,
        repair,
        actor=actor,
        action="reopen",
        now=now,
        reason=f"异议 #{objection_id} 认定不予修复决定有误",
        fields=["decide_due", "decided_by", "decided_at", "decision_reason"],
    )
    return repair
