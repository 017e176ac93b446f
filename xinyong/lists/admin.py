"""Back office for the lists (docs/interfaces.md: list proposals to review): list types are read-only (the
YAML file and `list_types_load` are the one way to change them); entries are read-only too and move only
through the lifecycle services, called by the actions below. A refusal (`DomainError`) comes back as a message
per entry.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse

from xinyong.accounts.actors import request_actor
from xinyong.accounts.roles import CASE_HANDLERS
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.lists import services
from xinyong.lists.models import ListEntry, ListEntryStatement, ListEntryTransition, ListType, Notice

MAX_SELECTED = 200


class _ReadOnly:
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ListType)
class ListTypeAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "deciding_unit",
        "duration_months",
        "earliest_exit_months",
        "statement_working_days",
        "repairable",
        "public",
        "active",
    )
    list_filter = ("kind", "public", "active")
    search_fields = ("code", "name")


class _Inline(_ReadOnly, admin.TabularInline):
    extra = 0


class TransitionInline(_Inline):
    model = ListEntryTransition
    fields = ("at", "action", "from_state", "to_state", "actor", "unit_code", "reason")
    readonly_fields = fields


class StatementInline(_Inline):
    model = ListEntryStatement
    fields = ("at", "kind", "text", "on_behalf", "recorded_by")
    readonly_fields = fields


class NoticeInline(_Inline):
    model = Notice
    fields = ("sent_at", "kind", "title", "deadline", "read_at")
    readonly_fields = fields


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="理由", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=4000
    )


class DecisionForm(forms.Form):
    remedy = forms.CharField(
        label="救济途径", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=4000
    )
    reason = forms.CharField(
        label="陈述申辩采纳情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=4000,
    )


class ExitForm(forms.Form):
    reason_code = forms.ChoiceField(label="移出原因", choices=list(services.EXIT_REASONS.items()))
    reason = forms.CharField(
        label="理由", widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=4000
    )


@admin.register(ListEntry)
class ListEntryAdmin(_ReadOnly, admin.ModelAdmin):
    list_display = (
        "id",
        "list_type",
        "subject",
        "state",
        "proposing_unit",
        "proposed_at",
        "statement_deadline",
        "expires_on",
    )
    list_filter = ("state", "list_type")
    list_select_related = ("list_type", "subject", "proposing_unit")
    search_fields = ("subject__name", "subject__uscc")
    readonly_fields = [f.name for f in ListEntry._meta.fields] + ["basis_records"]
    inlines = (TransitionInline, StatementInline, NoticeInline)
    actions = ("approve", "reject", "decide", "publish", "withdraw", "exit_entries")

    def has_lifecycle_permission(self, request: HttpRequest) -> bool:
        return request_actor(request).has_role(*CASE_HANDLERS)

    @admin.action(description="审核通过（发出告知书）", permissions=["lifecycle"])
    def approve(self, request, queryset):
        self._each(
            request,
            queryset,
            "审核通过",
            lambda actor, pk, _: services.list_entry_review(
                actor=actor, entry_id=pk, approve=True, reason="", now=now()
            ),
        )

    @admin.action(description="审核不通过", permissions=["lifecycle"])
    def reject(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            "reject",
            "审核不通过",
            ReasonForm,
            lambda actor, pk, data: services.list_entry_review(
                actor=actor, entry_id=pk, approve=False, reason=data["reason"], now=now()
            ),
        )

    @admin.action(description="作出列入决定", permissions=["lifecycle"])
    def decide(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            "decide",
            "作出列入决定",
            DecisionForm,
            lambda actor, pk, data: services.list_entry_decide(
                actor=actor, entry_id=pk, remedy=data["remedy"], reason=data["reason"], now=now()
            ),
        )

    @admin.action(description="公布", permissions=["lifecycle"])
    def publish(self, request, queryset):
        self._each(
            request,
            queryset,
            "公布",
            lambda actor, pk, _: services.list_entry_publish(actor=actor, entry_id=pk, now=now()),
        )

    @admin.action(description="撤回", permissions=["lifecycle"])
    def withdraw(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            "withdraw",
            "撤回",
            ReasonForm,
            lambda actor, pk, data: services.list_entry_withdraw(
                actor=actor, entry_id=pk, reason=data["reason"], now=now()
            ),
        )

    @admin.action(description="移出名单", permissions=["lifecycle"])
    def exit_entries(self, request, queryset):
        return self._with_form(
            request,
            queryset,
            "exit_entries",
            "移出名单",
            ExitForm,
            lambda actor, pk, data: services.list_entry_exit(
                actor=actor, entry_id=pk, reason_code=data["reason_code"], reason=data["reason"], now=now()
            ),
        )

    def _with_form(self, request, queryset, action: str, title: str, form_class, call: Callable):
        """An action that needs text: a confirmation page with the form, then the service per entry."""
        form = form_class(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._each(request, queryset, title, call, form.cleaned_data)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "entries": queryset.select_related("list_type", "subject"),
            "form": form,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "lists/admin/entry_action_confirm.html", context)

    def _each(
        self, request, queryset: QuerySet, title: str, call: Callable, data: dict | None = None
    ) -> None:
        if queryset.count() > MAX_SELECTED:
            self.message_user(request, f"一次最多处理 {MAX_SELECTED} 个条目，请缩小选择范围", messages.ERROR)
            return
        actor = request_actor(request)
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                call(actor, pk, data or {})
            except DomainError as err:
                self.message_user(request, f"名单条目 #{pk}：{err.message}（{err.code}）", messages.ERROR)
            else:
                self.message_user(request, f"名单条目 #{pk}：已{title}")
