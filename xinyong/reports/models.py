"""Issued credit reports (信用报告).

The PDF itself is not kept: the requester keeps the file, the platform keeps what proves it — the SHA-256 of
the exact bytes issued, the verification code (hashed), and what the report showed (record ids), so that any
copy can be checked and any report explained later (docs/domain.md principle 5). Rows are never updated or
deleted.
"""

from django.db import models
from django.db.models import Q

KIND_CHOICES = [("full", "公共信用信息报告"), ("compliance", "专项信用报告")]


class Report(models.Model):
    number = models.CharField("报告编号", max_length=32, unique=True)
    code_hash = models.CharField(
        "验证码摘要", max_length=64, help_text="SHA-256(报告编号:验证码)；验证码只印在报告上"
    )
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="reports")
    subject_name = models.CharField("主体名称（出具时）", max_length=200)
    subject_code = models.CharField("主体代码（出具时，证件号码已遮蔽）", max_length=32)
    kind = models.CharField("报告类型", max_length=16, choices=KIND_CHOICES)
    purpose = models.CharField("报告用途", max_length=200)
    case_number = models.CharField("案件编号", max_length=100, blank=True, default="")
    requested_by = models.CharField("申请人", max_length=80)
    unit_code = models.CharField("申请单位", max_length=64, blank=True, default="")
    created_at = models.DateTimeField("出具时间")
    sha256 = models.CharField("PDF SHA-256", max_length=64)
    size = models.PositiveIntegerField("文件大小（字节）")
    pages = models.PositiveSmallIntegerField("页数")
    record_ids = models.JSONField("所含信用信息", default=list, help_text="报告展示的信用信息版本 id")
    counts = models.JSONField("分类条数", default=dict, blank=True)
    layout_version = models.CharField("版式版本", max_length=16)

    class Meta:
        verbose_name = "信用报告"
        verbose_name_plural = "信用报告"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["full", "compliance"]), name="report_kind_valid"),
            models.CheckConstraint(condition=~Q(purpose=""), name="report_purpose_required"),
        ]
        indexes = [models.Index(fields=["subject", "created_at"], name="report_subject_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.subject_name}"
