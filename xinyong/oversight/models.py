"""The city plan as data (督导考核, docs/domain.md "Plan task and assessment"; plan task 55 督导考核).

A :class:`Plan` is one loaded plan text (本市2018-2020年社会信用体系建设重点任务及责任分工) with its
parts (:class:`PlanSection`), numbered tasks (:class:`PlanTask`) and the responsible units of each task
(:class:`PlanTaskUnit`: one row per unit or group named in the task's 责任单位 line, in plan order).
Rows are written only by ``services.plan_load``; progress reports and assessments will point at tasks.
"""

from django.db import models
from django.db.models import Q

from xinyong.accounts.models import Unit, UnitGroup

PLAN_CODE = "beijing-2018-2020"  # the 2018–2020 plan shipped in data/; the default for every read


class Plan(models.Model):
    """One plan text as loaded: where it came from, its SHA-256 and what the parser had to infer."""

    code = models.SlugField("代码", max_length=64, unique=True)
    title = models.CharField("标题", max_length=200)
    source_name = models.CharField("来源文件", max_length=200)
    sha256 = models.CharField("文本 SHA-256", max_length=64)
    preamble = models.TextField("前言", blank=True)
    loaded_at = models.DateTimeField("载入时间")
    notes = models.JSONField("载入推断说明", default=list, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "规划"
        verbose_name_plural = "规划"

    def __str__(self) -> str:
        return self.title


class PlanSection(models.Model):
    """A part of the plan (``一、加快推进政务诚信建设``); ``inferred`` when the text lacks its heading."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections", verbose_name="规划")
    number = models.PositiveSmallIntegerField("序号")
    numeral = models.CharField("编号", max_length=8)
    title = models.CharField("标题", max_length=200)
    inferred = models.BooleanField("标题为推断", default=False)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "规划部分"
        verbose_name_plural = "规划部分"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_section_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.numeral}、{self.title}"


class PlanTask(models.Model):
    """A numbered task; ``open_ended`` when its unit list ends in ``等部门`` (others may be responsible)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name="规划")
    number = models.PositiveSmallIntegerField("任务编号")
    section = models.ForeignKey(
        PlanSection, on_delete=models.PROTECT, related_name="tasks", verbose_name="所属部分"
    )
    text = models.TextField("任务内容")
    units_raw = models.TextField("责任单位（原文）")
    open_ended = models.BooleanField("含“等部门”", default=False)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = "规划任务"
        verbose_name_plural = "规划任务"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_task_unique_number"),
        ]

    def __str__(self) -> str:
        return f"任务{self.number}"


class PlanTaskUnit(models.Model):
    """One responsible unit or group of a task, in plan order; ``lead`` marks the first listed unit (牵头)."""

    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="links", verbose_name="任务")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_links", verbose_name="单位"
    )
    group = models.ForeignKey(
        UnitGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_links",
        verbose_name="单位组",
    )
    position = models.PositiveSmallIntegerField("顺序")
    lead = models.BooleanField("牵头单位", default=False)

    class Meta:
        ordering = ["task", "position"]
        verbose_name = "任务责任单位"
        verbose_name_plural = "任务责任单位"
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, group__isnull=True)
                | Q(unit__isnull=True, group__isnull=False),
                name="plan_task_unit_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(lead=False) | Q(unit__isnull=False), name="plan_task_lead_is_unit"
            ),
            models.UniqueConstraint(fields=["task", "unit"], name="plan_task_unit_unique_unit"),
            models.UniqueConstraint(fields=["task", "group"], name="plan_task_unit_unique_group"),
            models.UniqueConstraint(fields=["task", "position"], name="plan_task_unit_unique_position"),
            models.UniqueConstraint(fields=["task"], condition=Q(lead=True), name="plan_task_one_lead"),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.group)
