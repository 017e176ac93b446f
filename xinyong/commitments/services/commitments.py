"""Credit commitments (信用承诺, docs/domain.md Commitment; plan tasks 14 and 17): signing, verification by
the accepting unit, withdrawal by the subject. One service per write: lock, check the move against
`TRANSITIONS` (models.py) through audit/transitions.py, save with `update_fields`, append the audit event, all
in one transaction; a broken commitment's negative record (breach.py) is written in the same transaction as
the verification.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.accounts.access import subject_id_of
from xinyong.accounts.models import Unit
from xinyong.accounts.roles import UNIT_OFFICERS, Role
from xinyong.accounts.selectors import unit_by_code, unit_name_on
from xinyong.audit.services import audit_append
from xinyong.audit.transitions import Machine, locked, target_state
from xinyong.catalog.periods import add_months
from xinyong.commitments import selectors
from xinyong.commitments.models import (
    TRANSITIONS,
    Commitment,
    CommitmentKind,
    CommitmentState,
    CommitmentTemplate,
    TargetKind,
)
from xinyong.commitments.services.breach import SEVERITIES, breach_record_write, cn_date
from xinyong.commitments.services.publication import (
    BROKEN,
    KEPT,
    PENDING,
    commitment_publish,
    commitment_unpublish,
)
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from xinyong.core.timeutil import business_date
from xinyong.lists.models import ListEntry
from xinyong.records.models import Record
from xinyong.subjects.models import Subject
from xinyong.subjects.selectors import subject_find, subject_primary_code

STATE_LABELS = dict(CommitmentState.choices)
ACTION_LABELS = {"keep": "核查", "break": "核查", "withdraw": "撤回"}
TARGET_LABELS = dict(TargetKind.choices)
# Locked and checked by the one transition mechanism; a commitment keeps no history rows or version, and its
# audit events (sign, verify, withdraw) carry their own payloads.
COMMITMENT = Machine(
    name="commitment",
    label="信用承诺",
    model=Commitment,
    table=TRANSITIONS,
    states=STATE_LABELS,
    actions=ACTION_LABELS,
    related=("accepting_unit", "subject"),
)


def is_officer_of(actor: Actor, unit_code: str) -> bool:
    return bool(actor.unit_code) and actor.unit_code == unit_code and actor.has_role(*UNIT_OFFICERS)


def commitment_sign(
    *,
    actor: Actor,
    template_code: str,
    subject_id: int,
    matter: str,
    accepting_unit_code: str,
    signer_name: str,
    now: dt.datetime,
    evidence: str = "",
    target_kind: str = "",
    target_id: int | None = None,
) -> Commitment:
    """Sign a commitment from a template (docs/domain.md Commitment): by the subject through its own account,
    or by an officer of the accepting unit (受理单位) recording a written commitment, with its evidence. The
    text is filled in and frozen; the verification is due `template.verify_months` after the signing date. A
    public template's commitment is published as a 信用承诺信息 record (XYCN, services/publication.py). A
    repair commitment names the record or list entry it supports. Refuses 告知承诺 (`commitment.serious_list`)
    to a subject with a published entry on a black list (严重失信主体名单)."""
    template = CommitmentTemplate.objects.filter(code=template_code, active=True).first()
    if template is None:
        raise NotFound("commitment.template_not_found", f"承诺书模板 {template_code} 不存在或已停用")
    subject = subject_find(subject_id=subject_id)
    if subject is None:
        raise NotFound("commitment.subject_not_found", f"信用主体 {subject_id} 不存在")
    unit = unit_by_code(code=accepting_unit_code, active_only=True)
    if unit is None:
        raise NotFound("commitment.unit_not_found", f"受理单位 {accepting_unit_code} 不存在")
    on_behalf = _sign_author(actor, subject, unit, evidence)
    matter = _text(matter, field="matter", label="承诺事项", max_length=200)
    signer_name = _text(signer_name, field="signer_name", label="签署人", max_length=80)
    with transaction.atomic():
        target_kind, target_id = _target(template.kind, subject, target_kind, target_id)
        if template.kind == CommitmentKind.APPROVAL:
            _refuse_serious_list(subject)
        signed_on = business_date(now)
        verify_due = add_months(signed_on, template.verify_months)
        text = template.text.format_map(
            {
                "subject_name": subject.name,
                "subject_code": subject_primary_code(subject),
                "matter": matter,
                "unit_name": unit_name_on(unit, on=signed_on),
                "signer_name": signer_name,
                "signed_on": cn_date(signed_on),
                "verify_due": cn_date(verify_due),
            }
        )
        commitment = Commitment.objects.create(
            kind=template.kind,
            subject=subject,
            template=template,
            text=text,
            matter=matter,
            accepting_unit=unit,
            signer_name=signer_name,
            signed_at=now,
            signed_by=actor.label,
            on_behalf=on_behalf,
            evidence=evidence.strip() if on_behalf else "",
            verify_due=verify_due,
            target_kind=target_kind,
            target_id=target_id,
        )
        published = _publish(commitment, actor=actor, outcome=PENDING, now=now) if template.public else None
        audit_append(
            actor=actor,
            action="commitment.sign",
            target_type="commitment",
            target_id=commitment.pk,
            payload={
                "kind": commitment.kind,
                "template": template.code,
                "subject_id": subject.pk,
                "accepting_unit": unit.code,
                "on_behalf": on_behalf,
                "verify_due": verify_due.isoformat(),
                "target": f"{target_kind}:{target_id}" if target_kind else "",
                "public_record_id": commitment.public_record_id,
                **({"publication_refused": published} if published else {}),
            },
            now=now,
        )
    return commitment


def _publish(commitment: Commitment, *, actor: Actor, outcome: str, now: dt.datetime) -> list[dict]:
    """Publish (or update) the commitment's XYCN record; the intake's errors when it refused the row."""
    record, errors = commitment_publish(commitment, actor=actor, outcome=outcome, now=now)
    if record is not None:
        commitment.public_record = record
        commitment.save(update_fields=["public_record"])
    return errors


def commitment_verify(
    *,
    actor: Actor,
    commitment_id: int,
    kept: bool,
    result: str,
    now: dt.datetime,
    severity: str = "general",
) -> Commitment:
    """The accepting unit (or the credit office) verifies a signed commitment (核查): kept (已履约) or broken
    (未履约). A broken one becomes a negative record of category XYCNWY (违背信用承诺信息) through the records
    intake, as the accepting unit, in this same transaction; `severity` (general | serious) sets its
    publication period. A second verification is refused (409)."""
    if severity not in SEVERITIES:
        raise DomainError(
            "commitment.severity_invalid",
            f"违诺严重程度只能是 general（一般）或 serious（严重），实为 {severity}",
        )
    result = _text(result, field="result", label="核查结论", max_length=2000)
    with transaction.atomic():
        commitment = locked(COMMITMENT, commitment_id)
        unit = commitment.accepting_unit
        if not (actor.has_role(Role.REVIEWER) or is_officer_of(actor, unit.code)):
            raise PermissionDenied(
                "commitment.verify_not_allowed",
                f"只有受理单位（{unit.name}）的工作人员或信用办审核员可以核查信用承诺 {commitment.pk}",
            )
        commitment.state = target_state(COMMITMENT, commitment, "keep" if kept else "break")
        commitment.verified_at, commitment.verified_by, commitment.result = now, actor.label, result
        fields = ["state", "verified_at", "verified_by", "result"]
        if commitment.public_record_id:
            _publish(commitment, actor=actor, outcome=KEPT if kept else BROKEN, now=now)
        if not kept:
            commitment.breach_record = breach_record_write(
                commitment, actor=actor, severity=severity, now=now
            )
            fields.append("breach_record")
        commitment.save(update_fields=fields)
        audit_append(
            actor=actor,
            action="commitment.verify",
            target_type="commitment",
            target_id=commitment.pk,
            reason=result,
            payload={"state": commitment.state, "breach_record_id": commitment.breach_record_id},
            now=now,
        )
    return commitment


def commitment_withdraw(
    *, actor: Actor, commitment_id: int, now: dt.datetime, reason: str = ""
) -> Commitment:
    """The subject withdraws its own commitment before it is verified (撤回承诺)."""
    with transaction.atomic():
        commitment = locked(COMMITMENT, commitment_id)
        if subject_id_of(actor=actor) != commitment.subject_id:
            raise PermissionDenied(
                "commitment.withdraw_not_allowed", "只有承诺主体本人（主体账户）可以撤回信用承诺"
            )
        commitment.state = target_state(COMMITMENT, commitment, "withdraw")
        commitment.withdrawn_at = now
        commitment.save(update_fields=["state", "withdrawn_at"])
        commitment_unpublish(commitment, actor=actor, now=now)
        audit_append(
            actor=actor,
            action="commitment.withdraw",
            target_type="commitment",
            target_id=commitment.pk,
            reason=reason.strip(),
            now=now,
        )
    return commitment


# ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────


def _sign_author(actor: Actor, subject: Subject, unit: Unit, evidence: str) -> bool:
    """False when the subject signs itself, True for an officer of the accepting unit recording a written
    commitment (evidence required); anyone else is refused."""
    if subject_id_of(actor=actor) == subject.pk:
        return False
    if not is_officer_of(actor, unit.code):
        raise PermissionDenied(
            "commitment.sign_not_allowed",
            "只有承诺主体本人（主体账户），或受理单位的工作人员（登记书面承诺）可以签署信用承诺",
        )
    _text(evidence, field="evidence", label="书面承诺凭证", max_length=2000)
    return True


def _text(value: str | None, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        message = f"{label}不能为空"
        raise DomainError(
            f"commitment.{field}_required",
            message,
            errors=[{"field": field, "code": "required", "message": message}],
        )
    if len(text) > max_length:
        message = f"{label}不能超过 {max_length} 个字符，实为 {len(text)} 个"
        raise DomainError(
            f"commitment.{field}_too_long",
            message,
            errors=[{"field": field, "code": "too_long", "message": message}],
        )
    return text


def _target(kind: str, subject: Subject, target_kind: str, target_id: int | None) -> tuple[str, int | None]:
    """A repair commitment supports one negative record or list entry of the same subject; others none."""
    if kind != CommitmentKind.REPAIR:
        if target_kind or target_id is not None:
            raise DomainError("commitment.target_not_allowed", "只有信用修复型承诺可以指明修复对象")
        return "", None
    if target_kind not in TargetKind.values or target_id is None:
        raise DomainError(
            "commitment.target_required",
            "信用修复型承诺须指明修复对象：target_kind 为 record 或 list_entry，并给出 target_id",
        )
    model = Record if target_kind == TargetKind.RECORD else ListEntry
    if not model.objects.filter(pk=target_id, subject_id=subject.pk).exists():
        raise NotFound(
            "commitment.target_not_found",
            f"修复对象（{TARGET_LABELS[target_kind]} {target_id}）不存在或不属于该主体",
        )
    pending = selectors.repair_commitment_for(
        subject_id=subject.pk, target_kind=target_kind, target_id=target_id
    )
    if pending is not None and pending.state == CommitmentState.SIGNED:
        raise Conflict(
            "commitment.repair_duplicate",
            f"该修复对象已有待核查的信用修复承诺（信用承诺 {pending.pk}），不必重复签署",
        )
    return target_kind, target_id


def _refuse_serious_list(subject: Subject) -> None:
    entry = selectors.serious_list_entry(subject_id=subject.pk)
    if entry is not None:
        raise Conflict(
            "commitment.serious_list",
            f"该主体在“{entry.list_type.name}”上（名单条目 {entry.pk}），不得适用告知承诺",
            list_entry_id=entry.pk,
        )
