"""A staged import may read and validate its next chunk in a second thread while it writes one (issue 18,
ADR 0044, intake/ahead.py): the same chunks, the same records and counts, the same errors after the same
committed chunks as without it; the thread never reads the database and is gone when the import ends."""

from __future__ import annotations

import gc
import threading

import pytest

from tests.support.measures import NOW, reference  # noqa: F401 - fixtures
from tests.support.records import cf_row
from xinyong.accounts.models import Unit
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.core.bulk import collector_paused
from xinyong.core.errors import DomainError
from xinyong.intake.ahead import chunks_ahead
from xinyong.intake.chunking import ChunkSizer
from xinyong.intake.importer import Prepared
from xinyong.intake.models import RejectedRow, Submission
from xinyong.intake.rows import FileRefused
from xinyong.intake.services import SubmissionSource, submission_receive
from xinyong.intake.validation import RowValidator
from xinyong.records.models import Record

PROVIDER = Actor(label="token:prov0001", unit_code="bj-gongshangju", roles=frozenset({"data_officer"}))
THREAD = "xinyong-import-ahead"


def _rows(n: int) -> list[dict]:
    return [cf_row(CF_WSH=f"京工商罚字〔2026〕第{900 + i}号", CF_JDRQ="2026-10-28") for i in range(n)]


def _receive(rows, key="k1", progress=None):
    return submission_receive(
        actor=PROVIDER,
        unit=Unit.objects.get(code="bj-gongshangju"),
        category=Category.objects.get(code="CF"),
        rows=rows,
        source=SubmissionSource(channel="api", idempotency_key=key, body_sha256=key),
        now=NOW,
        progress=progress,
    )


def _ahead_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(THREAD)]


@pytest.fixture(params=[False, True], ids=["in-turn", "read-ahead"])
def ahead(request, settings):
    settings.XINYONG_IMPORT_CHUNK_ROWS = 2  # chunks of 2 rows: rows 0–1, 2–3, 4–5 …
    settings.XINYONG_IMPORT_READ_AHEAD = request.param
    return request.param


class _Stub:
    """An importer that validates nothing: a chunk's rows are its `size`; `complete` is counted."""

    completed = 0

    def validate(self, chunk):
        return Prepared(len(chunk), [], [], [], [], {})

    def complete(self, prepared):
        self.completed += 1
        return prepared


@pytest.mark.parametrize("read_ahead", [False, True])
def test_each_chunk_is_sized_by_the_chunks_written_before_it_is_asked_for(read_ahead):
    sizer = ChunkSizer(most=1000, seconds=0.025)
    stub = _Stub()
    sizes = []
    with chunks_ahead(iter([(i, {}) for i in range(1100)]), sizer, stub, ahead=read_ahead) as chunks:
        for prepared in chunks:
            sizes.append(prepared.size)
            sizer.observed(prepared.size, prepared.size / 8000)  # written at 8,000 rows/s: 200 rows in 25 ms
    # a steady speed: the same chunks either way (read ahead, the second is sized before the first's write)
    assert sizes == [200] * 5 + [100]
    assert stub.completed == 6 and not _ahead_threads()


def test_without_read_ahead_a_chunk_is_read_only_after_the_last_one_was_written():
    sizer = ChunkSizer(most=1000, seconds=0.025)
    sizer.rows = 100
    sizes = []
    with chunks_ahead(iter([(i, {}) for i in range(1000)]), sizer, _Stub(), ahead=False) as chunks:
        for prepared in chunks:
            sizes.append(prepared.size)
            sizer.rows = min(sizer.rows * 2, 1000)
    assert sizes == [100, 200, 400, 300]
    sizer.rows, sizes = 100, []
    with chunks_ahead(iter([(i, {}) for i in range(1000)]), sizer, _Stub(), ahead=True) as chunks:
        for prepared in chunks:
            sizes.append(prepared.size)
            sizer.rows = min(sizer.rows * 2, 1000)
    assert sizes == [100, 100, 200, 400, 200]  # one chunk behind: each size known one write earlier


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_the_same_records_counts_and_rejected_rows_either_way(ahead):
    rows = [*_rows(3), cf_row(CF_WSH=""), *_rows(5)[3:], cf_row(CF_JDRQ="2026-02-30")]
    seen: list[int] = []
    submission = _receive(enumerate(rows), progress=seen.append).submission
    assert (seen, submission.state) == ([2, 2, 2, 1], "done")
    assert (submission.total, submission.accepted, submission.rejected) == (7, 5, 2)
    assert [r["index"] for r in submission.result["rejected_rows"]] == [3, 6]
    doc_nos = sorted(Record.objects.values_list("doc_no", flat=True))
    assert doc_nos == [f"京工商罚字〔2026〕第{900 + i}号" for i in range(5)]
    assert RejectedRow.objects.count() == 2 and not _ahead_threads()


def _failing_rows(n: int, fail_at: int, read: list[int]):
    """The rows of `_rows(n)`; reading row `fail_at` finds the file unreadable (as files.py reports it)."""
    for i, row in enumerate(_rows(n)):
        if i == fail_at:
            raise FileRefused("file.encoding", f"第 {i + 2} 行无法按 UTF-8 解码")
        read.append(i)
        yield i, row


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_a_file_found_unreadable_in_a_chunk_read_ahead_stops_after_the_chunks_before_it(ahead):
    read: list[int] = []
    seen: list[int] = []
    with pytest.raises(DomainError) as err:  # rows 0–1 are one chunk, 2–3 the next: reading row 5 fails
        _receive(_failing_rows(8, 5, read), progress=seen.append)
    assert (err.value.code, err.value.message, err.value.status) == (
        "file.encoding",
        "第 7 行无法按 UTF-8 解码",
        422,
    )
    submission = Submission.objects.get()
    # exactly the chunks before the failing one were written, as without reading ahead
    assert (submission.state, submission.rows_done, seen) == ("receiving", 4, [2, 2])
    assert (Record.with_staged.count(), read) == (4, [0, 1, 2, 3, 4])
    assert not _ahead_threads()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_an_error_validating_a_chunk_read_ahead_is_raised_after_the_chunks_before_it(ahead, monkeypatch):
    validate = RowValidator.__call__

    def broken(self, row):
        if row["CF_WSH"].endswith("第904号"):  # the third chunk (rows 4–5)
            raise ValueError("validator bug")
        return validate(self, row)

    monkeypatch.setattr(RowValidator, "__call__", broken)
    seen: list[int] = []
    with pytest.raises(ValueError, match="^validator bug$"):
        _receive(enumerate(_rows(7)), progress=seen.append)
    submission = Submission.objects.get()
    assert (submission.rows_done, submission.accepted, seen, Record.with_staged.count()) == (4, 4, [2, 2], 4)
    assert not _ahead_threads()
    monkeypatch.setattr(RowValidator, "__call__", validate)
    outcome = _receive(enumerate(_rows(7)))  # the same import again carries on after the 4 rows
    assert (outcome.submission.pk, outcome.submission.state, Record.objects.count()) == (
        submission.pk,
        "done",
        7,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_an_import_killed_while_a_chunk_is_read_ahead_waits_for_the_thread_and_resumes(ahead):
    def die(n):
        raise KeyboardInterrupt  # the process is stopped after the first chunk committed

    with pytest.raises(KeyboardInterrupt):
        _receive(enumerate(_rows(7)), progress=die)
    assert not _ahead_threads()  # the chunk being read ahead was finished and dropped
    submission = Submission.objects.get()
    assert (submission.rows_done, Record.with_staged.count()) == (2, 2)
    seen: list[int] = []
    outcome = _receive(enumerate(_rows(7)), progress=seen.append)
    assert (outcome.submission.pk, seen, Record.objects.count()) == (submission.pk, [2, 2, 2, 1], 7)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference")
def test_the_thread_reading_ahead_cannot_read_the_database(settings, monkeypatch):
    settings.XINYONG_IMPORT_CHUNK_ROWS, settings.XINYONG_IMPORT_READ_AHEAD = 2, True
    validate = RowValidator.__call__

    def querying(self, row):
        Unit.objects.count()  # what validation must never do: in the worker it would be another connection
        return validate(self, row)

    monkeypatch.setattr(RowValidator, "__call__", querying)
    with pytest.raises(RuntimeError, match="导入预读线程不得访问数据库"):
        _receive(enumerate(_rows(5)))
    assert Submission.objects.get().rows_done == 2  # the first chunk, validated in the caller's thread
    assert not _ahead_threads()


def test_the_collector_runs_again_only_when_the_last_paused_step_of_any_thread_ends():
    assert gc.isenabled()
    inside, leave = threading.Event(), threading.Event()

    def step():
        with collector_paused():
            inside.set()
            assert leave.wait(30)

    worker = threading.Thread(target=step)
    with collector_paused():
        worker.start()
        assert inside.wait(30)
    assert not gc.isenabled()  # the other thread's step is still on
    leave.set()
    worker.join(30)
    assert gc.isenabled()
    gc.disable()  # a collector someone else turned off stays off
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
