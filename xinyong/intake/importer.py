"""The import path (归集): validated rows become record versions, one short transaction per chunk.

Every channel — the API, a file from the CLI or the back office — comes here (issue 3). Rows stream through
in chunks: validate and compute publication windows and timeliness outside the write transaction (`prepare`:
`validate`, which reads no database and may run in another thread, intake/ahead.py, then `complete`), then
inside the chunk's transaction (`write`, run by intake/receiving.py) resolve or create their subjects in bulk
(subjects/bulk.py), find the current version of each decision and write with raw executemany (the record
tables through their owner, records/bulk.py). A row is accepted whole or rejected whole; the submission's
versions become visible all at once at publication (records/staging.py, ADR 0026).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from xinyong.core.bulk import collector_paused, db_date, db_datetime, insert_many
from xinyong.core.timeutil import business_date
from xinyong.intake.protect import dumps, protect, protect_raw
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
    records_versions_by_id,
)
from xinyong.records.models import ChangeKind, RecordStatus
from xinyong.records.publication import Timeliness, Window, publication_window, timeliness
from xinyong.records.staging import batch_live_versions, batch_name_checked
from xinyong.subjects.bulk import (
    Key,
    NewSubject,
    Resolved,
    person_key,
    subjects_bulk_create,
    subjects_resolve,
)

CHUNK = 5000
WARNING_ROWS_KEPT = 1000  # rows with warnings listed in the submission's answer; all are counted
_IS_CURRENT, _STATUS = RECORD_COLUMNS.index("is_current"), RECORD_COLUMNS.index("status")
_VERSION, _PAYLOAD = RECORD_COLUMNS.index("version"), RECORD_COLUMNS.index("payload")
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


@dataclass(slots=True)
class _Row:
    """An accepted row, prepared: its clean values, (masked) payload, window and timeliness (None until
    `complete` when the import had not met its dates yet)."""

    index: int
    clean: CleanRow
    payload: dict[str, str]
    payload_json: str
    protected_json: str
    window: Window | None
    late: Timeliness | None


@dataclass
class _Batch:
    """One chunk's accepted rows, as they travel through the stages."""

    rows: list[_Row]
    subjects: dict[Key, Resolved] = field(default_factory=dict)
    keys: list[Key] = field(default_factory=list)  # each row's subject key, in row order (computed once)


@dataclass
class Prepared:
    """One chunk validated and prepared outside the write transaction (issue 18): what is left for the
    transaction is resolving subjects, reading current versions and writing."""

    size: int
    accepted: list[_Row]
    rejected: list[tuple[int, str, str, str]]  # (index, shown row JSON, protected JSON, errors JSON)
    answer_rows: list[dict]  # the API answer's [{index, errors}]
    warnings: list[tuple[int, tuple[dict, ...]]]
    columns: dict[str, None]
    incomplete: list[_Row] = field(default_factory=list)  # accepted rows `complete` still has to finish


class RecordImporter:
    """Writes one submission's rows, chunk by chunk (intake/receiving.py runs each chunk's `write` in its own
    transaction; issue 18, ADR 0026). Versions are staged: a row that replaces a published current version
    is written with `is_current` false and flipped at publication (records/staging.py `batch_publish`)."""

    def __init__(
        self,
        *,
        validator: RowValidator,
        category: CategoryContext,
        unit_id: int,
        now: dt.datetime,
        keep_row_errors: bool,
    ) -> None:
        self.validator, self.category, self.unit_id = validator, category, unit_id
        self.submission_id = 0  # set by `bind` once the submission exists (inside its first transaction)
        self.now, self.today = now, business_date(now)
        self.keep_row_errors = keep_row_errors
        self.counts = ImportCounts()
        self._received_at, self._today_db = db_datetime(now), db_date(self.today)
        self._name_checked: set[int] = set()
        # (doc_no, subject) → (id, is_current) of this submission's live version of a decision
        self._mine: dict[tuple[str, int], tuple[int, bool]] = {}
        self._window_cache: dict[tuple, Window] = {}
        self._late_cache: dict[dt.date, Timeliness] = {}  # by decision date (the arrival is `today`)

    def bind(self, submission_id: int) -> None:
        self.submission_id = submission_id

    def resume(self, submission_id: int, counts: ImportCounts) -> None:
        """Carry on a submission whose earlier chunks committed: its counts, the names it noted, its live
        versions (records/staging.py)."""
        self.submission_id, self.counts = submission_id, counts
        self._name_checked = batch_name_checked(submission_id=submission_id)
        self._mine = batch_live_versions(submission_id=submission_id)

    # ── outside the transaction ───────────────────────────────────────────────────────────────────────

    def prepare(self, chunk: list[tuple[int, dict]]) -> Prepared:
        """Validate the chunk's rows and compute what does not depend on the database's current state:
        masked payloads, publication windows, timeliness (issue 18: outside the write lock)."""
        return self.complete(self.validate(chunk))

    @collector_paused()  # a chunk allocates much and makes no cycles (core/bulk.py)
    def validate(self, chunk: list[tuple[int, dict]]) -> Prepared:
        """`prepare` without reading the database, so that another thread may run it while the last chunk
        is written (intake/ahead.py, ADR 0044): rows are validated and their payloads masked; windows and
        timeliness come from this import's own caches, and the rows whose dates are not there yet are left
        for `complete`. Nothing else is shared with `write` (only `complete` fills the caches)."""
        out = Prepared(len(chunk), [], [], [], [], {})
        masked = self.category.masked_fields
        windows, lates = self._window_cache, self._late_cache
        for index, row in chunk:
            clean, errors = self.validator(row)
            if clean is None:
                out.columns.update(dict.fromkeys(k for k in row if k != "__extra__"))
                shown, protected = protect_raw(row, masked)
                out.rejected.append((index, dumps(shown), dumps(protected), dumps(errors)))
                if self.keep_row_errors:
                    out.answer_rows.append({"index": index, "errors": errors})
                continue
            if clean.warnings:
                out.warnings.append((index, clean.warnings))
            payload, protected = protect(clean.payload, masked)
            late = lates.get(clean.decision_date)
            window = windows.get(
                (clean.severity, clean.decision_date, clean.valid_until, clean.publish_minor)
            )
            accepted = _Row(index, clean, payload, dumps(payload), dumps(protected) if protected else "{}",
                            window, late)  # fmt: skip
            out.accepted.append(accepted)
            if late is None or window is None:
                out.incomplete.append(accepted)
        return out

    def complete(self, prepared: Prepared) -> Prepared:
        """The windows and timeliness `validate` left out, computed once per date (they read the publication
        rules and the working-day calendar from the database: in the thread that writes)."""
        for row in prepared.incomplete:
            clean = row.clean
            row.late = self._late_cache.get(clean.decision_date) or self._timeliness(clean.decision_date)
            row.window = self._window(clean)
        prepared.incomplete = []
        return prepared

    # ── inside the chunk's transaction ────────────────────────────────────────────────────────────────

    @collector_paused()  # a chunk allocates much and makes no cycles (core/bulk.py)
    def write(self, prepared: Prepared) -> None:
        """Write one prepared chunk (inside its transaction): rejected rows, subjects, record versions."""
        self.counts.total += prepared.size
        for index, warnings in prepared.warnings:
            self._warn(index, warnings)
        self._write_rejected(prepared)
        if prepared.accepted:
            batch = _Batch(prepared.accepted)
            self._subjects(batch)
            self._write_records(batch)

    def _warn(self, index: int, warnings: tuple[dict, ...]) -> None:
        """An accepted row with warnings: counted, and the first WARNING_ROWS_KEPT kept for the answer."""
        self.counts.warned += 1
        if len(self.counts.warning_rows) < WARNING_ROWS_KEPT:
            self.counts.warning_rows.append({"index": index, "warnings": list(warnings)})

    def _write_rejected(self, prepared: Prepared) -> None:
        self.counts.rejected += len(prepared.rejected)
        self.counts.rejected_rows.extend(prepared.answer_rows)
        self.counts.columns.update(prepared.columns)
        rows = [(self.submission_id, *r) for r in prepared.rejected]
        insert_many("intake_rejectedrow", ["submission_id", "row_index", "row", "protected", "errors"], rows)

    # ── subjects ──────────────────────────────────────────────────────────────────────────────────────

    def _subjects(self, batch: _Batch) -> None:
        batch.keys = _subject_keys(batch.rows)
        wanted: dict[Key, CleanRow] = {}
        for key, row in zip(batch.keys, batch.rows, strict=True):
            wanted.setdefault(key, row.clean)
        found = subjects_resolve(set(wanted))
        new = [_new_subject(key, clean) for key, clean in wanted.items() if key not in found]
        created = subjects_bulk_create(new, now=self.now)
        self.counts.subjects_created += len(created)
        batch.subjects = {**found, **created}
        self._note_name_changes(batch, found)

    def _note_name_changes(self, batch: _Batch, found: dict[Key, Resolved]) -> None:
        """A submitted name that differs from the registry's is noted for review, never applied silently."""
        rows = []
        for key, row in zip(batch.keys, batch.rows, strict=True):
            clean = row.clean
            known = found.get(key)
            if (
                known
                and not known.is_person
                and known.name != clean.name
                and known.subject_id not in self._name_checked
            ):
                self._name_checked.add(known.subject_id)
                rows.append(
                    (known.subject_id, known.name, clean.name, self.submission_id, row.index, CANDIDATE_OPEN)
                )
        name_change_candidates_insert(rows)

    # ── records ───────────────────────────────────────────────────────────────────────────────────────

    def _write_records(self, batch: _Batch) -> None:
        """Each row's previous version is this submission's own live one (superseded now: readers never saw
        it) or else the published current one (kept current until publication: the new row is staged with
        `is_current` false)."""
        subjects = [batch.subjects[key] for key in batch.keys]
        keys = [
            (row.clean.doc_no, subject.subject_id) for row, subject in zip(batch.rows, subjects, strict=True)
        ]
        published = self._current_versions(batch)
        own = records_versions_by_id([self._mine[k][0] for k in set(keys) if k in self._mine])
        ids = record_ids_allocate(len(batch.rows))
        pending: dict[int, list] = {}
        superseded: list[int] = []
        for new_id, row, key, subject in zip(ids, batch.rows, keys, subjects, strict=True):
            mine = self._mine.get(key)
            prev: tuple | None
            if mine is not None:
                prev, is_current = (own.get(mine[0]) or _pending_prev(pending[mine[0]])), mine[1]
                self._supersede(mine[0], pending, superseded)
            else:
                prev = published.get(key)
                is_current = prev is None
            pending[new_id] = self._record_row(new_id, row, subject, prev, is_current)
            self._mine[key] = (new_id, is_current)
        records_supersede(superseded, submission_id=self.submission_id, at=self.now)
        records_insert(pending.values())
        self.counts.accepted += len(batch.rows)

    def _current_versions(self, batch: _Batch) -> CurrentVersions:
        doc_nos = sorted({row.clean.doc_no for row in batch.rows})
        return records_current_versions(
            unit_id=self.unit_id, category_id=self.category.category_id, doc_nos=doc_nos
        )

    def _record_row(self, new_id, row: _Row, subject: Resolved, prev, is_current: bool) -> list:
        """The INSERT values of one new version. Its status is what its window says; the sticky status
        (objection, repair) is taken from the version it replaces at publication (records/staging.py)."""
        clean, window, late = row.clean, row.window, row.late
        assert window is not None and late is not None  # `complete` ran (intake/ahead.py)
        version, change = 1, ChangeKind.ORIGINAL
        if prev is not None:
            version = prev[1] + 1
            change = ChangeKind.RESUBMISSION if prev[2] == row.payload else ChangeKind.CORRECTION
            self.counts.versions += 1
        self.counts.late += late.late
        return [
            new_id, self.category.category_id, subject.subject_id, self.unit_id, clean.doc_no,
            _db_date(clean.decision_date), clean.name, clean.severity, clean.severity_source,
            row.payload_json, row.protected_json, version, is_current, prev[0] if prev else None, change,
            window.status, self._today_db, _opt_date(window.min_end),
            _opt_date(window.max_end), window.rule_key, _opt_date(window.rule_effective_from),
            self.submission_id, row.index, self._received_at, late.delay_working_days, late.late,
            late.provisional,
        ]  # fmt: skip

    def _timeliness(self, decision_date: dt.date) -> Timeliness:
        """timeliness() of a decision date, remembered (one arrival date per import, few decision dates)."""
        late = self._late_cache[decision_date] = timeliness(
            decision_date=decision_date, arrival=self.today,
            deadline_working_days=self.category.deadline_working_days,
        )  # fmt: skip
        return late

    def _window(self, clean: CleanRow) -> Window:
        key = _window_key(clean)
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


def _window_key(clean: CleanRow) -> tuple:
    """What a row's publication window depends on (besides the category and the arrival date)."""
    return clean.severity, clean.decision_date, clean.valid_until, clean.publish_minor


def _pending_prev(values: list) -> tuple:
    """(id, version, payload) of a version written earlier in the same chunk, as a previous version."""
    return values[0], values[_VERSION], json.loads(values[_PAYLOAD])


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


def _subject_keys(rows: list[_Row]) -> list[Key]:
    """Each row's subject key; a person's HMAC computed once per resident ID in the chunk."""
    people: dict[str, Key] = {}
    out: list[Key] = []
    for row in rows:
        clean = row.clean
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
