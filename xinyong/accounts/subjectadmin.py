"""Back-office pages for registrations with documents, subject accounts, agents (powers of attorney) and
OpenID Connect identities (issue 14). Only the credit office's acting staff (OFFICE roles; a superuser acts
as admin) see them. Nothing is edited in place: verifying, refusing and revoking call the services
(accounts/registration.py, accounts/agencies.py), which audit themselves; reading a document is audited too.
A person's resident ID appears only masked."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from xinyong.accounts.actors import request_actor
from xinyong.accounts.agencies import SCOPE_LABELS, agency_revoke
from xinyong.accounts.documents import DOCUMENT_LABELS, document_read
from xinyong.accounts.models import AccountApplication, Agency, OidcIdentity, SubjectAccount
from xinyong.accounts.registration import application_reject, application_verify
from xinyong.accounts.roles import OFFICE
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import business_date, now

MAX_AT_ONCE = 50


class OfficeOnly(admin.ModelAdmin):
    """Seen by the credit office's acting staff only; rows change through the services only."""

    def _office(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff) and request_actor(request).has_role(
            *OFFICE
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._office(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self._office(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return self._office(request)

    def _each(self, request: HttpRequest, queryset: QuerySet, call, done: str) -> None:
        """Call a service once per selected row; a refusal is a message naming the row, never a 500."""
        if queryset.count() > MAX_AT_ONCE:
            self.message_user(request, f"一次最多处理 {MAX_AT_ONCE} 条，请缩小选择范围", messages.ERROR)
            return
        actor = request_actor(request)
        for obj in queryset.order_by("pk"):
            try:
                call(actor, obj.pk)
            except DomainError as err:
                self.message_user(request, f"{obj}：{err.message}（{err.code}）", messages.ERROR)
            else:
                self.message_user(request, f"{obj}：{done}")

    def _reason_page(self, request, queryset, *, action: str, title: str, lead: str, label: str):
        form = ReasonForm(request.POST if "confirm" in request.POST else None, label=label)
        if form.is_bound and form.is_valid():
            return form.cleaned_data["reason"]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta, "title": title, "lead": lead, "rows": queryset, "form": form,
            "action": action, "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }  # fmt: skip
        return TemplateResponse(request, "accounts/admin/reason_confirm.html", context)


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=500)

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = f"请填写{label}"


@admin.register(AccountApplication)
class AccountApplicationAdmin(OfficeOnly):
    list_display = [
        "query_code",
        "kind",
        "name",
        "code",
        "status",
        "submitted_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["name", "query_code"]
    list_select_related = ["user"]
    fields = ("query_code", "kind", "status", "name", "code", "contact", "user", "terms",
              "documents_list", "submitted_at", "decided_by", "decided_at", "reason")  # fmt: skip
    readonly_fields = fields
    actions = ["verify", "reject"]
    change_form_template = "accounts/admin/accountapplication_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "decide": self.has_decide_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="统一社会信用代码或身份证号（脱敏）")
    def code(self, app: AccountApplication) -> str:
        return app.subject_code or app.person_masked

    @admin.display(description="委托事项与截止日期")
    def terms(self, app: AccountApplication) -> str:
        if not app.scope:
            return "—"
        return f"{'、'.join(SCOPE_LABELS.get(s, s) for s in app.scope)}；至 {app.agency_valid_to}"

    @admin.display(description="申请材料")
    def documents_list(self, app: AccountApplication) -> str:
        rows = [
            (reverse("admin:accounts_accountapplication_document", args=[app.pk, d.pk]),
             DOCUMENT_LABELS.get(d.kind, d.kind), d.original_name, d.size)
            for d in app.documents.order_by("pk")
        ]  # fmt: skip
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li><a href="{}">{}：{}</a>（{} 字节）</li>', rows)
        )

    def get_urls(self):
        view = self.admin_site.admin_view(self.document_view)
        own = [
            path("<int:app_id>/documents/<int:doc_id>/", view, name="accounts_accountapplication_document")
        ]
        return own + super().get_urls()

    def document_view(self, request: HttpRequest, app_id: int, doc_id: int) -> HttpResponse:
        """Stream one document to the credit office (audited `account.document_view`)."""
        if not self._office(request):
            return HttpResponse("无权查看申请材料", status=403, content_type="text/plain; charset=utf-8")
        try:
            actor = request_actor(request)
            document, data = document_read(actor=actor, application_id=app_id, document_id=doc_id, now=now())
        except DomainError as err:
            return HttpResponse(err.message, status=err.status, content_type="text/plain; charset=utf-8")
        answer = HttpResponse(data, content_type=document.content_type)
        answer["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(document.original_name)}"
        answer["Cache-Control"] = "no-store"
        return answer

    @admin.action(description="核验通过（已核对证件原件）", permissions=["decide"])
    def verify(self, request: HttpRequest, queryset: QuerySet[AccountApplication]):
        call = lambda actor, pk: application_verify(actor=actor, application_id=pk, now=now())  # noqa: E731
        self._each(request, queryset, call, "核验通过")

    @admin.action(description="不予通过（须说明理由）", permissions=["decide"])
    def reject(self, request: HttpRequest, queryset: QuerySet[AccountApplication]):
        lead = "不予通过的理由会在办理进度查询中告知申请人，请写明缺少或不符的材料。"
        reason = self._reason_page(
            request,
            queryset,
            action="reject",
            title="不予通过实名注册申请",
            lead=lead,
            label="不予通过的理由",
        )
        if not isinstance(reason, str):
            return reason
        call = lambda actor, pk: application_reject(actor=actor, application_id=pk, now=now(), reason=reason)  # noqa: E731
        self._each(request, queryset, call, "已不予通过")
        return None


@admin.register(SubjectAccount)
class SubjectAccountAdmin(OfficeOnly):
    list_display = ["user", "subject", "method", "verified_by", "verified_at"]
    list_filter = ["method"]
    list_select_related = ["user", "subject"]
    search_fields = ["user__username", "subject__name"]
    fields = ("user", "subject", "method", "verified_by", "verified_at")
    readonly_fields = fields


@admin.register(Agency)
class AgencyAdmin(OfficeOnly):
    list_display = ["agent", "subject", "scope_text", "valid_from", "valid_to", "state", "verified_by"]
    list_select_related = ["agent", "subject"]
    search_fields = ["agent__username", "agent__full_name", "subject__name"]
    fields = ("agent", "subject", "scope_text", "valid_from", "valid_to", "state", "application",
              "verified_by", "verified_at", "revoked_by", "revoked_at")  # fmt: skip
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description="委托事项")
    def scope_text(self, agency: Agency) -> str:
        return "、".join(SCOPE_LABELS.get(s, s) for s in agency.scope)

    @admin.display(description="状态")
    def state(self, agency: Agency) -> str:
        if agency.revoked_at is not None:
            return "已撤销"
        today = business_date(now())
        return "已过期" if agency.valid_to < today else ("未生效" if agency.valid_from > today else "有效")

    @admin.action(description="撤销授权委托（须说明理由）", permissions=["decide"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[Agency]):
        lead = "撤销后代理人立即不能再代为办理；授权记录保留。"
        reason = self._reason_page(
            request, queryset, action="revoke", title="撤销授权委托", lead=lead, label="撤销理由"
        )
        if not isinstance(reason, str):
            return reason
        call = lambda actor, pk: agency_revoke(actor=actor, agency_id=pk, now=now(), reason=reason)  # noqa: E731
        self._each(request, queryset, call, "已撤销")
        return None


@admin.register(OidcIdentity)
class OidcIdentityAdmin(OfficeOnly):
    fields = ("user", "issuer", "sub", "linked_at", "last_login_at")
    list_display = fields
    list_select_related = ["user"]
    search_fields = ["user__username", "sub"]
    readonly_fields = fields
