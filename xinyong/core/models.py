"""Core tables: the transactional outbox, evidence files, login failures and rate counters (the working-day
calendar has its own app, `xinyong.workdays`)."""

from django.db import models


class OutboxEvent(models.Model):
    """A transactional outbox row (docs/performance.md): written in the same transaction as the change it
    announces, processed later by `xinyong worker`, which calls the handler configured for its topic
    (settings.XINYONG_OUTBOX_HANDLERS). A crash or restart loses nothing: unprocessed rows are retried."""

    topic = models.CharField(max_length=64)
    payload = models.JSONField()
    created_at = models.DateTimeField()
    available_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "待处理事件"
        verbose_name_plural = "待处理事件"
        indexes = [models.Index(fields=["processed_at", "available_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.topic}"


class EvidenceFile(models.Model):
    """A file given as evidence (证明材料) with an objection, a repair application or a dishonesty report:
    kept in the database with its hash so it commits or rolls back with the application it belongs to
    (nothing half-stored). Type and size are limited (core/evidence.py)."""

    sha256 = models.CharField(max_length=64)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=64)
    size = models.PositiveIntegerField("大小（字节）")
    data = models.BinaryField()
    purpose = models.CharField("用途", max_length=32, help_text="objection / repair / tipoff …")
    uploaded_by = models.CharField("上传者", max_length=80)
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        db_table = "core_evidence_file"
        ordering = ["id"]
        verbose_name = "证明材料"
        verbose_name_plural = "证明材料"

    def __str__(self) -> str:
        return f"{self.name}（{self.size} 字节）"


class RateCounter(models.Model):
    """A fixed-window request counter shared by every worker (issue 13: one limit for two gunicorn workers;
    issue 12: filings and uploads per source). One row per bucket (`class:client`); the UPSERT in
    `xinyong.core.ratelimit` resets `hits` and `bytes` when a new window starts, so rows never pile up per
    window; buckets idle for a day are swept."""

    bucket = models.CharField("计数桶", max_length=120, primary_key=True)
    window_start = models.BigIntegerField("窗口起点（Unix 秒）")
    hits = models.PositiveIntegerField("请求数", default=0)
    bytes = models.PositiveBigIntegerField("上传字节数", default=0)

    class Meta:
        db_table = "core_rate_counter"
        verbose_name = "限流计数"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["window_start"], name="core_rate_window_idx")]

    def __str__(self) -> str:
        return f"{self.bucket} @{self.window_start}: {self.hits}"


class LoginFailure(models.Model):
    """One failed password login (issue 12: no lock-out after 40 wrong admin passwords). The rows within the
    lock-out window are the counter of accounts/login.py; older ones are deleted as new ones come."""

    username = models.CharField("用户名", max_length=150)
    address = models.CharField("来源地址", max_length=45, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "登录失败"
        verbose_name_plural = "登录失败"
        indexes = [
            models.Index(fields=["username", "at"], name="login_failure_user_at_idx"),
            models.Index(fields=["at"], name="login_failure_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.address} {self.at:%Y-%m-%d %H:%M:%S}"
