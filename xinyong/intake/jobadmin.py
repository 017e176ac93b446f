"""Back office pages of the file-import jobs (issue 18, ADR 0032): a read-only list, scoped to the officer's
unit as the submissions are, and the page an upload lands on. That page shows the state and the progress
(rows done / total, percentage) and reloads itself with a meta refresh — no script, the CSP forbids inline
ones — until the job has ended; then it links to the submission and its rejected rows, or shows the refusal.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from xinyong.intake.models import FileImportJob, JobState
from xinyong.records.admin import ReadOnlyAdmin, _scoped, _unit_only

REFRESH_SECONDS = 3
FIELDS: list[tuple[str, tuple[str, ...]]] = [
    ("文件", ("unit", "category", "file_name", "size", "sha256", "submitted_by", "created_at")),
    ("执行", ("state", "attempts", "started_at", "finished_at", "rows_done", "total_rows")),
    ("结果", ("submission", "replayed", "error_code", "error_message")),
]


def job_percent(job: FileImportJob) -> int | None:
    """How far the import is, in percent; None without a total. Below 100 until the job is done (the total of
    an XLSX file is the sheet's stored estimate)."""
    if job.state == JobState.DONE:
        return 100
    if not job.total_rows:
        return None
    return min(job.rows_done * 100 // job.total_rows, 99)


@admin.register(FileImportJob)
class FileImportJobAdmin(ReadOnlyAdmin):
    list_display = ["id", "file_name", "unit", "category", "state", "progress", "created_at", "submission"]
    list_filter = ["state", "unit", "category"]
    list_select_related = ["unit", "category", "submission"]
    fieldsets = [(name, {"fields": fields}) for name, fields in FIELDS]
    readonly_fields = [f for _, fields in FIELDS for f in fields]
    change_form_template = "intake/admin/fileimportjob_change_form.html"

    @admin.display(description="进度")
    def progress(self, job: FileImportJob) -> str:
        percent = job_percent(job)
        total = f" / {job.total_rows}" if job.total_rows else ""
        return f"{job.rows_done}{total} 行" + (f"（{percent}%）" if percent is not None else "")

    def get_queryset(self, request: HttpRequest) -> QuerySet[FileImportJob]:
        return _scoped(request, super().get_queryset(request), "unit")

    def get_list_filter(self, request: HttpRequest):
        return self.list_filter if _unit_only(request) is False else ["state", "category"]

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Whoever may see the submissions may see the jobs that make them."""
        return super().has_view_permission(request, obj) or request.user.has_perm("intake.view_submission")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, unquote(object_id))
        if job is not None:
            extra_context = {**(extra_context or {}), **self._job_context(job)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _job_context(self, job: FileImportJob) -> dict:
        ended = job.state in (JobState.DONE, JobState.FAILED)
        context: dict = {
            "job": job,
            "percent": job_percent(job),
            "refresh": None if ended else REFRESH_SECONDS,
        }
        submission = job.submission
        if submission is not None:
            url = "admin:intake_submission_rejected"
            context.update(
                submission_url=reverse("admin:intake_submission_change", args=[submission.pk]),
                rejected_csv_url=reverse(url, args=[submission.pk, "csv"]),
                rejected_xlsx_url=reverse(url, args=[submission.pk, "xlsx"]),
                warning=_warning(submission.result),
            )
        return context


def _warning(result: dict) -> str:
    """Accepted rows worth a look (uscc.region_unknown), as the synchronous upload used to say."""
    if not result.get("warned"):
        return ""
    first = result["warning_rows"][0]
    return f"{result['warned']} 行已接收但需核对，如第 {first['index']} 行：{first['warnings'][0]['message']}"
