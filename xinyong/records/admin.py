"""Back office for submissions (归集), records and suspected name changes (docs/interfaces.md Back office).

Everything here is read-only or goes through the services: uploading a file calls
``services.submission_import_file``, withdrawing calls ``services.record_withdraw``. The admin translates a
request into an Actor and a refusal (``DomainError``) into a message; it never decides.

Users who hold neither the ``admin`` nor the ``auditor`` role (superusers act as admin) see only their own
unit's submissions, records and candidates. Rejected rows come back in clear (protected fields decrypted)
only to the submitting unit; anyone else gets the masked form.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join

from xinyong.accounts.actors import request_actor
from xinyong.accounts.models import Unit
from xinyong.accounts.roles import RECORDS_OVERSIGHT, SUBMITTERS
from xinyong.catalog.vocabulary import SEVERITIES
from xinyong.core import timeutil
from xinyong.core.errors import DomainError
from xinyong.records import services
from xinyong.records.models import NameChangeCandidate, Record, RecordStatusChange

MAX_WITHDRAW = 500


# ── the one write not yet in services.py ─────────────────────────────────────────────────────────────────


def _unit_only(request: HttpRequest) -> Unit | None | bool:
    """The unit a user is restricted to (None: no unit, sees nothing), or False when unrestricted."""
    if request_actor(request).has_role(*RECORDS_OVERSIGHT):
        return False
    return request.user.unit


def _scoped(request: HttpRequest, queryset: QuerySet, unit_path: str) -> QuerySet:
    unit = _unit_only(request)
    if unit is False:
        return queryset
    return queryset.filter(**{unit_path: unit}) if unit else queryset.none()


def _error_text(err: DomainError) -> str:
    return f"{err.message}（{err.code}）"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows are written by the services only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# ── records ──────────────────────────────────────────────────────────────────────────────────────────────


class RecordStatusChangeInline(admin.TabularInline):
    """The status history is part of the record's page: visible to whoever may see the record."""

    model = RecordStatusChange
    fields = ["at", "from_status", "to_status", "reason", "actor"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.has_perm("records.view_record")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=2000
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("撤回须说明理由")
        return reason


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "category",
        "unit",
        "subject_name",
        "doc_no",
        "decision_date",
        "version",
        "is_current",
        "status",
        "tier",
        "late",
    ]
    list_filter = ["category", "status", "is_current", "late", "severity", "severity_source", "unit"]
    list_select_related = ["category", "unit"]
    search_fields = ["doc_no", "subject_name"]
    show_full_result_count = False
    fieldsets = [
        (
            "信息",
            {
                "fields": [
                    "category",
                    "unit",
                    "subject",
                    "subject_name",
                    "doc_no",
                    "decision_date",
                    "tier",
                    "severity_source",
                ]
            },
        ),
        ("版本与状态", {"fields": ["version", "is_current", "supersedes", "change_kind", "status"]}),
        (
            "公示",
            {
                "fields": [
                    "publish_from",
                    "publish_min_end",
                    "publish_max_end",
                    "rule_key",
                    "rule_effective_from",
                ]
            },
        ),
        (
            "来源",
            {
                "fields": [
                    "submission",
                    "row_index",
                    "received_at",
                    "delay_working_days",
                    "late",
                    "delay_provisional",
                ]
            },
        ),
        ("内容", {"fields": ["payload_table"]}),
    ]
    readonly_fields = [f for _, spec in fieldsets for f in spec["fields"]]
    inlines = [RecordStatusChangeInline]
    actions = ["withdraw"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Record]:
        return _scoped(request, super().get_queryset(request), "unit")

    def get_list_filter(self, request: HttpRequest) -> list[str]:
        return self.list_filter if _unit_only(request) is False else self.list_filter[:-1]

    @admin.display(description="严重程度", ordering="severity")
    def tier(self, obj: Record) -> str:
        """轻微 / 一般 / 严重 and where it came from (报送单位给出, 按处罚类别默认 …; records/severity.py)."""
        if not obj.severity:
            return "—"
        source = obj.get_severity_source_display() if obj.severity_source else "来源未记录"
        return f"{SEVERITIES[obj.severity]}（{source}）"

    @admin.display(description="内容（证件号码只显示遮蔽形式）")
    def payload_table(self, obj: Record) -> str:
        names = dict(obj.category.fields.values_list("code", "name"))
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            (
                (names.get(code, ""), code, "" if value is None else value)
                for code, value in obj.payload.items()
            ),
        )
        return format_html('<table class="xinyong-payload">{}</table>', rows)

    def has_withdraw_permission(self, request: HttpRequest) -> bool:
        return request_actor(request).has_role(*SUBMITTERS)

    @admin.action(description="撤回（生成撤回版本）", permissions=["withdraw"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Record]):
        if queryset.count() > MAX_WITHDRAW:
            self.message_user(request, f"一次最多撤回 {MAX_WITHDRAW} 条，请缩小选择范围", messages.ERROR)
            return None
        form = WithdrawForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._withdraw_each(request, queryset, form.cleaned_data["reason"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "撤回信用信息",
            "records": queryset.select_related("category"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "records/admin/record_withdraw_confirm.html", context)

    def _withdraw_each(self, request: HttpRequest, queryset: QuerySet[Record], reason: str) -> None:
        actor = request_actor(request)
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                new = services.record_withdraw(actor=actor, record_id=pk, reason=reason, now=timeutil.now())
            except DomainError as err:
                self.message_user(request, f"信用信息 #{pk}：{_error_text(err)}", messages.ERROR)
            else:
                self.message_user(
                    request, f"信用信息 #{pk} 已撤回，撤回版本 #{new.pk}（第 {new.version} 版）"
                )


# ── suspected name changes ───────────────────────────────────────────────────────────────────────────────


class CandidateStatusFilter(admin.SimpleListFilter):
    """Open candidates by default: the list is a to-do list."""

    title = "状态"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "待核实"), ("dismissed", "不予采纳"), ("accepted", "已更名"), ("all", "全部")]

    def queryset(self, request, queryset):
        value = self.value() or "open"
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or "open"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(NameChangeCandidate)
class NameChangeCandidateAdmin(ReadOnlyAdmin):
    list_display = ["id", "subject", "registry_name", "submitted_name", "submission", "row_index", "status"]
    list_filter = [CandidateStatusFilter]
    list_select_related = ["subject", "submission"]
    search_fields = ["registry_name", "submitted_name"]
    fields = ["subject", "registry_name", "submitted_name", "submission", "row_index", "status"]
    readonly_fields = fields
    actions = ["dismiss"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[NameChangeCandidate]:
        return _scoped(request, super().get_queryset(request), "submission__unit")

    def has_dismiss_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("records.change_namechangecandidate")

    @admin.action(description="不予采纳", permissions=["dismiss"])
    def dismiss(self, request: HttpRequest, queryset: QuerySet[NameChangeCandidate]) -> None:
        actor = request_actor(request)
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                services.name_candidate_dismiss(
                    actor=actor, candidate_id=pk, reason="后台核实后不予采纳", now=timeutil.now()
                )
            except DomainError as err:
                self.message_user(request, f"疑似更名 #{pk}：{_error_text(err)}", messages.ERROR)
            else:
                self.message_user(request, f"疑似更名 #{pk} 已不予采纳")
