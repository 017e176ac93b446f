"""Back office for submissions (归集): upload a file, see the result, download the rejected rows
(docs/interfaces.md Back office). Uploading queues the file with ``jobs.file_import_enqueue`` and shows the
job's page (jobadmin.py), the worker imports it (issue 18, ADR 0032); the admin translates a
request into an Actor and a refusal into a message (records/admin.py: who is acting, which unit's rows a user
sees). Rejected rows come back in clear (protected fields decrypted) only to the submitting unit; anyone else
gets the masked form.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponseRedirect, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse

from xinyong.accounts.actors import request_actor
from xinyong.accounts.models import Unit
from xinyong.accounts.roles import Role
from xinyong.accounts.selectors import unit_list
from xinyong.catalog.models import Category
from xinyong.catalog.selectors import categories_provided, categories_queryset
from xinyong.core import timeutil
from xinyong.core.errors import DomainError
from xinyong.intake import export, jobs, services
from xinyong.intake.jobadmin import FileImportJobAdmin  # noqa: F401 - registers the job pages
from xinyong.intake.models import FileImportJob, Submission
from xinyong.records.admin import ReadOnlyAdmin, _error_text, _scoped, _unit_only
from xinyong.subjects.identity import person_decrypt

MAX_UPLOAD_BYTES = jobs.MAX_BYTES
UPLOAD_SUFFIXES = jobs.SUFFIXES
REJECTED_SHOWN = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ── submissions: upload, result, rejected rows ───────────────────────────────────────────────────────────


def _uploadable_categories(unit: Unit | None) -> QuerySet[Category]:
    """Active categories the unit provides (all active ones when the unit is picked in the form) that the
    service accepts for import."""
    if unit is None:
        categories = categories_provided(unit_id=None, open_too=False)
    else:
        categories = categories_provided(unit_id=unit.pk, open_too="provider" in unit.roles)
    importable = []
    for category in categories:
        try:
            services.category_for_submission(code=category.code)
        except DomainError:
            continue
        importable.append(category.pk)
    return categories_queryset(ids=importable)


class SubmissionUploadForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="报送单位",
        queryset=unit_list(),
        help_text="超级用户须选择以哪个单位名义报送",
    )
    category = forms.ModelChoiceField(label="信息类别", queryset=categories_queryset(ids=[]))
    file = forms.FileField(
        label="文件", help_text="CSV（UTF-8 或 GBK）、XLSX 或 JSON Lines，不超过 200 MB；表头用目录字段代码"
    )
    idempotency_key = forms.CharField(
        label="幂等键",
        max_length=128,
        required=False,
        help_text="可不填：默认按文件内容计算，同一文件重复上传不会重复入库",
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not user.is_superuser:
            del self.fields["unit"]
        else:
            self.fields["unit"].initial = user.unit_id
        self.fields["category"].queryset = _uploadable_categories(None if user.is_superuser else user.unit)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise forms.ValidationError("只接受 .csv、.xlsx 或 .jsonl 文件（.xls 请在 Excel 中另存为 .xlsx）")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"文件过大：{upload.size} 字节，上限 200 MB")
        return upload

    def clean_idempotency_key(self) -> str | None:
        return self.cleaned_data["idempotency_key"].strip() or None


class _Echo:
    """A write-only "file" whose write returns the text, for streaming a CSV writer."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterator[export.RejectedRow]) -> Iterator[str]:
    """The rejected-rows CSV (UTF-8 with BOM, as the API download), cells escaped by the export module."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for values in export.rejected_table(header, rows):
        yield writer.writerow(values)


def _clear(protected: dict) -> dict:
    clear = {}
    for key, cipher in protected.items():
        try:
            clear[key] = person_decrypt(cipher)
        except ValueError:
            continue  # a cipher the current key cannot open: the masked form stays
    return clear


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "unit",
        "category",
        "channel",
        "file_name",
        "received_at",
        "total",
        "accepted",
        "rejected",
        "late",
    ]
    list_filter = ["unit", "category", "channel"]
    list_select_related = ["unit", "category"]
    fieldsets = [
        (
            "批次",
            {"fields": ["unit", "category", "channel", "submitted_by", "received_at", "idempotency_key"]},
        ),
        ("文件", {"fields": ["file_name", "file_format", "file_encoding", "body_sha256"]}),
        ("结果", {"fields": ["total", "accepted", "rejected", "subjects_created", "late"]}),
    ]
    readonly_fields = [f for _, spec in fieldsets for f in spec["fields"]]
    change_list_template = "intake/admin/submission_change_list.html"
    change_form_template = "intake/admin/submission_change_form.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Submission]:
        return _scoped(request, super().get_queryset(request), "unit")

    def get_list_filter(self, request: HttpRequest) -> list[str]:
        return self.list_filter if _unit_only(request) is False else ["category", "channel"]

    def can_upload(self, request: HttpRequest) -> bool:
        user = request.user
        if user.is_superuser:
            return True
        officer = Role.DATA_OFFICER in (user.roles or []) and user.unit is not None
        return officer and user.has_perm("intake.add_submission") and self.has_view_permission(request)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("upload/", wrap(self.upload_view), name="intake_submission_upload"),
            path(
                "<int:object_id>/rejected.<str:fmt>",
                wrap(self.rejected_view),
                name="intake_submission_rejected",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_upload": self.can_upload(request)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        submission = self.get_object(request, unquote(object_id))
        if submission is not None:
            extra_context = {**(extra_context or {}), **self._result_context(submission)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _result_context(self, submission: Submission) -> dict:
        names = dict(submission.category.fields.values_list("code", "name"))
        shown = list(submission.rejected_rows.order_by("row_index")[:REJECTED_SHOWN])
        errors = [
            {
                "row": row.row_index,
                "field": f"{names.get(e.get('field'), '')}（{e['field']}）" if e.get("field") else "—",
                "code": e.get("code", ""),
                "message": e.get("message", ""),
            }
            for row in shown
            for e in row.errors
        ]
        url = "admin:intake_submission_rejected"
        return {
            "rejected_errors": errors,
            "rejected_shown": len(shown),
            "rejected_capped": submission.rejected > len(shown),
            "rejected_csv_url": reverse(url, args=[submission.pk, "csv"]),
            "rejected_xlsx_url": reverse(url, args=[submission.pk, "xlsx"]),
        }

    # ── upload ──

    def upload_view(self, request: HttpRequest):
        if not self.can_upload(request):
            raise DjangoPermissionDenied
        form = SubmissionUploadForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            job = self._enqueue(request, form)
            if job is not None:
                self.message_user(request, f"已收到文件“{job.file_name}”，正在排队导入（任务 #{job.pk}）")
                return HttpResponseRedirect(reverse("admin:intake_fileimportjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "上传归集文件",
            "form": form,
            "max_mb": MAX_UPLOAD_BYTES // 2**20,
        }
        return TemplateResponse(request, "intake/admin/submission_upload.html", context)

    def _enqueue(self, request: HttpRequest, form: SubmissionUploadForm) -> FileImportJob | None:
        """Keep the file and queue its import (issue 18: the worker imports it, never this request); a refusal
        (who may submit, the type, the size) becomes a form error and nothing is kept."""
        data = form.cleaned_data
        try:
            return jobs.file_import_enqueue(
                actor=request_actor(request),
                unit=data.get("unit") or request.user.unit,
                category=services.category_for_submission(code=data["category"].code),
                name=data["file"].name,
                chunks=data["file"].chunks(),
                now=timeutil.now(),
                idempotency_key=data["idempotency_key"],
            )
        except DomainError as err:
            form.add_error(None, _error_text(err))
            return None

    # ── rejected rows download ──

    def rejected_view(self, request: HttpRequest, object_id: int, fmt: str):
        submission = self.get_object(request, str(object_id))
        if (
            fmt not in ("csv", "xlsx")
            or submission is None
            or not self.has_view_permission(request, submission)
        ):
            raise Http404("归集批次不存在")
        rows = self._rejected_rows(request, submission)
        name = f"rejected-{submission.pk}.{fmt}"
        if fmt == "csv":
            response = StreamingHttpResponse(
                _csv_lines(submission.columns, rows), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        handle = tempfile.TemporaryFile()
        export.write_rejected_xlsx(handle, submission.columns, rows)
        handle.seek(0)
        return FileResponse(handle, as_attachment=True, filename=name, content_type=XLSX_TYPE)

    def _rejected_rows(self, request: HttpRequest, submission: Submission) -> Iterator[export.RejectedRow]:
        """The rows as sent; protected fields in clear only for the submitting unit itself."""
        own = request.user.unit_id == submission.unit_id
        for row in submission.rejected_rows.order_by("row_index").iterator(chunk_size=2000):
            values = {**row.row, **_clear(row.protected)} if own else row.row
            yield row.row_index, values, row.errors
