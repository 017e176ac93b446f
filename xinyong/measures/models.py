"""Joint reward and punishment (联合奖惩, plan tasks 15, 27, 34, 35): memoranda and measures, and checks
inside approvals (应查必查) with feedback (执行反馈). Pushes of list changes live in the pushes app."""

from django.db import models
from django.db.models import Q


class Matter(models.Model):
    """An administrative matter a measure binds (事项): 政府采购, 招标投标, 财政资金, 行政许可 …"""

    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=100, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "行政事项"
        verbose_name_plural = "行政事项"

    def __str__(self) -> str:
        return self.name


class Memorandum(models.Model):
    """A memorandum (备忘录) signed by units, targeting list types, holding measures."""

    code = models.SlugField("代码", max_length=64, unique=True)
    title = models.CharField("标题", max_length=300)
    document_no = models.CharField("文号", max_length=100, blank=True, default="")
    signed_on = models.DateField("签署日期")
    signing_units = models.ManyToManyField("accounts.Unit", related_name="memoranda_signed")
    list_types = models.ManyToManyField("lists.ListType", related_name="memoranda")
    feedback_working_days = models.PositiveSmallIntegerField("反馈时限（工作日）", default=10)
    active = models.BooleanField("有效", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "合作备忘录"
        verbose_name_plural = "合作备忘录"

    def __str__(self) -> str:
        return self.title


class MeasureKind(models.TextChoices):
    REWARD = "reward", "守信激励"
    PUNISHMENT = "punishment", "失信惩戒"


class Strength(models.TextChoices):
    PROHIBIT = "prohibit", "禁止"
    RESTRICT = "restrict", "限制"
    PRIORITISE = "prioritise", "优先"
    SIMPLIFY = "simplify", "简化"


class Measure(models.Model):
    """One measure (措施): a reward or punishment from law or the national list, binding matters."""

    memorandum = models.ForeignKey(Memorandum, on_delete=models.PROTECT, related_name="measures")
    code = models.SlugField("代码", max_length=64, unique=True)
    text = models.TextField("措施内容")
    kind = models.CharField("类型", max_length=16, choices=MeasureKind.choices)
    strength = models.CharField("强度", max_length=16, choices=Strength.choices)
    legal_basis = models.TextField("法律依据")
    implementing_units = models.ManyToManyField("accounts.Unit", related_name="measures_implemented")
    implementing_all = models.BooleanField("各有关部门均须实施", default=False)
    matters = models.ManyToManyField(Matter, related_name="measures")
    active = models.BooleanField("有效", default=True, help_text="从措施清单中删去的措施停用，不删除")

    class Meta:
        ordering = ["code"]
        verbose_name = "奖惩措施"
        verbose_name_plural = "奖惩措施"
        constraints = [
            models.CheckConstraint(condition=~Q(legal_basis=""), name="measure_has_legal_basis"),
            models.CheckConstraint(condition=Q(kind__in=MeasureKind.values), name="measure_kind_valid"),
            models.CheckConstraint(condition=Q(strength__in=Strength.values), name="measure_strength_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:30]}"


class Check(models.Model):
    """A check (联合奖惩核查) by a unit for a matter and case: one row, with a result per subject."""

    # no index of its own: check_unit_time_idx starts with the unit (one index page fewer written per check)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="checks", db_index=False)
    # no index either: checks are read by unit (the two indexes below) or by id; statistics over every unit
    # for one matter read the month's checks anyway, and one index page fewer is written per check
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="checks", db_index=False)
    case_number = models.CharField("案件编号", max_length=128)
    checked_by = models.CharField("核查人", max_length=80)
    checked_at = models.DateTimeField("核查时间")
    feedback_due = models.DateTimeField("反馈截止", null=True, blank=True)
    subjects_count = models.PositiveIntegerField(default=0)
    known_count = models.PositiveIntegerField("已知主体数", default=0)
    applicable_count = models.PositiveIntegerField("适用措施数", default=0)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = "核查"
        verbose_name_plural = "核查"
        indexes = [
            models.Index(fields=["unit", "checked_at"], name="check_unit_time_idx"),
            # only checks that owe feedback (a measure applied): most checks find nothing and write no entry
            # here (docs/performance.md, issue 5); the overdue lookup `feedback_due < now` implies NOT NULL
            # and uses it
            models.Index(
                fields=["unit", "feedback_due"],
                name="check_unit_due_idx",
                condition=models.Q(feedback_due__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.unit_id} {self.matter_id} {self.case_number}"


class CheckResult(models.Model):
    """What applied to one subject in a check: its entries and the measures that bind the unit."""

    check_run = models.ForeignKey(Check, on_delete=models.PROTECT, related_name="results")
    position = models.PositiveIntegerField("序号", default=0, help_text="在请求中的位置（从 0 起）")
    identifier = models.CharField("查询标识", max_length=64, help_text="公民身份号码只存脱敏形式")
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, null=True, blank=True, related_name="check_results"
    )
    entries = models.ManyToManyField(
        "lists.ListEntry", blank=True, related_name="check_results", through="CheckResultEntry"
    )
    measures = models.ManyToManyField(
        Measure, blank=True, related_name="check_results", through="CheckResultMeasure"
    )
    answer = models.JSONField(
        "核查应答", default=dict, help_text="核查当时给出的应答（名单、措施、记录摘要）"
    )

    class Meta:
        ordering = ["check_run", "position"]
        verbose_name = "核查结果"
        verbose_name_plural = "核查结果"

    def __str__(self) -> str:
        return f"{self.check_run_id}:{self.identifier}"


class CheckResultEntry(models.Model):
    """A list entry a check result named. Django's own link table, declared to leave out its index on the
    result alone: the unique (result, entry) index starts with the result (one page fewer per listed subject
    checked, docs/performance.md; migration 0005)."""

    checkresult = models.ForeignKey(CheckResult, on_delete=models.CASCADE, db_index=False)
    listentry = models.ForeignKey("lists.ListEntry", on_delete=models.CASCADE)

    class Meta:
        db_table = "measures_checkresult_entries"
        unique_together = [("checkresult", "listentry")]

    def __str__(self) -> str:
        return f"{self.checkresult_id}:{self.listentry_id}"


class CheckResultMeasure(models.Model):
    """A measure that applied in a check result (the link table, as CheckResultEntry)."""

    checkresult = models.ForeignKey(CheckResult, on_delete=models.CASCADE, db_index=False)
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE)

    class Meta:
        db_table = "measures_checkresult_measures"
        unique_together = [("checkresult", "measure")]

    def __str__(self) -> str:
        return f"{self.checkresult_id}:{self.measure_id}"


class FeedbackOutcome(models.TextChoices):
    APPLIED = "applied", "已实施"
    NOT_APPLICABLE = "not_applicable", "不适用"
    EXEMPTED = "exempted", "依法豁免"


class Feedback(models.Model):
    """Execution feedback (执行反馈) for one measure on one subject of a check."""

    result = models.ForeignKey(CheckResult, on_delete=models.PROTECT, related_name="feedback")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="feedback")
    outcome = models.CharField("结果", max_length=16, choices=FeedbackOutcome.choices)
    reason = models.TextField("理由", blank=True)
    applied_on = models.DateField("实施日期")
    filed_by = models.CharField("反馈人", max_length=80)
    filed_at = models.DateTimeField("反馈时间")

    class Meta:
        verbose_name = "执行反馈"
        verbose_name_plural = "执行反馈"
        constraints = [
            models.UniqueConstraint(fields=["result", "measure"], name="feedback_once_per_measure"),
            models.CheckConstraint(
                condition=Q(outcome="applied") | ~Q(reason=""), name="feedback_reason_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result_id}:{self.measure_id} {self.outcome}"


class MemorandaVersion(models.Model):
    """One load of memoranda.yaml that changed something: its SHA-256 and what changed. The newest row's id is
    the revision the per-process measure cache (rulebook.py) compares against."""

    sha256 = models.CharField("文件 SHA-256", max_length=64)
    loaded_at = models.DateTimeField("载入时间")
    loaded_by = models.CharField("载入者", max_length=80)
    summary = models.JSONField("变更摘要", default=dict)

    class Meta:
        ordering = ["-id"]
        verbose_name = "措施清单版本"
        verbose_name_plural = "措施清单版本"

    def __str__(self) -> str:
        return f"#{self.pk} {self.sha256[:12]}"
