"""Back office for pushes (信息推送): each unit's inbox, and for the credit office every push with its webhook
status — filter "投递失败" for the webhooks that gave up after three days — and a "重新投递" action.
Rows are written by the services only; the webhook secret is never shown here (it is shown once, at
registration through the API)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from xinyong.accounts.actors import request_actor
from xinyong.accounts.roles import CREDIT_OFFICE, OFFICE
from xinyong.core import timeutil
from xinyong.core.errors import DomainError
from xinyong.pushes import services
from xinyong.pushes.models import Push, WebhookEndpoint


def _scoped(request: HttpRequest, queryset: QuerySet) -> QuerySet:
    """The credit office sees every unit's rows; anyone else only its own unit's."""
    if request_actor(request).has_role(*CREDIT_OFFICE):
        return queryset
    unit = getattr(request.user, "unit", None)
    return queryset.filter(unit=unit) if unit else queryset.none()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Push)
class PushAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "event",
        "unit",
        "entry",
        "created_at",
        "read_at",
        "webhook_status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["webhook_status", "event", "unit"]
    list_select_related = ["unit", "entry"]
    date_hierarchy = "created_at"
    fields = [
        "unit",
        "entry",
        "event",
        "payload",
        "created_at",
        "read_at",
        "webhook_status",
        "attempts",
        "next_attempt_at",
        "retry_until",
        "delivered_at",
        "last_error",
    ]
    readonly_fields = fields
    actions = ["retry"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Push]:
        return _scoped(request, super().get_queryset(request))

    def get_list_filter(self, request: HttpRequest) -> list[str]:
        see_all = request_actor(request).has_role(*CREDIT_OFFICE)
        return self.list_filter if see_all else self.list_filter[:-1]

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request_actor(request).has_role(*OFFICE)

    @admin.action(description="重新投递（投递失败的推送）", permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Push]) -> None:
        actor = request_actor(request)
        for pk in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                services.push_retry(actor=actor, push_id=pk, now=timeutil.now())
            except DomainError as err:
                self.message_user(request, f"推送 #{pk}：{err.message}（{err.code}）", messages.ERROR)
            else:
                self.message_user(request, f"推送 #{pk} 已重新排队投递")


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    """Registered through the API (POST /api/v1/pushes/webhook), which returns the secret once."""

    list_display = ["unit", "url", "active", "registered_at", "registered_by"]
    list_filter = ["active"]
    list_select_related = ["unit"]
    fields = ["unit", "url", "active", "registered_at", "registered_by"]  # never the secret
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[WebhookEndpoint]:
        return _scoped(request, super().get_queryset(request))
