"""Back office for 典型案例 (plan task 44): officers write drafts here (audited by `AuditedModelAdmin`) and
publish or withdraw them with the actions 发布 / 撤回, which call the services (audited there). A unit's
officers see and write their own unit's cases; the credit office sees all and may publish for any unit.
Only drafts are edited or deleted; a published case is withdrawn, never changed."""

from __future__ import annotations

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from xinyong.accounts.actors import request_actor
from xinyong.accounts.adminaudit import AuditedModelAdmin
from xinyong.accounts.roles import CREDIT_OFFICE, GOVERNMENT, OFFICE, OFFICIALS
from xinyong.cases import services
from xinyong.cases.models import CaseStatus, TypicalCase
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now

MAX_AT_ONCE = 50
IDS = re.compile(r"[\s,，、;；]+")


def _ids(text: str, label: str) -> list[int]:
    parts = [p for p in IDS.split(text.strip()) if p]
    if not all(p.isascii() and p.isdigit() for p in parts):
        raise forms.ValidationError(f"{label}应为数字编号，多个编号用逗号分隔")
    return list(dict.fromkeys(int(p) for p in parts))


class CaseForm(forms.ModelForm):
    record_ids = forms.CharField(label="关联双公示信息编号", required=False, help_text="多个编号用逗号分隔")
    list_entry_ids = forms.CharField(label="关联名单记录编号", required=False, help_text="多个编号用逗号分隔")

    class Meta:
        model = TypicalCase
        fields = ["kind", "title", "summary", "body", "unit", "subject", "record_ids", "list_entry_ids",
                  "district", "occurred_on"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("record_ids", "list_entry_ids"):
            value = self.initial.get(name)
            if isinstance(value, list):
                self.initial[name] = ", ".join(map(str, value))

    def clean_record_ids(self) -> list[int]:
        return _ids(self.cleaned_data["record_ids"], "关联双公示信息编号")

    def clean_list_entry_ids(self) -> list[int]:
        return _ids(self.cleaned_data["list_entry_ids"], "关联名单记录编号")

    def clean(self):
        data = super().clean()
        if any(name in self.errors for name in ("subject", "record_ids", "list_entry_ids")):
            return data
        subject = data.get("subject")
        for error in services.case_links_check(
            subject_id=subject.pk if subject else None,
            record_ids=data.get("record_ids", []),
            list_entry_ids=data.get("list_entry_ids", []),
        ):
            self.add_error(error["field"], error["message"])
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={"required": "请填写撤回理由"},
    )


@admin.register(TypicalCase)
class TypicalCaseAdmin(AuditedModelAdmin):
    audit_target = services.TARGET
    form = CaseForm
    list_display = ["id", "title", "kind", "status", "unit", "district", "occurred_on", "published_at"]
    list_filter = ["kind", "status", ("district", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "summary"]
    list_select_related = ["unit", "district"]
    raw_id_fields = ["subject"]
    readonly_fields = ["status", "created_at", "created_by", "published_at", "published_by", "withdrawn_at",
                       "withdrawn_by", "withdrawn_reason"]  # fmt: skip
    actions = ["publish", "withdraw"]

    # ── who ──
    def _actor(self, request: HttpRequest):
        return request_actor(request)

    def _staff(self, request: HttpRequest, roles) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff) and self._actor(request).has_role(*roles)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._staff(request, GOVERNMENT)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._staff(request, GOVERNMENT)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._staff(request, OFFICIALS)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._staff(request, OFFICIALS) and (obj is None or obj.status == CaseStatus.DRAFT)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._staff(request, OFFICIALS) and obj is not None and obj.status == CaseStatus.DRAFT

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return self._staff(request, OFFICIALS)

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would bypass the audit of delete_model
        return actions

    def get_queryset(self, request: HttpRequest) -> QuerySet[TypicalCase]:
        cases = super().get_queryset(request)
        if self._actor(request).has_role(*CREDIT_OFFICE):
            return cases
        unit_id = getattr(request.user, "unit_id", None)
        return cases.filter(unit_id=unit_id) if unit_id else cases.none()

    def get_fields(self, request: HttpRequest, obj=None):
        fields = list(CaseForm.Meta.fields)
        if not self._actor(request).has_role(*OFFICE):
            fields.remove("unit")  # a unit's officer writes for the own unit
        return fields + (self.readonly_fields if obj is not None else [])

    def save_model(self, request, obj: TypicalCase, form, change):
        if not change:
            obj.created_at, obj.created_by, obj.status = now(), self._actor(request).label, CaseStatus.DRAFT
        if not self._actor(request).has_role(*OFFICE):
            obj.unit_id = request.user.unit_id
        super().save_model(request, obj, form, change)

    # ── actions ──
    def _each(self, request: HttpRequest, queryset: QuerySet, call, done: str) -> None:
        if queryset.count() > MAX_AT_ONCE:
            self.message_user(request, f"一次最多处理 {MAX_AT_ONCE} 条，请缩小选择范围", messages.ERROR)
            return
        actor = self._actor(request)
        for case in queryset.order_by("pk"):
            try:
                call(actor, case.pk)
            except DomainError as err:
                self.message_user(request, f"{case}：{err.message}（{err.code}）", messages.ERROR)
            else:
                self.message_user(request, f"{case}：{done}")

    @admin.action(description="发布所选案例（在门户“典型案例”栏目公开）", permissions=["publish"])
    def publish(self, request: HttpRequest, queryset: QuerySet[TypicalCase]) -> None:
        def call(actor, pk):
            return services.case_publish(actor=actor, case_id=pk, now=now())

        self._each(request, queryset, call, "已发布")

    @admin.action(description="撤回所选案例（须填写理由）", permissions=["publish"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet[TypicalCase]):
        form = ReasonForm(request.POST if "confirm" in request.POST else None)
        if not (form.is_bound and form.is_valid()):
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta, "title": "撤回典型案例", "rows": queryset, "form": form,
                "lead": "撤回后案例不再在门户公开（其页面答复“已撤回”），撤回理由记入审计日志。",
                "action": "withdraw", "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }  # fmt: skip
            return TemplateResponse(request, "accounts/admin/reason_confirm.html", context)
        reason = form.cleaned_data["reason"]

        def call(actor, pk):
            return services.case_withdraw(actor=actor, case_id=pk, reason=reason, now=now())

        self._each(request, queryset, call, "已撤回")
        return None
