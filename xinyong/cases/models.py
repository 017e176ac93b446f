"""典型案例 (plan task 44: publicise typical cases of honour and dishonesty; issue 15's 典型案例 column).

A case is written by a unit's officers in the back office as a draft, published by an officer of the
publishing unit or the credit office (`services.case_publish`) and may be withdrawn with a reason
(`services.case_withdraw`). Only published cases are public. A case may name one organisation (never a
natural person) and the 双公示 records and list entries it is about, by id."""

from django.db import models
from django.db.models import Q

from xinyong.accounts.models import UnitType


class CaseKind(models.TextChoices):
    HONOUR = "honour", "守信"
    DISHONESTY = "dishonesty", "失信"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class TypicalCase(models.Model):
    kind = models.CharField("类型", max_length=12, choices=CaseKind.choices)
    title = models.CharField("标题", max_length=120)
    summary = models.CharField("摘要", max_length=300)
    body = models.TextField("正文", max_length=20_000)
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="发布单位"
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="关联主体",
        help_text="只能关联法人和非法人组织，不得关联自然人",
    )
    record_ids = models.JSONField("关联双公示信息编号", default=list, blank=True)
    list_entry_ids = models.JSONField("关联名单记录编号", default=list, blank=True)
    district = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"type": UnitType.DISTRICT_GOVERNMENT},
        verbose_name="所属区",
        help_text="不填表示全市",
    )
    occurred_on = models.DateField("发生日期")
    status = models.CharField("状态", max_length=10, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    created_at = models.DateTimeField("创建时间")
    created_by = models.CharField("创建人", max_length=64)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.CharField("发布人", max_length=64, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.CharField("撤回人", max_length=64, blank=True)
    withdrawn_reason = models.CharField("撤回理由", max_length=500, blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "典型案例"
        verbose_name_plural = "典型案例"
        indexes = [models.Index(fields=["status", "-published_at", "-id"], name="case_status_published_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=list(CaseKind.values)), name="case_kind_valid"),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.DRAFT) | Q(published_at__isnull=False), name="case_published_at"
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.WITHDRAWN)
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawn_reason="")),
                name="case_withdrawn_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"
