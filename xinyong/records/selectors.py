"""Reads of the records app: 双公示 publicity (public tier only), timeliness per unit and month."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from xinyong.accounts.models import Unit
from xinyong.accounts.selectors import unit_get, unit_names
from xinyong.catalog.models import Category
from xinyong.catalog.selectors import category_by_code, category_deadlines
from xinyong.core.bulk import db_date, select_in
from xinyong.core.errors import NotFound, PermissionDenied
from xinyong.core.timeutil import BEIJING, business_date
from xinyong.records.govrecords import (  # the 政务失信 reads, re-exported (ADR 0037)
    CategoryRecordRow as CategoryRecordRow,
)
from xinyong.records.govrecords import (
    record_rows_of_categories as record_rows_of_categories,
)
from xinyong.records.govrecords import (
    record_shown_negative_of as record_shown_negative_of,
)
from xinyong.records.models import ChangeKind, Record, RecordStatus, RecordStatusChange
from xinyong.records.shown import SHOWN_STATUSES, record_shown_q
from xinyong.records.staging import GATE_SQL
from xinyong.subjects.masking import person_name_mask, person_name_masked_in
from xinyong.subjects.models import IdentifierKind
from xinyong.subjects.selectors import code_key, subject_lookup, subject_primary_code

PUBLICITY_CATEGORIES = {"licences": "XK", "penalties": "CF"}
# the field a publicity column filters by kind of decision (issue 15): 许可类别 (one code) and 处罚类别
# (one or more of the catalog's values, separated by ";")
DECISION_TYPE_FIELDS = {"licences": "XK_XKLB", "penalties": "CF_CFLB"}
COMMITMENTS_CATEGORY = (
    "XYCN"  # 信用承诺信息: public templates' commitments (commitments/services/publication.py)
)


@dataclass(frozen=True)
class PublicityQuery:
    kind: str  # licences | penalties
    unit: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    subject: str | None = None
    on: dt.date | None = None  # the business date whose shown records are listed (default: today)
    district: str | None = None  # the subject's district (Subject.district, a unit code; the portal's filter)
    decision_type: str | None = None  # a value of DECISION_TYPE_FIELDS[kind] (the portal's filter)


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
    return _shown_of_category(code, query)


def commitment_records(query: PublicityQuery) -> tuple[Category, QuerySet[Record]]:
    """信用承诺信息 (XYCN) shown on the query's date, newest first: the portal's 信用承诺 column (issue 15),
    with the same shown predicate and filters as 双公示 (`query.kind` and `decision_type` are not used)."""
    return _shown_of_category(COMMITMENTS_CATEGORY, replace(query, decision_type=None))


def _shown_of_category(code: str, query: PublicityQuery) -> tuple[Category, QuerySet[Record]]:
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
    if query.district:  # no index on the subject's district: the page's LIMIT bounds the scan (issue 15)
        records = records.filter(subject__district=query.district)
    if query.decision_type:  # a payload value: read from the rows the other filters leave (no index)
        field = DECISION_TYPE_FIELDS[query.kind]
        one_of_several = rf"(^|;)\s*{re.escape(query.decision_type)}\s*(;|$)"
        records = records.filter(**{f"payload__{field}__regex": one_of_several})
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
    day, last_id = cursor["d"], cursor["i"]  # parsed (core/pagination.py cursor_fields)
    return records.filter(Q(decision_date__lt=day) | Q(decision_date=day, id__lt=last_id))


def publicity_item(
    record: Record, fields: list[str], category_code: str, *, names_in_full: bool = False
) -> dict:
    """The public view of one record: public-tier fields only; a person shows only the masked ID number and,
    unless `names_in_full` (government roles, ADR 0040), the masked name (王**), also inside any field that
    quotes it (行政相对人名称, a text): subjects.masking, the portal's rule too."""
    subject = record.subject
    is_person = subject.kind == "natural_person"
    # an individual business without a USCC is shown under its registration number
    code = subject.person_masked if is_person else (subject.uscc or subject_primary_code(subject))
    name = record.subject_name
    payload = {f: record.payload[f] for f in fields if f in record.payload}
    if is_person and not names_in_full:
        payload = {f: person_name_masked_in(v, name) for f, v in payload.items()}
        name = person_name_mask(name)
    return {
        "record_id": record.pk,
        "category": category_code,
        "unit": record.unit.code,
        "unit_name": record.unit.name,
        "doc_no": record.doc_no,
        "decision_date": record.decision_date.isoformat(),
        "subject_kind": subject.kind,
        "subject_code": code,
        "subject_name": name,
        "status": record.status,
        "under_objection": record.status == RecordStatus.UNDER_OBJECTION,
        "publish_until": record.publish_max_end.isoformat() if record.publish_max_end else None,
        "fields": payload,
    }


def publicity_stream(
    query: PublicityQuery, *, names_in_full: bool = False
) -> tuple[list[str], Iterator[dict]]:
    """All matching items for the bulk export, read in chunks so memory stays flat; persons' names masked
    unless `names_in_full` (publicity_item)."""
    category, records = publicity_records(query)
    fields = public_fields(category)
    items = (
        publicity_item(r, fields, category.code, names_in_full=names_in_full)
        for r in records.iterator(chunk_size=2000)
    )
    return fields, items


def publicity_received_count(*, on: dt.date, unit_ids: Iterable[int]) -> int:
    """How many 双公示 records (行政许可, 行政处罚) that arrived on business date `on` are shown that day: the
    portal home's "今日公示" (issue 15). Cost: one range scan of record_unit_received_idx per unit (`unit_ids`
    leads the index, the day bounds received_at), then the day's rows alone are read for the shown predicate;
    issue 16 replaces it with an aggregate."""
    start = dt.datetime.combine(on, dt.time(0), tzinfo=BEIJING)
    categories = [category_by_code(code=code).pk for code in PUBLICITY_CATEGORIES.values()]
    return Record.objects.filter(
        record_shown_q(on),
        unit_id__in=list(unit_ids),
        received_at__gte=start,
        received_at__lt=start + dt.timedelta(days=1),
        category_id__in=categories,
    ).count()


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


# ── reads for other apps (reports, lists, commitments, the demo) ─────────────────────────────────────


def record_list_by_ids(*, record_ids: Iterable[int]) -> list[Record]:
    """These records with their units (and the units' name periods), newest decision first, then newest id."""
    return list(
        Record.objects.filter(pk__in=record_ids)
        .select_related("unit")
        .prefetch_related("unit__name_periods")
        .order_by("-decision_date", "-id")
    )


def record_objection_dates(*, record_ids: Iterable[int]) -> dict[int, dt.date]:
    """The (latest) business date each of these records was flagged under objection (异议处理中)."""
    changes = RecordStatusChange.objects.filter(
        record_id__in=record_ids, to_status=RecordStatus.UNDER_OBJECTION
    ).order_by("at", "id")
    return {c.record_id: business_date(c.at) for c in changes}


def record_in_bulk(*, record_ids: Iterable[int]) -> dict[int, Record]:
    """Record id → record, for those of these ids that exist."""
    return Record.objects.in_bulk(list(record_ids))


def record_current_of_submission(*, submission_id: int) -> Record | None:
    """The current record a submission's row became, None when there is none."""
    return Record.objects.filter(submission_id=submission_id, is_current=True).first()


def record_serious_negative_in_force(*, subject_id: int) -> Record | None:
    """A current serious negative record of the subject that is published or under objection (category
    joined), None when there is none: it keeps the subject off red lists."""
    return (
        Record.objects.filter(
            subject_id=subject_id,
            is_current=True,
            severity="serious",
            category__polarity="negative",
            status__in=[RecordStatus.PUBLISHED, RecordStatus.UNDER_OBJECTION],
        )
        .select_related("category")
        .first()
    )


def record_doc_no_exists(*, doc_no: str) -> bool:
    """Whether any record (any version) carries this document number."""
    return Record.objects.filter(doc_no=doc_no).exists()


def record_current_by_doc_no(*, doc_no: str) -> Record:
    """The current record with this document number (Record.DoesNotExist / MultipleObjectsReturned else)."""
    return Record.objects.get(doc_no=doc_no, is_current=True)


def record_current_count(*, usccs: Iterable[str]) -> int:
    """How many current records the subjects with these USCCs have."""
    return Record.objects.filter(subject__uscc__in=list(usccs), is_current=True).count()


# ── repair ──────────────────────────────────────────────────────────────────────────────────────────────


def record_serious_repeat(*, record: Record, since: dt.date, until: dt.date) -> Record | None:
    """The earliest other current serious record of the same subject and category decided in [since, until]
    (not withdrawn or superseded): a repeat of the same serious dishonesty bars repair (remedies)."""
    return (
        Record.objects.filter(
            subject_id=record.subject_id,
            category_id=record.category_id,
            severity="serious",
            is_current=True,
            decision_date__gte=since,
            decision_date__lte=until,
        )
        .exclude(doc_no=record.doc_no, unit_id=record.unit_id)
        .exclude(status__in=[RecordStatus.WITHDRAWN, RecordStatus.SUPERSEDED])
        .order_by("decision_date")
        .first()
    )


# ── a subject's records, for its standing (standing.selectors, standing.profile) ───────────────────────────


class RecordRow(NamedTuple):
    id: int
    subject_id: int
    category_id: int
    status: str
    is_current: bool
    decision_date: dt.date
    severity: str
    publish_max_end: dt.date | None


def record_rows_of_subjects(
    *, subject_ids: Iterable[int], on: dt.date, statuses: Iterable[str] | None = None
) -> list[RecordRow]:
    """Current records of these subjects, newest decision first: shown on `on` (records.shown) or, given
    `statuses`, those in them (what government tiers and the subject itself see retained).

    Raw SQL that reads `record_subject_idx` (pinned on SQLite): without the storage's statistics SQLite
    chose the index that starts with the status, which reads every published record of the platform (9 M
    at 10 M records) for a search page's badges (`xinyong bench portal`, issue 15). The predicate is
    records.shown's (`record_shown_q`) in SQL, the staging gate included."""
    ids = sorted(set(subject_ids))
    if not ids:
        return []
    wanted = SHOWN_STATUSES if statuses is None else tuple(statuses)
    marks = ", ".join(["%s"] * len(wanted))
    window = "AND (r.publish_max_end IS NULL OR r.publish_max_end >= %s)" if statuses is None else ""
    hint = "INDEXED BY record_subject_idx" if connection.vendor == "sqlite" else ""
    sql = (
        "SELECT r.id, r.subject_id, r.category_id, r.status, r.is_current, r.decision_date, r.severity, "
        f"r.publish_max_end FROM records_record r {hint} WHERE r.is_current = %s AND r.status IN ({marks}) "
        f"{window} AND {GATE_SQL} AND r.subject_id IN ({{}})"
    )
    before = [True, *wanted, *([db_date(on)] if statuses is None else [])]
    rows = [
        RecordRow(rid, sid, cid, status, bool(current), _day(decided), severity or "", until and _day(until))
        for rid, sid, cid, status, current, decided, severity, until in select_in(sql, ids, before=before)
    ]
    rows.sort(key=lambda r: (r.decision_date, r.id), reverse=True)
    return rows


def _day(value: str | dt.date) -> dt.date:
    """A date column of a raw row (SQLite gives text, PostgreSQL a date)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value[:10])


def records_with_units(*, record_ids: Iterable[int]) -> list[Record]:
    """These records with their units, by category, newest decision first."""
    records = Record.objects.filter(pk__in=list(record_ids)).select_related("unit")
    return list(records.order_by("category_id", "-decision_date", "-id"))


def record_with_subject(*, record_id: int) -> Record:
    """One record with its subject, category and unit; `Record.DoesNotExist` when there is none (an outbox
    handler's event names a record that exists)."""
    return Record.objects.select_related("subject", "category", "unit").get(pk=record_id)


def records_objection_since(*, record_ids: Iterable[int]) -> dict[int, dt.datetime]:
    """Record id → when it went under objection (the latest time, for a record objected to twice)."""
    changes = RecordStatusChange.objects.filter(
        record_id__in=list(record_ids), to_status=RecordStatus.UNDER_OBJECTION
    )
    return {c.record_id: c.at for c in changes.order_by("at")}


# ── per-month figures (issue 16: metrics/definitions.py `publicity_on_time`) ─────────────────────────────


def publicity_timeliness_counts(
    *, start: dt.datetime, end: dt.datetime, unit_ids: Iterable[int]
) -> list[tuple[int, str, str, int, int]]:
    """First submissions (change kind `original`) of records in categories with a publication deadline
    (`deadline_working_days`, the 双公示 categories) received in [start, end) from `unit_ids`, counted as
    (unit id, the subject's district, category code, working days late, rows). Working days late is
    `delay_working_days − deadline` for a late record and 0 for one on time (records/publication.py
    `timeliness`). Cost: one range scan of record_unit_received_idx per unit (the unit leads the index,
    [start, end) bounds received_at); only the month's rows are read. The categories are picked here, not in
    the WHERE: given `category_id IN (…)`, SQLite (no statistics) read every record of those categories
    through record_publicity_idx instead — 85 % of all records, not the month's (bench refresh, issue 16)."""
    deadlines = category_deadlines()
    rows = (
        Record.objects.filter(
            unit_id__in=list(unit_ids),
            received_at__gte=start,
            received_at__lt=end,
            change_kind=ChangeKind.ORIGINAL,
            delay_working_days__isnull=False,
        )
        .values_list("unit_id", "subject__district", "category_id", "delay_working_days", "late")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[tuple[int, str, str, int], int] = defaultdict(int)
    for unit_id, district, category_id, delay, late, n in rows:
        if category_id not in deadlines:
            continue
        code, deadline = deadlines[category_id]
        counts[(unit_id, district, code, delay - deadline if late else 0)] += n
    return [(*key, n) for key, n in sorted(counts.items())]


def publicity_records_of_month(
    *, start: dt.datetime, end: dt.datetime, unit_id: int, limit: int
) -> list[tuple[int, str, bool]]:
    """The records behind `publicity_timeliness_counts` for one unit: (id, label, on time), latest first."""
    rows = Record.objects.filter(
        unit_id=unit_id,
        received_at__gte=start,
        received_at__lt=end,
        category_id__in=list(category_deadlines()),
        change_kind=ChangeKind.ORIGINAL,
        delay_working_days__isnull=False,
    ).order_by("-received_at", "-id")[:limit]
    return [
        (pk, f"{code} {doc_no}（用时 {delay} 个工作日）", not late)
        for pk, code, doc_no, delay, late in rows.values_list(
            "pk", "category__code", "doc_no", "delay_working_days", "late"
        )
    ]
