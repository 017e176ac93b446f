"""Execution feedback (执行反馈, docs/domain.md Check): for each measure that applied to a subject of a check,
the checking unit reports what it did — applied, not applicable (with the reason) or exempted (with the
reason) — and on which date. One feedback per measure per result; the database holds that line too.

A request is all or nothing: every item is validated first and the first problem refuses the request, with
every problem listed in `errors`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.db import transaction

from xinyong.accounts.roles import UNIT_OFFICERS
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, NotFound, PermissionDenied
from xinyong.core.timeutil import business_date
from xinyong.measures import lookups
from xinyong.measures.models import Check, CheckResult, Feedback, FeedbackOutcome

MAX_ITEMS = 10_000
REASON_REQUIRED = (FeedbackOutcome.NOT_APPLICABLE, FeedbackOutcome.EXEMPTED)
_STATUS = {"feedback.duplicate": 409}


def feedback_file(
    *, actor: Actor, check_id: int, items: Sequence[Mapping], now: dt.datetime
) -> list[Feedback]:
    """File feedback on a check (only its unit's case or data officers). Each item names the result
    (`result_id`, or the `identifier` as checked), the `measure_code`, the `outcome`, a `reason` (required for
    not_applicable and exempted) and `applied_on` (a date between the check's date and today).

    Refusals: 404 `check.not_found`; 403 `feedback.wrong_unit`; 400 `feedback.items_required`,
    `feedback.result_unknown`, `feedback.identifier_ambiguous`, `feedback.measure_not_applicable`,
    `feedback.outcome_invalid`, `feedback.reason_required`, `feedback.date_invalid`; 409 `feedback.duplicate`;
    413 `feedback.too_many_items`.
    """
    actor.require(*UNIT_OFFICERS)
    check = Check.objects.select_related("unit").filter(pk=check_id).first()
    if check is None:
        raise NotFound("check.not_found", f"核查 {check_id} 不存在")
    if check.unit.code != actor.unit_code:
        raise PermissionDenied("feedback.wrong_unit", "只有发起核查的单位可以反馈执行情况")
    if not items:
        raise DomainError("feedback.items_required", "反馈须至少包含一项")
    if len(items) > MAX_ITEMS:
        raise DomainError("feedback.too_many_items", f"一次最多反馈 {MAX_ITEMS} 项", status=413)
    with transaction.atomic():
        rows = _validated(actor, check, items, now)
        created = Feedback.objects.bulk_create(rows)
        audit_append(
            actor=actor,
            action="check.feedback",
            target_type="check",
            target_id=check.pk,
            now=now,
            payload={
                "filed": len(created),
                **{o: sum(1 for f in created if f.outcome == o) for o in FeedbackOutcome.values},
                "late": bool(check.feedback_due and now > check.feedback_due),
            },
        )
    return created


def _validated(actor: Actor, check: Check, items: Sequence[Mapping], now: dt.datetime) -> list[Feedback]:
    results = {r.pk: r for r in CheckResult.objects.filter(check_run=check).only("id", "subject_id")}
    applicable: dict[int, dict[str, int]] = {}
    through = CheckResult.measures.through.objects.filter(checkresult__check_run=check)
    for result_id, code, measure_id in through.values_list("checkresult_id", "measure__code", "measure_id"):
        applicable.setdefault(result_id, {})[code] = measure_id
    taken = set(Feedback.objects.filter(result__check_run=check).values_list("result_id", "measure_id"))
    first_day, today = business_date(check.checked_at), business_date(now)
    errors: list[dict] = []
    rows = []
    for i, item in enumerate(items):
        row = _item(i, item, results, applicable, taken, (first_day, today), errors)
        if row is not None:
            taken.add((row.result_id, row.measure_id))
            row.filed_by, row.filed_at = actor.label, now
            rows.append(row)
    if errors:
        first = errors[0]
        more = f"（另有 {len(errors) - 1} 处问题，见 errors）" if len(errors) > 1 else ""
        raise DomainError(first["code"], first["message"] + more, status=_STATUS.get(first["code"], 400),
                          errors=errors)  # fmt: skip
    return rows


def _item(i, item: Mapping, results, applicable, taken, window, errors: list[dict]) -> Feedback | None:
    def refuse(field: str, code: str, message: str) -> None:
        errors.append({"field": f"items[{i}].{field}", "code": code, "message": f"第 {i + 1} 项：{message}"})

    result_id = _result_id(item, results, refuse)
    if result_id is None:
        return None
    code = str(item.get("measure_code") or "")
    measure_id = applicable.get(result_id, {}).get(code)
    if measure_id is None:
        refuse(
            "measure_code", "feedback.measure_not_applicable", f"措施 {code or '（空）'} 不适用于该核查结果"
        )
        return None
    outcome = item.get("outcome")
    if outcome not in FeedbackOutcome.values:
        refuse(
            "outcome",
            "feedback.outcome_invalid",
            f"反馈结果 {outcome!r} 无效（applied、not_applicable、exempted）",
        )
        return None
    reason = str(item.get("reason") or "").strip()
    if outcome in REASON_REQUIRED and not reason:
        refuse("reason", "feedback.reason_required", "不适用或依法豁免须说明理由")
        return None
    applied_on = item.get("applied_on")
    if not isinstance(applied_on, dt.date) or not window[0] <= applied_on <= window[1]:
        refuse(
            "applied_on", "feedback.date_invalid", f"实施日期须在核查日 {window[0]} 与今天 {window[1]} 之间"
        )
        return None
    if (result_id, measure_id) in taken:
        refuse("measure_code", "feedback.duplicate", f"措施 {code} 对该核查结果已有反馈")
        return None
    return Feedback(
        result_id=result_id, measure_id=measure_id, outcome=outcome, reason=reason, applied_on=applied_on
    )


def _result_id(item: Mapping, results: dict[int, CheckResult], refuse) -> int | None:
    """The result an item names: by `result_id`, or by the identifier as checked (it must name one result)."""
    if item.get("result_id") is not None:
        result_id = item["result_id"]
        if result_id not in results:
            refuse("result_id", "feedback.result_unknown", f"核查结果 {result_id} 不属于该核查")
            return None
        return result_id
    raw = str(item.get("identifier") or "")
    parsed = lookups.parse_identifiers([raw])
    subject = lookups.subjects_for(parsed).get(parsed[0].key) if parsed[0].key else None
    matches = [r.pk for r in results.values() if subject is not None and r.subject_id == subject.id]
    if not matches:
        refuse("identifier", "feedback.result_unknown", f"标识 {parsed[0].stored or '（空）'} 不在该核查中")
        return None
    if len(matches) > 1:
        refuse("identifier", "feedback.identifier_ambiguous", "该主体在本次核查中出现多次，请改用 result_id")
        return None
    return matches[0]
