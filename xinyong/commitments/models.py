"""Credit commitments (信用承诺) and credit-repair training (信用修复培训), docs/domain.md Commitment and
Training; plan tasks 14, 17 and 37.

A commitment is signed from a template (its text frozen as signed), accepted by a unit and verified by it
before a due date:

    signed ──verify──▶ kept | broken (→ a negative record of category XYCNWY)
       └──withdraw──▶ withdrawn (by the subject, before verification)

Training: courses (online or offline) given by a provider unit, enrolments and completions whose certificate
number a repair application can reference.
"""

from django.db import models
from django.db.models import Q


class CommitmentKind(models.TextChoices):
    APPROVAL = "approval", "审批替代型（告知承诺）"
    VOLUNTARY = "voluntary", "主动型承诺"
    INDUSTRY = "industry", "行业自律型承诺"
    REPAIR = "repair", "信用修复型承诺"


class CommitmentTemplate(models.Model):
    """A commitment text with placeholders (commitments/data/commitments.yaml), e.g. {subject_name}."""

    code = models.SlugField("代码", max_length=64, unique=True)
    kind = models.CharField("承诺类型", max_length=16, choices=CommitmentKind.choices)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("承诺书文本", help_text="占位符见 commitments/data/commitments.yaml")
    verify_months = models.PositiveSmallIntegerField("核查期限（月）", default=3)
    public = models.BooleanField(
        "公示",
        default=False,
        help_text="按此模板签署的承诺作为信用承诺信息（XYCN）公示（信用中国公示告知承诺等）",
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "承诺书模板"
        verbose_name_plural = "承诺书模板"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=CommitmentKind.values), name="commitment_tpl_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CommitmentState(models.TextChoices):
    SIGNED = "signed", "已签署（待核查）"
    KEPT = "kept", "已履约"
    BROKEN = "broken", "未履约（违诺）"
    WITHDRAWN = "withdrawn", "已撤回"


# The state machine as plain data: state → action → state (commitments/services enforce it).
TRANSITIONS: dict[str, dict[str, str]] = {
    CommitmentState.SIGNED: {
        "keep": CommitmentState.KEPT,
        "break": CommitmentState.BROKEN,
        "withdraw": CommitmentState.WITHDRAWN,
    },
    CommitmentState.KEPT: {},
    CommitmentState.BROKEN: {},
    CommitmentState.WITHDRAWN: {},
}


class TargetKind(models.TextChoices):
    RECORD = "record", "信用信息"
    LIST_ENTRY = "list_entry", "名单条目"


class Commitment(models.Model):
    """One signed commitment of one subject, accepted by one unit (受理单位)."""

    kind = models.CharField("承诺类型", max_length=16, choices=CommitmentKind.choices)
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="commitments")
    template = models.ForeignKey(CommitmentTemplate, on_delete=models.PROTECT, related_name="commitments")
    text = models.TextField("承诺书全文（签署时）")
    matter = models.CharField("承诺事项", max_length=200)
    accepting_unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="accepted_commitments",
        verbose_name="受理单位",
    )
    signer_name = models.CharField("签署人", max_length=80)
    signed_at = models.DateTimeField("签署时间")
    signed_by = models.CharField(
        "登记人", max_length=80, help_text="主体本人账户，或代为登记书面承诺的工作人员"
    )
    on_behalf = models.BooleanField("工作人员代为登记（书面承诺）", default=False)
    evidence = models.TextField("书面承诺凭证", blank=True)
    verify_due = models.DateField("核查期限", help_text="受理单位应在此日之前核查履约情况")
    state = models.CharField(
        "状态", max_length=16, choices=CommitmentState.choices, default=CommitmentState.SIGNED
    )
    verified_at = models.DateTimeField("核查时间", null=True, blank=True)
    verified_by = models.CharField("核查人", max_length=80, blank=True)
    result = models.TextField("核查结论", blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    target_kind = models.CharField(
        "修复对象类型", max_length=16, choices=TargetKind.choices, blank=True, help_text="仅信用修复型承诺"
    )
    target_id = models.BigIntegerField("修复对象", null=True, blank=True)
    public_record = models.ForeignKey(
        "records.Record",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="公示的信用承诺信息",
        help_text="模板公示时：签署时记入的 XYCN 信息（核查后为其最新版本）",
    )
    breach_record = models.ForeignKey(
        "records.Record",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="违诺失信信息",
    )

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = "信用承诺"
        verbose_name_plural = "信用承诺"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CommitmentKind.values), name="commitment_kind_valid"),
            models.CheckConstraint(
                condition=Q(state__in=CommitmentState.values), name="commitment_state_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=CommitmentKind.REPAIR, target_kind__in=TargetKind.values, target_id__isnull=False)
                    | (~Q(kind=CommitmentKind.REPAIR) & Q(target_kind="", target_id__isnull=True))
                ),
                name="commitment_repair_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[CommitmentState.KEPT, CommitmentState.BROKEN])
                | Q(verified_at__isnull=False),
                name="commitment_verified_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state=CommitmentState.BROKEN) | Q(breach_record__isnull=False),
                name="commitment_broken_has_record",
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "kind", "state"], name="commitment_subject_idx"),
            models.Index(fields=["state", "verify_due"], name="commitment_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.matter}"


class CourseMode(models.TextChoices):
    ONLINE = "online", "线上"
    OFFLINE = "offline", "线下"


class Course(models.Model):
    """A credit-repair training course (信用修复培训课程)."""

    code = models.SlugField("代码", max_length=64, unique=True)
    title = models.CharField("名称", max_length=200)
    mode = models.CharField("形式", max_length=8, choices=CourseMode.choices)
    hours = models.PositiveSmallIntegerField("学时")
    provider = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="courses", verbose_name="培训单位"
    )
    list_types = models.JSONField(
        "适用名单类型", default=list, blank=True, help_text="名单类型代码；空为适用于全部名单"
    )
    description = models.TextField("课程说明", blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "修复培训课程"
        verbose_name_plural = "修复培训课程"
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=CourseMode.values), name="course_mode_valid")
        ]

    def __str__(self) -> str:
        return self.title

    def serves(self, list_type_code: str | None) -> bool:
        """Whether a completion of this course counts for a list type (an empty list serves every type)."""
        return list_type_code is None or not self.list_types or list_type_code in self.list_types


class Enrolment(models.Model):
    """One subject in one course; completed with a certificate number (结业证书编号)."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="enrolments")
    enrolled_at = models.DateTimeField("报名时间")
    enrolled_by = models.CharField("报名登记人", max_length=80)
    completed_at = models.DateTimeField("结业时间", null=True, blank=True)
    completed_by = models.CharField("结业登记人", max_length=80, blank=True)
    certificate_no = models.CharField("结业证书编号", max_length=32, null=True, blank=True, unique=True)
    score = models.PositiveSmallIntegerField("成绩", null=True, blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        ordering = ["-enrolled_at", "-id"]
        verbose_name = "培训报名与结业"
        verbose_name_plural = "培训报名与结业"
        constraints = [
            models.UniqueConstraint(fields=["course", "subject"], name="enrolment_one_per_course"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True, certificate_no__isnull=True)
                | Q(completed_at__isnull=False, certificate_no__isnull=False),
                name="enrolment_completed_has_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id}:{self.subject_id}"
