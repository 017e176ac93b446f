"""The letters the subject receives (docs/domain.md principle 2: a notice to the subject before anything hurts
it): the 告知书 on approval (reasons, basis, rights, the statement deadline) and the 决定书 on decision (the
decision, its term, the answer to what the subject stated, the remedy). Written in the transition's
transaction. The deciding unit is named as it was named on the letter's date (accounts.selectors.unit_name_on:
北京市工商行政管理局 before the 2018 reform, 北京市市场监督管理局 after).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.accounts.selectors import unit_name_on
from xinyong.audit.services import audit_append
from xinyong.catalog.periods import add_months
from xinyong.core.actor import Actor
from xinyong.core.errors import NotFound
from xinyong.core.timeutil import BEIJING, business_date
from xinyong.lists.letters import notice_text
from xinyong.lists.models import ListEntry, Notice, NoticeKind
from xinyong.subjects.selectors import subject_primary_code

PROVISIONAL_NOTE = (
    "注：期限所涉年份的节假日安排尚未公布，截止时间按仅周末计算，为临时结果；如有调整，以顺延后的期限为准。"
)


def entry_dates(entry: ListEntry) -> tuple[dt.date | None, dt.date]:
    """(last day on the list, earliest exit date), both counted from the decision date (Beijing): the decision
    day itself is not counted, so a 36-month entry decided on 2025-10-20 is on the list through 2028-10-20
    (end-of-month clamped, catalog.periods.add_months). No fixed term: no last day."""
    decided = business_date(entry.decided_at)
    expires = add_months(decided, entry.duration_months) if entry.duration_months else None
    return expires, add_months(decided, entry.list_type.earliest_exit_months)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def cn_deadline(instant: dt.datetime) -> str:
    local = instant.astimezone(BEIJING)
    return f"{cn_date(local.date())}{local.hour}时{local.minute:02d}分{local.second:02d}秒（北京时间）"


def notice_send(entry: ListEntry, *, kind: str, now: dt.datetime, answer: str = "") -> Notice:
    """Write the in-platform notice of `kind` for a locked entry (the caller's transaction)."""
    content = (
        _notice_content(entry, now) if kind == NoticeKind.NOTICE else _decision_content(entry, now, answer)
    )
    return Notice.objects.create(
        entry=entry,
        subject=entry.subject,
        kind=kind,
        title=content["title"],
        body=notice_text(content),
        content=content,
        deadline=entry.statement_deadline if kind == NoticeKind.NOTICE else None,
        sent_at=now,
    )


def notice_mark_read(*, actor: Actor, notice_id: int, subject_id: int | None, now: dt.datetime) -> Notice:
    """The subject opened its notice (送达回执): the first reading time is kept and audited."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None or subject_id is None or notice.subject_id != subject_id:
            raise NotFound("notice.not_found", f"告知书 {notice_id} 不存在")
        if notice.read_at is None:
            notice.read_at = now
            notice.save(update_fields=["read_at"])
            audit_append(
                actor=actor, action="notice.read", target_type="notice", target_id=notice.pk, now=now
            )
    return notice


def _header(entry: ListEntry, now: dt.datetime, kind: str) -> dict:
    list_type, subject = entry.list_type, entry.subject
    unit = list_type.deciding_unit
    letter, mark = ("告知书", "G") if kind == NoticeKind.NOTICE else ("决定书", "J")
    return {
        "kind": kind,
        "number": f"编号：{list_type.code}-{business_date(now).year}-{entry.pk:06d}-{mark}",
        "title": f"列入{list_type.name}{letter}",
        "addressee": f"{subject.name}（{subject_primary_code(subject)}）：",
        "signature": unit_name_on(unit, on=business_date(now)),
        "date": cn_date(business_date(now)),
    }


def _basis_items(entry: ListEntry) -> list[str]:
    records = entry.basis_records.select_related("category").order_by("decision_date", "pk")
    cited = "；".join(f"{r.category.name}（{r.doc_no}，{cn_date(r.decision_date)}）" for r in records)
    return [entry.legal_basis, f"认定标准：{entry.list_type.criteria}", f"依据信息：{cited}"]


def _term_text(entry: ListEntry, months: int | None) -> str:
    list_type = entry.list_type
    term = f"自列入决定作出之日起 {months} 个月" if months else "无固定期限，至依规移出之日止"
    if not list_type.repairable:
        return f"{term}；不适用信用修复提前移出。"
    after = f"列入满 {list_type.earliest_exit_months} 个月后，" if list_type.earliest_exit_months else ""
    training = "，并须完成信用修复培训" if list_type.training_required else ""
    return f"{term}；{after}符合条件的可以申请信用修复、提前移出{training}。"


def _notice_content(entry: ListEntry, now: dt.datetime) -> dict:
    unit_name = unit_name_on(entry.list_type.deciding_unit, on=business_date(now))
    deadline = cn_deadline(entry.statement_deadline)
    rights = [
        f"陈述、申辩：你（单位）可以在{deadline}前，通过本平台主体账户或者书面方式向{unit_name}提出陈述、申辩，并提交证据材料。",
        "异议：对列入所依据的信用信息有异议的，可以依法提出异议申请。",
        "逾期未提出陈述、申辩的，视为放弃陈述、申辩权利，本机关将依法作出决定。",
        f"救济途径：{entry.list_type.remedy}",
    ]
    return {
        **_header(entry, now, NoticeKind.NOTICE),
        "opening": f"经审查，{unit_name}拟将你（单位）列入{entry.list_type.name}。现将有关事项告知如下：",
        "sections": [
            {"heading": "一、列入事由", "items": [entry.reasons]},
            {"heading": "二、列入依据", "items": _basis_items(entry)},
            {"heading": "三、列入期限", "items": [_term_text(entry, entry.list_type.duration_months)]},
            {"heading": "四、你（单位）依法享有的权利", "items": rights, "numbered": True},
        ],
        "deadline": entry.statement_deadline.isoformat(),
        "deadline_provisional": entry.statement_deadline_provisional,
        "note": PROVISIONAL_NOTE if entry.statement_deadline_provisional else "",
    }


def _decision_content(entry: ListEntry, now: dt.datetime, answer: str) -> dict:
    unit_name = unit_name_on(entry.list_type.deciding_unit, on=business_date(now))
    expires, _ = entry_dates(entry)
    term = _term_text(entry, entry.duration_months)
    if expires:
        term += f"在名单上至{cn_date(expires)}止。"
    return {
        **_header(entry, now, NoticeKind.DECISION),
        "opening": f"{unit_name}于{cn_date(business_date(now))}决定将你（单位）列入{entry.list_type.name}。",
        "sections": [
            {"heading": "一、列入事由", "items": [entry.reasons]},
            {"heading": "二、列入依据", "items": _basis_items(entry)},
            {"heading": "三、陈述、申辩的采纳情况", "items": [_answer_text(entry, answer)]},
            {"heading": "四、列入期限", "items": [term]},
            {"heading": "五、救济途径", "items": [entry.remedy]},
        ],
        "note": "",
    }


def _answer_text(entry: ListEntry, answer: str) -> str:
    """The decision's answer to the statements (required by the decision service when there are any)."""
    if answer:
        return answer
    if entry.statement_waived:
        return "你（单位）已声明放弃陈述、申辩。"
    return "你（单位）在陈述申辩期内未提出陈述、申辩。"


def notice_pdf_sha256_keep(*, notice_id: int, digest: str) -> str:
    """Keep `digest` as the notice's letter hash unless one is kept already; answer the kept hash. Runs in
    the caller's transaction (the row is locked until it ends)."""
    stored = Notice.objects.select_for_update().values_list("pdf_sha256", flat=True).get(pk=notice_id)
    if not stored:
        Notice.objects.filter(pk=notice_id).update(pdf_sha256=digest)
        stored = digest
    return stored
