"""Issue 18: an upload is queued as a file-import job and imported by the worker, never in the web request;
the job page shows the progress and refreshes itself without script until the job ends (ADR 0032)."""

import datetime as dt
import hashlib
import re
import stat

import pytest
from django.core.management import call_command
from django.db import OperationalError

from tests.support.records import NOW
from xinyong.audit.models import AuditEvent
from xinyong.catalog.models import Category
from xinyong.core import timeutil
from xinyong.core.models import OutboxEvent
from xinyong.core.outbox import outbox_process
from xinyong.intake import jobs, services
from xinyong.intake.models import FileImportJob, Submission
from xinyong.intake.tests.test_admin import UPLOAD_URL, _client, _csv_file, _good_and_bad, _user
from xinyong.records.models import Record

pytestmark = pytest.mark.django_db
JOBS_URL = "/admin/intake/fileimportjob/"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr(timeutil, "now", lambda: NOW)


@pytest.fixture
def gs_client(reference):
    return _client(_user("gs-officer", "bj-gongshangju"))


def _post(client, upload):
    return client.post(UPLOAD_URL, {"category": Category.objects.get(code="XK").pk, "file": upload})


def _page(client, job):
    return client.get(f"{JOBS_URL}{job.pk}/change/").content.decode()


def test_the_upload_queues_a_job_and_imports_nothing_in_the_request(gs_client):
    upload = _csv_file(_good_and_bad())
    data = upload.read()
    upload.seek(0)
    response = _post(gs_client, upload)
    job = FileImportJob.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"{JOBS_URL}{job.pk}/change/")
    assert (Submission.objects.count(), Record.objects.count()) == (0, 0)
    assert (job.state, job.rows_done, job.total_rows, job.submission, job.file_name) == (
        "queued", 0, None, None, "许可信息.csv",
    )  # fmt: skip
    assert (job.size, job.sha256, job.created_at, job.submitted_by) == (
        len(data), hashlib.sha256(data).hexdigest(), NOW, job.actor["label"],
    )  # fmt: skip
    stored = jobs.upload_root() / job.stored_path
    assert stored.read_bytes() == data and re.fullmatch(r"[0-9a-f]{32}", stored.parent.name)
    assert (stat.S_IMODE(stored.stat().st_mode), stat.S_IMODE(stored.parent.stat().st_mode)) == (0o600, 0o700)
    event = OutboxEvent.objects.get()
    assert (event.topic, event.payload, event.processed_at) == (
        "intake.file_import",
        {"job_id": job.pk},
        None,
    )
    enqueued = AuditEvent.objects.get(action="file_import.enqueue")
    assert (enqueued.actor, enqueued.target_id, enqueued.payload["file"]) == (
        job.submitted_by, str(job.pk), "许可信息.csv",
    )  # fmt: skip
    html = _page(gs_client, job)
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "<tr><th>状态</th><td>排队中</td></tr>" in html
    assert "本页每 3 秒自动刷新" in html


def test_one_worker_round_completes_the_job(gs_client):
    response = _post(gs_client, _csv_file(_good_and_bad()))
    job = FileImportJob.objects.get()
    stored = jobs.upload_root() / job.stored_path
    call_command("worker", "--once")
    job.refresh_from_db()
    submission = Submission.objects.get()
    assert (submission.total, submission.accepted, submission.rejected, Record.objects.count()) == (
        2,
        1,
        1,
        1,
    )
    assert (job.state, job.submission, job.replayed, job.rows_done, job.total_rows, job.attempts) == (
        "done", submission, False, 2, 2, 1,
    )  # fmt: skip
    assert (job.stored_path, stored.exists(), stored.parent.exists()) == ("", False, False)
    assert job.finished_at is not None and job.error_code == ""
    assert OutboxEvent.objects.get(topic="intake.file_import").processed_at is not None
    finished = AuditEvent.objects.get(action="file_import.finish")
    assert (finished.actor, finished.payload) == (
        "system:worker",
        {"state": "done", "submission": submission.pk, "replayed": False, "rows": 2, "error_code": ""},
    )
    html = gs_client.get(response["Location"]).content.decode()
    assert "http-equiv" not in html
    assert "<tr><th>状态</th><td>已完成</td></tr>" in html
    assert "<tr><th>已处理</th><td>2 / 2 行（100%）</td></tr>" in html
    assert f'href="/admin/intake/submission/{submission.pk}/rejected.csv"' in html
    assert INLINE_SCRIPT.findall(html) == []


def test_the_job_page_shows_progress_in_chinese_without_inline_script(gs_client):
    _post(gs_client, _csv_file(_good_and_bad()))
    job = FileImportJob.objects.get()
    FileImportJob.objects.filter(pk=job.pk).update(state="running", rows_done=5000, total_rows=20000)
    html = _page(gs_client, job)
    assert "<tr><th>状态</th><td>导入中</td></tr>" in html
    assert "<tr><th>已处理</th><td>5000 / 20000 行（25%）</td></tr>" in html
    assert '<progress max="100" value="25">25%</progress>' in html
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "文件正在导入，本页每 3 秒自动刷新" in html
    assert INLINE_SCRIPT.findall(html) == []
    listing = gs_client.get(JOBS_URL).content.decode()
    assert "5000 / 20000 行（25%）" in listing and INLINE_SCRIPT.findall(listing) == []


def test_a_bad_file_ends_the_job_failed_with_its_message(gs_client):
    response = _post(gs_client, _csv_file([{"XK_XDR_MC": "北京华信科技有限公司"}], name="坏.xlsx"))
    job = FileImportJob.objects.get()
    stored = jobs.upload_root() / job.stored_path
    assert outbox_process(now=NOW) == 1
    job.refresh_from_db()
    assert (job.state, job.error_code, job.submission, job.stored_path, stored.exists()) == (
        "failed", "file.xlsx_invalid", None, "", False,
    )  # fmt: skip
    assert job.error_message == (
        "文件不是有效的 .xlsx（不是 zip 压缩包）。如是 .xls、加密文件或改了扩展名的文件，请在 Excel 中另存为 .xlsx。"
    )
    assert (Submission.objects.count(), Record.objects.count()) == (0, 0)
    finished = AuditEvent.objects.get(action="file_import.finish")
    assert (finished.payload["state"], finished.payload["error_code"]) == ("failed", "file.xlsx_invalid")
    html = gs_client.get(response["Location"]).content.decode()
    assert f'<p class="errornote">{job.error_message}（file.xlsx_invalid）</p>' in html
    assert "<tr><th>状态</th><td>失败</td></tr>" in html and "http-equiv" not in html
    assert outbox_process(now=NOW) == 0


def test_a_job_left_running_by_a_dead_worker_is_resumed_once_its_lease_ends(gs_client):
    _post(gs_client, _csv_file(_good_and_bad()))
    job = FileImportJob.objects.get()
    held = jobs._claim(job.pk, NOW)  # a worker took it, then died before committing anything
    assert (held.state, held.lease_until) == ("running", NOW + jobs.LEASE)
    soon = NOW + dt.timedelta(minutes=1)
    assert outbox_process(now=soon) == 0  # the lease is alive: try again when it ends, not before
    event = OutboxEvent.objects.get(topic="intake.file_import")
    assert (event.available_at, event.attempts, event.processed_at) == (NOW + jobs.LEASE, 0, None)
    assert outbox_process(now=soon) == 0 and Submission.objects.count() == 0
    assert outbox_process(now=NOW + jobs.LEASE) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.rows_done, job.submission) == (
        "done",
        2,
        2,
        Submission.objects.get(),
    )
    assert outbox_process(now=NOW + 2 * jobs.LEASE) == 0
    jobs.file_import_run(payload={"job_id": job.pk}, now=NOW + 2 * jobs.LEASE)  # redelivered: nothing
    assert (Submission.objects.count(), Record.objects.count()) == (1, 1)
    assert AuditEvent.objects.filter(action="file_import.finish").count() == 1
    assert AuditEvent.objects.filter(action="submission.receive").count() == 1


def test_a_transient_error_frees_the_job_and_keeps_the_file_for_the_retry(gs_client, monkeypatch):
    _post(gs_client, _csv_file(_good_and_bad()))
    job = FileImportJob.objects.get()

    def down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch:
        patch.setattr(services, "submission_import_file", down)
        assert outbox_process(now=NOW) == 0
    job.refresh_from_db()
    event = OutboxEvent.objects.get(topic="intake.file_import")
    assert (job.state, job.lease_until, job.attempts, event.attempts) == ("queued", None, 1, 1)
    assert (jobs.upload_root() / job.stored_path).is_file()
    assert outbox_process(now=event.available_at) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.submission.accepted) == ("done", 2, 1)


def test_progress_is_committed_outside_a_transaction_and_after_its_commit_inside_one(
    gs_client, django_capture_on_commit_callbacks
):
    from django.db import transaction

    _post(gs_client, _csv_file(_good_and_bad()))
    job = jobs._claim(FileImportJob.objects.get().pk, NOW)
    progress = jobs.JobProgress(job.pk, now=NOW)
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            progress(5000)
            progress(5000)
    assert FileImportJob.objects.get().rows_done == 0 and len(callbacks) == 1  # one write per commit
    callbacks[0]()
    job.refresh_from_db()
    assert job.rows_done == 10000 and job.lease_until >= NOW + jobs.LEASE


def test_the_jobs_are_scoped_to_the_unit(gs_client, reference):
    _post(gs_client, _csv_file(_good_and_bad()))
    job = FileImportJob.objects.get()
    other = _client(_user("mz-officer", "bj-minzhengju"))
    assert other.get(JOBS_URL).context["cl"].result_count == 0
    page = other.get(f"{JOBS_URL}{job.pk}/change/")
    assert (page.status_code, page["Location"]) == (302, "/admin/")
    assert gs_client.get(JOBS_URL).context["cl"].result_count == 1
    listing = gs_client.get("/admin/intake/submission/").content.decode()
    assert f'<li><a href="{JOBS_URL}">文件导入任务</a></li>' in listing
    assert gs_client.post(f"{JOBS_URL}{job.pk}/delete/").status_code == 403


def test_enqueue_refuses_a_file_too_large_and_keeps_nothing(officer, monkeypatch):
    from xinyong.accounts.models import Unit

    monkeypatch.setattr(jobs, "MAX_BYTES", 10)
    with pytest.raises(jobs.DomainError) as refused:
        jobs.file_import_enqueue(
            actor=officer, unit=Unit.objects.get(code="bj-gongshangju"), category=Category.objects.get(code="XK"),
            name="大.csv", chunks=[b"XK_XDR_MC\n", b"x\n"], now=NOW,
        )  # fmt: skip
    assert (refused.value.code, refused.value.message) == ("file.too_large", "文件过大：超过 0 MB 上限")
    assert list(jobs.upload_root().iterdir()) == [] and FileImportJob.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_with_real_commits_progress_is_written_after_the_import_commits(gs_client, monkeypatch):
    from django.db import connection

    from xinyong.intake import importer

    monkeypatch.setattr(importer, "CHUNK", 1)  # two chunks, two progress calls
    writes = []
    write = jobs.JobProgress.write

    def spy(self):
        writes.append((self.rows, connection.in_atomic_block, Submission.objects.count()))
        write(self)

    monkeypatch.setattr(jobs.JobProgress, "write", spy)
    _post(gs_client, _csv_file(_good_and_bad()))
    assert outbox_process(now=NOW) == 1
    assert writes == [(2, False, 1)]  # after the import's one transaction committed, with both chunks counted
    job = FileImportJob.objects.get()
    assert (job.state, job.rows_done, job.total_rows, job.submission.total) == ("done", 2, 2, 2)
