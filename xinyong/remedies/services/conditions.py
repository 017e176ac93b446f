"""The conditions of credit repair (docs/domain.md Repair; plan task 36), each checked and shown to the
applicant: the
minimum publication period served (by the rule in force on the decision date, kept with the record), the
obligations performed (evidence), a signed repair commitment, the training the list type requires, and the
rule's extra condition (no repeat of the same serious dishonesty within `repair.repeat_serious`'s window).

`repair_target` refuses what cannot be repaired at all (not negative, not public, under objection, not
repairable); `repair_conditions` answers every condition, met or not, with its reason in Chinese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from xinyong.catalog.periods import add_quantity
from xinyong.catalog.selectors import rule_in_force
from xinyong.commitments.selectors import repair_commitment_for, training_certificate
from xinyong.core.errors import Conflict, DomainError
from xinyong.lists.models import EntryState, ListEntry, ListKind
from xinyong.lists.selectors import list_entries_published_on_records, list_entry_with_unit
from xinyong.records.flags import decision_version_ids, record_current_locked
from xinyong.records.models import Record, RecordStatus
from xinyong.records.selectors import record_serious_repeat

REPAIRABLE_STATUSES = (RecordStatus.PUBLISHED,)
STATUS_LABELS = dict(RecordStatus.choices)


@dataclass(frozen=True)
class Target:
    """What a repair is applied for: a record's current version or a published list entry."""

    kind: str
    record: Record | None
    entry: ListEntry | None

    @property
    def id(self) -> int:
        return self.record.pk if self.record else self.entry.pk

    @property
    def subject_id(self) -> int:
        return (self.record or self.entry).subject_id

    @property
    def deciding_unit(self):
        return self.record.unit if self.record else self.entry.list_type.deciding_unit


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    met: bool
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


def repair_target(*, target_kind: str, target_id: int) -> Target:
    """The target, or a refusal saying why it cannot be repaired at all."""
    if target_kind == "record":
        record = record_current_locked(target_id)
        if record.category.polarity != "negative":
            raise Conflict("repair.not_negative", f"“{record.category.name}”不是失信信息，无需信用修复")
        if record.status == RecordStatus.UNDER_OBJECTION:
            raise Conflict("repair.under_objection", "该信息异议处理中，异议办结后方可申请信用修复")
        if record.status not in REPAIRABLE_STATUSES:
            raise Conflict(
                "repair.not_public", f"该信息{STATUS_LABELS[record.status]}，不在公示中，无需信用修复"
            )
        return Target("record", record, None)
    if target_kind == "list_entry":
        entry = list_entry_with_unit(entry_id=target_id)
        if entry.state != EntryState.PUBLISHED or entry.list_type.kind == ListKind.RED:
            raise Conflict(
                "repair.entry_not_listed", f"名单条目 {entry.pk} 不是已公布的失信类名单条目，无需信用修复"
            )
        if not entry.list_type.repairable:
            raise Conflict("repair.not_repairable", f"{entry.list_type.name}不适用信用修复")
        if entry.objection_since is not None:
            raise Conflict("repair.under_objection", "该名单条目异议处理中，异议办结后方可申请信用修复")
        return Target("list_entry", None, entry)
    raise DomainError(
        "repair.target_kind_invalid", "修复对象只能是 record（信用信息）或 list_entry（名单条目）"
    )


def repair_conditions(
    *, target: Target, evidence_count: int, certificate_no: str, today: dt.date
) -> list[Condition]:
    """Every condition, in the order the applicant reads them."""
    return [
        _period(target, today),
        Condition(
            "obligations",
            "已履行法定义务",
            evidence_count > 0,
            f"已上传 {evidence_count} 份证明材料" if evidence_count else "未上传履行法定义务的证明材料",
        ),
        _commitment(target),
        _training(target, certificate_no),
        _no_repeat(target, today),
    ]


def _period(target: Target, today: dt.date) -> Condition:
    label = "已满最短公示期"
    if target.record is not None:
        record = target.record
        if record.publish_min_end is None:
            return Condition("min_period", label, True, "该类信息无最短公示期")
        rule = (
            f"按决定日适用的规则（{record.rule_effective_from:%Y-%m-%d} 起施行）"
            if record.rule_effective_from
            else ""
        )
        met = today >= record.publish_min_end
        state = "已满" if met else "未满"
        return Condition(
            "min_period", label, met, f"{rule}最短公示期至 {record.publish_min_end:%Y-%m-%d}，{state}"
        )
    entry = target.entry
    met = entry.earliest_exit_on is None or today >= entry.earliest_exit_on
    when = f"{entry.earliest_exit_on:%Y-%m-%d}" if entry.earliest_exit_on else "公布之日"
    return Condition(
        "min_period",
        "已满最短列入期",
        met,
        f"{entry.list_type.name}最早可于 {when} 提前移出，{'已满' if met else '未满'}",
    )


def commitment_for(target: Target):
    """The subject's repair commitment for this target; for a record, made for any version of the decision (a
    correction since the signing does not void it)."""
    ids = [target.entry.pk] if target.entry is not None else decision_version_ids(target.record)
    for target_id in ids:
        found = repair_commitment_for(
            subject_id=target.subject_id, target_kind=target.kind, target_id=target_id
        )
        if found is not None:
            return found
    return None


def _commitment(target: Target) -> Condition:
    found = commitment_for(target)
    detail = f"已签署信用修复承诺（承诺 #{found.pk}）" if found else "未签署针对本次修复对象的信用修复承诺"
    return Condition("commitment", "已作出信用修复承诺", found is not None, detail)


def training_list_types(target: Target) -> list:
    """The list types whose training this repair needs: the entry's own, or those of the published entries the
    record is a basis of."""
    if target.entry is not None:
        return [target.entry.list_type] if target.entry.list_type.training_required else []
    entries = list_entries_published_on_records(record_ids=decision_version_ids(target.record))
    return sorted({e.list_type for e in entries if e.list_type.training_required}, key=lambda t: t.code)


def _training(target: Target, certificate_no: str) -> Condition:
    needed = training_list_types(target)
    if not needed:
        return Condition("training", "已完成信用修复培训", True, "无需参加信用修复培训")
    names = "、".join(f"“{t.name}”" for t in needed)
    if not certificate_no.strip():
        return Condition(
            "training", "已完成信用修复培训", False, f"{names}要求完成信用修复培训：未提供培训证书编号"
        )
    found = training_certificate(subject_id=target.subject_id, certificate_no=certificate_no.strip())
    if found is None:
        detail = (
            f"{names}要求完成信用修复培训：培训证书 {certificate_no.strip()} 不存在、未结业或不属于本主体"
        )
        return Condition("training", "已完成信用修复培训", False, detail)
    unserved = [t for t in needed if not found.course.serves(t.code)]
    if unserved:
        names = "、".join(f"“{t.name}”" for t in unserved)
        detail = f"培训证书 {found.certificate_no}（{found.course.title}）不是{names}认可的信用修复培训"
        return Condition("training", "已完成信用修复培训", False, detail)
    return Condition(
        "training", "已完成信用修复培训", True, f"培训证书 {found.certificate_no}（{found.course.title}）"
    )


def _no_repeat(target: Target, today: dt.date) -> Condition:
    """By the window of the rule in force on the day of the application (the rule is the platform's default,
    see rules.yaml)."""
    label = "无同类严重失信行为再次发生"
    if target.record is None or target.record.severity != "serious":
        return Condition("no_repeat", label, True, "不适用")
    record = target.record
    window = rule_in_force(key="repair.repeat_serious", on=today).values["window"]
    since, until = _back(record.decision_date, window), add_quantity(record.decision_date, window)
    repeat = record_serious_repeat(record=record, since=since, until=until)
    if repeat is None:
        return Condition("no_repeat", label, True, f"{since:%Y-%m-%d} 至 {until:%Y-%m-%d} 无同类严重失信行为")
    detail = f"{repeat.decision_date:%Y-%m-%d} 又有同类严重失信行为（{repeat.doc_no}），不得修复"
    return Condition("no_repeat", label, False, detail)


def _back(day: dt.date, quantity: dict) -> dt.date:
    return add_quantity(day, {**quantity, "amount": -quantity["amount"]})
