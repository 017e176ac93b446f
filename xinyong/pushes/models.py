"""Pushes (信息推送): when a list entry is published or exits, every unit that implements a measure for that
list type (and units that checked the subject in the last year, on exit) gets a notice — an inbox row, and a
signed webhook (Standard Webhooks) when the unit registered one. Push rows are written in the same
transaction as the entry change and are themselves the outbox the worker (`xinyong worker`) delivers from."""

from django.db import models


class WebhookEndpoint(models.Model):
    """Where a unit receives pushes (optional; the inbox always gets them). Secret for HMAC signatures."""

    unit = models.OneToOneField("accounts.Unit", on_delete=models.PROTECT, related_name="webhook")
    url = models.URLField("地址", max_length=500)
    secret = models.CharField("签名密钥", max_length=128)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "推送地址"
        verbose_name_plural = "推送地址"

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.url}"


class PushStatus(models.TextChoices):
    PENDING = "pending", "待投递"
    DELIVERED = "delivered", "已投递"
    FAILED = "failed", "投递失败"


class Push(models.Model):
    """A notice to a unit that a list entry was published or exited (信息推送): inbox row and webhook."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="pushes")
    entry = models.ForeignKey("lists.ListEntry", on_delete=models.PROTECT, related_name="pushes")
    event = models.CharField("事件", max_length=32)
    payload = models.JSONField("内容")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    webhook_status = models.CharField(max_length=16, choices=PushStatus.choices, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "推送"
        verbose_name_plural = "推送"
        indexes = [
            models.Index(fields=["webhook_status", "next_attempt_at"], name="push_due_idx"),
            models.Index(fields=["unit", "read_at"], name="push_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event} → {self.unit_id}"
