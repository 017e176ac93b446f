"""The district government integrity evaluation (区政府政务诚信评价, plan tasks 8–10, ADR 0037): one result
per district and month with every indicator's input and points, so that the result explains itself
(docs/domain.md principle 5). Written only by `services.district_evaluation_compute`, which replaces a month
whole."""

from django.db import models
from django.db.models import Q


class Part(models.TextChoices):
    RECORDS = "records", "政务失信记录"
    DISTRICT = "district", "区级评价指标"


class DistrictEvaluation(models.Model):
    """One district's result for one month under one scorecard version."""

    district = models.CharField("区", max_length=64, help_text="区政府单位代码")
    month = models.DateField("月份", help_text="当月 1 日")
    scorecard_version = models.CharField("计分卡版本", max_length=32)
    score = models.DecimalField("得分", max_digits=7, decimal_places=2)
    max_score = models.DecimalField(
        "可得满分", max_digits=7, decimal_places=2, help_text="缺少数据的指标不计入"
    )
    rate = models.DecimalField("得分率", max_digits=6, decimal_places=4)
    level = models.CharField("等次", max_length=8)
    records_points = models.DecimalField("政务失信部分得分", max_digits=7, decimal_places=2)
    complete = models.BooleanField("数据完整", help_text="每个区级指标都有取值")
    rank = models.PositiveSmallIntegerField("排名")
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        ordering = ["month", "rank"]
        verbose_name = "区政府政务诚信评价"
        verbose_name_plural = "区政府政务诚信评价"
        constraints = [
            models.UniqueConstraint(fields=["district", "month"], name="govintegrity_one_result_per_month"),
            models.CheckConstraint(
                condition=Q(score__lte=models.F("max_score")), name="govintegrity_score_le_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.month:%Y-%m}：{self.score}"


class DistrictIndicator(models.Model):
    """One indicator of one result: its value, the points it gave and what it was computed from."""

    evaluation = models.ForeignKey(
        DistrictEvaluation, on_delete=models.CASCADE, related_name="indicators", verbose_name="评价结果"
    )
    order = models.PositiveSmallIntegerField("排序")
    part = models.CharField("部分", max_length=16, choices=Part.choices)
    code = models.CharField("指标代码", max_length=64)
    name = models.CharField("指标名称", max_length=100)
    value = models.DecimalField("取值", max_digits=12, decimal_places=4, null=True, blank=True)
    value_text = models.CharField("取值说明", max_length=200)
    points = models.DecimalField("得分", max_digits=7, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField("满分", max_digits=7, decimal_places=2, null=True, blank=True)
    inputs = models.JSONField("输入", default=dict, help_text="记录编号、计数、来源查询")
    source = models.TextField("来源")

    class Meta:
        ordering = ["evaluation", "order"]
        verbose_name = "评价指标"
        verbose_name_plural = "评价指标"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="govintegrity_indicator_unique"),
            models.CheckConstraint(
                condition=Q(part__in=Part.values), name="govintegrity_indicator_part_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
