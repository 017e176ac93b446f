"""Per-period figures (统计指标, issue 16, ADR 0035): one row per month, unit, district, metric and dimension,
holding a numerator and a denominator (and, where a median is wanted, a histogram), recomputed per month by
`services.month_refresh` from the owner apps' selectors. Dashboards and the evaluation of units read only
these rows, never the records table (metrics/definitions.py says what each metric counts)."""

from django.db import models


class UnitMonthFigure(models.Model):
    """One figure: `numerator` of `denominator` for a unit in a Beijing calendar month, split by the subject's
    district (or the unit's own, definitions.py) and a dimension (category, matter, measure, list type)."""

    month = models.DateField("月份", help_text="北京时间自然月的第一天")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    district = models.CharField("所属区", max_length=64, blank=True, default="", help_text="区政府单位代码")
    metric = models.CharField("指标", max_length=32)
    dimension = models.CharField("维度", max_length=64, blank=True, default="")
    numerator = models.PositiveIntegerField("分子", default=0)
    denominator = models.PositiveIntegerField("分母", default=0)
    detail = models.JSONField(
        "分布", default=dict, blank=True, help_text="如 {超期工作日数: 条数}，用于合并中位数"
    )
    computed_at = models.DateTimeField("计算时间")

    class Meta:
        verbose_name = "月度统计数"
        verbose_name_plural = "月度统计数"
        constraints = [
            models.UniqueConstraint(
                fields=["month", "unit", "district", "metric", "dimension"], name="unit_month_figure_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(numerator__lte=models.F("denominator")), name="unit_month_figure_ratio"
            ),
        ]
        indexes = [
            # every read: one metric over a range of months, then a unit or a district; it holds the counts
            # too, so the sums are read from the index alone (covering), not one table page per figure
            models.Index(
                fields=["metric", "month", "unit", "district", "dimension", "numerator", "denominator"],
                name="unit_month_figure_read_idx",
            ),
        ]

    def __str__(self) -> str:
        figure = f"{self.numerator}/{self.denominator}"
        return f"{self.month:%Y-%m} {self.unit_id} {self.metric}:{self.dimension} {figure}"
