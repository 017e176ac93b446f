"""Scorecard versions and monthly evaluations of units and districts (考核评价, issue 16; plan task 55).

Every stored number keeps what it was computed from (DESIGN principle 5: explain every number): a result row
per unit or district with its total, rank and level, and an indicator row per indicator with the inputs
(numerator and denominator from the metrics layer), the value, the share of the weight earned and the points.
A scorecard version, once loaded, never changes: the evaluations of past months stay explainable by it."""

from django.db import models

from xinyong.accounts.models import Unit


class EvaluationKind(models.TextChoices):
    UNIT = "unit", "单位"
    DISTRICT = "district", "区"


class Scorecard(models.Model):
    """One version of a scorecard (evaluation/data/scorecards.yaml), as loaded; `document` is the whole
    version (indicators, weights, thresholds, levels) in `scorecard.Scorecard.as_document` form."""

    kind = models.CharField("类别", max_length=16, choices=EvaluationKind.choices)
    version = models.CharField("版本", max_length=32)
    effective_from = models.DateField("生效日期")
    title = models.CharField("名称", max_length=200)
    document = models.JSONField("评分表")
    sha256 = models.CharField("内容摘要", max_length=64)
    loaded_at = models.DateTimeField("载入时间")

    class Meta:
        ordering = ["kind", "-effective_from"]
        verbose_name = "考核评分表"
        verbose_name_plural = "考核评分表"
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="evaluation_scorecard_version_unique"),
            models.UniqueConstraint(
                fields=["kind", "effective_from"], name="evaluation_scorecard_from_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.version}）"


class Evaluation(models.Model):
    """The evaluation of one month for one kind; recomputing the month replaces it (one transaction,
    audited)."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.PROTECT, related_name="evaluations")
    month = models.DateField("月份", help_text="该月第一天")
    kind = models.CharField("类别", max_length=16, choices=EvaluationKind.choices)
    computed_at = models.DateTimeField("计算时间")
    computed_by = models.CharField("计算人", max_length=64)
    entities = models.PositiveIntegerField("参评数")
    ranked = models.PositiveIntegerField("排名数")

    class Meta:
        ordering = ["-month", "kind"]
        verbose_name = "月度考核"
        verbose_name_plural = "月度考核"
        constraints = [models.UniqueConstraint(fields=["month", "kind"], name="evaluation_month_kind_unique")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_kind_display()}"


class EvaluationResult(models.Model):
    """One unit's (or district's) result: total (None when no indicator had data), rank (ties share it) and
    level band."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField("顺序")
    total = models.DecimalField("总分", max_digits=6, decimal_places=2, null=True)
    counted_weight = models.DecimalField("计分权重", max_digits=6, decimal_places=2)
    rank = models.PositiveIntegerField("名次", null=True)
    level_code = models.CharField("等次代码", max_length=8, blank=True)
    level_name = models.CharField("等次", max_length=16, blank=True)

    class Meta:
        ordering = ["evaluation", "position"]
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "unit"], name="evaluation_result_unit_unique"),
            models.UniqueConstraint(
                fields=["evaluation", "position"], name="evaluation_result_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.unit_id} {self.total}"


class IndicatorResult(models.Model):
    """One indicator of one result: its inputs, value, share of the weight and points (None: not counted,
    its weight left out of the total)."""

    result = models.ForeignKey(EvaluationResult, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField("顺序")
    code = models.CharField("指标代码", max_length=64)
    metric = models.CharField("指标键", max_length=64)
    name = models.CharField("指标", max_length=100)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2)
    numerator = models.DecimalField("分子", max_digits=20, decimal_places=4, null=True)
    denominator = models.DecimalField("分母", max_digits=20, decimal_places=4, null=True)
    value = models.DecimalField("指标值", max_digits=12, decimal_places=6, null=True)
    share = models.DecimalField("得分比例", max_digits=8, decimal_places=6, null=True)
    points = models.DecimalField("得分", max_digits=6, decimal_places=2, null=True)

    class Meta:
        ordering = ["result", "position"]
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"
        constraints = [
            models.UniqueConstraint(fields=["result", "code"], name="evaluation_indicator_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.points}"

    @property
    def counted(self) -> bool:
        return self.value is not None
