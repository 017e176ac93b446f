"""Reads of the records app: 双公示 publicity (public tier only), timeliness per unit and month."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from xinyong.accounts.models import Unit
from xinyong.accounts.selectors import unit_get, unit_names
from xinyong.catalog.models import Category
from xinyong.catalog.selectors import category_by_code
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.timeutil import business_date
from xinyong.records.models import ChangeKind, Record, RecordStatus
from xinyong.records.shown import record_shown_q
from xinyong.subjects.models import IdentifierKind
from xinyong.subjects.selectors import code_key, subject_lookup, subject_primary_code

PUBLICITY_CATEGORIES = {"licences": "XK", "penalties": "CF"}


@dataclass(frozen=True)
class PublicityQuery:
    kind: str  # licences | penalties
    unit: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    subject: str | None = None
    on: dt.date | None = None  # the business date whose shown records are listed (default: today)


def public_fields(category: Category) -> list[str]:
    """Codes of the category's public-tier fields (社会公开), in catalog order."""
    return list(
        category.fields.filter(active=True, tier="public").order_by("order").values_list("code", flat=True)
    )


def publicity_records(query: PublicityQuery) -> tuple[Category, QuerySet[Record]]:
    """Records of 行政许可 / 行政处罚 shown on the query's date (records.shown: current, published or flagged
    under objection, within the publication window), newest decision first (then newest id)."""
    code = PUBLICITY_CATEGORIES.get(query.kind)
    if code is None:
        raise NotFound("publicity.kind_not_found", f"公示类型不存在：{query.kind}（licences 或 penalties）")
    category = category_by_code(code=code)
    on = query.on or business_date(timezone.now())
    records = Record.objects.filter(record_shown_q(on), category=category)
    if query.unit:
        records = records.filter(unit=unit_get(name_or_code=query.unit))
    if query.date_from:
        records = records.filter(decision_date__gte=query.date_from)
    if query.date_to:
        records = records.filter(decision_date__lte=query.date_to)
    if query.subject:
        records = records.filter(subject=_publicity_subject(query.subject))
    return category, records.select_related("unit", "subject").order_by("-decision_date", "-id")


PERSON_FILTER_REFUSED = (
    "双公示公示信息不能按个人身份证号码筛选（否则任何人都能借此确认某人有无记录）。"
    "请按统一社会信用代码等单位代码查询；个人可登录后查看本人信用档案"
)


def _publicity_subject(raw: str):
    """The subject a publicity filter names — never by a person's resident ID (or a 20-digit tax number, which
    holds one): publicity is anonymous, so the filter would tell anyone whether a person has records (issue
    12). Persons are read through the subject profile, where every non-public read is logged."""
    key = code_key(raw, field="subject")
    if key.kind == IdentifierKind.RIC_HASH or (key.kind == IdentifierKind.TAXNO and key.value != key.display):
        raise PermissionDenied("publicity.person_filter_refused", PERSON_FILTER_REFUSED)
    return subject_lookup(raw=raw, field="subject").subject


def after_cursor(records: QuerySet[Record], cursor: dict) -> QuerySet[Record]:
    """Keyset pagination on (decision_date desc, id desc)."""
    day, last_id = dt.date.fromisoformat(cursor["d"]), int(cursor["i"])
    return records.filter(Q(decision_date__lt=day) | Q(decision_date=day, id__lt=last_id))


def publicity_item(record: Record, fields: list[str], category_code: str) -> dict:
    """The public view of one record: public-tier fields only; a person shows only the masked ID number."""
    subject = record.subject
    is_person = subject.kind == "natural_person"
    # an individual business without a USCC is shown under its registration number
    code = subject.person_masked if is_person else (subject.uscc or subject_primary_code(subject))
    return {
        "record_id": record.pk,
        "category": category_code,
        "unit": record.unit.code,
        "unit_name": record.unit.name,
        "doc_no": record.doc_no,
        "decision_date": record.decision_date.isoformat(),
        "subject_kind": subject.kind,
        "subject_code": code,
        "subject_name": record.subject_name,
        "status": record.status,
        "under_objection": record.status == RecordStatus.UNDER_OBJECTION,
        "publish_until": record.publish_max_end.isoformat() if record.publish_max_end else None,
        "fields": {f: record.payload[f] for f in fields if f in record.payload},
    }


def publicity_stream(query: PublicityQuery) -> tuple[list[str], Iterator[dict]]:
    """All matching items for the bulk export, read in chunks so memory stays flat."""
    category, records = publicity_records(query)
    fields = public_fields(category)
    return fields, (publicity_item(r, fields, category.code) for r in records.iterator(chunk_size=2000))


# ── timeliness (双公示 7 working days) ──────────────────────────────────────────────────────────────────


def timeliness_report(*, unit: Unit | None = None, month: str | None = None) -> list[dict]:
    """Per unit and arrival month: first submissions of 双公示 records on time, late, and the median delay
    in working days (provisional = counted with weekends only, the year's holidays not loaded yet)."""
    records = Record.objects.filter(
        category__shuanggongshi=True, change_kind=ChangeKind.ORIGINAL, delay_working_days__isnull=False
    )
    if unit is not None:
        records = records.filter(unit=unit)
    if month:
        first = dt.date.fromisoformat(f"{month}-01")
        records = records.filter(publish_from__gte=first, publish_from__lt=_next_month(first))
    groups: dict[tuple[str, str], list[tuple[int, bool, bool]]] = defaultdict(list)
    for unit_code, arrived, delay, late, provisional in records.values_list(
        "unit__code", "publish_from", "delay_working_days", "late", "delay_provisional"
    ).iterator(chunk_size=5000):
        groups[(unit_code, arrived.strftime("%Y-%m"))].append((delay, late, provisional))
    names = unit_names()
    return [_timeliness_row(code, names[code], m, rows) for (code, m), rows in sorted(groups.items())]


def _timeliness_row(code: str, name: str, month: str, rows: list[tuple[int, bool, bool]]) -> dict:
    late = sum(1 for _, is_late, _ in rows if is_late)
    return {
        "unit": code,
        "unit_name": name,
        "month": month,
        "total": len(rows),
        "on_time": len(rows) - late,
        "late": late,
        "median_delay_working_days": float(statistics.median(d for d, _, _ in rows)),
        "provisional": sum(1 for *_, p in rows if p),
    }


def _next_month(first: dt.date) -> dt.date:
    return dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
