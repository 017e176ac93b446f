"""The working-day calendar (DESIGN §4: "the calendar is data, updated yearly").

Only the exceptions to the Monday–Friday rule are stored: a `holiday` is a weekday off (国庆节 on a
Wednesday), a `workday` is an adjusted working weekend (调休上班, e.g. Saturday 2025-10-11). A year with
no `CalendarYear` row (or one not marked complete) is reckoned by weekends only and every result touching
it is provisional.
Writes go through `xinyong.core.services_calendar` (audit event, cache invalidation, recompute hooks).
"""

from django.db import models
from django.db.models import Q


class CalendarSource(models.TextChoices):
    BUILTIN = "chinesecalendar", "chinesecalendar 内置数据"
    OPERATOR = "operator", "运维人员录入"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "节假日（工作日放假）"
    WORKDAY = "workday", "调休上班（周末上班）"


class CalendarYear(models.Model):
    """One year of the national holiday schedule (国务院办公厅关于部分节假日安排的通知)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("来源", max_length=20, choices=CalendarSource.choices)
    loaded_at = models.DateTimeField("载入时间")
    loaded_by = models.CharField("载入人", max_length=80)
    complete = models.BooleanField(
        "已完整载入", default=True, help_text="未完整载入的年份按临时（provisional）计算"
    )
    note = models.TextField("备注", blank=True)
    revision = models.PositiveIntegerField("修订次数", default=1, editable=False)

    class Meta:
        db_table = "core_calendar_year"
        ordering = ["year"]
        verbose_name = "节假日年度安排"
        verbose_name_plural = "节假日年度安排"
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=[c.value for c in CalendarSource]), name="calendar_year_source_valid"
            ),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2200), name="calendar_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年"


class CalendarDay(models.Model):
    """An exception to the Monday–Friday rule: a weekday off or a weekend worked."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("名称", max_length=60, help_text="如 国庆节、春节")
    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name="年度")

    class Meta:
        db_table = "core_calendar_day"
        ordering = ["date"]
        verbose_name = "节假日 / 调休日"
        verbose_name_plural = "节假日 / 调休日"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[c.value for c in DayKind]), name="calendar_day_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"


class OutboxEvent(models.Model):
    """A transactional outbox row (DESIGN §6): written in the same transaction as the change it announces,
    processed later by `xinyong worker`, which calls the handler configured for its topic
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
