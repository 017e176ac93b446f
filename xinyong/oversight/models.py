"""The city plan as data (督导考核, docs/domain.md "Plan task and assessment"; plan task 55 督导考核).

A :class:`Plan` is one loaded plan text (本市2018-2020年社会信用体系建设重点任务及责任分工) with its
parts (:class:`PlanSection`), numbered tasks (:class:`PlanTask`) and the responsible units of each task
(:class:`PlanTaskUnit`: one row per unit or group named in the task's 责任单位 line, in plan order).
Rows are written only by ``services.plan_load``. Units report progress on their tasks per period
(:class:`PlanProgressReport`, reviewed by the credit office; ``services/reports.py``, ADR 0038).
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


class Progress(models.TextChoices):
    """How far a task has come in the period, as the unit reports it (进度状态)."""

    NOT_STARTED = "not_started", "未启动"
    ON_TRACK = "on_track", "进行中"
    COMPLETED = "completed", "已完成"
    DELAYED = "delayed", "滞后"


class ReportState(models.TextChoices):
    """Where a progress report stands in the credit office's review (审核状态)."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已采纳"


# The review as plain data: state → {action: state it leads to} (audit/transitions.py checks every move).
# ``edit`` changes the content and keeps the state; an accepted report is final.
REPORT_TRANSITIONS: dict[str, dict[str, str]] = {
    ReportState.DRAFT: {"edit": ReportState.DRAFT, "submit": ReportState.SUBMITTED},
    ReportState.SUBMITTED: {"accept": ReportState.ACCEPTED, "return": ReportState.RETURNED},
    ReportState.RETURNED: {"edit": ReportState.RETURNED, "resubmit": ReportState.SUBMITTED},
    ReportState.ACCEPTED: {},
}

REPORT_ACTIONS = {
    "create": "新建进度报告",
    "edit": "修改",
    "submit": "报送",
    "resubmit": "重新报送",
    "accept": "采纳",
    "return": "退回",
}


class PlanProgressReport(models.Model):
    """One unit's report on one plan task for one reporting period (规划任务进度报告, plan task 55).

    ``due_at`` is the period's deadline (23:59:59 Beijing) under the reporting rule in force when the period
    began (``oversight/periods.py``); ``first_submitted_at`` is what timeliness counts, and
    ``late_working_days`` how many working days after the deadline it came (0 when on time).
    """

    task = models.ForeignKey(PlanTask, on_delete=models.PROTECT, related_name="reports", verbose_name="任务")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plan_reports", verbose_name="单位")
    period = models.CharField("报送期", max_length=16)
    due_at = models.DateTimeField("报送截止")
    progress = models.CharField("进度状态", max_length=16, choices=Progress.choices)
    narrative = models.TextField("进展情况")
    state = models.CharField(
        "审核状态", max_length=16, choices=ReportState.choices, default=ReportState.DRAFT
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间")
    created_by = models.CharField("创建人", max_length=64)
    updated_at = models.DateTimeField("修改时间")
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.CharField("报送人", max_length=64, blank=True)
    late_working_days = models.PositiveIntegerField("迟报工作日数", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.CharField("审核人", max_length=64, blank=True)
    return_reason = models.TextField("退回理由", blank=True)

    class Meta:
        ordering = ["-period", "task", "unit"]
        verbose_name = "规划任务进度报告"
        verbose_name_plural = "规划任务进度报告"
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "period"], name="plan_report_unique_period"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(first_submitted_at__isnull=False),
                name="plan_report_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | ~Q(return_reason=""), name="plan_report_return_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["state", "period"], name="plan_report_state_period")]

    def __str__(self) -> str:
        return f"任务{self.task.number} · {self.unit} · {self.period}"


class PlanReportEvidence(models.Model):
    """An evidence file (证明材料) of a report, kept under ``XINYONG_UPLOAD_DIR/oversight/`` (0600)."""

    report = models.ForeignKey(
        PlanProgressReport, on_delete=models.CASCADE, related_name="evidence", verbose_name="进度报告"
    )
    name = models.CharField("文件名", max_length=200)
    stored_name = models.CharField("存储名", max_length=64, unique=True)
    content_type = models.CharField("类型", max_length=64)
    size = models.PositiveIntegerField("字节数")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间")
    uploaded_by = models.CharField("上传人", max_length=64)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = "进度报告证明材料"
        verbose_name_plural = "进度报告证明材料"

    def __str__(self) -> str:
        return self.name


class PlanReportTransition(models.Model):
    """One step of a report's review (history): who, when, from and to which state, and why."""

    report = models.ForeignKey(
        PlanProgressReport, on_delete=models.CASCADE, related_name="transitions", verbose_name="进度报告"
    )
    action = models.CharField("动作", max_length=16)
    from_state = models.CharField("原状态", max_length=16, blank=True)
    to_state = models.CharField("新状态", max_length=16)
    actor = models.CharField("操作人", max_length=64)
    unit_code = models.CharField("操作人单位", max_length=64, blank=True)
    reason = models.TextField("理由", blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = "进度报告审核记录"
        verbose_name_plural = "进度报告审核记录"

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"
