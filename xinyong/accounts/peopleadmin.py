"""Back-office pages for units, people (officers), roles and API tokens (issue 14).

Only the credit office's administrators (a superuser, or a user with the `admin` role in the credit office)
see these pages; anyone else — another unit's officer included — sees nothing of them (403 on their URLs).
Units are edited in place and audited (`AuditedModelAdmin`); people and tokens change only through the
account services (officer_create, officer_roles_set, person_deactivate/reactivate, person_token_create,
integration_token_create, api_token_revoke), which audit themselves. A set-password link or a token secret
is shown once, on the page that answers the form, and stored nowhere (no message cookie, no session).
Password hashes and token hashes are never shown.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.template.response import TemplateResponse

from xinyong.accounts import people, services
from xinyong.accounts.actors import request_actor
from xinyong.accounts.adminaudit import AuditedModelAdmin
from xinyong.accounts.models import ApiToken, Unit, User
from xinyong.accounts.peopleforms import OfficerCreateForm, ReasonForm, RolesForm, TokenCreateForm
from xinyong.accounts.policy import PERSON_ROLES, ROLE_LABELS, is_credit_office
from xinyong.accounts.roles import Role
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now

TEMPLATE = "accounts/admin/service_form.html"


def office_admin(request) -> bool:
    """A superuser, or an active user holding `admin` in the credit office."""
    user = request.user
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (Role.ADMIN in (user.roles or []) and is_credit_office(user.unit))


class OfficeAdminOnly:
    """Every permission of the page is the credit office's administrators'; nothing is deleted here."""

    def has_module_permission(self, request) -> bool:
        return office_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return office_admin(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return office_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return office_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _page(model_admin, request, title: str, form, **extra) -> TemplateResponse:
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "form": form,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        **extra,
    }
    return TemplateResponse(request, TEMPLATE, context)


def _refused(model_admin, request, err: DomainError, what: str = "") -> None:
    model_admin.message_user(request, f"{what}{err.message}（{err.code}）", messages.ERROR)


@admin.register(Unit)
class UnitAdmin(OfficeAdminOnly, AuditedModelAdmin):
    audit_target = "unit"
    list_display = ["code", "name", "type", "active", "successor"]
    list_filter = ["type", "active"]
    search_fields = ["code", "name", "full_name", "uscc"]
    fields = ["code", "name", "full_name", "type", "uscc", "roles", "active", "successor"]
    autocomplete_fields = ["successor"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []


class RoleFilter(admin.SimpleListFilter):
    title = "角色"
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(role, ROLE_LABELS[role]) for role in ROLE_LABELS if role in PERSON_ROLES | {Role.SUBJECT}]

    def queryset(self, request, queryset):
        role = self.value()
        if not role:
            return queryset
        # roles is a short JSON list; filtered in Python, portable across databases (an office's people)
        return queryset.filter(
            pk__in=[pk for pk, roles in queryset.values_list("pk", "roles") if role in roles]
        )


@admin.register(User)
class PersonAdmin(OfficeAdminOnly, admin.ModelAdmin):
    list_display = [
        "username",
        "full_name",
        "unit",
        "roles_label",
        "is_active",
        "deactivated_at",
        "last_login",
    ]
    list_filter = ["is_active", RoleFilter, ("unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["username", "full_name"]
    list_select_related = ["unit"]
    form = RolesForm
    fields = [
        "username",
        "full_name",
        "unit",
        "roles",
        "is_active",
        "deactivated_at",
        "last_login",
        "date_joined",
    ]
    readonly_fields = [
        "username",
        "full_name",
        "unit",
        "is_active",
        "deactivated_at",
        "last_login",
        "date_joined",
    ]
    actions = ["deactivate", "reactivate"]

    @admin.display(description="角色")
    def roles_label(self, obj: User) -> str:
        return "、".join(ROLE_LABELS.get(r, r) for r in obj.roles) or "—"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.unit_id is None:  # a subject's account: its roles are not edited here
            return [*self.readonly_fields, "roles"]
        return self.readonly_fields

    def add_view(self, request, form_url="", extra_context=None):
        """新建工作人员: `officer_create`, then the one-time set-password link on the answering page."""
        if not self.has_add_permission(request):
            raise DjangoPermissionDenied
        form = OfficerCreateForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            try:
                user, link = people.officer_create(
                    actor=request_actor(request),
                    unit=data["unit"],
                    roles=data["roles"],
                    full_name=data["full_name"],
                    username=data["username"] or None,
                    now=now(),
                )
            except DomainError as err:
                form.add_error(None, f"{err.message}（{err.code}）")
            else:
                intro = (
                    f"已新建工作人员 {user.username}（{user.full_name}）。请把以下一次性链接交给本人设置密码"
                )
                return _page(
                    self,
                    request,
                    "新建工作人员",
                    None,
                    shown_once=link,
                    shown_once_intro=intro + "（3 天内有效，只显示这一次）：",
                )
        return _page(
            self,
            request,
            "新建工作人员",
            form,
            submit_label="新建并生成设置密码链接",
            intro="新账户没有密码：本人用一次性链接设置密码后才能登录。",
        )

    def save_model(self, request, obj, form, change):
        """Roles change through `officer_roles_set` (audited); nothing else is edited on this page."""
        if change and "roles" in form.changed_data:
            people.officer_roles_set(
                actor=request_actor(request), user=User.objects.get(pk=obj.pk), roles=obj.roles, now=now()
            )

    @admin.action(description="停用所选人员（吊销其全部令牌并结束其会话）")
    def deactivate(self, request, queryset):
        form = ReasonForm(request.POST if "confirm" in request.POST else None)
        if not (form.is_bound and form.is_valid()):
            return _page(
                self,
                request,
                "停用人员",
                form,
                submit_label="确认停用",
                action="deactivate",
                selected=list(queryset.values_list("pk", flat=True)),
                targets=[str(u) for u in queryset],
                intro="停用后本人不能登录，其全部令牌立即吊销，已登录的会话立即结束。",
            )
        for user in queryset.order_by("pk"):
            try:
                revoked = people.person_deactivate(
                    actor=request_actor(request), user=user, now=now(), reason=form.cleaned_data["reason"]
                )
            except DomainError as err:
                _refused(self, request, err, f"{user.username}：")
            else:
                self.message_user(request, f"已停用 {user.username}，吊销令牌 {revoked} 个")
        return None

    @admin.action(description="恢复所选人员（已吊销的令牌不恢复）")
    def reactivate(self, request, queryset):
        for user in queryset.order_by("pk"):
            try:
                people.person_reactivate(
                    actor=request_actor(request), user=user, now=now(), reason="后台恢复"
                )
            except DomainError as err:
                _refused(self, request, err, f"{user.username}：")
            else:
                self.message_user(request, f"已恢复 {user.username}")


@admin.register(ApiToken)
class ApiTokenAdmin(OfficeAdminOnly, admin.ModelAdmin):
    list_display = [
        "prefix",
        "owner",
        "role",
        "name",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = [
        "role",
        ("unit", admin.RelatedOnlyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["prefix", "name", "officer", "user__username", "user__full_name"]
    list_select_related = ["unit", "user"]
    fields = (
        "prefix",
        "owner",
        "role",
        "name",
        "officer",
        "created_at",
        "created_by",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description="持有者")
    def owner(self, obj: ApiToken) -> str:
        user, unit = obj.user, obj.unit
        if user is not None and obj.role != Role.SUBJECT:
            return f"本人：{user.username}（{user.full_name}）"
        if user is not None:
            return f"主体账户：{user.username}"
        name = unit.name if unit is not None else ""
        if obj.officer:
            return f"{name}（经办人：{obj.officer}）"
        return f"{name}（系统对接：{obj.name}）" if obj.name else f"{name}（单位）"

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # tokens are issued and revoked, never edited

    def add_view(self, request, form_url="", extra_context=None):
        """发放令牌: a person's (`person_token_create`) or an integration's (`integration_token_create`);
        the secret is shown on the answering page only."""
        if not self.has_add_permission(request):
            raise DjangoPermissionDenied
        form = TokenCreateForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            data, actor = form.cleaned_data, request_actor(request)
            try:
                if data["kind"] == "person":
                    issued = services.person_token_create(
                        actor=actor, user=data["user"], now=now(), days=data["days"], name=data["name"]
                    )
                else:
                    issued = services.integration_token_create(
                        actor=actor,
                        unit=data["unit"],
                        role=data["role"],
                        name=data["name"],
                        now=now(),
                        days=data["days"],
                    )
            except DomainError as err:
                form.add_error(None, f"{err.message}（{err.code}）")
            else:
                intro = f"已发放令牌 {issued.token.prefix}。请立即保存，它不会再次显示："
                return _page(
                    self, request, "发放令牌", None, shown_once=issued.secret, shown_once_intro=intro
                )
        return _page(self, request, "发放令牌", form, submit_label="发放令牌")

    @admin.action(description="吊销所选令牌（下一次请求即失效）")
    def revoke(self, request, queryset):
        for token in queryset.order_by("pk"):
            try:
                services.api_token_revoke(
                    actor=request_actor(request), prefix=token.prefix, now=now(), reason="后台吊销"
                )
            except DomainError as err:
                _refused(self, request, err, f"令牌 {token.prefix}：")
            else:
                self.message_user(request, f"已吊销令牌 {token.prefix}")
