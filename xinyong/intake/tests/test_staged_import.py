"""Imports that share the database (issue 18, ADR 0026): a submission larger than one chunk is written in short
transactions and published at once. Checks get in between chunks and see none of the staged records; after
publication they see all; corrections replace the published versions only at publication; a finished import
replays, an interrupted one resumes, an abandoned one is rolled back."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from tests.support.durability import DURABLE, NOT_AWAITED, commit_wait_setting
from tests.support.measures import (  # noqa: F401 - fixtures
    NOW,
    list_types,
    memoranda,
    officer_of,
    reference,
)
from tests.support.records import COMPANY, cf_row
from xinyong.accounts.models import Unit
from xinyong.audit.models import AuditEvent
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, PermissionDenied
from xinyong.intake.models import RejectedRow, Submission, SubmissionState
from xinyong.intake.receiving import submission_abandon
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.measures import rulebook
from xinyong.measures.services import check_run
from xinyong.records.flags import record_objection_flag
from xinyong.records.models import Record, RecordBatch, RecordStatus, RecordStatusChange

PROVIDER = Actor(label="token:prov0001", unit_code="bj-gongshangju", roles=frozenset({"data_officer"}))
REVIEWER = Actor(label="user:71", unit_code="bj-jingxinwei", roles=frozenset({"reviewer"}), user_id=71)
WAIT_S = 60


@pytest.fixture(autouse=True)
def _fresh_rulebook():
    rulebook.invalidate()
    yield
    rulebook.invalidate()


@pytest.fixture
def checker(request):
    """A case officer of 市财政局 (government procurement), whose checks show negative records."""
    request.getfixturevalue("memoranda")
    return officer_of("bj-caizhengju")


@pytest.fixture
def small_chunks(settings):
    settings.XINYONG_IMPORT_CHUNK_ROWS = 2
    return 2


def _rows(n: int, **overrides) -> list[dict]:
    return [
        cf_row(CF_WSH=f"京工商罚字〔2026〕第{900 + i}号", CF_JDRQ="2026-10-28", **overrides) for i in range(n)
    ]


def _receive(rows, key="k1", progress=None):
    return submission_receive(
        actor=PROVIDER,
        unit=Unit.objects.get(code="bj-gongshangju"),
        category=Category.objects.get(code="CF"),
        rows=enumerate(rows),
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=key),
        now=NOW,
        progress=progress,
    )


def _summary(officer) -> str | None:
    check = check_run(actor=officer, matter_code="政府采购", case_number="C1", identifiers=[COMPANY], now=NOW)
    return check.answers[0]["records_summary"]


class Paused:
    """A progress callback that holds the import after its `at`-th committed chunk until released."""

    def __init__(self, at: int = 1) -> None:
        self.at, self.calls, self.reached, self.go = at, 0, threading.Event(), threading.Event()
        self.outcome, self.error = None, None

    def __call__(self, n: int) -> None:
        self.calls += 1
        if self.calls == self.at:
            self.reached.set()
            assert self.go.wait(WAIT_S)

    def run(self, rows, key="k1") -> threading.Thread:
        def target():
            try:
                self.outcome = _receive(rows, key=key, progress=self)
            except Exception as exc:  # noqa: BLE001 - reported by the test
                self.error = exc
            finally:
                connection.close()

        thread = threading.Thread(target=target)
        thread.start()
        assert self.reached.wait(WAIT_S), self.error
        return thread

    def finish(self, thread: threading.Thread) -> None:
        self.go.set()
        thread.join(WAIT_S)
        assert self.error is None, self.error


@pytest.mark.django_db(transaction=True)
def test_a_check_answers_while_an_import_is_paused_between_chunks_and_sees_none_of_it(checker, small_chunks):
    paused = Paused(at=1)
    thread = paused.run(_rows(5))
    try:
        submission = Submission.objects.get()
        assert (submission.state, submission.rows_done, submission.accepted) == ("receiving", 2, 2)
        # the check commits meanwhile (the write lock is free); the subject is known already (ADR 0026)
        assert _summary(checker) == "无公示中的失信记录"
        assert (Record.objects.count(), Record.with_staged.count()) == (0, 2)
        assert not submission.records.exists()  # related managers apply the gate too
    finally:
        paused.finish(thread)
    assert _summary(checker) == "行政处罚 5 条（最近 2026-10-28）"
    submission.refresh_from_db()
    assert (submission.state, submission.rows_done, submission.total, submission.accepted) == (
        "done",
        5,
        5,
        5,
    )
    assert Record.objects.count() == 5 and not RecordBatch.objects.exists()
    (event,) = AuditEvent.objects.filter(action="submission.receive")
    assert (event.payload["total"], event.payload["accepted"], event.payload["versions"]) == (5, 5, 0)


@pytest.mark.django_db(transaction=True)
def test_corrections_replace_published_versions_only_at_publication_with_the_flag_of_that_moment(
    checker, small_chunks
):
    _receive(_rows(1), key="first")  # one chunk: written and published in one transaction
    old = Record.objects.get()
    paused = Paused(at=1)
    thread = paused.run(_rows(3, CF_SY="更正后的事由"), key="second")
    try:
        assert list(Record.objects.filter(is_current=True).values_list("pk", flat=True)) == [old.pk]
        assert _summary(checker) == "行政处罚 1 条（最近 2026-10-28）"
        with transaction.atomic():  # flagged meanwhile (remedies' objection service runs it so)
            record_objection_flag(actor=REVIEWER, record_id=old.pk, objection_id=1, now=NOW)
    finally:
        paused.finish(thread)
    old.refresh_from_db()
    new = Record.objects.get(doc_no=old.doc_no, is_current=True)
    assert (old.is_current, old.status) == (False, RecordStatus.SUPERSEDED)
    assert (new.version, new.supersedes_id, new.change_kind) == (2, old.pk, "correction")
    assert new.status == RecordStatus.UNDER_OBJECTION  # sticky: the old version's status at publication
    moves = list(RecordStatusChange.objects.filter(record=old).values_list("from_status", "to_status"))
    assert moves == [("published", "under_objection"), ("under_objection", "superseded")]
    assert _summary(checker) == "行政处罚 3 条（最近 2026-10-28，其中 1 条异议处理中）"
    assert paused.outcome.submission.versions == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_decision_in_several_chunks_leaves_one_current_version(checker, small_chunks):
    rows = [cf_row(CF_WSH="京工商罚字〔2026〕第7号", CF_SY=f"第 {i} 稿") for i in range(5)]
    submission = _receive(rows).submission
    versions = list(Record.objects.order_by("version").values_list("version", "is_current", "status"))
    assert versions == [(v, v == 5, "published" if v == 5 else "superseded") for v in range(1, 6)]
    assert submission.versions == 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_a_finished_import_replays_and_another_body_with_its_key_is_refused(small_chunks):
    first = _receive(_rows(5)).submission
    again = _receive(_rows(5))
    assert (again.replayed, again.submission.pk, Record.objects.count()) == (True, first.pk, 5)
    with pytest.raises(Conflict) as err:
        submission_receive(
            actor=PROVIDER, unit=first.unit, category=first.category, rows=enumerate(_rows(6)),
            source=SubmissionSource(channel="api", idempotency_key="k1", body_sha256="other"), now=NOW,
        )  # fmt: skip
    assert (err.value.code, err.value.status) == ("submission.idempotency_conflict", 409)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_an_interrupted_import_resumes_after_its_last_chunk_exactly_once(small_chunks):
    rows = [*_rows(4), cf_row(CF_WSH="", CF_JDRQ="2026-10-28")]  # the last row is rejected

    def stop_after_two_chunks(n):
        if stop_after_two_chunks.calls == 1:
            raise KeyboardInterrupt  # the process dies after its second chunk committed
        stop_after_two_chunks.calls += 1

    stop_after_two_chunks.calls = 0
    with pytest.raises(KeyboardInterrupt):
        _receive(rows, progress=stop_after_two_chunks)
    submission = Submission.objects.get()
    assert (submission.state, submission.rows_done, Record.objects.count(), Record.with_staged.count()) == (
        "receiving", 4, 0, 4,
    )  # fmt: skip
    with pytest.raises(Conflict) as err:  # another staging import of the unit and category must wait
        _receive(_rows(3), key="other")
    assert err.value.code == "submission.import_in_progress"
    seen = []
    outcome = _receive(rows, progress=seen.append)
    assert (outcome.replayed, outcome.submission.pk, seen) == (False, submission.pk, [4, 1])
    submission.refresh_from_db()
    assert (submission.total, submission.accepted, submission.rejected, submission.state) == (5, 4, 1, "done")
    assert (Record.objects.count(), Record.with_staged.count(), RejectedRow.objects.count()) == (4, 4, 1)
    assert AuditEvent.objects.filter(action="submission.receive").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_abandon_removes_the_staged_rows_and_marks_the_submission(small_chunks):
    def die(n):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _receive([*_rows(2), cf_row(CF_WSH=""), *_rows(2)], progress=die)
    submission = Submission.objects.get()
    assert (Record.with_staged.count(), RejectedRow.objects.count()) == (2, 0)
    with pytest.raises(PermissionDenied):  # only an administrator (an operator's CLI) may abandon
        submission_abandon(actor=PROVIDER, submission_id=submission.pk, reason="", now=NOW)
    out = io.StringIO()
    call_command(
        "import_abandon", str(submission.pk), "--reason", "文件有误", stdout=out
    )  # xinyong import abandon
    assert out.getvalue() == f"批次 #{submission.pk} 已放弃：删除暂存信息 2 条、退回行 0 行\n"
    submission.refresh_from_db()
    assert (submission.state, submission.total, Record.with_staged.count()) == (
        SubmissionState.ABANDONED,
        0,
        0,
    )
    assert not RecordBatch.objects.exists()
    event = AuditEvent.objects.get(action="submission.abandon")
    assert (event.actor, event.target_id, event.reason, event.payload) == (
        "cli", str(submission.pk), "文件有误", {"rows_done": 2, "records": 2, "rejected_rows": 0},
    )  # fmt: skip
    with pytest.raises(Conflict) as err:  # its key cannot be reused: the body is sent again with a new key
        _receive([*_rows(2), cf_row(CF_WSH=""), *_rows(2)])
    assert err.value.code == "submission.abandoned"
    assert _receive(_rows(2), key="k2").submission.accepted == 2  # the unit and category are free again


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_chunks_start_small_and_stay_within_the_cap_and_a_submission_at_the_cap_is_one_transaction(settings):
    settings.XINYONG_IMPORT_CHUNK_ROWS = 300  # intake/chunking.py, ADR 0041
    seen = []
    staged = _receive(_rows(700), progress=seen.append).submission
    assert (seen[0], max(seen) <= 300, sum(seen)) == (200, True, 700)
    assert (staged.state, staged.accepted, Record.objects.count()) == ("done", 700, 700)
    seen.clear()
    whole = _receive([cf_row(CF_WSH=f"京工商罚字〔2026〕第{5000 + i}号") for i in range(300)], key="k2",
                     progress=seen.append).submission  # fmt: skip
    assert (seen, whole.state, whole.accepted) == ([300], "done", 300)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_chunks_commit_without_waiting_for_the_disk_and_the_publication_waits(small_chunks, monkeypatch):
    """ADR 0043: while a staged import writes its chunks, its connection's commits are not waited for on disk
    (SQLite synchronous=NORMAL, PostgreSQL synchronous_commit=off); the publication, and all after it, is
    durable again."""
    from xinyong.intake import receiving

    seen: list[tuple[str, str]] = []
    publish = receiving._publish
    monkeypatch.setattr(
        receiving,
        "_publish",
        lambda *a, **k: seen.append(("publish", commit_wait_setting())) or publish(*a, **k),
    )
    _receive(_rows(5), progress=lambda n: seen.append(("chunk", commit_wait_setting())))
    durable, not_awaited = DURABLE[connection.vendor], NOT_AWAITED[connection.vendor]
    assert seen == [("chunk", not_awaited)] * 3 + [("publish", durable)]
    assert commit_wait_setting() == durable and Record.objects.count() == 5
