"""The submissions (归集批次) records come in: one API call or one uploaded file each, with the rows refused
and why (issue 3). The accepted rows are record versions (records/models.py); the bulk import writes both
apps' tables with raw SQL (intake/importer.py): keep its column lists in step with the models.
"""

from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    API = "api", "接口"
    FILE = "file", "文件"


class SubmissionState(models.TextChoices):
    """Issue 18 (ADR 0026): a submission larger than one chunk is written chunk by chunk while `receiving`;
    its records are published (visible) at `done`; `abandoned` once an operator rolled it back."""

    RECEIVING = "receiving", "接收中"
    DONE = "done", "已完成"
    ABANDONED = "abandoned", "已放弃"


class Submission(models.Model):
    """One API call or one uploaded file, with what was accepted and what was refused and why."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="submissions")
    category = models.ForeignKey("catalog.Category", on_delete=models.PROTECT, related_name="submissions")
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    idempotency_key = models.CharField("幂等键", max_length=128)
    body_sha256 = models.CharField("内容 SHA-256", max_length=64)
    submitted_by = models.CharField("报送人", max_length=80)
    received_at = models.DateTimeField("接收时间")
    file_name = models.CharField("文件名", max_length=255, blank=True)
    file_format = models.CharField("文件格式", max_length=8, blank=True)
    file_encoding = models.CharField("文件编码", max_length=16, blank=True)
    total = models.PositiveIntegerField("总行数", default=0)
    accepted = models.PositiveIntegerField("接收", default=0)
    rejected = models.PositiveIntegerField("拒收", default=0)
    subjects_created = models.PositiveIntegerField("新建主体", default=0)
    late = models.PositiveIntegerField("超期报送", default=0)
    result = models.JSONField("首次应答", default=dict)
    columns = models.JSONField("退回行的列", default=list, blank=True, help_text="按原文件或请求中出现的顺序")
    state = models.CharField(
        "状态", max_length=10, choices=SubmissionState.choices, default=SubmissionState.DONE
    )
    rows_done = models.PositiveIntegerField("已处理行数", default=0, help_text="接收中断后从此处续传")
    versions = models.PositiveIntegerField("新版本数", default=0, help_text="更正或重复报送的行")

    class Meta:
        verbose_name = "归集批次"
        verbose_name_plural = "归集批次"
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "idempotency_key"], name="submission_idempotency_unique"),
            models.CheckConstraint(
                condition=Q(total=models.F("accepted") + models.F("rejected")),
                name="submission_counts_add_up",
            ),
            models.CheckConstraint(
                condition=Q(state__in=SubmissionState.values), name="submission_state_valid"
            ),
        ]
        # a unit's submissions of a month (issue 16 metrics): the unit leads, the month bounds received_at
        indexes = [models.Index(fields=["unit", "received_at"], name="submission_unit_received_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.unit_id} {self.category_id} {self.accepted}/{self.total}"


class RejectedRow(models.Model):
    """A refused row with its original columns and field-level errors, for the fix-and-resubmit report."""

    # no index of its own: rejected_row_unique starts with the submission (ADR 0027)
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="rejected_rows", db_index=False
    )
    row_index = models.PositiveIntegerField("行号")
    row = models.JSONField("原始数据", help_text="遮蔽字段只存遮蔽形式")
    protected = models.JSONField("加密字段", default=dict, blank=True)
    errors = models.JSONField("错误")

    class Meta:
        verbose_name = "拒收行"
        verbose_name_plural = "拒收行"
        ordering = ["submission", "row_index"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "row_index"], name="rejected_row_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.row_index}"


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "导入中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class FileImportJob(models.Model):
    """An uploaded file waiting for, or in, its import by the worker (issue 18, ADR 0032): the file is kept
    under XINYONG_HOME until the job ends; the job shows how far the import got and how it ended."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="file_import_jobs")
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.PROTECT, related_name="file_import_jobs"
    )
    stored_path = models.CharField(
        "存储路径", max_length=500, blank=True, help_text="相对于数据目录；结束后清空"
    )
    file_name = models.CharField("文件名", max_length=255)
    size = models.PositiveBigIntegerField("字节数")
    sha256 = models.CharField("文件 SHA-256", max_length=64)
    idempotency_key = models.CharField("幂等键", max_length=128, blank=True)
    actor = models.JSONField("报送人身份", default=dict, help_text="导入时以此身份报送")
    submitted_by = models.CharField("报送人", max_length=80)
    created_at = models.DateTimeField("上传时间")
    state = models.CharField("状态", max_length=8, choices=JobState.choices, default=JobState.QUEUED)
    attempts = models.PositiveIntegerField("执行次数", default=0)
    lease_until = models.DateTimeField("租约到期", null=True, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    rows_done = models.PositiveBigIntegerField("已处理行数", default=0)
    total_rows = models.PositiveBigIntegerField("总行数（估计）", null=True, blank=True)
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="file_import_jobs"
    )
    replayed = models.BooleanField("重复文件", default=False)
    error_code = models.CharField("错误代码", max_length=64, blank=True)
    error_message = models.TextField("错误说明", blank=True)

    class Meta:
        verbose_name = "文件导入任务"
        verbose_name_plural = "文件导入任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]), name="file_import_job_state"
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(submission__isnull=False),
                name="file_import_job_done_has_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name} {self.state}"
