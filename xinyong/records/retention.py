"""Retention of negative information about natural persons (个人不良信息保存期限): docs/rules.md, and §2
principle 1 ("what stops being published stays retained until its retention ends"); ADR 0011.

Rule: 《征信业管理条例》(国务院令第 631 号) 第十六条 — 征信机构对个人不良信息的保存期限，自不良行为或者事件
终止之日起为 5 年；超过 5 年的，应当予以删除. The period is the rules-table row `retention.negative_personal`
(catalog/data/rules.yaml), the row in force on the day of the sweep: deleting is a duty under the law as it
stands when the sweep runs.

What is swept: every version of a record of a negative category (catalog polarity `negative`) about a
natural person (subject kind `natural_person`) whose conduct ended more than the period ago, i.e. erased on
the first day after `conduct end + 5 years` (ended 2020-06-30 → kept through 2025-06-30, erased on
2025-07-01). Legal entities' records are never touched.

When the conduct ended ("不良行为或者事件终止之日"): the field the category names as `conduct_end` in
records/data/record_keys.yaml — CF 处罚有效期 (CF_YXQ), QZ 期限至 (QZ_QXZ), YZSX 有效期至 (YZSX_YXQZ),
(for legal entities only: JYYC 移出日期, SBJN 补缴日期) — read from the current version; 2099-12-31
(长期) therefore never ends. Where the category names no such field (SXBZX, XYCNWY) or the record leaves it
empty, the decision date stands in (the catalog has no 履行完毕 date for them). Never earlier than the
decision date: the fact cannot end before the decision that records it.
A record whose current version is still `published` or `under_objection` is not swept whatever its dates:
the platform still states it as current (a listing that has not exited) or a subject's objection about it is
open; it is swept once the expiry sweep, a withdrawal, a repair or the objection ends that.

How (ADR 0011): the whole version chain (same unit, category, decision document and subject) goes with its
status changes. A version that a row of another app still references (an objection, a repair, a push, a list
entry's basis records, a commitment's breach record — found through the model's reverse relations, so a new
reference is covered without a change here) stays as a tombstone: status `erased`, not current, no payload,
no encrypted fields, no name, no document number, no severity, window or rule; every other version is
deleted. One transaction per record and one audit event (`record.erase`) naming the record's ids, category
and unit only. Running it again finds nothing more and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from xinyong.audit.services import audit_append
from xinyong.catalog.periods import add_quantity
from xinyong.catalog.selectors import rule_in_force
from xinyong.core.actor import Actor
from xinyong.core.timeutil import business_date
from xinyong.records.keys import category_record_keys, parse_date
from xinyong.records.machine import record_target
from xinyong.records.models import Record, RecordStatus, RecordStatusChange

RULE_KEY = "retention.negative_personal"
# still stated as current, or contested: not swept until that ends
HELD_STATUSES = (RecordStatus.PUBLISHED, RecordStatus.UNDER_OBJECTION, RecordStatus.ERASED)
REASON = "个人不良信息保存期满（《征信业管理条例》第十六条：自不良行为或者事件终止之日起保存 5 年），予以删除"


@dataclass(frozen=True)
class RetentionResult:
    today: dt.date
    erased: int  # records (version chains) whose retention ended
    deleted: int  # versions physically deleted
    tombstoned: int  # versions kept as `erased` tombstones because another case references them


@dataclass(frozen=True)
class _Candidate:
    id: int
    unit_id: int
    category_id: int
    subject_id: int
    doc_no: str


def conduct_end(*, category_code: str, decision_date: dt.date, payload: dict) -> dt.date:
    """The day the conduct or event ended (不良行为或者事件终止之日): the category's `conduct_end` field when
    the record gives it, else the decision date; never before the decision date."""
    keys = category_record_keys(code=category_code)
    field = keys.conduct_end if keys else ""
    ended = parse_date(payload.get(field) or "") if field else None
    return max(ended, decision_date) if ended else decision_date


def retention_sweep(*, actor: Actor, now: dt.datetime) -> RetentionResult:
    """Delete natural persons' negative records kept past the retention period (征信业管理条例第十六条;
    rule `retention.negative_personal`, 5 years from the end of the conduct). Idempotent; catches up."""
    today = business_date(now)
    period = rule_in_force(key=RULE_KEY, on=today).values["retention"]
    due = [c for c in _candidates(today, period) if add_quantity(c[1], period) < today]
    erased = deleted = tombstoned = 0
    for candidate, _ in due:
        with transaction.atomic():
            outcome = _erase(candidate, actor, now)
        if outcome is not None:
            erased += 1
            deleted += outcome[0]
            tombstoned += outcome[1]
    return RetentionResult(today, erased, deleted, tombstoned)


def _candidates(today: dt.date, period: dict) -> list[tuple[_Candidate, dt.date]]:
    """Current versions that may be due, with their conduct end; the decision date bounds the query (the
    conduct never ends before it), the end field is read per row."""
    # today minus the period, give or take leap days and month-end clamping: a safe upper bound
    latest_decision = today - (add_quantity(today, period) - today) + dt.timedelta(days=3)
    rows = (
        Record.objects.filter(
            is_current=True,
            subject__kind="natural_person",
            category__polarity="negative",
            decision_date__lte=latest_decision,
        )
        .exclude(status__in=HELD_STATUSES)
        .order_by("id")
        .values_list("id", "unit_id", "category_id", "subject_id", "doc_no", "category__code",
                     "decision_date", "payload")
    )  # fmt: skip
    found = []
    for pk, unit, category, subject, doc_no, code, decided, payload in rows.iterator(chunk_size=2000):
        ended = conduct_end(category_code=code, decision_date=decided, payload=payload)
        found.append((_Candidate(pk, unit, category, subject, doc_no), ended))
    return found


def _erase(c: _Candidate, actor: Actor, now: dt.datetime) -> tuple[int, int] | None:
    """Erase one record's version chain; None when another writer changed it since it was read."""
    current = (
        Record.objects.select_for_update(of=("self",))
        .filter(pk=c.id, is_current=True)
        .exclude(status__in=HELD_STATUSES)
        .select_related("category", "unit")
        .first()
    )
    if current is None:
        return None
    statuses = dict(
        Record.objects.select_for_update()
        .filter(unit_id=c.unit_id, category_id=c.category_id, subject_id=c.subject_id, doc_no=c.doc_no)
        .order_by("id")
        .values_list("id", "status")
    )
    versions = list(statuses)
    kept = sorted(_referenced_elsewhere(versions))
    for pk in kept:  # a tombstone is the `erase` move of records/machine.py (its history goes with the data)
        record_target(statuses[pk], "erase", record_id=pk)
    gone = [v for v in versions if v not in set(kept)]
    RecordStatusChange.objects.filter(record_id__in=versions).delete()
    Record.objects.filter(pk__in=versions).update(supersedes=None)
    Record.objects.filter(pk__in=kept).update(**_TOMBSTONE)
    Record.objects.filter(pk__in=gone).delete()
    audit_append(
        actor=actor,
        action="record.erase",
        target_type="record",
        target_id=c.id,
        now=now,
        reason=REASON,
        payload={
            "category": current.category.code,
            "unit": current.unit.code,
            "deleted": gone,
            "tombstoned": kept,
            "rule": RULE_KEY,
        },
    )
    return len(gone), len(kept)


_TOMBSTONE = {
    "status": RecordStatus.ERASED,
    "is_current": False,
    "payload": {},
    "protected": {},
    "subject_name": "",
    "doc_no": "",
    "severity": "",
    "publish_from": None,
    "publish_min_end": None,
    "publish_max_end": None,
    "rule_key": "",
    "rule_effective_from": None,
}


def _referenced_elsewhere(ids: list[int]) -> set[int]:
    """The versions among `ids` that a row outside the records app points at (FK or many-to-many)."""
    found: set[int] = set()
    for rel in Record._meta.related_objects:
        if rel.related_model._meta.app_label == "records":
            continue  # status changes are deleted, the version chain goes together
        if rel.many_to_many:
            through = rel.through
            name = rel.field.m2m_reverse_field_name()
            found.update(through._default_manager.filter(**{f"{name}__in": ids}).values_list(name, flat=True))
        else:
            name = rel.field.name
            manager = rel.related_model._default_manager
            found.update(manager.filter(**{f"{name}__in": ids}).values_list(name, flat=True))
    return found
