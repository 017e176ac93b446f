"""Credit records (信用信息), their versions and status history; the submissions (归集批次) they came in
are the intake app's (intake/models.py).

A record is never updated in place or deleted (docs/domain.md principle 1): a resubmission, correction or
withdrawal of the same decision (same unit, category, decision document number and subject) is a new version
that supersedes the current one; expiry and the like are status changes with a reason, an actor and a time
(`RecordStatusChange`). The one exception is the end of retention (docs/domain.md principle 1 "until its
retention ends"; records/retention.py, ADR 0011): a natural person's negative record is then deleted, or
kept as an `erased` tombstone without personal data where another case still points at it.
The bulk import writes these tables with raw SQL (intake/importer.py): keep its column lists in step with
the models.
"""

from django.db import models
from django.db.models import Q

from xinyong.records.severity import SEVERITY_SOURCES

SEVERITY_SOURCE_CHOICES = [("", "未记录"), *SEVERITY_SOURCES.items()]


class RecordStatus(models.TextChoices):
    PUBLISHED = "published", "公示中"
    NOT_PUBLISHED = "not_published", "不予公示"
    WITHDRAWN = "withdrawn", "已撤回"
    EXPIRED = "expired", "公示期满"
    UNDER_OBJECTION = "under_objection", "异议处理中"
    REPAIRED = "repaired", "已修复"
    SUPERSEDED = "superseded", "已被新版本取代"
    ERASED = "erased", "已删除"  # retention ended (records/retention.py): a tombstone without personal data


class ChangeKind(models.TextChoices):
    ORIGINAL = "original", "首次报送"
    RESUBMISSION = "resubmission", "重复报送"
    CORRECTION = "correction", "更正"
    WITHDRAWAL = "withdrawal", "撤回"


class VisibleRecords(models.Manager):
    """Record versions every reader sees: not those of a submission still being staged (ADR 0026, the gate).
    Related managers (`subject.records`, `submission.records`) are built from this default manager too."""

    def get_queryset(self):
        staging = RecordBatch.objects.values("submission_id")
        return super().get_queryset().exclude(submission_id__in=staging)


class Record(models.Model):
    """One version of one fact about one subject in one category from one provider."""

    # no index of its own: record_publicity_idx starts with the category (ADR 0027)
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.PROTECT, related_name="records", db_index=False
    )
    # no index of its own: record_subject_idx starts with the subject (one index fewer kept on every import)
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="records", db_index=False
    )
    # no index of its own: record_unit_received_idx starts with the unit (ADR 0027)
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="records", db_index=False
    )
    doc_no = models.CharField("决定文书号", max_length=128)
    decision_date = models.DateField("决定日期")
    subject_name = models.CharField("报送名称", max_length=200)
    severity = models.CharField("严重程度", max_length=8, blank=True)
    # db_default: raw inserts that predate the column (benchmarks) still write a valid row
    severity_source = models.CharField(
        "严重程度来源",
        max_length=24,
        blank=True,
        default="",
        db_default="",
        choices=SEVERITY_SOURCE_CHOICES,
        help_text="报送单位给出、按处罚程序、按处罚类别默认或按信息类别默认（rules.yaml severity.*）",
    )
    payload = models.JSONField("内容", help_text="证件号码等遮蔽字段只存遮蔽形式")
    protected = models.JSONField("加密字段", default=dict, blank=True, help_text="遮蔽字段的密文（Fernet）")
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("当前版本", default=True)
    # indexed only where set (record_supersedes_idx): a first version, most of an import, adds no entry
    supersedes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="superseded_by", db_index=False
    )
    change_kind = models.CharField("变更类型", max_length=16, choices=ChangeKind.choices)
    status = models.CharField("状态", max_length=16, choices=RecordStatus.choices)
    publish_from = models.DateField("公示起", null=True, blank=True)
    publish_min_end = models.DateField("最短公示至", null=True, blank=True)
    publish_max_end = models.DateField("最长公示至", null=True, blank=True)
    rule_key = models.CharField("适用规则", max_length=64, blank=True)
    rule_effective_from = models.DateField("规则生效日", null=True, blank=True)
    submission = models.ForeignKey("intake.Submission", on_delete=models.PROTECT, related_name="records")
    row_index = models.PositiveIntegerField("批次行号")
    received_at = models.DateTimeField("接收时间")
    delay_working_days = models.IntegerField("报送用时（工作日）", null=True, blank=True)
    late = models.BooleanField("超期", default=False)
    delay_provisional = models.BooleanField("工作日为临时计算", default=False)

    # the default manager: the gate applies to every read (ADR 0026); `with_staged` is for staging itself
    objects = VisibleRecords()
    with_staged = models.Manager()  # noqa: DJ012

    class Meta:
        base_manager_name = "with_staged"
        verbose_name = "信用信息"
        verbose_name_plural = "信用信息"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "category", "doc_no", "subject"],
                condition=Q(is_current=True),
                name="record_one_current_version",
            ),
            models.CheckConstraint(condition=Q(status__in=RecordStatus.values), name="record_status_valid"),
            models.CheckConstraint(
                condition=Q(change_kind__in=ChangeKind.values), name="record_change_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=["", "minor", "general", "serious"]), name="record_severity_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity_source__in=[code for code, _ in SEVERITY_SOURCE_CHOICES]),
                name="record_severity_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(publish_min_end__isnull=True)
                | Q(publish_max_end__gte=models.F("publish_min_end")),
                name="record_window_ordered",
            ),
        ]
        indexes = [
            # covers the check's summary of shown negative records (records/shown.py::negative_summaries):
            # the query reads the index alone, not one table page per record of the subject; the submission
            # last, for the staging gate (ADR 0026)
            models.Index(
                fields=[
                    "subject",
                    "category",
                    "is_current",
                    "status",
                    "decision_date",
                    "publish_max_end",
                    "submission",
                ],
                name="record_subject_idx",
            ),  # fmt: skip
            models.Index(fields=["category", "status", "decision_date"], name="record_publicity_idx"),
            models.Index(fields=["status", "publish_max_end"], name="record_sweep_idx"),
            models.Index(fields=["unit", "received_at"], name="record_unit_received_idx"),
            # who supersedes this version (retention's PROTECT check before a delete): only versions ≥ 2
            models.Index(
                fields=["supersedes"], condition=Q(supersedes__isnull=False), name="record_supersedes_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category_id}:{self.doc_no} v{self.version}"


class RecordBatch(models.Model):
    """A submission whose record versions are still being staged (ADR 0026): while its row exists, every read
    of records leaves that submission's versions out (the gate); publication deletes the row in the
    transaction that flips its corrections, so readers see all of a submission's records or none. One
    staging submission per unit and category at a time: two would stage versions of the same decisions."""

    submission = models.OneToOneField("intake.Submission", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    started_at = models.DateTimeField("开始暂存")

    class Meta:
        verbose_name = "暂存中的归集批次"
        verbose_name_plural = "暂存中的归集批次"
        constraints = [
            models.UniqueConstraint(fields=["unit", "category"], name="record_batch_one_per_unit_category"),
        ]

    def __str__(self) -> str:
        return f"batch {self.submission_id}"


class RecordStatusChange(models.Model):
    """A state change of a record version with its reason, actor and time (withdrawal, expiry …)."""

    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=RecordStatus.choices)
    to_status = models.CharField(max_length=16, choices=RecordStatus.choices)
    reason = models.TextField("原因")
    actor = models.CharField("操作者", max_length=80)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "状态变更"
        verbose_name_plural = "状态变更"
        ordering = ["record", "at", "id"]

    def __str__(self) -> str:
        return f"{self.record_id}: {self.from_status}→{self.to_status}"


class NameChangeCandidate(models.Model):
    """A submitted name that differs from the registry's: noted for review, never silently applied."""

    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="name_candidates")
    registry_name = models.CharField("登记名称", max_length=200)
    submitted_name = models.CharField("报送名称", max_length=200)
    submission = models.ForeignKey(
        "intake.Submission", on_delete=models.PROTECT, related_name="name_candidates"
    )
    row_index = models.PositiveIntegerField("批次行号")
    status = models.CharField(
        "状态",
        max_length=12,
        default="open",
        choices=[("open", "待核实"), ("accepted", "已更名"), ("dismissed", "不予采纳")],
    )

    class Meta:
        verbose_name = "疑似更名"
        verbose_name_plural = "疑似更名"

    def __str__(self) -> str:
        return f"{self.registry_name} → {self.submitted_name}"
