"""What one check costs in round trips to the database (issue 18, ADR 0029, ADR 0042): on PostgreSQL three
for a single-subject check (the subject, with the unit when it is not handed in; BEGIN with its standing,
the ids and the locked audit tip; every write, the audit event and COMMIT), counted on the wire from libpq's
trace; on SQLite the statements it runs. The
stored check, its answer and the audit chain are the same as on the path of one statement at a time."""

import collections
import tempfile

import pytest
from django.db import connection

from tests.support.measures import NOW
from tests.support.records import COMPANY
from xinyong.accounts.models import Unit
from xinyong.audit.models import AuditEvent
from xinyong.audit.selectors import audit_chain_verify_since
from xinyong.measures.models import Check, CheckResult
from xinyong.measures.services import check_run
from xinyong.measures.services.checks import OPEN_WITH_READS_MOST
from xinyong.subjects.identifiers import uscc_make

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
        # the subject; BEGIN, its standing, the ids and audit tip; the write. Unnamed statements: our BEGIN and
        # COMMIT, and the result's links to entry and measure (Django's cursor); all else is prepared
        (COMPANY, True, 3, 4, 1),
        (COMPANY, False, 3, 4, 1),  # the unit read with the subject
        (uscc_make("9111010500054321"), True, 3, 2, 0),  # valid, unknown: no standing to read
        ("91110105000543210X", True, 2, 2, 0),  # not a valid code: no subject to look up
        ("91110105000543210X", False, 3, 2, 0),  # … but the unit to read
    ],
)
def test_a_single_subject_check_costs_at_most_three_round_trips_on_postgresql(
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
    assert sent == 4
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
