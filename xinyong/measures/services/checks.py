"""Checks (应查必查 / 联合奖惩核查, docs/domain.md Check; plan tasks 27 and 35): unit U handling matter M for
subjects S1..Sn in case C asks what applies; the answer is stored (Check + one CheckResult per subject, in
request order) and audited as one event.

Per subject the answer gives: whether the subject is known (an invalid identifier is answered `known: false`
with the rule it broke, not a refusal of the batch), its published list entries, the measures that bind THIS
unit for THIS matter (the unit implements the measure or the measure binds 各有关部门; the memorandum is
active and targets the entry's list type; the matter is among the measure's matters), and a one-line summary
of its shown negative records (the subject's standing: standing.selectors.check_standing). The answer as
given is kept with the result (`CheckResult.answer`), so a check can always say later what it said then.

Feedback is due within the smallest `feedback_working_days` of the memoranda whose measures applied, counted
in working days from the check's business date (docs/rules.md).

Hot path: reads are a handful of queries per batch, each by the app owning the table (subjects.batch,
standing.selectors.check_standing, accounts.selectors); on SQLite outside the write transaction, so the
transaction (which holds the single write lock) stays short; on PostgreSQL a check of a few identifiers is
two round trips (ADR 0045). The writes are raw multi-row inserts. What a check answered is a
`CheckOutcome` (outcome.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from xinyong.accounts.models import Unit
from xinyong.accounts.roles import UNIT_OFFICERS
from xinyong.accounts.selectors import UnitRef, unit_active_ref_read
from xinyong.audit.services import audit_append, audit_head_read
from xinyong.core.actor import Actor
from xinyong.core.bulk import allocate_ids, db_datetime, execute, insert_many
from xinyong.core.errors import DomainError, PermissionDenied
from xinyong.core.roundtrips import IdsIn, Read, execute_prepared, pipelined_transaction, read_together
from xinyong.core.timeutil import business_date
from xinyong.lists.current import EntryRow
from xinyong.measures import lookups, rulebook
from xinyong.measures.outcome import CheckOutcome, SubjectAnswer
from xinyong.measures.rulebook import MatterRef, MeasureRule, Rulebook
from xinyong.standing.selectors import CheckStanding, check_standing_read
from xinyong.subjects.batch import registration_numbers_read
from xinyong.subjects.masking import person_name_mask
from xinyong.workdays.selectors import working_day_deadline

MAX_SUBJECTS = 1000
#: PostgreSQL: a check of at most this many identifiers opens its transaction with its standing reads (one
#: round trip fewer); the audit chain's lock is then held while the answer is built, which for a batch of
#: hundreds would hold every audited write of the platform for tens of milliseconds (ADR 0042).
OPEN_WITH_READS_MOST = 10
NOT_FOUND = ("subject.not_found", "未找到该代码对应的信用主体")
NO_NEGATIVE = "无公示中的失信记录"
RESULT_COLUMNS = ["check_run_id", "position", "identifier", "subject_id", "answer"]
_INSERT_ONE_RESULT = (
    f"INSERT INTO measures_checkresult ({', '.join(RESULT_COLUMNS)}) VALUES (%s, %s, %s, %s, %s) RETURNING id"
)
_INSERT_ONE_RESULT_WITH_ID = (
    f"INSERT INTO measures_checkresult (id, {', '.join(RESULT_COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s)"
)
_CHECK_COLUMNS = (
    "unit_id, matter_id, case_number, checked_by, checked_at, feedback_due, subjects_count, known_count, "
    "applicable_count"
)
_INSERT_CHECK = f"INSERT INTO measures_check ({_CHECK_COLUMNS}) VALUES ({', '.join(['%s'] * 9)}) RETURNING id"
_INSERT_CHECK_WITH_ID = f"INSERT INTO measures_check (id, {_CHECK_COLUMNS}) VALUES ({', '.join(['%s'] * 10)})"


def check_run(
    *,
    actor: Actor,
    matter_code: str,
    case_number: str,
    identifiers: Sequence[str],
    now: dt.datetime,
    unit: Unit | None = None,
) -> CheckOutcome:
    """Run and store one check for the actor's unit. Returns what it answered (`selectors.check_view` renders
    it without reading it back). `unit` is the actor's unit when the caller has just read it (the API's token
    authentication, which refuses inactive units); otherwise it is looked up.

    Refusals: 403 unless a case or data officer (judged first) of an active unit (judged once the request
    is otherwise valid, read with its subjects); 400 `check.case_number_required`,
    `check.matter_unknown`, `check.subjects_required` (none given); 413 `check.too_many_subjects` (> 1,000).
    """
    actor.require(*UNIT_OFFICERS)
    case = (case_number or "").strip()
    if not case or len(case) > 128:
        raise DomainError("check.case_number_required", "核查须填写案件编号（case_number，1–128 个字符）")
    count = len(identifiers)
    if count == 0:
        raise DomainError("check.subjects_required", "核查须至少包含 1 个主体标识")
    if count > MAX_SUBJECTS:
        raise DomainError(
            "check.too_many_subjects", f"一次核查最多 {MAX_SUBJECTS} 个主体，本次 {count} 个", status=413
        )
    book = rulebook.current()
    matter = book.matter(matter_code or "")
    if matter is None:
        raise DomainError("check.matter_unknown", f"未知的行政事项：{matter_code}（见 /api/v1/matters）")
    today = business_date(now)
    parsed = lookups.parse_identifiers(identifiers)
    given = _given_unit(actor, unit)
    unit_reads = [] if given else [unit_active_ref_read(code=actor.unit_code)]
    if connection.vendor == "postgresql" and len(parsed) <= OPEN_WITH_READS_MOST:
        # BEGIN, the unit (unless handed in), the subjects, their standing, the ids and the locked audit tip
        # in one round trip; every write and COMMIT in the next (ADR 0045)
        with transaction.atomic(), pipelined_transaction() as queued:
            opening = [_ids_read(len(parsed)), audit_head_read()] if queued else []
            subjects, standing, regnos, unit_ref, slot = _opened(parsed, today, unit_reads, opening)
            request = _Request(actor, _active(given or unit_ref), matter, case, now, today)
            answers, rules = _answered(book, request.unit.id, matter.id, parsed, subjects, standing, regnos)
            return _store(request, _due(rules, today), answers, slot or None)
    # one round trip on PostgreSQL for the unit (unless handed in) and the subjects (core.roundtrips)
    subjects, *read = read_together(lookups.subjects_for_read(parsed), *unit_reads)
    request = _Request(actor, _active(given or read[0]), matter, case, now, today)
    # answered before the transaction (SQLite: before it takes the only write lock); on PostgreSQL BEGIN,
    # the ids and the locked audit tip in one round trip, every write and COMMIT in the next (ADR 0029)
    answers, rules = _answers_for(book, request, parsed, subjects)
    with transaction.atomic(), pipelined_transaction() as queued:
        slot = read_together(_ids_read(len(parsed)), audit_head_read()) if queued else None
        return _store(request, _due(rules, today), answers, slot)


def _active(unit_ref: UnitRef | None) -> UnitRef:
    """The checking unit, refused (403) when the actor has no active one."""
    if unit_ref is None:
        raise PermissionDenied("check.unit_required", "核查须以有效单位的经办人员身份进行")
    return unit_ref


def _opened(parsed: list, today: dt.date, unit_reads: list[Read], opening: list[Read]) -> tuple:
    """PostgreSQL, a few identifiers: the subjects and their standing read together, the standing over the
    ids the database selects from the identifiers (lookups.live_ids_for), with the unit's and `opening`
    reads. Returns (subjects, standing, registration numbers, unit or None, what `opening` read). A subject
    the ids did not cover (merged twice over) has its standing read again."""
    live = lookups.live_ids_for(parsed)
    standing_reads = [] if live is None else [*_standing_reads_over(live, today), live.read()]
    found = read_together(lookups.subjects_for_read(parsed), *unit_reads, *standing_reads, *opening)
    subjects, unit_ref = found[0], (found[1] if unit_reads else None)
    rest = found[1 + len(unit_reads) :]
    standing, regnos, covered = rest[:3] if live is not None else (CheckStanding({}, {}), {}, set())
    slot = rest[len(standing_reads) :]
    if any(s.id not in covered for s in subjects.values()):
        standing, regnos = read_together(*_standing_reads(subjects, today))
    return subjects, standing, regnos, unit_ref, slot


@dataclass(frozen=True)
class _Request:
    """Who checks, for which matter and case, when."""

    actor: Actor
    unit: UnitRef
    matter: MatterRef
    case: str
    now: dt.datetime
    today: dt.date


def _due(rules: set[MeasureRule], today: dt.date) -> dt.datetime | None:
    """Feedback is due within the smallest feedback_working_days of the measures that applied."""
    if not rules:
        return None
    return working_day_deadline(today, min(r.feedback_working_days for r in rules)).value


def _given_unit(actor: Actor, given: Unit | None) -> UnitRef | None:
    """The unit handed in, when it is the actor's and active; otherwise None (it is read afresh)."""
    if given is not None and given.code == actor.unit_code and given.active:
        return UnitRef(given.pk, given.code, given.name)
    return None


def _answers(
    book: Rulebook, unit_id: int, matter_id: int, identifiers: Sequence[str], today: dt.date
) -> tuple[list[SubjectAnswer], set[MeasureRule]]:
    """One answer dict per identifier, in request order (duplicates kept), and every measure that applied."""
    parsed = lookups.parse_identifiers(identifiers)
    subjects = lookups.subjects_for(parsed)
    standing, regnos = read_together(*_standing_reads(subjects, today))
    return _answered(book, unit_id, matter_id, parsed, subjects, standing, regnos)


def _answers_for(
    book: Rulebook, request: _Request, parsed: list, subjects: dict
) -> tuple[list[SubjectAnswer], set[MeasureRule]]:
    """`_answers` for identifiers already parsed and their subjects already found."""
    standing, regnos = read_together(*_standing_reads(subjects, request.today))
    return _answered(book, request.unit.id, request.matter.id, parsed, subjects, standing, regnos)


def _standing_reads(subjects: dict, today: dt.date) -> list[Read]:
    """The subjects' standing and the registration numbers of those shown by one: one round trip on
    PostgreSQL for the owners' reads (core.roundtrips, issue 18)."""
    ids = sorted({s.id for s in subjects.values()})
    unshown = [s.id for s in subjects.values() if not s.uscc and not s.is_person]
    return [check_standing_read(ids, on=today), registration_numbers_read(unshown)]


def _standing_reads_over(ids: IdsIn, today: dt.date) -> list[Read]:
    """`_standing_reads` over ids the database selects; every subject's registration numbers are read (only
    those shown without a USCC are used)."""
    return [check_standing_read(ids, on=today), registration_numbers_read(ids)]


def _answered(
    book: Rulebook, unit_id: int, matter_id: int, parsed: list, subjects: dict, standing, regnos: dict
) -> tuple[list[SubjectAnswer], set[MeasureRule]]:
    entries, negatives = standing.entries, standing.negatives
    binding = book.binding(unit_id, matter_id)
    applied: set[MeasureRule] = set()
    out = []
    for p in parsed:
        subject = subjects.get(p.key) if p.key is not None else None
        if subject is None:
            code, message = (p.error_code, p.error_message) if p.key is None else NOT_FOUND
            out.append(_unknown(p, code, message))
            continue
        rules = _binding_rules(entries.get(subject.id, []), binding)
        applied.update(rules)
        out.append(
            _known(p, subject, regnos, entries.get(subject.id, []), rules, negatives.get(subject.id, []))
        )
    return out, applied


def _binding_rules(entries: list[EntryRow], binding: dict) -> dict[MeasureRule, list[str]]:
    """Measure → the list types (codes) that bring it in, measures in code order."""
    found: dict[MeasureRule, list[str]] = {}
    for entry in entries:
        for rule in binding.get(entry.list_type_id, ()):
            types = found.setdefault(rule, [])
            if entry.list_type not in types:
                types.append(entry.list_type)
    return dict(sorted(found.items(), key=lambda item: item[0].code))


def _unknown(p: lookups.Parsed, code: str, message: str) -> SubjectAnswer:
    return {
        "index": p.position,
        "identifier": p.stored,
        "known": False,
        "error": {"code": code, "message": message},
        "subject": None,
        "entries": [],
        "measures": [],
        "negative_records": [],
        "records_summary": None,
    }


def _known(p, subject, regnos, entries, rules: dict[MeasureRule, list[str]], negatives) -> SubjectAnswer:
    if subject.is_person:  # a person is shown masked: ID number and name
        shown = {"code": subject.masked, "name": person_name_mask(subject.name)}
    else:
        shown = {"code": subject.uscc or regnos.get(subject.id, ""), "name": subject.name}
    return {
        "index": p.position,
        "identifier": p.stored,
        "known": True,
        "error": None,
        "subject": {**shown, "kind": subject.kind, "subject_id": subject.id},
        "entries": [
            {
                "entry_id": e.id,
                "list_type": e.list_type,
                "list_type_name": e.list_type_name,
                "list_kind": e.list_kind,
                "since": e.since,
                "until": e.until,
                "under_objection": e.under_objection,
            }
            for e in entries
        ],  # fmt: skip
        "measures": [_measure(rule, types) for rule, types in rules.items()],
        "negative_records": [
            {
                "category": n.category,
                "name": n.name,
                "count": n.count,
                "latest": n.latest,
                "under_objection": n.under_objection,
            }
            for n in negatives
        ],
        "records_summary": records_summary(negatives),
    }


def _measure(rule: MeasureRule, list_types: list[str]) -> dict:
    return {
        "measure_id": rule.id,
        "code": rule.code,
        "kind": rule.kind,
        "strength": rule.strength,
        "text": rule.text,
        "legal_basis": rule.legal_basis,
        "memorandum": rule.memorandum_code,
        "memorandum_title": rule.memorandum_title,
        "document_no": rule.document_no,
        "list_types": list_types,
    }


def records_summary(negatives: list) -> str:
    """ "行政处罚 3 条（最近 2026-10-28）；失信被执行人 1 条（最近 2026-03-02）" or 无公示中的失信记录."""
    if not negatives:
        return NO_NEGATIVE
    return "；".join(
        f"{n.name.removesuffix('信息')} {n.count} 条（最近 {n.latest}"
        + (f"，其中 {n.under_objection} 条异议处理中）" if n.under_objection else "）")
        for n in negatives
    )


def _store(request: _Request, due, answers: list[SubjectAnswer], slot: list | None) -> CheckOutcome:
    """Store the check in the caller's transaction. `slot` is what the transaction's opening read on
    PostgreSQL (the ids and the locked audit tip); without it the statements run one at a time."""
    actor, unit, matter, case, now = request.actor, request.unit, request.matter, request.case, request.now
    known = sum(1 for a in answers if a["known"])
    applicable = sum(len(a["measures"]) for a in answers)
    check_row = [unit.id, matter.id, case, actor.label, db_datetime(now), db_datetime(due) if due else None,
                 len(answers), known, applicable]  # fmt: skip
    if slot is not None:
        (check_id, result_ids), head = slot
        execute_prepared(_INSERT_CHECK_WITH_ID, [check_id, *check_row])
    else:
        check_id, result_ids, head = execute(_INSERT_CHECK, check_row).fetchone()[0], None, None
    _store_results(check_id, answers, result_ids)
    audit_append(
        actor=actor,
        action="check.run",
        target_type="check",
        target_id=check_id,
        reason=f"案件编号 {case}",
        now=now,
        payload={
            "matter": matter.code,
            "case_number": case,
            "subjects": len(answers),
            "known": known,
            "listed": sum(1 for a in answers if a["entries"]),
            "applicable": applicable,
            "feedback_due": due.isoformat() if due else None,
        },
        head=head,
    )
    return CheckOutcome(
        check_id, unit, matter, case, actor.label, now, due, len(answers), known, applicable, tuple(answers)
    )


def _ids_read(results: int) -> Read[tuple[int, list[int]]]:
    """PostgreSQL: the check's id and its results' ids, drawn from their sequences up front, so that no
    insert has to return one (core.roundtrips)."""
    return Read.one(
        "SELECT nextval(pg_get_serial_sequence('measures_check', 'id')), "
        "ARRAY(SELECT nextval(pg_get_serial_sequence('measures_checkresult', 'id')) "
        "FROM generate_series(1, %s))",
        [results],
        decode=lambda rows: (rows[0][0], rows[0][1]),
    )


def _store_results(check_id: int, answers: list[SubjectAnswer], ids: list[int] | None) -> None:
    """One row per answer (the answer itself as JSON; its result id is the row's), then the links to the
    entries and measures. `ids` are the results' ids drawn up front (PostgreSQL); otherwise a single result
    is inserted with RETURNING: no id allocation round trips."""
    rows = [
        (check_id, a["index"], a["identifier"], a["subject"]["subject_id"] if a["subject"] else None,
         json.dumps(a, ensure_ascii=False, separators=(",", ":")))
        for a in answers
    ]  # fmt: skip
    if ids is not None and len(rows) == 1:
        execute_prepared(_INSERT_ONE_RESULT_WITH_ID, [ids[0], *rows[0]])
    elif ids is not None:
        insert_many(
            "measures_checkresult", ["id", *RESULT_COLUMNS], [(i, *r) for i, r in zip(ids, rows, strict=True)]
        )
    elif len(rows) == 1:
        ids = [execute(_INSERT_ONE_RESULT, rows[0]).fetchone()[0]]
    else:
        ids = allocate_ids("measures_checkresult", len(rows))
        insert_many(
            "measures_checkresult", ["id", *RESULT_COLUMNS], [(i, *r) for i, r in zip(ids, rows, strict=True)]
        )
    entry_rows, measure_rows = [], []
    for result_id, answer in zip(ids, answers, strict=True):
        answer["result_id"] = result_id
        entry_rows.extend((result_id, e["entry_id"]) for e in answer["entries"])
        measure_rows.extend((result_id, m["measure_id"]) for m in answer["measures"])
    if entry_rows:
        insert_many("measures_checkresult_entries", ["checkresult_id", "listentry_id"], entry_rows)
    if measure_rows:
        insert_many("measures_checkresult_measures", ["checkresult_id", "measure_id"], measure_rows)
