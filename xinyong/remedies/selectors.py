"""Reads of the remedies app: a case by id or by query code, the lists units work from (with overdue flags),
and the objection statistics per unit that feed the assessments (docs/domain.md Plan task and assessment:
objection timeliness)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Q, QuerySet

from xinyong.accounts.policy import same_person
from xinyong.accounts.roles import CREDIT_OFFICE, UNIT_OFFICERS, Role
from xinyong.core.actor import Actor
from xinyong.core.errors import NotFound
from xinyong.core.querycode import query_code_normalise
from xinyong.core.timeutil import rfc3339
from xinyong.remedies.models import Objection, ObjectionState, RepairApplication, RepairState
from xinyong.remedies.services.machine import OBJECTION, REPAIR

WRONG_CODE = "查询码不正确，或没有对应的申请"
_RELATED = ("subject", "provider_unit")


def objection_get(*, objection_id: int) -> Objection:
    found = Objection.objects.select_related(*_RELATED).filter(pk=objection_id).first()
    if found is None:
        raise NotFound("objection.not_found", f"异议 {objection_id} 不存在")
    return found


def repair_get(*, repair_id: int) -> RepairApplication:
    found = RepairApplication.objects.select_related("subject", "deciding_unit").filter(pk=repair_id).first()
    if found is None:
        raise NotFound("repair.not_found", f"信用修复申请 {repair_id} 不存在")
    return found


def objection_by_code(*, code: str) -> Objection:
    """The objection a query code belongs to; a malformed code and an unknown one answer alike (no
    probing)."""
    normal = query_code_normalise(code)
    found = Objection.objects.select_related(*_RELATED).filter(query_code=normal).first() if normal else None
    if found is None:
        raise NotFound("query_code.not_found", WRONG_CODE)
    return found


def repair_by_code(*, code: str) -> RepairApplication:
    normal = query_code_normalise(code)
    found = (
        RepairApplication.objects.select_related("subject", "deciding_unit").filter(query_code=normal).first()
        if normal
        else None
    )
    if found is None:
        raise NotFound("query_code.not_found", WRONG_CODE)
    return found


def iso(instant: dt.datetime | None) -> str | None:
    """An instant as Beijing-time ISO 8601, as every remedies answer shows it."""
    return rfc3339(instant) if instant else None


def case_steps(case, kind, *, government: bool) -> list[dict]:
    """A case's history, oldest first; the officers' labels only for government readers."""
    return [
        {
            "action": t.action,
            "action_label": kind.actions.get(t.action, t.action),
            "from_state": t.from_state,
            "to_state": t.to_state,
            "at": iso(t.at),
            "reason": t.reason,
            "actor": t.actor if government else None,
        }
        for t in case.transitions.all()
    ]


def _progress(case, kind, deadlines: dict, result: str, reply: str) -> dict:
    """What an applicant reads by query code: state, deadlines, outcome, reply and the steps with their dates
    and reasons — never the officers' labels."""
    return {
        "query_code": case.query_code,
        "kind": kind.name,
        "state": case.state,
        "state_label": kind.states[case.state],
        "target_kind": case.target_kind,
        "filed_at": iso(case.filed_at),
        "deadlines": {k: iso(v) for k, v in deadlines.items()},
        "outcome": getattr(case, "outcome", ""),
        "result": result,
        "reply": reply,
        "steps": case_steps(case, kind, government=False),
    }


def objection_progress(*, code: str) -> dict:
    o = objection_by_code(code=code)
    return _progress(
        o, OBJECTION, {"accept_due": o.accept_due, "verify_due": o.verify_due}, o.verification, o.reply
    )


def repair_progress(*, code: str) -> dict:
    r = repair_by_code(code=code)
    deadlines = {"overall_due": r.overall_due, "decide_due": r.decide_due, "share_due": r.share_due}
    return _progress(r, REPAIR, deadlines, r.decision_reason, "")


def objection_overdue(objection: Objection, *, now: dt.datetime) -> bool:
    """Past the deadline of the step it waits for (acceptance or verification)."""
    if objection.state == ObjectionState.SUBMITTED:
        return now > objection.accept_due
    if objection.state == ObjectionState.WITH_PROVIDER:
        return objection.verify_due is not None and now > objection.verify_due
    return False


def repair_overdue(repair: RepairApplication, *, now: dt.datetime) -> bool:
    if repair.state == RepairState.SUBMITTED:
        return now > repair.overall_due
    if repair.state == RepairState.CHECKED:
        return repair.decide_due is not None and now > min(repair.decide_due, repair.overall_due)
    return False


def objection_list(*, unit_code: str | None, state: str | None, overdue: bool, now: dt.datetime) -> QuerySet:
    """Objections, newest first: a unit's own (to verify) or all; `overdue` keeps those past their
    deadline."""
    rows = Objection.objects.select_related(*_RELATED)
    if unit_code:
        rows = rows.filter(provider_unit__code=unit_code)
    if state:
        rows = rows.filter(state=state)
    if overdue:
        rows = rows.filter(
            Q(state=ObjectionState.SUBMITTED, accept_due__lt=now)
            | Q(state=ObjectionState.WITH_PROVIDER, verify_due__lt=now)
        )
    return rows.order_by("-filed_at", "-id")


def repair_list(*, unit_code: str | None, state: str | None) -> QuerySet:
    rows = RepairApplication.objects.select_related("subject", "deciding_unit")
    if unit_code:
        rows = rows.filter(deciding_unit__code=unit_code)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-filed_at", "-id")


def objection_stats(*, now: dt.datetime) -> list[dict]:
    """Per verifying unit: objections received, still open, overdue now, verified, verified late, and the
    share verified on time (异议处理及时率)."""
    stats: dict[str, dict] = defaultdict(
        lambda: dict.fromkeys(("received", "open", "overdue", "verified", "verified_late"), 0)
    )
    names: dict[str, str] = {}
    for objection in Objection.objects.select_related("provider_unit"):
        code = objection.provider_unit.code
        names[code] = objection.provider_unit.name
        row = stats[code]
        row["received"] += 1
        row["open"] += objection.state in (ObjectionState.SUBMITTED, ObjectionState.WITH_PROVIDER)
        row["overdue"] += objection_overdue(objection, now=now)
        if objection.verified_at is not None:
            row["verified"] += 1
            row["verified_late"] += (
                objection.verify_due is not None and objection.verified_at > objection.verify_due
            )
    return [
        {
            "unit": code,
            "unit_name": names[code],
            **row,
            "on_time_rate": round(1 - row["verified_late"] / row["verified"], 4) if row["verified"] else None,
        }
        for code, row in sorted(stats.items())
    ]


def remedy_counts(*, usccs: list[str]) -> tuple[int, int]:
    """(objections, repair applications) of the subjects with these USCCs (the demo's summary)."""
    objections = Objection.objects.filter(subject__uscc__in=usccs).count()
    return objections, RepairApplication.objects.filter(subject__uscc__in=usccs).count()


def objections_of_subject(*, subject_id: int, limit: int = 100) -> list[Objection]:
    """A subject's own objections, newest first, with their providing units (its self-service page)."""
    rows = Objection.objects.filter(subject_id=subject_id).select_related("provider_unit")
    return list(rows.order_by("-filed_at", "-id")[:limit])


def repairs_of_subject(*, subject_id: int, limit: int = 100) -> list[RepairApplication]:
    """A subject's own repair applications, newest first, with their deciding units (self-service)."""
    rows = RepairApplication.objects.filter(subject_id=subject_id).select_related("deciding_unit")
    return list(rows.order_by("-filed_at", "-id")[:limit])


# ── the officers' workbench (issue 16, ADR 0039) ───────────────────────────────────────────────────────────

OBJECTION_FOUND = (ObjectionState.CORRECTED, ObjectionState.UPHELD, ObjectionState.UNRESOLVED)


def _own_unit(actor: Actor) -> str | None:
    return actor.unit_code if actor.unit_code and actor.has_role(*UNIT_OFFICERS) else None


def objections_awaiting(*, actor: Actor) -> list[tuple[Objection, str, dt.datetime | None]]:
    """What `actor` has to do on objections, each with its step and that step's deadline, earliest deadline
    first: a reviewer `accept`s or refuses what was filed (by `accept_due`) and `reply`s once the unit found
    (no deadline of its own); a unit's officers `verify` what their unit provided (by `verify_due`). Scoped
    as the services authorise (`require_reviewer`, `require_unit_officer`)."""
    wanted = Q(pk__in=[])
    if actor.has_role(Role.REVIEWER):
        wanted |= Q(state=ObjectionState.SUBMITTED) | Q(state__in=OBJECTION_FOUND, replied_at__isnull=True)
    unit = _own_unit(actor)
    if unit:
        wanted |= Q(state=ObjectionState.WITH_PROVIDER, provider_unit__code=unit)
    rows = Objection.objects.filter(wanted).select_related(*_RELATED).order_by("filed_at", "id")
    steps: dict[str, tuple[str, str]] = {
        ObjectionState.SUBMITTED: ("accept", "accept_due"),
        ObjectionState.WITH_PROVIDER: ("verify", "verify_due"),
    }
    found = []
    for o in rows:
        step, due = steps.get(o.state, ("reply", ""))
        found.append((o, step, getattr(o, due) if due else None))
    return found


def objections_escalated(*, actor: Actor) -> list[Objection]:
    """The credit office's 督办 list: objections a unit still has to verify after the deadline sweep escalated
    them (`objections_escalate`), oldest escalation first; nobody else's. (Late acceptances are the credit
    office's own step: its reviewers have them as overdue `accept` items.)"""
    if not actor.has_role(*CREDIT_OFFICE):
        return []
    rows = Objection.objects.filter(escalated_at__isnull=False, state=ObjectionState.WITH_PROVIDER)
    return list(rows.select_related(*_RELATED).order_by("escalated_at", "id"))


def repairs_awaiting(*, actor: Actor) -> list[tuple[RepairApplication, str, dt.datetime]]:
    """What `actor` has to do on repair applications, with the step and its deadline: a reviewer `check`s
    what was applied for (by `overall_due`); the deciding unit's officers `decide` what was checked (by the
    earlier of `decide_due` and `overall_due`) — never one they checked themselves (four eyes)."""
    wanted = Q(pk__in=[])
    if actor.has_role(Role.REVIEWER):
        wanted |= Q(state=RepairState.SUBMITTED)
    unit = _own_unit(actor)
    if unit:
        wanted |= Q(state=RepairState.CHECKED, deciding_unit__code=unit)
    rows = RepairApplication.objects.filter(wanted).select_related("subject", "deciding_unit")
    found = []
    for r in rows.order_by("filed_at", "id"):
        if r.state == RepairState.SUBMITTED:
            found.append((r, "check", r.overall_due))
        elif not same_person(actor, r.checked_by):
            found.append((r, "decide", min(r.decide_due or r.overall_due, r.overall_due)))
    return found


# ── per-month figures (issue 16: metrics/definitions.py `objections_on_time`, `repairs_on_time`) ─────────


def objection_verify_counts(*, start: dt.datetime, end: dt.datetime) -> list[tuple[int, str, int, int]]:
    """Objections whose verification deadline (`verify_due`, set on acceptance) falls in [start, end), per
    providing unit and the subject's district: (unit id, district, due, verified by the deadline). Cost:
    objection_verify_due_idx (only accepted objections have a deadline)."""
    rows = (
        Objection.objects.filter(verify_due__gte=start, verify_due__lt=end)
        .values_list("provider_unit_id", "subject__district")
        .annotate(due=Count("id"), on_time=Count("id", filter=Q(verified_at__lte=F("verify_due"))))
        .order_by("provider_unit_id", "subject__district")
    )
    return list(rows)


def repair_decide_counts(*, start: dt.datetime, end: dt.datetime) -> list[tuple[int, str, int, int]]:
    """Repair applications whose decision deadline (`decide_due`, set when the credit office's check passed
    or a rejection was reopened) falls in [start, end), per deciding unit and the subject's district:
    (unit id, district, due, decided by the deadline). Cost: repair_decide_due_idx."""
    rows = (
        RepairApplication.objects.filter(decide_due__gte=start, decide_due__lt=end)
        .values_list("deciding_unit_id", "subject__district")
        .annotate(due=Count("id"), on_time=Count("id", filter=Q(decided_at__lte=F("decide_due"))))
        .order_by("deciding_unit_id", "subject__district")
    )
    return list(rows)


def remedies_due_of_month(
    *, start: dt.datetime, end: dt.datetime, unit_id: int, limit: int, repairs: bool
) -> list[tuple[int, str, bool]]:
    """One unit's objections (or `repairs`) with the deadline in [start, end): (id, label, done in time)."""
    rows: list[tuple[int, str, dt.datetime | None, dt.datetime | None]]
    if repairs:
        repair_cases = RepairApplication.objects.filter(
            deciding_unit_id=unit_id, decide_due__gte=start, decide_due__lt=end
        ).order_by("decide_due", "id")
        rows = list(repair_cases.values_list("pk", "query_code", "decided_at", "decide_due")[:limit])
        word = "修复申请"
    else:
        objections = Objection.objects.filter(
            provider_unit_id=unit_id, verify_due__gte=start, verify_due__lt=end
        ).order_by("verify_due", "id")
        rows = list(objections.values_list("pk", "query_code", "verified_at", "verify_due")[:limit])
        word = "异议"
    return [
        (pk, f"{word} #{pk}（查询码 {code}）", done is not None and due is not None and done <= due)
        for pk, code, done, due in rows
    ]
