"""Reads of the measures app: a check as answered (with its feedback), overdue checks per unit, statistics
(奖惩到位率), the memoranda and matters, and who checked a subject."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from xinyong.accounts.models import Unit
from xinyong.accounts.roles import CREDIT_OFFICE, UNIT_OFFICERS
from xinyong.accounts.selectors import UnitRef
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, NotFound
from xinyong.core.timeutil import BEIJING, business_date
from xinyong.measures.models import Check, CheckResult, Feedback, FeedbackOutcome, Matter, Measure, Memorandum
from xinyong.measures.outcome import CheckOutcome, FeedbackFiled, SubjectAnswer
from xinyong.measures.rulebook import MatterRef
from xinyong.workdays.selectors import working_days_between

_PAIRS = CheckResult.measures.through  # one row per (result, applicable measure)


# ── one check ────────────────────────────────────────────────────────────────────────────────────────────


def check_get(*, actor: Actor, check_id: int) -> CheckOutcome:
    """A check as answered, with the feedback filed since, for its own unit's officers or the credit office
    (reviewer, admin, auditor); anyone else — a `public` or `institution` token of the same unit too
    (issue 12: the answer names persons) — gets 404."""
    check = Check.objects.select_related("unit", "matter").filter(pk=check_id).first()
    own = check is not None and check.unit.code == actor.unit_code and actor.has_role(*UNIT_OFFICERS)
    if check is None or not (own or actor.has_role(*CREDIT_OFFICE)):
        raise NotFound("check.not_found", f"核查 {check_id} 不存在")
    return check_outcome(check)


def check_outcome(check: Check) -> CheckOutcome:
    """A stored check (read with its unit and matter) as answered, with the feedback filed since."""
    unit, matter = check.unit, check.matter
    return CheckOutcome(
        check_id=check.pk,
        unit=UnitRef(unit.pk, unit.code, unit.name),
        matter=MatterRef(matter.pk, matter.code, matter.name),
        case_number=check.case_number,
        checked_by=check.checked_by,
        checked_at=check.checked_at,
        feedback_due=check.feedback_due,
        subjects_count=check.subjects_count,
        known_count=check.known_count,
        applicable_count=check.applicable_count,
        answers=tuple(_stored_answers(check)),
        feedback=_feedback_of(check),
    )


def check_view(*, check: CheckOutcome, now: dt.datetime) -> dict:
    """The answer as given at check time, with the feedback filed since and what is still pending."""
    feedback = check.feedback
    results, pending = [], 0
    for answer in check.answers:
        measures = []
        for m in answer["measures"]:
            filed = feedback.get((answer["result_id"], m["code"]))
            pending += filed is None
            measures.append({**m, "feedback": filed})
        results.append({**answer, "measures": measures})
    due = check.feedback_due
    return {
        "check_id": check.check_id,
        "unit": {"code": check.unit.code, "name": check.unit.name},
        "matter": {"code": check.matter.code, "name": check.matter.name},
        "case_number": check.case_number,
        "checked_by": check.checked_by,
        "checked_at": check.checked_at,
        "feedback_due": due.astimezone(BEIJING) if due else None,
        "subjects_count": check.subjects_count,
        "known_count": check.known_count,
        "applicable_count": check.applicable_count,
        "feedback_pending": pending,
        "overdue": bool(pending and due and now > due),
        "results": results,
    }


def _stored_answers(check: Check) -> list[SubjectAnswer]:
    rows = CheckResult.objects.filter(check_run=check).order_by("position").values_list("id", "answer")
    return [{**answer, "result_id": result_id} for result_id, answer in rows]


def _feedback_of(check: Check) -> dict[tuple[int, str], FeedbackFiled]:
    rows = Feedback.objects.filter(result__check_run=check).values(
        "result_id", "measure__code", "outcome", "reason", "applied_on", "filed_by", "filed_at"
    )
    return {
        (r["result_id"], r["measure__code"]): {
            "outcome": r["outcome"],
            "reason": r["reason"],
            "applied_on": r["applied_on"],
            "filed_by": r["filed_by"],
            "filed_at": r["filed_at"],
        }
        for r in rows
    }


# ── overdue ──────────────────────────────────────────────────────────────────────────────────────────────


def _without_feedback() -> Exists:
    return ~Exists(
        Feedback.objects.filter(result_id=OuterRef("checkresult_id"), measure_id=OuterRef("measure_id"))
    )


def checks_overdue(*, unit: Unit, now: dt.datetime) -> list[dict]:
    """The unit's checks whose feedback deadline has passed while some applicable measure has no feedback
    (docs/domain.md: overdue checks count against the unit), most overdue first."""
    pending = (
        _PAIRS.objects.filter(checkresult__check_run__unit=unit, checkresult__check_run__feedback_due__lt=now)
        .filter(_without_feedback())
        .values("checkresult__check_run_id")
        .annotate(n=Count("id"))
    )
    counts = {row["checkresult__check_run_id"]: row["n"] for row in pending}
    checks = Check.objects.filter(pk__in=counts).select_related("matter").order_by("feedback_due", "id")
    today = business_date(now)
    return [
        {
            "check_id": c.pk,
            "matter": c.matter.code,
            "matter_name": c.matter.name,
            "case_number": c.case_number,
            "checked_at": c.checked_at,
            "feedback_due": c.feedback_due.astimezone(BEIJING),
            "pending": counts[c.pk],
            "overdue_working_days": working_days_between(business_date(c.feedback_due), today).value,
        }
        for c in checks
    ]


def checks_feedback_pending(*, unit_code: str) -> list[dict]:
    """The unit's checks with a feedback deadline and some applicable measure still without feedback, due
    or overdue, earliest deadline first (the case officers' workbench, issue 16): check id, matter, case
    number, deadline and how many measures wait."""
    pending = (
        _PAIRS.objects.filter(
            checkresult__check_run__unit__code=unit_code, checkresult__check_run__feedback_due__isnull=False
        )
        .filter(_without_feedback())
        .values("checkresult__check_run_id")
        .annotate(n=Count("id"))
    )
    counts = {row["checkresult__check_run_id"]: row["n"] for row in pending}
    checks = Check.objects.filter(pk__in=counts).select_related("matter").order_by("feedback_due", "id")
    return [
        {
            "check_id": c.pk,
            "matter_name": c.matter.name,
            "case_number": c.case_number,
            "feedback_due": c.feedback_due,
            "pending": counts[c.pk],
        }
        for c in checks
    ]


# ── statistics (奖惩到位率) ────────────────────────────────────────────────────────────────────────────────


def check_statistics(
    *,
    now: dt.datetime,
    unit: str | None = None,
    matter: str | None = None,
    measure: str | None = None,
    month: str | None = None,
) -> dict:
    """Checks made, measures applicable, applied, not applicable, exempted, pending, overdue (no feedback past
    the deadline), late (feedback filed after it) and the rate applied / applicable — in total and per unit,
    matter and measure. Filters: unit, matter and measure codes, month "YYYY-MM" (Beijing time)."""
    checks = Check.objects.all()
    if unit:
        checks = checks.filter(unit__code=unit)
    if matter:
        checks = checks.filter(matter__code=matter)
    if month:
        start, end = _month_bounds(month)
        checks = checks.filter(checked_at__gte=start, checked_at__lt=end)
    pairs = _PAIRS.objects.filter(checkresult__check_run__in=checks)
    if measure:
        pairs = pairs.filter(measure__code=measure)
        checks = checks.filter(pk__in=pairs.values("checkresult__check_run_id"))
    pairs = _with_outcome(pairs)
    counts = _counts(now)
    per_check = checks.aggregate(checks=Count("id"), subjects=Sum("subjects_count"))
    total = {
        "checks": per_check["checks"],
        "subjects": per_check["subjects"] or 0,
        **pairs.aggregate(**counts),
    }
    return {
        "filters": {"unit": unit, "matter": matter, "measure": measure, "month": month},
        "total": _rated(total),
        "by_unit": _grouped(checks, pairs, counts, "unit"),
        "by_matter": _grouped(checks, pairs, counts, "matter"),
        "by_measure": _by_measure(pairs, counts),
    }


def _month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    try:
        first = dt.datetime.strptime(month, "%Y-%m").replace(tzinfo=BEIJING)
    except ValueError:
        raise DomainError("statistics.month_invalid", f"月份格式应为 YYYY-MM：{month}") from None
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following


def _with_outcome(pairs: QuerySet) -> QuerySet:
    feedback = Feedback.objects.filter(
        result_id=OuterRef("checkresult_id"), measure_id=OuterRef("measure_id")
    )
    return pairs.annotate(
        outcome=Subquery(feedback.values("outcome")[:1]),
        filed_at=Subquery(feedback.values("filed_at")[:1]),
        due=F("checkresult__check_run__feedback_due"),
    )


def _counts(now: dt.datetime) -> dict:
    by_outcome = {o: Count("id", filter=Q(outcome=o)) for o in FeedbackOutcome.values}
    return {
        "applicable": Count("id"),
        **by_outcome,
        "pending": Count("id", filter=Q(outcome__isnull=True)),
        "overdue": Count("id", filter=Q(outcome__isnull=True, due__lt=now)),
        "late": Count("id", filter=Q(filed_at__gt=F("due"))),
    }


def _rated(row: dict) -> dict:
    applicable = row.get("applicable") or 0
    zeros = {
        "applicable": 0,
        **dict.fromkeys(FeedbackOutcome.values, 0),
        "pending": 0,
        "overdue": 0,
        "late": 0,
    }
    out = {**zeros, **{k: v for k, v in row.items() if v is not None}}
    out["rate"] = round(out["applied"] / applicable, 4) if applicable else None
    return out


def _grouped(checks: QuerySet, pairs: QuerySet, counts: dict, by: str) -> list[dict]:
    made = checks.values(f"{by}__code", f"{by}__name").annotate(
        checks=Count("id"), subjects=Sum("subjects_count")
    )
    key = f"checkresult__check_run__{by}__code"
    applied = {row[key]: row for row in pairs.values(key).annotate(**counts).order_by()}
    rows = []
    for row in made.order_by(f"{by}__code"):
        code = row[f"{by}__code"]
        stats = {k: v for k, v in applied.get(code, {}).items() if k != key}
        rows.append(_rated({"code": code, "name": row[f"{by}__name"], "checks": row["checks"],
                            "subjects": row["subjects"], **stats}))  # fmt: skip
    return rows


def _by_measure(pairs: QuerySet, counts: dict) -> list[dict]:
    rows = pairs.values("measure__code", "measure__text").annotate(
        checks=Count("checkresult__check_run_id", distinct=True),
        subjects=Count("checkresult__subject_id", distinct=True),
        **counts,
    )
    return [
        _rated({"code": r.pop("measure__code"), "name": r.pop("measure__text"), **r})
        for r in rows.order_by("measure__code")
    ]


# ── reference: memoranda and matters ─────────────────────────────────────────────────────────────────────


def memoranda_list(*, include_inactive: bool = False) -> QuerySet[Memorandum]:
    """Memoranda with their list types, signing units and (active) measures, in code order."""
    memoranda = Memorandum.objects.all() if include_inactive else Memorandum.objects.filter(active=True)
    measures = (
        Measure.objects.filter(active=True).prefetch_related("implementing_units", "matters").order_by("code")
    )
    return memoranda.prefetch_related(
        "list_types", "signing_units", Prefetch("measures", queryset=measures)
    ).order_by("code")


def matter_list() -> QuerySet[Matter]:
    return Matter.objects.order_by("code")


def checks_for_subject(*, subject_id: int, limit: int = 200) -> list[dict]:
    """Which units checked this subject, when and for which matter (for the subject's own query log)."""
    rows = (
        CheckResult.objects.filter(subject_id=subject_id)
        .select_related("check_run__unit", "check_run__matter")
        .order_by("-check_run__checked_at", "-id")[:limit]
    )
    return [
        {
            "at": r.check_run.checked_at,
            "unit": r.check_run.unit.code,
            "unit_name": r.check_run.unit.name,
            "matter": r.check_run.matter.name,
            "case_number": r.check_run.case_number,
        }
        for r in rows
    ]


def check_count() -> int:
    """How many checks were run (the demo's summary)."""
    return Check.objects.count()


# ── for the pushes app: who hears of a list entry or a repair ────────────────────────────────────────────


def units_that_checked(*, subject_id: int, since: dt.datetime) -> set[int]:
    """Ids of the units that checked this subject (应查必查) at or after `since`."""
    results = CheckResult.objects.filter(subject_id=subject_id, check_run__checked_at__gte=since)
    return set(results.values_list("check_run__unit_id", flat=True).distinct())


def units_implementing(*, list_type_id: int) -> tuple[set[int], bool]:
    """For a list type: the ids of the units implementing an active measure of an active memorandum that
    targets it, and whether such a measure binds every municipal department (各有关部门,
    `implementing_all`)."""
    measures = Measure.objects.filter(
        active=True, memorandum__active=True, memorandum__list_types=list_type_id
    )
    implementing = Measure.implementing_units.through.objects.filter(measure__in=measures)
    units = set(implementing.values_list("unit_id", flat=True))
    return units, measures.filter(implementing_all=True).exists()


# ── per-month figures (issue 16: metrics/definitions.py `checks`, `feedback_on_time`, `measures_applied`) ──


def check_counts(
    *, start: dt.datetime, end: dt.datetime, unit_ids: Iterable[int]
) -> list[tuple[int, str, int, int]]:
    """Checks made in [start, end) per unit and matter: (unit id, matter code, checks, checks where some
    measure applied to some subject). Cost: a range scan of check_unit_time_idx per unit."""
    rows = (
        Check.objects.filter(unit_id__in=list(unit_ids), checked_at__gte=start, checked_at__lt=end)
        .values_list("unit_id", "matter__code")
        .annotate(n=Count("id"), hits=Count("id", filter=Q(applicable_count__gt=0)))
        .order_by("unit_id", "matter__code")
    )
    return list(rows)


def feedback_due_counts(
    *, start: dt.datetime, end: dt.datetime, unit_ids: Iterable[int]
) -> list[tuple[int, str, str, str, bool, int]]:
    """The applicable measures (one per result and measure) of the checks whose feedback deadline falls in
    [start, end), per unit, matter, measure, feedback outcome ('' while none is filed) and whether feedback
    was filed by the deadline: (unit id, matter code, measure code, outcome, on time, count). Cost: the
    partial check_unit_due_idx (only checks owing feedback), then their results' measures."""
    checks = Check.objects.filter(unit_id__in=list(unit_ids), feedback_due__gte=start, feedback_due__lt=end)
    counts: dict[tuple[int, str, str, str, bool], int] = {}
    for unit_id, matter, measure, outcome, on_time in _due_pairs(checks).values_list(
        "checkresult__check_run__unit_id", "checkresult__check_run__matter__code", "measure__code",
        "outcome", "on_time",
    ).iterator(chunk_size=5000):  # fmt: skip
        key = (unit_id, matter, measure, outcome or "", bool(on_time))
        counts[key] = counts.get(key, 0) + 1
    return [(*key, n) for key, n in sorted(counts.items())]


def _due_pairs(checks: QuerySet) -> QuerySet:
    feedback = Feedback.objects.filter(
        result_id=OuterRef("checkresult_id"), measure_id=OuterRef("measure_id")
    )
    on_time = feedback.filter(filed_at__lte=OuterRef("checkresult__check_run__feedback_due"))
    return _PAIRS.objects.filter(checkresult__check_run__in=checks).annotate(
        outcome=Subquery(feedback.values("outcome")[:1]), on_time=Exists(on_time)
    )


def checks_of_month(
    *, start: dt.datetime, end: dt.datetime, unit_id: int, limit: int, by_due: bool
) -> list[tuple[int, str]]:
    """One unit's checks made in [start, end) (`by_due`: whose feedback deadline falls in it), latest first:
    (check id, label)."""
    field = "feedback_due" if by_due else "checked_at"
    checks = Check.objects.filter(unit_id=unit_id, **{f"{field}__gte": start, f"{field}__lt": end})
    rows = checks.order_by(f"-{field}", "-id").values_list("pk", "matter__name", "case_number")[:limit]
    return [(pk, f"核查 #{pk} {matter} {case}") for pk, matter, case in rows]
