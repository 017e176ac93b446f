"""What a credit report (信用报告) says about a subject at a moment: plain data, gathered once, rendered
by pdf.py.

Two kinds (docs/domain.md Report, §5):
  * full (公共信用信息报告): base information, a summary per catalog category that applies to the subject's
    kind, and the details of every category holding records;
  * compliance (专项信用报告, in lieu of 无违法违规记录证明): administrative penalties, administrative
    coercion, the serious-dishonesty lists and criminal records, each with its records or an explicit "未发现"
    line.

What is shown is the subject's standing on the report's business date for the public scope
(standing.selectors, issue 11): the records it shows (current, `published` or `under_objection` — flagged
异议处理中 with the date the objection was registered — and within their publication window) with
their public-tier fields only (社会公开, masked fields stored masked already), and its current entries on
public list types (名单), each with decision date, term, deciding unit and legal basis, flagged when under
objection. The full report gives each list type with entries a section of its own; the compliance report
puts an entry in the section of its list type's catalog category (失信被执行人 → 失信被执行人记录) and every
other black-list entry under 严重失信主体名单记录, so that it never says 未发现 beside a current entry.
Never shown: repaired, withdrawn, expired, superseded or not-published versions. The subject's own
identity fields (name, code, kind of relative person …) are printed once in the base information, not
repeated per record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xinyong.accounts.selectors import unit_by_code, unit_name_on, unit_names_on
from xinyong.catalog.models import Category
from xinyong.catalog.selectors import category_list_bare, category_public_fields
from xinyong.catalog.vocabulary import POLARITIES, SEVERITIES
from xinyong.core.timeutil import business_date
from xinyong.lists.models import ListKind
from xinyong.records.models import Record, RecordStatus
from xinyong.records.selectors import record_list_by_ids, record_objection_dates
from xinyong.standing.selectors import PUBLIC, EntryFact, RecordFact, Standing, standing_for
from xinyong.subjects.models import IdentifierKind, Subject
from xinyong.subjects.selectors import subject_aliases, subject_names, subject_primary_code

FULL = "full"
COMPLIANCE = "compliance"
KINDS = {FULL: "公共信用信息报告", COMPLIANCE: "专项信用报告"}
KIND_SUBTITLES = {
    FULL: "（全量版）",
    COMPLIANCE: "（行政处罚、行政强制、严重失信名单及刑事犯罪记录情况）",
}
OBJECTION_LABEL = "异议处理中"

# The compliance report's sections, in order: (title, catalog category code). A section whose category the
# catalog does not hold (today: criminal records) says so instead of claiming "none found".
COMPLIANCE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("行政处罚记录", "CF"),
    ("行政强制记录", "QZ"),
    ("严重失信主体名单记录", "YZSX"),
    ("失信被执行人记录", "SXBZX"),
    ("刑事犯罪记录", "XSFZ"),
)
NOT_HELD_TEXT = (
    "本平台未归集刑事犯罪记录（公共信用信息目录不含此类信息），本报告不证明该主体有无此类记录；"
    "如需证明，请向有权机关申请。"
)

# Field-code suffixes naming the subject itself (shown once in 基础信息, not repeated per record).
IDENTITY_SUFFIXES = (
    "_XDR_MC", "_XDR_LB", "_XDR_SHXYM", "_XDR_GSZC", "_XDR_ZZJG", "_XDR_SWDJ", "_XDR_SYDW", "_XDR_SHZZ",
    "_XDR_ZJLX", "_XDR_ZJHM", "_ZTMC", "_TYSHXYDM", "_ZJHM",
)  # fmt: skip
CODE_LABELS = {"uscc": "统一社会信用代码", "regno": "工商注册号", "person": "身份证件号码"}
SERIOUS_LIST_SECTION = "YZSX"  # the compliance section of every black-list entry not placed elsewhere
LIST_POLARITY = {ListKind.RED: "positive", ListKind.BLACK: "negative", ListKind.ATTENTION: "negative"}


@dataclass(frozen=True)
class FieldLine:
    name: str
    value: str


@dataclass(frozen=True)
class RecordItem:
    record_id: int
    doc_no: str
    decision_date: dt.date
    unit_name: str
    severity: str  # 轻微 / 一般 / 严重, or ""
    under_objection: bool
    objection_since: dt.date | None
    publish_until: dt.date | None
    fields: tuple[FieldLine, ...]


@dataclass(frozen=True)
class EntryItem:
    """A current list entry as a report prints it."""

    entry_id: int
    list_type_name: str
    decided_on: dt.date | None
    published_on: dt.date | None
    expires_on: dt.date | None  # last day on the list; None: no fixed term
    deciding_unit: str
    legal_basis: str
    under_objection: bool
    objection_since: dt.date | None


@dataclass(frozen=True)
class Section:
    """One category's records in the report (or a compliance heading whose category the platform lacks)."""

    code: str
    title: str
    polarity: str  # positive | neutral | negative | "" (not held)
    records: tuple[RecordItem, ...]
    held: bool = True  # False: the catalog has no such category
    empty_text: str = ""
    entries: tuple[EntryItem, ...] = ()
    more: int = 0  # shown records left out of `records` (report_content's `latest`), still counted
    more_objections: int = 0  # how many of those are under objection

    @property
    def count(self) -> int:
        return len(self.records) + self.more + len(self.entries)

    @property
    def polarity_label(self) -> str:
        return POLARITIES.get(self.polarity, "—")

    @property
    def objections(self) -> int:
        return (
            sum(1 for r in self.records if r.under_objection)
            + self.more_objections
            + sum(1 for e in self.entries if e.under_objection)
        )


@dataclass(frozen=True)
class BaseInfo:
    name: str
    code: str
    code_label: str
    kind_label: str
    district: str
    industry: str
    status_label: str
    name_history: tuple[tuple[str, dt.date, dt.date | None], ...]
    aliases: tuple[FieldLine, ...]


@dataclass(frozen=True)
class ReportContent:
    kind: str
    subject_id: int
    as_of: dt.datetime
    base: BaseInfo
    sections: tuple[Section, ...]

    @property
    def title(self) -> str:
        return KINDS[self.kind]

    @property
    def subtitle(self) -> str:
        return KIND_SUBTITLES[self.kind]

    @property
    def as_of_date(self) -> dt.date:
        return business_date(self.as_of)

    @property
    def record_ids(self) -> list[int]:
        return sorted(r.record_id for s in self.sections for r in s.records)

    @property
    def entry_ids(self) -> list[int]:
        return sorted({e.entry_id for s in self.sections for e in s.entries})

    def counts(self) -> dict[str, int]:
        return {s.code: s.count for s in self.sections if s.held}

    def text(self) -> str:
        """Every character the report prints from data (to pick fonts before rendering)."""
        parts = [self.base.name, self.base.code, self.base.district, self.base.industry]
        parts += [n for n, _, _ in self.base.name_history]
        parts += [f.value for f in self.base.aliases]
        for section in self.sections:
            for r in section.records:
                parts += [r.doc_no, r.unit_name]
                parts += [f.name + f.value for f in r.fields]
            for e in section.entries:
                parts += [e.list_type_name, e.deciding_unit, e.legal_basis]
        return "".join(parts)


def report_content(
    *,
    subject: Subject,
    kind: str,
    now: dt.datetime,
    standing: Standing | None = None,
    latest: int | None = None,
) -> ReportContent:
    """Gather what a report of `kind` shows about `subject` at `now` (reads only), from its standing — the
    public standing on the business date of `now`, read here unless the caller has it already (`standing`,
    the portal's subject page, which also shows its badges). `latest` (the portal's subject page): each
    section holds only its `latest` newest records (newest decision first, then newest id — the report's
    order); the rest are counted (`Section.more`, `more_objections`) but not read."""
    today = business_date(now)
    if standing is None or (standing.subject_id, standing.on, standing.scope) != (subject.pk, today, PUBLIC):
        standing = standing_for(subject_id=subject.pk, on=today, scope=PUBLIC)
    headings = _headings(subject, kind)
    held = [c.pk for _, c in headings if c is not None]
    facts = [r for r in standing.shown_records if r.category_id in held]
    left_out = _left_out(facts, latest)
    records = record_list_by_ids(record_ids=[r.record_id for r in facts if r.record_id not in left_out])
    objections = record_objection_dates(
        record_ids=[r.pk for r in records if r.status == RecordStatus.UNDER_OBJECTION]
    )
    fields = _public_fields(held)
    base = _base(subject)
    entries = _entry_items(standing.current_entries, today)
    sections = _list_sections(standing.current_entries, entries) if kind == FULL else []
    placed = _compliance_placement(standing.current_entries) if kind == COMPLIANCE else {}
    for title, category in headings:
        if category is None:
            code = dict(COMPLIANCE_SECTIONS)[title]
            sections.append(Section(code, title, "", (), held=False, empty_text=NOT_HELD_TEXT))
            continue
        items = tuple(
            _item(r, fields.get(category.pk, []), objections, base.name, today)
            for r in records
            if r.category_id == category.pk
        )
        listed = tuple(entries[e] for e in placed.get(category.code, ()))
        empty = f"经查询，截至{today:%Y年%m月%d日}，本平台未发现该主体的{title}。"
        more = [r for r in facts if r.category_id == category.pk and r.record_id in left_out]
        sections.append(
            Section(
                category.code,
                title,
                category.polarity,
                items,
                empty_text=empty,
                entries=listed,
                more=len(more),
                more_objections=sum(1 for r in more if r.under_objection),
            )
        )
    return ReportContent(kind=kind, subject_id=subject.pk, as_of=now, base=base, sections=tuple(sections))


def _left_out(facts: list[RecordFact], latest: int | None) -> set[int]:
    """The ids of the records past each category's `latest` newest (decision date, then id); none if None."""
    if latest is None:
        return set()
    by_category: dict[int, list[RecordFact]] = {}
    for f in facts:
        by_category.setdefault(f.category_id, []).append(f)
    out: set[int] = set()
    for found in by_category.values():
        found.sort(key=lambda f: (f.decision_date, f.record_id), reverse=True)
        out.update(f.record_id for f in found[latest:])
    return out


def _entry_items(facts: tuple[EntryFact, ...], today: dt.date) -> dict[int, EntryItem]:
    """The report's view of each entry; the deciding unit named as it was called on the report's date."""
    units = unit_names_on(unit_ids={f.deciding_unit_id for f in facts}, on=today, full=False)
    return {
        f.entry_id: EntryItem(
            entry_id=f.entry_id,
            list_type_name=f.list_type_name,
            decided_on=business_date(f.decided_at) if f.decided_at else None,
            published_on=business_date(f.published_at) if f.published_at else None,
            expires_on=f.expires_on,
            deciding_unit=units[f.deciding_unit_id],
            legal_basis=f.legal_basis,
            under_objection=f.under_objection,
            objection_since=business_date(f.objection_since) if f.objection_since else None,
        )
        for f in facts
    }


def _list_sections(facts: tuple[EntryFact, ...], items: dict[int, EntryItem]) -> list[Section]:
    """The full report's list sections: one per list type on which the subject has a current entry."""
    by_type: dict[str, list[EntryFact]] = {}
    for f in facts:
        by_type.setdefault(f.list_type_code, []).append(f)
    return [
        Section(
            f"list:{code}",
            f"名单：{found[0].list_type_name}",
            LIST_POLARITY.get(found[0].list_kind, "neutral"),
            (),
            entries=tuple(items[f.entry_id] for f in found),
        )
        for code, found in sorted(by_type.items())
    ]


def _compliance_placement(facts: tuple[EntryFact, ...]) -> dict[str, list[int]]:
    """Compliance section code → the entries it shows: an entry goes to the section of its list type's
    category; a black-list entry whose category is no compliance section goes to 严重失信主体名单记录."""
    sections = {code for _, code in COMPLIANCE_SECTIONS}
    placed: dict[str, list[int]] = {}
    for f in facts:
        if f.category_code in sections:
            placed.setdefault(f.category_code, []).append(f.entry_id)
        elif f.list_kind == ListKind.BLACK:
            placed.setdefault(SERIOUS_LIST_SECTION, []).append(f.entry_id)
    return placed


def _headings(subject: Subject, kind: str) -> list[tuple[str, Category | None]]:
    """(title, category) of every section of a report of `kind`, in order; None: the catalog lacks it."""
    active = {c.code: c for c in category_list_bare()}
    if kind == FULL:
        return [(c.name, c) for c in active.values() if subject.kind in (c.subject_kinds or [])]
    return [(title, active.get(code)) for title, code in COMPLIANCE_SECTIONS]


def _public_fields(category_ids: list[int]) -> dict[int, list[tuple[str, str, dict]]]:
    """Per category: (code, name, options) of its active public-tier fields, catalog order, identity of the
    subject left out."""
    out: dict[int, list[tuple[str, str, dict]]] = {}
    for f in category_public_fields(category_ids=category_ids):
        category_id, code, name, options = f
        if not code.endswith(IDENTITY_SUFFIXES):
            out.setdefault(category_id, []).append((code, name, options or {}))
    return out


def _item(
    record: Record, fields, objections: dict[int, dt.date], subject_name: str, today: dt.date
) -> RecordItem:
    """One record as the report shows it; the submitting unit by its name in force on the report's date."""
    lines = []
    if record.subject_name and record.subject_name != subject_name:
        lines.append(FieldLine("报送时名称", record.subject_name))
    for code, name, options in fields:
        value = record.payload.get(code)
        if value in (None, ""):
            continue
        lines.append(FieldLine(name, display_value(value, options)))
    return RecordItem(
        record_id=record.pk,
        doc_no=record.doc_no,
        decision_date=record.decision_date,
        unit_name=unit_name_on(record.unit, on=today, full=False),
        severity=SEVERITIES.get(record.severity, ""),
        under_objection=record.status == RecordStatus.UNDER_OBJECTION,
        objection_since=objections.get(record.pk),
        publish_until=record.publish_max_end,
        fields=tuple(lines),
    )


def display_value(value, options: dict) -> str:
    """A stored payload value as a reader should see it: code-list labels (01 → 普通), 长期 for the long-term
    date, several values joined with 、."""
    text = str(value).strip()
    if options.get("long_term") and text == options["long_term"]:
        return "长期"
    parts = [p.strip() for p in text.replace("；", ";").split(";")] if options.get("multiple") else [text]
    labels = {
        v["code"]: v["label"] for v in options.get("values") or [] if isinstance(v, dict) and "code" in v
    }
    return "、".join(labels.get(p, p) for p in parts if p)


def _base(subject: Subject) -> BaseInfo:
    if subject.is_person:
        code, code_label = subject.person_masked, CODE_LABELS["person"]
    else:
        code = subject_primary_code(subject)
        code_label = CODE_LABELS["uscc"] if subject.uscc else CODE_LABELS["regno"]
    district = ""
    if subject.district:
        unit = unit_by_code(code=subject.district)
        district = unit.name if unit is not None else ""
    names = subject_names(subject=subject)
    history = tuple((n.name, n.valid_from, n.valid_to) for n in names) if len(names) > 1 else ()
    aliases = ()
    if not subject.is_person:
        labels = dict(IdentifierKind.choices)
        rows = subject_aliases(subject=subject)
        aliases = tuple(FieldLine(labels.get(i.kind, i.kind), i.display) for i in rows if i.display != code)
    return BaseInfo(
        name=subject.name,
        code=code,
        code_label=code_label,
        kind_label=subject.get_kind_display(),
        district=district,
        industry=subject.industry,
        status_label=subject.get_status_display(),
        name_history=history,
        aliases=aliases,
    )
