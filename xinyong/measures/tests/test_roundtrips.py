"""What one check costs in round trips to the database (issue 18, ADR 0029, 0042, 0045): on PostgreSQL two for
a single-subject check (BEGIN with the subject, its standing over the ids the database selects from the
identifier, the unit when it is not handed in, the ids and the locked audit tip; every write, the audit event
and COMMIT), counted on the wire from libpq's trace; on SQLite the statements it runs. The stored check, its
answer and the audit chain are the same as on the path of one statement at a time."""

import collections
import tempfile

import pytest
from django.db import connection

from tests.support.measures import NOW, submit_penalties
from tests.support.records import COMPANY, cf_row
from xinyong.accounts.models import Unit
from xinyong.audit.models import AuditEvent
from xinyong.audit.selectors import audit_chain_verify_since
from xinyong.measures.models import Check, CheckResult
from xinyong.measures.services import check_run
from xinyong.measures.services.checks import OPEN_WITH_READS_MOST
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject

pg_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="round trips on the wire")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's statements")


def _check(actor, code: str, case: str, unit=None):
    """A check as the API runs it (with the unit its token read), or with `unit=False` as the service runs it
    for a caller that has not read the unit."""
    unit = Unit.objects.get(code=actor.unit_code) if unit is None else (unit or None)
    return check_run(
        actor=actor, matter_code="政府采购", case_number=case, identifiers=[code], now=NOW, unit=unit
    )


def _round_trips(run) -> tuple[object, int, collections.Counter]:
    """Run `run()` with libpq tracing; a round trip is the client sending and then waiting for the server:
    one change from frontend to backend messages in the trace."""
    raw = connection.connection
    with tempfile.TemporaryFile("w+") as trace:
        raw.pgconn.trace(trace.fileno())
        try:
            result = run()
        finally:
            raw.pgconn.untrace()
        trace.seek(0)
        fields = [line.split("\t") for line in trace.read().splitlines()]
    sides = [f[1] for f in fields if len(f) > 3]
    trips = sum(1 for a, b in zip(sides, sides[1:], strict=False) if a == "F" and b == "B")
    kinds = collections.Counter(f[3].split(" ")[0] for f in fields if len(f) > 3 and f[1] == "F")
    return result, trips, kinds


@pg_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "code, handed_in, trips, parses, applicable",
    [
        # BEGIN, the subject, its standing, the ids and audit tip; the write. Unnamed statements: our BEGIN
        # and COMMIT, and the result's links to entry and measure (Django's cursor); all else is prepared
        (COMPANY, True, 2, 4, 1),
        (COMPANY, False, 2, 4, 1),  # the unit read with the subject
        (uscc_make("9111010500054321"), True, 2, 2, 0),  # valid, unknown: its standing reads find nothing
        ("91110105000543210X", True, 2, 2, 0),  # not a valid code: no subject to look up
        ("91110105000543210X", False, 2, 2, 0),  # … but the unit to read
    ],
)
def test_a_single_subject_check_costs_two_round_trips_on_postgresql(
    listed_company, caizhengju, code, handed_in, trips, parses, applicable
):
    unit = Unit.objects.get(code=caizhengju.unit_code) if handed_in else False
    first = _check(caizhengju, code, "RT-1", unit)  # prepares this connection's statements, fills caches
    outcome, sent, kinds = _round_trips(lambda: _check(caizhengju, code, "RT-2", unit))
    assert (sent, kinds["Parse"]) == (trips, parses)
    assert outcome.applicable_count == first.applicable_count == applicable
    _assert_stored_as_answered(outcome)


def _assert_stored_as_answered(outcome) -> None:
    check = Check.objects.get(pk=outcome.check_id)
    assert (check.case_number, check.subjects_count, check.applicable_count) == (
        outcome.case_number, outcome.subjects_count, outcome.applicable_count,
    )  # fmt: skip
    stored = list(
        CheckResult.objects.filter(check_run=check).order_by("position").values_list("id", "answer")
    )
    assert stored == [
        (a["result_id"], {k: v for k, v in a.items() if k != "result_id"}) for a in outcome.answers
    ]
    for answer in outcome.answers:
        result = CheckResult.objects.get(pk=answer["result_id"])
        assert sorted(result.entries.values_list("id", flat=True)) == sorted(
            e["entry_id"] for e in answer["entries"]
        )
        assert sorted(result.measures.values_list("id", flat=True)) == sorted(
            m["measure_id"] for m in answer["measures"]
        )
    event = AuditEvent.objects.get(action="check.run", target_id=str(outcome.check_id))
    assert event.payload["case_number"] == outcome.case_number
    assert audit_chain_verify_since(checkpoint=None, through_seq=event.seq).ok


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_check_of_several_subjects_is_stored_the_same_on_the_pipelined_path(listed_company, caizhengju):
    unit = Unit.objects.get(code=caizhengju.unit_code)
    codes = [COMPANY, "91110105000543210X", "not-a-code", COMPANY]
    outcome = check_run(
        actor=caizhengju, matter_code="政府采购", case_number="RT-3", identifiers=codes, now=NOW, unit=unit
    )
    assert [a["known"] for a in outcome.answers] == [True, False, False, True]
    _assert_stored_as_answered(outcome)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_single_subject_check_runs_these_statements_on_sqlite(listed_company, caizhengju):
    unit = Unit.objects.get(code=caizhengju.unit_code)
    _check(caizhengju, COMPANY, "ST-1", unit)
    statements: list[str] = []
    raw = connection.connection
    raw.set_trace_callback(statements.append)
    try:
        _check(caizhengju, COMPANY, "ST-2", unit)
    finally:
        raw.set_trace_callback(None)
    verbs = [s.split()[0].upper() for s in statements]
    assert verbs == EXPECTED_SQLITE, (verbs, statements)


# the subject; its entries and shown negative records; the write: the check, its result and its links to the
# entry and the measure, the audit tip, event and tip update
EXPECTED_SQLITE = ["SELECT", "SELECT", "SELECT", "BEGIN", "INSERT", "INSERT", "INSERT", "INSERT", "SELECT",
                   "INSERT", "UPDATE", "COMMIT"]  # fmt: skip


@pg_only
@pytest.mark.django_db(transaction=True)
def test_the_calendar_read_again_inside_the_pipelined_transaction(listed_company, caizhengju, monkeypatch):
    """Every few seconds the working-day calendar is checked against the database (workdays.selectors): on
    PostgreSQL that read falls inside the check's pipelined transaction, costs one round trip more and
    gives the same deadline."""
    unit = Unit.objects.get(code=caizhengju.unit_code)
    first = _check(caizhengju, COMPANY, "RT-4", unit)
    monkeypatch.setattr("xinyong.workdays.selectors._checked_at", float("-inf"))
    outcome, sent, _ = _round_trips(lambda: _check(caizhengju, COMPANY, "RT-5", unit))
    assert sent == 3
    assert outcome.feedback_due == first.feedback_due is not None
    _assert_stored_as_answered(outcome)


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_larger_check_builds_its_answer_before_taking_the_audit_lock(listed_company, caizhengju):
    """Above OPEN_WITH_READS_MOST identifiers the standing is read before BEGIN (ADR 0042): one round trip
    more, and the audit chain's lock is not held while the answer is built."""
    unit = Unit.objects.get(code=caizhengju.unit_code)
    codes = [COMPANY] * (OPEN_WITH_READS_MOST + 1)
    run = lambda: check_run(  # noqa: E731
        actor=caizhengju, matter_code="政府采购", case_number="RT-6", identifiers=codes, now=NOW, unit=unit
    )
    run()
    outcome, sent, _ = _round_trips(run)
    assert sent == 4
    assert [a["known"] for a in outcome.answers] == [True] * len(codes)
    _assert_stored_as_answered(outcome)


@pg_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("merges, trips", [(1, 3), (2, 5)])
def test_a_merged_subject_has_its_standing_read_in_the_first_round_trip_unless_merged_twice_over(
    listed_company, caizhengju, merges, trips
):
    """Following a merge costs the subjects' lookup one read per merge (subjects.batch); the ids the database
    selects for the standing follow one merge (ADR 0045). So a duplicate merged into the listed company is
    answered with the company's standing in three round trips; one merged into such a duplicate takes two
    reads to follow and has its standing read again: five, and the same answer."""
    codes = [uscc_make(f"911101080007777{i}") for i in range(merges)]
    submit_penalties(
        [
            cf_row(CF_XDR_SHXYM=c, CF_XDR_MC=f"北京华信科技{i}有限公司", CF_WSH=f"D{i}")
            for i, c in enumerate(codes)
        ],
        key="merged",
    )
    into = listed_company
    for code in codes:  # each duplicate merged into the one before, the first into the company
        duplicate = Subject.objects.get(uscc=code)
        Subject.objects.filter(pk=duplicate.pk).update(status="merged", merged_into=into)
        into = duplicate
    unit = Unit.objects.get(code=caizhengju.unit_code)
    _check(caizhengju, codes[-1], "RT-7", unit)
    outcome, sent, _ = _round_trips(lambda: _check(caizhengju, codes[-1], "RT-8", unit))
    answer = outcome.answers[0]
    assert (answer["subject"]["code"], [m["code"] for m in answer["measures"]]) == (
        COMPANY, ["sxbzxr-procurement"],
    )  # fmt: skip
    assert answer["records_summary"] == "行政处罚 2 条（最近 2026-10-28）"
    assert sent == trips
    _assert_stored_as_answered(outcome)
