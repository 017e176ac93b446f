"""Objections (异议, docs/domain.md Objection; plan task 30): filed by the subject or its authorised agent
against a record, a list entry, a record's publication period or a repair result; the credit office
accepts or refuses within `objection.accept` working days; the providing unit verifies within
`objection.provider_verify` (and the overall calendar-day limit); the outcome is corrected (a new version
already made through the unit's own channel), upheld (flag removed) or unresolved (flag and verification
kept); then the written reply.

When the flag (异议处理中, shown to the public) goes on (issue 12, due process that cannot be abused): at once
only when the objection comes from the subject itself (its verified subject account) or is registered by the
providing unit; any other filing — an agent with a power of attorney nobody has checked yet, another unit's
officer registering a written objection, a unit's public token — is received (收到) without a flag, and the
flag goes on when the credit office accepts it (受理), which is where the power of attorney is checked. An
agent whose power was verified beforehand (accounts `Agency`, issue 14) files as the subject itself within its
scope (`subject_id_of`) and flags at once. `flagged_at` says whether and since when an objection holds its
target's flag; at most one objection per target holds it, so the flag has one owner. Received objections do
not block a later one that flags (a junk filing cannot lock the subject out); one that flags blocks every
later filing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.roles import CASE_HANDLERS
from xinyong.audit.transitions import history_write, locked, step
from xinyong.catalog.periods import add_quantity
from xinyong.catalog.selectors import rule_in_force
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, NotFound, PermissionDenied, required_text
from xinyong.core.evidence import Upload, evidence_check, evidence_store
from xinyong.core.querycode import query_code_new
from xinyong.core.timeutil import business_date, end_of_business_day
from xinyong.lists.models import EntryState
from xinyong.lists.selectors import list_entry_state, list_entry_with_unit
from xinyong.lists.services import list_entry_objection_mark, list_entry_require_objectionable
from xinyong.records.flags import (
    decision_versions,
    record_current_locked,
    record_objection_clear,
    record_objection_flag,
    record_require_objectionable,
)
from xinyong.remedies.models import (
    Grounds,
    Objection,
    ObjectionState,
    RepairApplication,
    RepairState,
    TargetKind,
)
from xinyong.remedies.services.machine import (
    OBJECTION,
    deadline,
    require_reviewer,
    require_unit_officer,
)

OPEN_STATES = (ObjectionState.SUBMITTED, ObjectionState.WITH_PROVIDER)
# An objection holds its target's flag while open, and for good once found unresolved (kept and shown) —
# if it ever got the flag (`flagged_at`: at filing by the subject or the providing unit, else at acceptance).
FLAGGING = (Q(state__in=OPEN_STATES) | Q(outcome="unresolved")) & Q(flagged_at__isnull=False)
OUTCOMES = {"corrected": "correct", "upheld": "uphold", "unresolved": "leave_unresolved"}
ENTRY_CORRECTED = (EntryState.EXITED, EntryState.WITHDRAWN, EntryState.REJECTED)


LOGIN_REQUIRED = "请以信用主体账户或代理人账户登录后提出异议"


def objection_file(
    *,
    actor: Actor,
    target_kind: str,
    target_id: int,
    grounds: str,
    description: str,
    applicant_name: str,
    evidence: list[Upload],
    now: dt.datetime,
    agent_name: str = "",
    authorisation: list[Upload] = (),
) -> Objection:
    """File an objection. The target is flagged `under_objection` in the same transaction when the subject or
    the providing unit files it, else once the objection is accepted (issue 12; module docstring).
    An anonymous caller is refused first, before any target is looked up (no probing which targets exist)."""
    if not actor.is_authenticated:
        raise PermissionDenied("objection.login_required", LOGIN_REQUIRED)
    if target_kind not in TargetKind.values:
        raise DomainError("objection.target_kind_invalid", f"异议对象只能是 {'、'.join(TargetKind.values)}")
    if grounds not in Grounds.values:
        raise DomainError("objection.grounds_invalid", f"异议理由只能是 {'、'.join(Grounds.values)}")
    description = required_text(
        description,
        code="objection.description_required",
        field="description",
        message="请说明异议的具体内容",
    )
    applicant_name = required_text(
        applicant_name, code="objection.applicant_required", field="applicant_name", message="请填写申请人"
    )
    evidence_check(list(evidence))
    evidence_check(list(authorisation))
    with transaction.atomic():
        objection = _new(target_kind, target_id, grounds, description, applicant_name, actor, now)
        _require_filer(actor, objection.subject_id, agent_name, authorisation, evidence)
        objection.evidence = evidence_store(
            files=list(evidence), purpose="objection", actor_label=actor.label, now=now
        )
        if agent_name.strip():
            objection.agent_name = agent_name.strip()
            objection.agent_authorisation = evidence_store(
                files=list(authorisation), purpose="objection_authorisation", actor_label=actor.label, now=now
            )
        objection.flagged_at = now if _flags_at_once(actor, objection) else None
        objection.save()
        if objection.flagged_at:
            _flag(objection, actor, now, flagged=True)
        history_write(
            OBJECTION, objection, actor=actor, action="file", from_state="", now=now, reason=description,
            extra={"flagged": objection.flagged_at is not None},
        )  # fmt: skip
    return objection


def _flags_at_once(actor: Actor, objection: Objection) -> bool:
    """The subject's own verified account, or an officer of the providing unit registering it (issue 12)."""
    if subject_id_of(actor=actor) == objection.subject_id:
        return True
    return actor.unit_code == objection.provider_unit.code and actor.has_role(*CASE_HANDLERS)


def _new(target_kind, target_id, grounds, description, applicant_name, actor, now) -> Objection:
    objection = Objection(
        query_code=query_code_new("objection"),
        target_kind=target_kind,
        grounds=grounds,
        description=description,
        applicant_name=applicant_name,
        filed_by=actor.label,
        filed_at=now,
    )
    if target_kind in (TargetKind.RECORD, TargetKind.PUBLICATION):
        record = record_current_locked(target_id)
        record_require_objectionable(record)
        objection.record, objection.subject_id, objection.provider_unit = (
            record,
            record.subject_id,
            record.unit,
        )
        _require_none_open(Objection.objects.filter(record__in=decision_versions(record)))
    elif target_kind == TargetKind.LIST_ENTRY:
        entry = list_entry_with_unit(entry_id=target_id)
        list_entry_require_objectionable(entry)
        objection.list_entry, objection.subject_id = entry, entry.subject_id
        objection.provider_unit = entry.list_type.deciding_unit
        _require_none_open(Objection.objects.filter(list_entry=entry))
    else:
        repair = RepairApplication.objects.select_related("deciding_unit").filter(pk=target_id).first()
        if repair is None:
            raise NotFound("repair.not_found", f"信用修复申请 {target_id} 不存在")
        if repair.state != RepairState.REJECTED:
            raise Conflict("objection.repair_not_rejected", "只能对不予修复的决定提出异议")
        objection.repair, objection.subject_id, objection.provider_unit = (
            repair,
            repair.subject_id,
            repair.deciding_unit,
        )
        _require_none_open(Objection.objects.filter(repair=repair))
    objection.accept_due, objection.deadline_provisional = deadline("objection.accept", now)
    return objection


def _require_none_open(same_target) -> None:
    """At most one objection holds a target's flag: none may be filed (or accepted) beside it."""
    other = same_target.filter(FLAGGING).values_list("pk", flat=True).first()
    if other is not None:
        raise Conflict("objection.already_open", f"该对象已有正在办理的异议（异议 #{other}），请等待其办结")


def _require_filer(actor: Actor, subject_id: int, agent_name: str, authorisation, evidence) -> None:
    """The subject itself; an officer registering a written objection (its scan attached); or an agent with a
    power of attorney (授权委托书) attached."""
    if subject_id_of(actor=actor) == subject_id:
        return
    if actor.has_role(*CASE_HANDLERS):
        if not evidence:
            raise DomainError(
                "objection.written_application_required", "代为登记书面异议须上传异议申请书扫描件"
            )
        return
    if not agent_name.strip():
        raise PermissionDenied("objection.not_subject", "只有信用主体本人或其授权代理人可以提出异议")
    if not authorisation:
        raise DomainError("objection.authorisation_required", "代理人提出异议须上传授权委托书")


def _flag(objection: Objection, actor: Actor, now: dt.datetime, *, flagged: bool) -> None:
    """Set or clear the target's flag: the record's current version, the list entry, or the repair."""
    if objection.record_id:
        mark = record_objection_flag if flagged else record_objection_clear
        mark(actor=actor, record_id=objection.record_id, objection_id=objection.pk, now=now)
    elif objection.list_entry_id:
        list_entry_objection_mark(
            actor=actor, entry_id=objection.list_entry_id, objection_id=objection.pk, flagged=flagged, now=now
        )
    else:
        RepairApplication.objects.filter(pk=objection.repair_id).update(
            objection_since=now if flagged else None
        )


def objection_accept(*, actor: Actor, objection_id: int, now: dt.datetime, reason: str = "") -> Objection:
    """The credit office accepts (受理) and sends it to the providing unit, which must verify within the
    rule's working days and the overall calendar-day limit counted from filing. An objection received without
    the flag gets it now (issue 12), unless another objection holds it: that one must end first, or this one
    be refused (e.g. as a duplicate)."""
    require_reviewer(actor, OBJECTION, "accept")
    with transaction.atomic():
        objection = locked(OBJECTION, objection_id)
        if objection.flagged_at is None and objection.state == ObjectionState.SUBMITTED:
            _flag_on_acceptance(objection, actor, now)
        verify_due, provisional = deadline("objection.provider_verify", now)
        overall = _overall_due(objection.filed_at)
        objection.verify_due, objection.accepted_at = min(verify_due, overall), now
        objection.deadline_provisional = objection.deadline_provisional or provisional
        step(
            OBJECTION,
            objection,
            actor=actor,
            action="accept",
            now=now,
            reason=reason.strip(),
            fields=["verify_due", "accepted_at", "deadline_provisional", "flagged_at"],
        )
    return objection


def _flag_on_acceptance(objection: Objection, actor: Actor, now: dt.datetime) -> None:
    same_target = Objection.objects.exclude(pk=objection.pk)
    if objection.record_id:
        record_current_locked(objection.record_id)  # the decision's versions, locked as at filing
        same_target = same_target.filter(record__in=decision_versions(objection.record))
    elif objection.list_entry_id:
        same_target = same_target.filter(list_entry_id=objection.list_entry_id)
    else:
        same_target = same_target.filter(repair_id=objection.repair_id)
    _require_none_open(same_target)
    objection.flagged_at = now
    _flag(objection, actor, now, flagged=True)


def _overall_due(filed_at: dt.datetime) -> dt.datetime:
    day = business_date(filed_at)
    overall = rule_in_force(key="objection.provider_verify", on=day).values["overall"]
    return end_of_business_day(add_quantity(day, overall))


def objection_refuse(*, actor: Actor, objection_id: int, reason: str, now: dt.datetime) -> Objection:
    """Refuse to accept (不予受理), with the reasons: they are the written reply; the flag comes off."""
    require_reviewer(actor, OBJECTION, "refuse")
    reason = required_text(
        reason, code="objection.reason_required", field="reason", message="不予受理须说明理由"
    )
    with transaction.atomic():
        objection = locked(OBJECTION, objection_id)
        objection.reply, objection.replied_at = reason, now
        step(
            OBJECTION,
            objection,
            actor=actor,
            action="refuse",
            now=now,
            reason=reason,
            fields=["reply", "replied_at"],
        )
        if objection.flagged_at:
            _flag(objection, actor, now, flagged=False)
    return objection


def objection_verify(
    *, actor: Actor, objection_id: int, outcome: str, verification: str, now: dt.datetime
) -> Objection:
    """The providing (or deciding) unit's finding: `corrected` once the correction exists (a new version of
    the record, the entry withdrawn or taken off, or — for a repair — the application reopened here), `upheld`
    (the flag comes off) or `unresolved` (flag and finding stay, shown with the record)."""
    if outcome not in OUTCOMES:
        raise DomainError(
            "objection.outcome_invalid",
            "核实结果只能是 corrected（已更正）、upheld（维持）或 unresolved（无法核实）",
        )
    verification = required_text(
        verification, code="objection.verification_required", field="verification", message="请填写核实意见"
    )
    with transaction.atomic():
        objection = locked(OBJECTION, objection_id)
        require_unit_officer(actor, objection.provider_unit, OBJECTION, OUTCOMES[outcome])
        if outcome == "corrected":
            _require_correction(objection, actor, now)
        objection.verification, objection.verified_at, objection.outcome = verification, now, outcome
        step(
            OBJECTION,
            objection,
            actor=actor,
            action=OUTCOMES[outcome],
            now=now,
            reason=verification,
            fields=["verification", "verified_at", "outcome"],
        )
        if outcome != "unresolved" and objection.flagged_at:
            _flag(objection, actor, now, flagged=False)
    return objection


def _require_correction(objection: Objection, actor: Actor, now: dt.datetime) -> None:
    if objection.record_id:
        current = record_current_locked(objection.record_id)
        if current.pk == objection.record_id:
            raise Conflict(
                "objection.correction_missing",
                "尚未收到更正后的信息：请先通过归集报送更正（或撤回）该信息，再登记“已更正”",
            )
    elif objection.list_entry_id:
        if list_entry_state(entry_id=objection.list_entry_id) not in ENTRY_CORRECTED:
            raise Conflict(
                "objection.correction_missing", "名单条目仍然有效：请先撤回或移出该条目，再登记“已更正”"
            )
    else:
        from xinyong.remedies.services.repairs import repair_reopen

        repair_reopen(actor=actor, repair_id=objection.repair_id, objection_id=objection.pk, now=now)


def objection_reply(*, actor: Actor, objection_id: int, reply: str, now: dt.datetime) -> Objection:
    """The written reply to the applicant (书面答复) after the unit's finding."""
    require_reviewer(actor, OBJECTION, "reply")
    reply = required_text(reply, code="objection.reply_required", field="reply", message="请填写书面答复内容")
    with transaction.atomic():
        objection = locked(OBJECTION, objection_id)
        objection.reply, objection.replied_at = reply, now
        step(
            OBJECTION,
            objection,
            actor=actor,
            action="reply",
            now=now,
            reason=reply,
            fields=["reply", "replied_at"],
        )
    return objection


def objections_escalate(*, actor: Actor, now: dt.datetime) -> int:
    """The deadline sweep: objections not accepted, or not verified, by their deadline are escalated to the
    credit office once (督办), with an audit event each. Returns how many were escalated."""
    due = Objection.objects.filter(escalated_at__isnull=True).filter(
        Q(state=ObjectionState.SUBMITTED, accept_due__lt=now)
        | Q(state=ObjectionState.WITH_PROVIDER, verify_due__lt=now)
    )
    escalated = 0
    for objection_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            objection = locked(OBJECTION, objection_id)
            if objection.escalated_at is not None:
                continue
            objection.escalated_at = now
            objection.save(update_fields=["escalated_at"])
            _audit_escalation(objection, actor, now)
            escalated += 1
    return escalated


def _audit_escalation(objection: Objection, actor: Actor, now: dt.datetime) -> None:
    from xinyong.audit.services import audit_append

    late = "受理" if objection.state == ObjectionState.SUBMITTED else "核实"
    audit_append(
        actor=actor,
        action="objection.escalate",
        target_type="objection",
        target_id=objection.pk,
        now=now,
        reason=f"逾期未{late}，提请信用办督办",
        payload={"state": objection.state, "unit": objection.provider_unit.code},
    )
