"""The import path (归集): validated rows become record versions, in one transaction per submission.

Every channel — the API, a file from the CLI or the back office — comes here (issue 3). Rows stream through
in chunks: validate (intake/validation.py), resolve or create their subjects in bulk (subjects/bulk.py),
find the current version of each decision, compute publication windows and timeliness, then write with
raw executemany (the record tables through their owner, records/bulk.py). A row is accepted whole or
rejected whole; the submission commits whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from xinyong.core.bulk import collector_paused, db_date, db_datetime, insert_many
from xinyong.core.outbox import outbox_emit
from xinyong.core.timeutil import business_date
from xinyong.intake.validation import CleanRow, RowValidator
from xinyong.records.bulk import (
    CANDIDATE_OPEN,
    RECORD_COLUMNS,
    CurrentVersions,
    name_change_candidates_insert,
    record_ids_allocate,
    records_current_versions,
    records_insert,
    records_supersede,
)
from xinyong.records.models import ChangeKind, RecordStatus
from xinyong.records.publication import Window, publication_window, timeliness_cached
from xinyong.subjects.bulk import (
    Key,
    NewSubject,
    Resolved,
    person_key,
    subjects_bulk_create,
    subjects_resolve,
)
from xinyong.subjects.identifiers import ric_mask
from xinyong.subjects.identity import person_encrypt

CHUNK = 5000
WARNING_ROWS_KEPT = 1000  # rows with warnings listed in the submission's answer; all are counted
_IS_CURRENT, _STATUS = RECORD_COLUMNS.index("is_current"), RECORD_COLUMNS.index("status")
_VERSION = RECORD_COLUMNS.index("version")
Progress = Callable[[int], None]


@dataclass(frozen=True)
class CategoryContext:
    """What the import needs to know about the category, read once per submission."""

    category_id: int
    code: str
    publication_rule: str
    deadline_working_days: int | None
    masked_fields: tuple[str, ...]


@dataclass
class ImportCounts:
    total: int = 0
    accepted: int = 0
    rejected: int = 0
    subjects_created: int = 0
    late: int = 0
    versions: int = 0
    rejected_rows: list[dict] = field(default_factory=list)  # [{index, errors}] for the API answer
    warned: int = 0  # accepted rows with warnings (uscc.region_unknown …)
    warning_rows: list[dict] = field(default_factory=list)  # [{index, warnings}], the first WARNING_ROWS_KEPT
    columns: dict[str, None] = field(default_factory=dict)  # rejected rows' columns, in first-seen order


@dataclass
class _Batch:
    """One chunk's accepted rows, as they travel through the stages."""

    rows: list[tuple[int, CleanRow]]
    subjects: dict[Key, Resolved] = field(default_factory=dict)
    keys: list[Key] = field(default_factory=list)  # each row's subject key, in row order (computed once)


class RecordImporter:
    """Writes one submission's rows. Use inside the submission's transaction (records/services.py)."""

    def __init__(
        self,
        *,
        validator: RowValidator,
        category: CategoryContext,
        unit_id: int,
        submission_id: int,
        now: dt.datetime,
        keep_row_errors: bool,
    ) -> None:
        self.validator, self.category, self.unit_id = validator, category, unit_id
        self.submission_id, self.now, self.today = submission_id, now, business_date(now)
        self.keep_row_errors = keep_row_errors
        self.counts = ImportCounts()
        self._received_at, self._today_db = db_datetime(now), db_date(self.today)
        self._name_checked: set[int] = set()
        self._serious_subjects: set[int] = set()
        self._window_cache: dict[tuple, Window] = {}
        self._late_cache: dict[tuple, object] = {}
        self._window_columns: dict[tuple, tuple] = {}
        self._late_columns: dict[dt.date, tuple] = {}

    def run(self, rows: Iterable[tuple[int, dict]], progress: Progress | None = None) -> ImportCounts:
        for chunk in _chunks(rows, CHUNK):
            with collector_paused():
                self._chunk(chunk)
            if progress:
                progress(len(chunk))
        self._announce_serious()
        return self.counts

    def _announce_serious(self) -> None:
        """Subjects that received a serious negative record leave their red lists (docs/domain.md): announced
        through the outbox in this transaction; the lists app ends the entries (records sits below lists)."""
        if self._serious_subjects:
            outbox_emit(
                topic="records.serious_negative",
                now=self.now,
                payload={"subject_ids": sorted(self._serious_subjects), "submission_id": self.submission_id},
            )

    def _chunk(self, chunk: list[tuple[int, dict]]) -> None:
        accepted, rejected = [], []
        for index, row in chunk:
            clean, errors = self.validator(row)
            if clean is None:
                rejected.append((index, row, errors))
            else:
                accepted.append((index, clean))
                if clean.warnings:
                    self._warn(index, clean.warnings)
        self.counts.total += len(chunk)
        self._write_rejected(rejected)
        if accepted:
            batch = _Batch(accepted)
            self._subjects(batch)
            self._write_records(batch)

    def _warn(self, index: int, warnings: tuple[dict, ...]) -> None:
        """An accepted row with warnings: counted, and the first WARNING_ROWS_KEPT kept for the answer."""
        self.counts.warned += 1
        if len(self.counts.warning_rows) < WARNING_ROWS_KEPT:
            self.counts.warning_rows.append({"index": index, "warnings": list(warnings)})

    # ── rejected rows ──────────────────────────────────────────────────────────────────────────────────

    def _write_rejected(self, rejected: list[tuple[int, dict, list[dict]]]) -> None:
        self.counts.rejected += len(rejected)
        if self.keep_row_errors:
            self.counts.rejected_rows.extend({"index": i, "errors": e} for i, _, e in rejected)
        rows = []
        for i, row, errors in rejected:
            self.counts.columns.update(dict.fromkeys(k for k in row if k != "__extra__"))
            shown, protected = _protect_raw(row, self.category.masked_fields)
            rows.append((self.submission_id, i, _dumps(shown), _dumps(protected), _dumps(errors)))
        insert_many("intake_rejectedrow", ["submission_id", "row_index", "row", "protected", "errors"], rows)

    # ── subjects ──────────────────────────────────────────────────────────────────────────────────────

    def _subjects(self, batch: _Batch) -> None:
        batch.keys = _subject_keys(batch.rows)
        wanted: dict[Key, CleanRow] = {}
        for key, (_, clean) in zip(batch.keys, batch.rows, strict=True):
            wanted.setdefault(key, clean)
        found = subjects_resolve(set(wanted))
        new = [_new_subject(key, clean) for key, clean in wanted.items() if key not in found]
        created = subjects_bulk_create(new, now=self.now)
        self.counts.subjects_created += len(created)
        batch.subjects = {**found, **created}
        self._note_name_changes(batch, found)

    def _note_name_changes(self, batch: _Batch, found: dict[Key, Resolved]) -> None:
        """A submitted name that differs from the registry's is noted for review, never applied silently."""
        rows = []
        for key, (index, clean) in zip(batch.keys, batch.rows, strict=True):
            known = found.get(key)
            if (
                known
                and not known.is_person
                and known.name != clean.name
                and known.subject_id not in self._name_checked
            ):
                self._name_checked.add(known.subject_id)
                rows.append(
                    (known.subject_id, known.name, clean.name, self.submission_id, index, CANDIDATE_OPEN)
                )
        name_change_candidates_insert(rows)

    # ── records ───────────────────────────────────────────────────────────────────────────────────────

    def _write_records(self, batch: _Batch) -> None:
        current = self._current_versions(batch)
        ids = record_ids_allocate(len(batch.rows))
        pending: dict[int, list] = {}
        superseded: list[int] = []
        subjects = batch.subjects
        for new_id, subject_key, (index, clean) in zip(ids, batch.keys, batch.rows, strict=True):
            subject = subjects[subject_key]
            key = (clean.doc_no, subject.subject_id)
            prev = current.get(key)
            row, payload = self._record_row(new_id, index, clean, subject, prev)
            if prev is not None:
                self._supersede(prev[0], pending, superseded)
            pending[new_id] = row
            current[key] = (new_id, row[_VERSION], payload, row[_STATUS])
        records_supersede(superseded, submission_id=self.submission_id, at=self.now)
        records_insert(pending.values())
        self.counts.accepted += len(batch.rows)
        self._serious_subjects.update(
            subjects[key].subject_id
            for key, (_, clean) in zip(batch.keys, batch.rows, strict=True)
            if clean.severity == "serious"
        )

    def _current_versions(self, batch: _Batch) -> CurrentVersions:
        doc_nos = sorted({clean.doc_no for _, clean in batch.rows})
        return records_current_versions(
            unit_id=self.unit_id, category_id=self.category.category_id, doc_nos=doc_nos
        )

    def _record_row(self, new_id, index, clean: CleanRow, subject: Resolved, prev) -> tuple[list, dict]:
        """The INSERT values of one new version, and its (masked) payload."""
        payload, protected = _protect(clean.payload, self.category.masked_fields)
        payload_json = _dumps(payload)
        version, change = 1, ChangeKind.ORIGINAL
        if prev is not None:
            version = prev[1] + 1
            change = ChangeKind.RESUBMISSION if prev[2] == payload else ChangeKind.CORRECTION
            self.counts.versions += 1
        status, min_end, max_end, rule_key, rule_from = self._window_values(clean)
        decided, delay, late, provisional = self._late_values(clean.decision_date)
        self.counts.late += late
        values = [
            new_id, self.category.category_id, subject.subject_id, self.unit_id, clean.doc_no,
            decided, clean.name, clean.severity, clean.severity_source, payload_json,
            _dumps(protected) if protected else "{}", version, True, prev[0] if prev else None, change,
            sticky_status(prev, status) if prev else status, self._today_db, min_end, max_end, rule_key,
            rule_from, self.submission_id, index, self._received_at, delay, late, provisional,
        ]  # fmt: skip
        return values, payload

    def _window_values(self, clean: CleanRow) -> tuple:
        """The window's columns (status, min end, max end, rule, rule date) in database form, memoised."""
        key = (clean.severity, clean.decision_date, clean.valid_until, clean.publish_minor)
        hit = self._window_columns.get(key)
        if hit is None:
            w = self._window(clean)
            hit = self._window_columns[key] = (
                w.status, _opt_date(w.min_end), _opt_date(w.max_end), w.rule_key,
                _opt_date(w.rule_effective_from),
            )  # fmt: skip
        return hit

    def _late_values(self, decision_date: dt.date) -> tuple:
        """(decision date in database form, delay, late, provisional) of a decision date, memoised."""
        hit = self._late_columns.get(decision_date)
        if hit is None:
            late = timeliness_cached(self._late_cache, decision_date, self.today,
                                     self.category.deadline_working_days)  # fmt: skip
            hit = self._late_columns[decision_date] = (
                _db_date(decision_date),
                late.delay_working_days,
                late.late,
                late.provisional,
            )
        return hit

    def _window(self, clean: CleanRow) -> Window:
        key = (clean.severity, clean.decision_date, clean.valid_until, clean.publish_minor)
        hit = self._window_cache.get(key)
        if hit is None:
            hit = self._window_cache[key] = publication_window(
                publication_rule=self.category.publication_rule, severity=clean.severity,
                decision_date=clean.decision_date, valid_until=clean.valid_until, today=self.today,
                publish_minor=clean.publish_minor,
            )  # fmt: skip
        return hit

    def _supersede(self, old_id: int, pending: dict[int, list], superseded: list[int]) -> None:
        if old_id in pending:  # the same decision twice in one chunk: the earlier row is never current
            pending[old_id][_IS_CURRENT] = False
            pending[old_id][_STATUS] = RecordStatus.SUPERSEDED
        else:
            superseded.append(old_id)


# ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────


def sticky_status(prev: tuple | None, computed: str) -> str:
    """The status of a new version: what its window says, except that an objection flag and a repair follow
    the decision (records/flags.py): a corrected record under objection stays flagged while public, and a
    repaired record never becomes public again by a resubmission."""
    previous = prev[3] if prev else None
    if previous == RecordStatus.REPAIRED:
        return RecordStatus.REPAIRED
    if previous == RecordStatus.UNDER_OBJECTION and computed == RecordStatus.PUBLISHED:
        return RecordStatus.UNDER_OBJECTION
    return computed


def _chunks(rows: Iterable[tuple[int, dict]], size: int) -> Iterator[list[tuple[int, dict]]]:
    it = iter(rows)
    while True:
        with collector_paused():  # reading a chunk allocates as much as writing it (core/bulk.py)
            chunk = list(islice(it, size))
        if not chunk:
            return
        yield chunk


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""Compact JSON text, the encoder built once (json.dumps with options builds one per call)."""


_db_dates: dict[dt.date, object] = {}


def _db_date(value: dt.date):
    """db_date, memoised: a batch has few distinct dates and the adapter lookup is costly per call."""
    hit = _db_dates.get(value)
    if hit is None:
        if len(_db_dates) > 50_000:
            _db_dates.clear()
        hit = _db_dates[value] = db_date(value)
    return hit


def _opt_date(value: dt.date | None):
    return _db_date(value) if value is not None else None


def _subject_keys(rows: list[tuple[int, CleanRow]]) -> list[Key]:
    """Each row's subject key; a person's HMAC computed once per resident ID in the chunk."""
    people: dict[str, Key] = {}
    out: list[Key] = []
    for _, clean in rows:
        if clean.resident_id:
            key = people.get(clean.resident_id)
            if key is None:
                key = people[clean.resident_id] = person_key(clean.resident_id)
            out.append(key)
        elif clean.uscc:
            out.append(("uscc", clean.uscc))
        else:
            out.append(("regno", clean.regno or ""))
    return out


def _new_subject(key: Key, clean: CleanRow) -> NewSubject:
    return NewSubject(
        key=key,
        kind=clean.kind,
        name=clean.name,
        uscc=clean.uscc,
        regno=clean.regno,
        resident_id=clean.resident_id,
    )


def mask_number(text: str) -> str:
    """Resident IDs as 110105********002X; other document numbers keep their first 2 and last 2 characters."""
    if len(text) == 18:
        return ric_mask(text)
    return text[:2] + "*" * max(len(text) - 4, 1) + text[-2:] if len(text) > 4 else "*" * len(text)


def _protect(payload: dict[str, str], masked: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """Masked fields (证件号码) are stored masked; the clear value only as ciphertext (ADR 0004)."""
    present = [f for f in masked if f in payload]
    if not present:
        return payload, {}
    shown, protected = dict(payload), {}
    for f in present:
        shown[f], protected[f] = mask_number(payload[f]), person_encrypt(payload[f])
    return shown, protected


def _protect_raw(row: dict, masked: tuple[str, ...]) -> tuple[dict, dict[str, str]]:
    """A rejected row is kept as sent (for the fix-and-resubmit report), its masked fields protected."""
    text = {k: (v if v is None or isinstance(v, str | list) else str(v)) for k, v in row.items()}
    present = {k: str(text[k]) for k in masked if text.get(k)}
    return _protect(text, tuple(present)) if present else (text, {})
