"""Writes of 典型案例 (plan task 44; issue 15 典型案例 column): publish and withdraw, each audited.

Who: the officers of the publishing unit (UNIT_OFFICERS) or the credit office's acting staff (OFFICE); four
eyes are not required (a case repeats decisions already made and published elsewhere). Drafts are written
in the back office (cases/admin.py, audited by `AuditedModelAdmin`); their links are checked there and again
here with `case_links_check`: a linked subject, record or list entry must exist and never be a natural
person (persons are never named publicly), and a linked record or entry must be of the linked organisation."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.accounts.roles import OFFICE, OFFICIALS
from xinyong.audit.services import audit_append
from xinyong.cases.models import CaseStatus, TypicalCase
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, NotFound, PermissionDenied, required_text
from xinyong.lists.models import ListEntry
from xinyong.lists.selectors import list_entry_with_subject
from xinyong.records.models import Record
from xinyong.records.selectors import record_with_subject
from xinyong.subjects.selectors import subject_find

MAX_LINKS = 10  # records and list entries each: the detail page looks each one up
TARGET = "typical_case"


def case_links_check(
    *, subject_id: int | None, record_ids: list[int], list_entry_ids: list[int]
) -> list[dict]:
    """The field errors of a case's links ({field, code, message}); [] when they are acceptable."""
    errors: list[dict] = []

    def refuse(field: str, code: str, message: str) -> None:
        errors.append({"field": field, "code": code, "message": message})

    if subject_id is not None:
        subject = subject_find(subject_id=subject_id)
        if subject is None:
            refuse("subject", "case.subject_not_found", f"信用主体 #{subject_id} 不存在")
        elif subject.is_person:
            refuse("subject", "case.person_linked", "典型案例不得关联自然人，只能关联法人和非法人组织")
    for field, ids, what in (
        ("record_ids", record_ids, "双公示信息"),
        ("list_entry_ids", list_entry_ids, "名单记录"),
    ):
        if len(ids) > MAX_LINKS:
            refuse(field, "case.too_many_links", f"{what}最多关联 {MAX_LINKS} 条")
            continue
        for pk in ids:
            try:
                linked = (
                    record_with_subject(record_id=pk)
                    if field == "record_ids"
                    else list_entry_with_subject(entry_id=pk)
                )
            except (Record.DoesNotExist, ListEntry.DoesNotExist):
                refuse(field, "case.link_not_found", f"{what} #{pk} 不存在")
                continue
            if linked.subject.is_person:
                refuse(field, "case.person_linked", f"{what} #{pk} 涉及自然人，典型案例不得关联")
            elif subject_id is not None and linked.subject_id != subject_id:
                refuse(field, "case.link_other_subject", f"{what} #{pk} 不属于所关联的信用主体")
    return errors


def _case_for_update(case_id: int) -> TypicalCase:
    case = TypicalCase.objects.select_for_update().select_related("unit").filter(pk=case_id).first()
    if case is None:
        raise NotFound("case.not_found", f"典型案例 #{case_id} 不存在")
    return case


def _may_act(actor: Actor, case: TypicalCase) -> None:
    actor.require(*OFFICIALS)
    if not actor.has_role(*OFFICE) and actor.unit_code != case.unit.code:
        raise PermissionDenied("case.not_own_unit", "只有发布单位的工作人员或信用办可以发布或撤回该案例")


def case_publish(*, actor: Actor, case_id: int, now: dt.datetime) -> TypicalCase:
    """Publish a draft (plan task 44): its texts and links are checked once more; audited `case.publish`."""
    with transaction.atomic():
        case = _case_for_update(case_id)
        _may_act(actor, case)
        if case.status != CaseStatus.DRAFT:
            raise Conflict("case.not_draft", f"只有草稿可以发布，该案例{case.get_status_display()}")
        for field, label in (("title", "标题"), ("summary", "摘要"), ("body", "正文")):
            required_text(getattr(case, field), code="case.required", field=field, message=f"请填写{label}")
        errors = case_links_check(
            subject_id=case.subject_id, record_ids=case.record_ids, list_entry_ids=case.list_entry_ids
        )
        if errors:
            raise DomainError("case.links_refused", errors[0]["message"], errors=errors)
        case.status, case.published_at, case.published_by = CaseStatus.PUBLISHED, now, actor.label
        case.save(update_fields=["status", "published_at", "published_by"])
        payload = {"kind": case.kind, "unit": case.unit.code, "subject": case.subject_id}
        audit_append(
            actor=actor,
            action="case.publish",
            target_type=TARGET,
            target_id=case.pk,
            now=now,
            payload=payload,
        )
    return case


def case_withdraw(*, actor: Actor, case_id: int, reason: str, now: dt.datetime) -> TypicalCase:
    """Withdraw a published case with a reason: it leaves the portal (its page answers 404); audited."""
    reason = required_text(reason, code="case.reason_required", field="reason", message="请填写撤回理由")
    with transaction.atomic():
        case = _case_for_update(case_id)
        _may_act(actor, case)
        if case.status != CaseStatus.PUBLISHED:
            raise Conflict(
                "case.not_published", f"只有已发布的案例可以撤回，该案例{case.get_status_display()}"
            )
        case.status, case.withdrawn_at, case.withdrawn_by = CaseStatus.WITHDRAWN, now, actor.label
        case.withdrawn_reason = reason[:500]
        case.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawn_reason"])
        audit_append(
            actor=actor,
            action="case.withdraw",
            target_type=TARGET,
            target_id=case.pk,
            now=now,
            reason=case.withdrawn_reason,
        )
    return case
