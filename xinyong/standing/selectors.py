"""A subject's standing on a date, for a scope of caller: the one read behind every surface (issue 11,
docs/rules.md "One standing").

What the platform says about a subject on business date D — its records by category (shown, or retained for
government tiers), its list entries (current, under objection, exited), its commitments (published as 信用承诺
records) and repairs (records `repaired`, entries exited by `repair`) — comes from here. The profile, both
credit reports, the check (through `check_standing`), search badges and (later) the portal read it; none has
its own query for the same facts. The predicates themselves are owned by the tables' apps: a record is shown
per `records.shown`, an entry is current per `lists.current`.

Scopes (docs/domain.md principle 6):
  * public / institution: shown records; current entries of public list types;
  * government: also retained records (expired, not published, past their window) and entries of non-public
    list types and exited entries;
  * self: as government, plus its repaired records.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from xinyong.catalog.selectors import category_codes_polarities
from xinyong.core.roundtrips import IdsIn, Read, read_together
from xinyong.lists.current import EntryRow, current_entries_read, entry_is_current
from xinyong.lists.models import ListEntry
from xinyong.lists.selectors import list_entries_standing
from xinyong.records.models import RecordStatus
from xinyong.records.selectors import record_rows_of_subjects
from xinyong.records.shown import (
    OWN_STATUSES,
    RETAINED_STATUSES,
    NegativeRow,
    negative_summaries_read,
    record_is_shown,
)

PUBLIC, INSTITUTION, GOVERNMENT, SELF = "public", "institution", "government", "self"
SCOPES = (PUBLIC, INSTITUTION, GOVERNMENT, SELF)
WIDE_SCOPES = (GOVERNMENT, SELF)


@dataclass(frozen=True)
class RecordFact:
    """One record of the subject as the standing sees it; `shown` is false for a retained-only record."""

    record_id: int
    category_id: int
    category_code: str
    polarity: str
    status: str
    shown: bool
    under_objection: bool
    decision_date: dt.date
    severity: str
    publish_max_end: dt.date | None


@dataclass(frozen=True)
class EntryFact:
    """One list entry of the subject: current (published and within its term) or, for wide scopes, exited."""

    entry_id: int
    list_type_id: int
    list_type_code: str
    list_type_name: str
    list_kind: str
    list_public: bool
    category_code: str  # the catalog category the list type publishes under ("" when none)
    state: str
    current: bool
    under_objection: bool
    objection_since: dt.datetime | None
    decided_at: dt.datetime | None
    published_at: dt.datetime | None
    expires_on: dt.date | None
    exited_at: dt.datetime | None
    exit_reason: str
    legal_basis: str
    type_legal_basis: str
    deciding_unit_id: int
    remedy: str


@dataclass(frozen=True)
class Standing:
    subject_id: int
    on: dt.date
    scope: str
    records: tuple[RecordFact, ...]
    entries: tuple[EntryFact, ...]

    @property
    def shown_records(self) -> tuple[RecordFact, ...]:
        return tuple(r for r in self.records if r.shown)

    @property
    def current_entries(self) -> tuple[EntryFact, ...]:
        return tuple(e for e in self.entries if e.current)

    def record_ids(self, *, polarity: str | None = None, shown_only: bool = False) -> set[int]:
        return {
            r.record_id
            for r in self.records
            if (polarity is None or r.polarity == polarity) and (r.shown or not shown_only)
        }


def standing_for(*, subject_id: int, on: dt.date, scope: str) -> Standing:
    """The standing of one subject on business date `on` for a caller of `scope` (module docstring)."""
    return standings_for(subject_ids=[subject_id], on=on, scope=scope)[subject_id]


def standings_for(*, subject_ids: Iterable[int], on: dt.date, scope: str) -> dict[int, Standing]:
    """The standings of several subjects in two queries (records, entries); every id given has one."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    ids = sorted(set(subject_ids))
    records = _records(ids, on, scope)
    entries = _entries(ids, on, scope)
    return {
        sid: Standing(sid, on, scope, tuple(records.get(sid, ())), tuple(entries.get(sid, ()))) for sid in ids
    }


def _records(ids: list[int], on: dt.date, scope: str) -> dict[int, list[RecordFact]]:
    statuses = None  # shown on `on`
    if scope in WIDE_SCOPES:
        statuses = OWN_STATUSES if scope == SELF else RETAINED_STATUSES
    categories = category_codes_polarities()
    rows = record_rows_of_subjects(subject_ids=ids, on=on, statuses=statuses)
    out: dict[int, list[RecordFact]] = defaultdict(list)
    for rid, sid, cid, status, is_current, decided, severity, max_end in rows:
        code, polarity = categories[cid]
        shown = record_is_shown(status=status, is_current=is_current, publish_max_end=max_end, on=on)
        out[sid].append(
            RecordFact(
                rid, cid, code, polarity, status, shown,
                status == RecordStatus.UNDER_OBJECTION, decided, severity, max_end,
            )
        )  # fmt: skip
    return out


def _entries(ids: list[int], on: dt.date, scope: str) -> dict[int, list[EntryFact]]:
    out: dict[int, list[EntryFact]] = defaultdict(list)
    for e in list_entries_standing(subject_ids=ids, on=on, wide=scope in WIDE_SCOPES):
        out[e.subject_id].append(_entry_fact(e, on))
    return out


def _entry_fact(e: ListEntry, on: dt.date) -> EntryFact:
    t = e.list_type
    return EntryFact(
        entry_id=e.pk,
        list_type_id=t.pk,
        list_type_code=t.code,
        list_type_name=t.name,
        list_kind=t.kind,
        list_public=t.public,
        category_code=t.category.code if t.category_id else "",
        state=e.state,
        current=entry_is_current(state=e.state, expires_on=e.expires_on, on=on),
        under_objection=e.objection_since is not None,
        objection_since=e.objection_since,
        decided_at=e.decided_at,
        published_at=e.published_at,
        expires_on=e.expires_on,
        exited_at=e.exited_at,
        exit_reason=e.exit_reason,
        legal_basis=e.legal_basis,
        type_legal_basis=t.legal_basis,
        deciding_unit_id=t.deciding_unit_id,
        remedy=e.remedy,
    )


def standing_badges(standing: Standing | None) -> dict:
    """Badges of a search result (the API's search and the portal's 信用查询): the subject's current list
    entries and whether anything shown about it is under objection (异议处理中)."""
    if standing is None:
        return {"list_entries": [], "under_objection": False}
    return {
        "list_entries": [
            {
                "list_type": e.list_type_code,
                "list_type_name": e.list_type_name,
                "list_kind": e.list_kind,
                "under_objection": e.under_objection,
            }
            for e in standing.current_entries
        ],
        "under_objection": any(r.under_objection for r in standing.shown_records)
        or any(e.under_objection for e in standing.current_entries),
    }


# ── the check's hot path (docs/performance.md)
# ──────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class CheckStanding:
    """What a check answers per subject: its current entries (every list type: a check is a government
    read) and the summary of its shown negative records per category."""

    entries: dict[int, list[EntryRow]]
    negatives: dict[int, list[NegativeRow]]


def check_standing(subject_ids: Sequence[int], *, on: dt.date) -> CheckStanding:
    """The same facts as `standings_for(scope=GOVERNMENT)` restricted to current entries and shown negative
    records, in two raw queries (records.shown, lists.current) for the check's p99 target."""
    return read_together(check_standing_read(subject_ids, on=on))[0]


def check_standing_read(subject_ids: IdsIn, *, on: dt.date) -> Read[CheckStanding]:
    """`check_standing` as a read, so the check sends both queries with its others in one round trip on
    PostgreSQL (core.roundtrips, issue 18)."""
    entries, negatives = current_entries_read(subject_ids, on=on), negative_summaries_read(subject_ids, on=on)
    reads: list[Read] = [entries, negatives]
    return Read.combine(reads, CheckStanding)
