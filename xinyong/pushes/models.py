"""Pushes (信息推送): when a list entry is published or exits, every unit that implements a measure for that
list type (and units that checked the subject in the last year, on exit) gets a notice — an inbox row, and a
signed webhook (Standard Webhooks) when the unit registered one. Push rows are written in the same
transaction as the entry change and are themselves the outbox the worker (`xinyong worker`) delivers from."""

from django.db import models
from django.db.models import Q


class WebhookEndpoint(models.Model):
    """Where a unit receives pushes (optional; the inbox always gets them). Secret for HMAC signatures."""

    unit = models.OneToOneField("accounts.Unit", on_delete=models.PROTECT, related_name="webhook")
    url = models.URLField("地址", max_length=500)
    secret = models.CharField("签名密钥", max_length=128)
    active = models.BooleanField("启用", default=True)
    registered_at = models.DateTimeField("登记时间", null=True, blank=True)
    registered_by = models.CharField("登记人", max_length=80, blank=True)

    class Meta:
        verbose_name = "推送地址"
        verbose_name_plural = "推送地址"

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.url}"


class PushEvent(models.TextChoices):
    PUBLISHED = "list_entry.published", "名单公布"
    EXITED = "list_entry.exited", "名单移出"
    RECORD_REPAIRED = "record.repaired", "信用修复（停止公示和共享）"


class PushStatus(models.TextChoices):
    PENDING = "pending", "待投递"
    DELIVERED = "delivered", "已投递"
    FAILED = "failed", "投递失败"


class Push(models.Model):
    """A notice to a unit that a list entry was published or exited (信息推送): inbox row and webhook."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="pushes")
    entry = models.ForeignKey(
        "lists.ListEntry", on_delete=models.PROTECT, related_name="pushes", null=True, blank=True
    )
    record = models.ForeignKey(
        "records.Record",
        on_delete=models.PROTECT,
        related_name="pushes",
        null=True,
        blank=True,
        help_text="信用修复推送：被修复的信息",
    )
    event = models.CharField("事件", max_length=32, choices=PushEvent.choices)
    payload = models.JSONField("内容")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    webhook_status = models.CharField(
        "回调状态", max_length=16, choices=PushStatus.choices, blank=True, help_text="空：单位未登记推送地址"
    )
    attempts = models.PositiveIntegerField("投递次数", default=0)
    next_attempt_at = models.DateTimeField(
        "下次投递", null=True, blank=True, help_text="投递中时为租约到期时间（进程中断后到期重投）"
    )
    retry_until = models.DateTimeField(
        "重试截止",
        null=True,
        blank=True,
        help_text="此后仍失败即标记投递失败（创建后三天；人工重投后重新计算）",
    )
    last_error = models.TextField("最近错误", blank=True)
    delivered_at = models.DateTimeField("投递时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "推送"
        verbose_name_plural = "推送"
        indexes = [
            models.Index(fields=["webhook_status", "next_attempt_at"], name="push_due_idx"),
            models.Index(fields=["unit", "read_at"], name="push_inbox_idx"),
        ]
        constraints = [
            # One push per unit, entry and event: the outbox handler may run again, the inbox never doubles.
            models.UniqueConstraint(fields=["unit", "entry", "event"], name="push_once_per_unit_entry_event"),
            models.UniqueConstraint(
                fields=["unit", "record", "event"], name="push_once_per_unit_record_event"
            ),
            models.CheckConstraint(
                condition=Q(entry__isnull=False, record__isnull=True)
                | Q(entry__isnull=True, record__isnull=False),
                name="push_about_entry_or_record",
            ),
            models.CheckConstraint(condition=Q(event__in=PushEvent.values), name="push_event_valid"),
            models.CheckConstraint(
                condition=Q(webhook_status__in=["", *PushStatus.values]), name="push_webhook_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(webhook_status=PushStatus.PENDING) | Q(next_attempt_at__isnull=False),
                name="push_pending_has_next_attempt",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.event} → {self.unit_id}"
