"""Reads of the government integrity app (政务诚信, ADR 0037): the monitoring of government bodies with
current negative records, and the district evaluation's results.

A monitored body is a subject of kind 机关 with a negative record shown today (records.shown: published or
under objection, within its window), or any subject of a 政务失信 category with such a record (a 事业单位 on
the judgment-defaulter list or a purchaser). Its district is the subject's `district` (empty: city level); it
links to its unit when the unit registry holds the same USCC (`Unit.uscc`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from xinyong.accounts.selectors import district_governments, units_by_uscc
from xinyong.catalog.selectors import category_list_bare
from xinyong.catalog.vocabulary import NEGATIVE, SEVERITIES, SUBJECT_KINDS
from xinyong.govintegrity.models import DistrictEvaluation
from xinyong.govintegrity.scope import Scope
from xinyong.records.models import Record, RecordStatus
from xinyong.records.selectors import record_shown_negative_of

GOVERNMENT_CATEGORIES = ("ZFSXBZX", "ZFWY", "ZFCG")  # 政务失信 (catalog 2026.5)
MONITORED_KINDS = ("government_body",)
CITY = "city"  # the filter value of city-level bodies (no district)
CITY_LABEL = "市级"


@dataclass(frozen=True)
class MonitorRecord:
    id: int
    category_code: str
    category_name: str
    severity: str
    decision_date: dt.date
    publish_from: dt.date | None
    publish_until: dt.date | None
    doc_no: str
    provider: str
    under_objection: bool


@dataclass
class MonitorBody:
    subject_id: int
    name: str
    uscc: str
    kind: str
    district: str
    district_label: str
    unit_name: str
    records: list[MonitorRecord] = field(default_factory=list)


@dataclass(frozen=True)
class DistrictCount:
    district: str
    label: str
    bodies: int
    records: int


def district_labels() -> dict[str, str]:
    """District unit code → 海淀区 (the district government's name without 政府); "" → 市级."""
    return {"": CITY_LABEL, **{u.code: u.name.removesuffix("政府") for u in district_governments()}}


def negative_categories() -> list[tuple[str, str]]:
    """(code, name) of the active negative categories, 政务失信 first: the monitoring's category filter."""
    negative = [(c.code, c.name) for c in category_list_bare() if c.polarity == NEGATIVE]
    return sorted(negative, key=lambda c: c[0] not in GOVERNMENT_CATEGORIES)


def _record(record: Record) -> MonitorRecord:
    return MonitorRecord(
        id=record.pk, category_code=record.category.code, category_name=record.category.name,
        severity=SEVERITIES.get(record.severity, ""), decision_date=record.decision_date,
        publish_from=record.publish_from, publish_until=record.publish_max_end, doc_no=record.doc_no,
        provider=record.unit.name, under_objection=record.status == RecordStatus.UNDER_OBJECTION,
    )  # fmt: skip


def monitor_bodies(*, scope: Scope, on: dt.date, category: str | None = None) -> list[MonitorBody]:
    """Every monitored body in `scope` on `on` with its shown negative records (of `category` only, when
    given), by name; each record with its dates and provider, newest decision first."""
    records = record_shown_negative_of(
        on=on, subject_kinds=MONITORED_KINDS, category_codes=GOVERNMENT_CATEGORIES,
        district=scope.district, category_code=category,
    )  # fmt: skip
    labels = district_labels()
    units = units_by_uscc(usccs={r.subject.uscc for r in records if r.subject.uscc})
    bodies: dict[int, MonitorBody] = {}
    for record in records:
        subject = record.subject
        body = bodies.get(subject.pk)
        if body is None:
            unit = units.get(subject.uscc or "")
            body = bodies[subject.pk] = MonitorBody(
                subject_id=subject.pk, name=subject.name, uscc=subject.uscc or "",
                kind=SUBJECT_KINDS.get(subject.kind, subject.kind), district=subject.district,
                district_label=labels.get(subject.district, subject.district),
                unit_name=unit.name if unit else "",
            )  # fmt: skip
        body.records.append(_record(record))
    # by name in code-point order, whatever the database's collation (SQLite and PostgreSQL answer alike)
    return sorted(bodies.values(), key=lambda b: (b.name, b.subject_id))


def monitor_in_district(bodies: Iterable[MonitorBody], district: str) -> list[MonitorBody]:
    """The bodies of one district (`CITY`: the city level)."""
    wanted = "" if district == CITY else district
    return [b for b in bodies if b.district == wanted]


def monitor_counts(bodies: list[MonitorBody], *, scope: Scope) -> list[DistrictCount]:
    """Bodies and records per district (every district of the scope, with zeros; the city level last)."""
    labels = district_labels()
    codes = [scope.district] if scope.district is not None else [*[c for c in labels if c], ""]
    return [
        DistrictCount(
            district=code or CITY,
            label=labels.get(code, code),
            bodies=sum(1 for b in bodies if b.district == code),
            records=sum(len(b.records) for b in bodies if b.district == code),
        )  # fmt: skip
        for code in codes
    ]


def evaluation_months() -> list[dt.date]:
    """The months with results, newest first."""
    return list(DistrictEvaluation.objects.order_by("-month").values_list("month", flat=True).distinct())


def evaluation_ranking(*, month: dt.date, scope: Scope) -> list[DistrictEvaluation]:
    """The month's results by rank (a district's officer sees its own row), with their indicators."""
    results = DistrictEvaluation.objects.filter(month=month).prefetch_related("indicators")
    if scope.district is not None:
        results = results.filter(district=scope.district)
    return list(results.order_by("rank", "district"))
