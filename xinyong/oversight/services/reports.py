"""Progress reports on plan tasks (规划任务进度报告; plan task 55 督导考核; ADR 0038).

A unit's officer drafts the report of one task for one period (status, narrative, evidence files) and submits
it; the credit office accepts it or returns it with a reason; a returned report is edited and resubmitted:

    draft ──submit──▶ submitted ──accept──▶ accepted (final, public on /plan/)
      └─edit         │  ▲   └──return (reason)──▶ returned ──resubmit──┘
                     │  └──────────────────────────┘   └─edit

Each step is one service in one transaction: lock the report, check ``REPORT_TRANSITIONS``, save, write the
history row and the audit event ``plan_report.<action>``. Four eyes: only the credit office (reviewer,
admin) reviews, and never the person who created or submitted the report (``accounts.policy``: people, not
labels). Timeliness counts the first submission against the period's deadline, in working days. Evidence
files are checked as the API checks evidence (core/evidence.py) and kept as uploads are
(``XINYONG_UPLOAD_DIR/oversight/``, files 0600).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from pathlib import Path, PurePath

from django.conf import settings
from django.db import transaction

from xinyong.accounts.models import Unit
from xinyong.accounts.policy import require_distinct_person
from xinyong.accounts.roles import CREDIT_OFFICE, OFFICE, UNIT_OFFICERS
from xinyong.accounts.selectors import unit_by_code
from xinyong.audit.services import audit_append
from xinyong.audit.transitions import Machine, locked, target_state
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, NotFound, PermissionDenied
from xinyong.core.evidence import KINDS, MAX_FILES, Upload, base_name, evidence_check
from xinyong.core.timeutil import business_date
from xinyong.oversight.models import (
    PLAN_CODE,
    REPORT_ACTIONS,
    REPORT_TRANSITIONS,
    PlanProgressReport,
    PlanReportEvidence,
    PlanReportTransition,
    Progress,
    ReportState,
)
from xinyong.oversight.periods import Period, period_get
from xinyong.oversight.selectors import plan_report_owers, plan_task_get
from xinyong.workdays.selectors import working_days_between

REPORT = Machine(
    name="plan_report",
    label="进度报告",
    model=PlanProgressReport,
    table=REPORT_TRANSITIONS,
    states=dict(ReportState.choices),
    actions=REPORT_ACTIONS,
)
NARRATIVE_MAX = 4000


def reporting_unit(actor: Actor) -> Unit:
    """The unit an officer reports for: a unit officer's own unit, else ``plan_report.unit_officers_only``."""
    unit = unit_by_code(code=actor.unit_code, active_only=True) if actor.unit_code else None
    if unit is None or not actor.has_role(*UNIT_OFFICERS):
        raise PermissionDenied("plan_report.unit_officers_only", "只有责任单位的工作人员可以填报规划任务进度")
    return unit


def plan_report_save(
    *,
    actor: Actor,
    task_number: int,
    period: str,
    progress: str,
    narrative: str,
    evidence: list[Upload],
    now: dt.datetime,
    submit: bool = False,
    plan_code: str = PLAN_CODE,
) -> PlanProgressReport:
    """Create or edit the actor's unit's report on a task for a period, adding ``evidence``; with ``submit``,
    also submit it (or resubmit a returned one) in the same transaction. Refused unless the unit owes that
    report (``plan_report.not_owed``) and the report is a draft or returned (``invalid_transition``)."""
    unit = reporting_unit(actor)
    task = plan_task_get(number=task_number, plan_code=plan_code)
    owed = period_get(period, on=business_date(now))
    if owed is None or unit.pk not in {u.pk for u in plan_report_owers(plan_code=plan_code).get(task.pk, [])}:
        raise DomainError("plan_report.not_owed", f"{unit.name}不需要报送任务{task_number}在“{period}”的进度")
    narrative = _checked_content(progress, narrative)
    evidence_check(evidence)
    stored = _files_write(evidence)
    try:
        with transaction.atomic():
            report = _save(actor, task.pk, unit, owed, progress, narrative, now)
            _evidence_add(report, evidence, stored, actor, now)
            if submit:
                _submit(actor, report, now)
            return report
    except BaseException:
        _files_remove([name for name, _ in stored])
        raise


def plan_report_submit(*, actor: Actor, report_id: int, now: dt.datetime) -> PlanProgressReport:
    """Submit a draft (``submit``) or a returned report (``resubmit``) of the actor's own unit."""
    unit = reporting_unit(actor)
    with transaction.atomic():
        report = locked(REPORT, report_id)
        if report.unit_id != unit.pk:
            raise NotFound("plan_report.not_found", f"进度报告 {report_id} 不存在")
        return _submit(actor, report, now)


def plan_report_accept(*, actor: Actor, report_id: int, now: dt.datetime) -> PlanProgressReport:
    """The credit office accepts a submitted report (采纳); it is then public on the 规划进度 page."""
    with transaction.atomic():
        report = _reviewable(actor, report_id)
        return _review(actor, report, "accept", now, reason="")


def plan_report_return(*, actor: Actor, report_id: int, reason: str, now: dt.datetime) -> PlanProgressReport:
    """The credit office returns a submitted report with a reason (退回); the unit edits and resubmits."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "plan_report.reason_required", "请填写退回理由",
            errors=[{"field": "reason", "code": "required", "message": "请填写退回理由"}],
        )  # fmt: skip
    with transaction.atomic():
        report = _reviewable(actor, report_id)
        return _review(actor, report, "return", now, reason=reason)


def plan_report_evidence_read(
    *, actor: Actor, report_id: int, evidence_id: int, now: dt.datetime
) -> tuple[PlanReportEvidence, bytes]:
    """An evidence file and its bytes, for the reporting unit's officers and the credit office; audited
    ``plan_report.evidence_view``. Anyone else gets the same 404 as for a file that does not exist."""
    evidence = (
        PlanReportEvidence.objects.select_related("report__unit")
        .filter(pk=evidence_id, report_id=report_id)
        .first()
    )
    own_unit = evidence is not None and actor.unit_code == evidence.report.unit.code
    allowed = actor.has_role(*CREDIT_OFFICE) or (own_unit and actor.has_role(*UNIT_OFFICERS))
    path = _root() / evidence.stored_name if evidence is not None else None
    if evidence is None or path is None or not allowed or not path.is_file():
        raise NotFound("plan_report.evidence_not_found", f"证明材料 {evidence_id} 不存在")
    with transaction.atomic():
        audit_append(
            actor=actor, action="plan_report.evidence_view", target_type="plan_report", target_id=report_id,
            payload={"evidence": evidence.pk, "sha256": evidence.sha256}, now=now,
        )  # fmt: skip
    return evidence, path.read_bytes()


def _checked_content(progress: str, narrative: str) -> str:
    """The narrative, stripped; per-field errors for an unknown status or a blank or long narrative."""
    text = (narrative or "").strip()
    errors = []
    if progress not in Progress.values:
        errors.append({"field": "progress", "code": "invalid", "message": "请选择进度状态"})
    if not text:
        errors.append({"field": "narrative", "code": "required", "message": "请填写进展情况"})
    elif len(text) > NARRATIVE_MAX:
        errors.append(
            {"field": "narrative", "code": "too_long", "message": f"进展情况不能超过 {NARRATIVE_MAX} 字"}
        )
    if errors:
        raise DomainError("plan_report.invalid", "；".join(e["message"] for e in errors), errors=errors)
    return text


def _save(
    actor: Actor, task_id: int, unit: Unit, period: Period, progress: str, narrative: str, now: dt.datetime
) -> PlanProgressReport:
    """Create the draft, or lock and edit the existing report (``edit`` keeps its state)."""
    rows = PlanProgressReport.objects.select_for_update(of=("self",))
    report = rows.filter(task_id=task_id, unit=unit, period=period.code).first()
    if report is None:
        report = PlanProgressReport.objects.create(
            task_id=task_id, unit=unit, period=period.code, due_at=period.due_at, progress=progress,
            narrative=narrative, created_at=now, created_by=actor.label, updated_at=now,
        )  # fmt: skip
        _history(actor, report, "create", "", now)
        return report
    from_state = report.state
    report.state = target_state(REPORT, report, "edit")
    report.progress, report.narrative, report.updated_at = progress, narrative, now
    report.version += 1
    report.save(update_fields=["state", "progress", "narrative", "updated_at", "version"])
    _history(actor, report, "edit", from_state, now)
    return report


def _submit(actor: Actor, report: PlanProgressReport, now: dt.datetime) -> PlanProgressReport:
    action = "resubmit" if report.state == ReportState.RETURNED else "submit"
    from_state = report.state
    report.state = target_state(REPORT, report, action)
    report.submitted_at, report.submitted_by = now, actor.label
    if report.first_submitted_at is None:
        report.first_submitted_at = now
        report.late_working_days = late_working_days(due_at=report.due_at, at=now)
    report.version += 1
    fields = ["state", "submitted_at", "submitted_by", "first_submitted_at", "late_working_days", "version"]
    report.save(update_fields=fields)
    _history(actor, report, action, from_state, now, extra={"late_working_days": report.late_working_days})
    return report


def late_working_days(*, due_at: dt.datetime, at: dt.datetime) -> int:
    """Working days from the deadline's day to the submission's (Beijing dates); 0 when on time."""
    if at <= due_at:
        return 0
    return working_days_between(business_date(due_at), business_date(at)).value


def _reviewable(actor: Actor, report_id: int) -> PlanProgressReport:
    """The locked report, if the actor is the credit office and not its author (four eyes)."""
    if not actor.has_role(*OFFICE):
        raise PermissionDenied("plan_report.reviewer_only", "只有市信用办可以审核规划任务进度报告")
    report = locked(REPORT, report_id)
    for author in {report.created_by, report.submitted_by}:
        require_distinct_person(actor, author, "plan_report.four_eyes", "不能审核本人填报或报送的进度报告")
    return report


def _review(
    actor: Actor, report: PlanProgressReport, action: str, now: dt.datetime, *, reason: str
) -> PlanProgressReport:
    from_state = report.state
    report.state = target_state(REPORT, report, action)
    report.reviewed_at, report.reviewed_by = now, actor.label
    fields = ["state", "reviewed_at", "reviewed_by", "version"]
    if reason:
        report.return_reason = reason
        fields.append("return_reason")
    report.version += 1
    report.save(update_fields=fields)
    _history(actor, report, action, from_state, now, reason=reason)
    return report


def _history(
    actor: Actor,
    report: PlanProgressReport,
    action: str,
    from_state: str,
    now: dt.datetime,
    *,
    reason: str = "",
    extra: dict | None = None,
) -> None:
    """The history row and the audit event ``plan_report.<action>`` of one step."""
    PlanReportTransition.objects.create(
        report=report, action=action, from_state=from_state, to_state=report.state, actor=actor.label,
        unit_code=actor.unit_code, reason=reason, at=now,
    )  # fmt: skip
    payload = {
        "task": report.task_id, "unit": report.unit_id, "period": report.period, "from": from_state,
        "to": report.state, "version": report.version, "progress": report.progress, **(extra or {}),
    }  # fmt: skip
    audit_append(
        actor=actor, action=f"plan_report.{action}", target_type="plan_report", target_id=report.pk,
        reason=reason, payload=payload, now=now,
    )  # fmt: skip


def _root() -> Path:
    return Path(settings.XINYONG_UPLOAD_DIR) / "oversight"


def _files_write(files: list[Upload]) -> list[tuple[str, str]]:
    """Keep checked uploads under a random name each (0600 in a 0700 directory): (stored name, type)."""
    root = _root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    stored = []
    for upload in files:
        suffix = PurePath(base_name(upload.name)).suffix.lower()
        name = secrets.token_hex(16) + suffix
        with os.fdopen(os.open(root / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            handle.write(upload.data)
        stored.append((name, KINDS[suffix][0]))
    return stored


def _files_remove(names: list[str]) -> None:
    for name in names:
        (_root() / name).unlink(missing_ok=True)


def _evidence_add(
    report: PlanProgressReport,
    files: list[Upload],
    stored: list[tuple[str, str]],
    actor: Actor,
    now: dt.datetime,
) -> None:
    """Rows for the new files; a report keeps at most ``MAX_FILES`` in all (``evidence.too_many``)."""
    total = report.evidence.count() + len(files)
    if total > MAX_FILES:
        raise DomainError("evidence.too_many", f"证明材料最多 {MAX_FILES} 个，加上已上传的共 {total} 个")
    PlanReportEvidence.objects.bulk_create(
        PlanReportEvidence(
            report=report, name=base_name(upload.name)[:200], stored_name=name, content_type=content_type,
            size=len(upload.data), sha256=hashlib.sha256(upload.data).hexdigest(), uploaded_at=now,
            uploaded_by=actor.label,
        )
        for upload, (name, content_type) in zip(files, stored, strict=True)
    )  # fmt: skip
