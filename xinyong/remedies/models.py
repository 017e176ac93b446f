"""Objections (异议) and credit repair (信用修复): how a subject contests what the platform says about it and
repairs its credit (docs/domain.md Objection, Repair; plan tasks 30, 36, 37).

    objection: submitted ─accept─▶ with_provider ─correct | uphold | leave_unresolved─▶
               │                    corrected | upheld | unresolved ─reply─▶ replied
               └─refuse─▶ refused (the refusal is the written reply)
    repair:    submitted ─check─▶ checked ─approve─▶ approved
               └─reject─▶ rejected ◀─reject─┘
               rejected ─reopen─▶ checked (an objection found the rejection wrong)

Both machines are plain data below (audit/transitions.py enforces them). Every step is a
transition row (actor, time, reason) and an audit event. An applicant follows its case by `query_code`,
without an account.
"""

from django.db import models
from django.db.models import Q


class TargetKind(models.TextChoices):
    RECORD = "record", "信用信息"
    LIST_ENTRY = "list_entry", "名单条目"
    PUBLICATION = "publication", "公示期限"
    REPAIR = "repair", "信用修复结果"


class Grounds(models.TextChoices):
    ERROR = "error", "信息有误"
    OMISSION = "omission", "信息遗漏"
    DUPLICATE = "duplicate", "信息重复"
    NOT_PUBLISHABLE = "not_publishable", "不应公示"
    PAST_PERIOD = "past_period", "超过公示期限"
    WRONG_AUTHORITY = "wrong_authority", "认定或提供单位错误"
    OTHER = "other", "其他"


class ObjectionState(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    REFUSED = "refused", "不予受理"
    WITH_PROVIDER = "with_provider", "提供单位核实中"
    CORRECTED = "corrected", "已更正"
    UPHELD = "upheld", "维持原信息"
    UNRESOLVED = "unresolved", "无法核实（保留异议标注）"
    REPLIED = "replied", "已书面答复"


OBJECTION_TRANSITIONS: dict[str, dict[str, str]] = {
    ObjectionState.SUBMITTED: {"accept": ObjectionState.WITH_PROVIDER, "refuse": ObjectionState.REFUSED},
    ObjectionState.WITH_PROVIDER: {"correct": ObjectionState.CORRECTED, "uphold": ObjectionState.UPHELD,
                                   "leave_unresolved": ObjectionState.UNRESOLVED},
    ObjectionState.CORRECTED: {"reply": ObjectionState.REPLIED},
    ObjectionState.UPHELD: {"reply": ObjectionState.REPLIED},
    ObjectionState.UNRESOLVED: {"reply": ObjectionState.REPLIED},
    ObjectionState.REFUSED: {},
    ObjectionState.REPLIED: {},
}  # fmt: skip


class Objection(models.Model):
    """An objection against a record, a list entry, a record's publication period or a repair result."""

    query_code = models.CharField("查询码", max_length=24, unique=True)
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="objections")
    target_kind = models.CharField("异议对象", max_length=16, choices=TargetKind.choices)
    record = models.ForeignKey(
        "records.Record", on_delete=models.PROTECT, null=True, blank=True, related_name="objections",
        help_text="提出异议时的版本",
    )  # fmt: skip
    list_entry = models.ForeignKey(
        "lists.ListEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="objections"
    )
    repair = models.ForeignKey(
        "RepairApplication", on_delete=models.PROTECT, null=True, blank=True, related_name="objections"
    )
    grounds = models.CharField("异议理由", max_length=16, choices=Grounds.choices)
    description = models.TextField("异议说明")
    evidence = models.JSONField("证明材料", default=list, blank=True)
    applicant_name = models.CharField("申请人", max_length=200)
    agent_name = models.CharField("代理人", max_length=200, blank=True)
    agent_authorisation = models.JSONField("授权委托书", default=list, blank=True)
    filed_by = models.CharField("提交者", max_length=80)
    filed_at = models.DateTimeField("提交时间")
    state = models.CharField("状态", max_length=16, choices=ObjectionState.choices, default="submitted")
    provider_unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="objections_to_verify",
        verbose_name="核实单位",
    )
    accept_due = models.DateTimeField("受理期限")
    verify_due = models.DateTimeField("核实期限", null=True, blank=True)
    deadline_provisional = models.BooleanField("期限为临时计算", default=False)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    verification = models.TextField("核实意见", blank=True)
    outcome = models.CharField(
        "核实结果",
        max_length=16,
        blank=True,
        choices=[("corrected", "已更正"), ("upheld", "维持"), ("unresolved", "无法核实")],
        help_text="无法核实的异议在答复后仍保留标注",
    )
    reply = models.TextField("书面答复", blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    escalated_at = models.DateTimeField("逾期督办时间", null=True, blank=True)
    flagged_at = models.DateTimeField(
        "异议标注时间", null=True, blank=True,
        help_text="主体本人或提供单位提出的，提交即标注；其他人提出的，受理时标注（issue 12）",
    )  # fmt: skip
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = "异议"
        verbose_name_plural = "异议"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ObjectionState.values), name="objection_state_valid"
            ),
            models.CheckConstraint(condition=Q(grounds__in=Grounds.values), name="objection_grounds_valid"),
            models.CheckConstraint(
                condition=(Q(target_kind__in=["record", "publication"]) & Q(record__isnull=False))
                | (Q(target_kind="list_entry") & Q(list_entry__isnull=False))
                | (Q(target_kind="repair") & Q(repair__isnull=False)),
                name="objection_target_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["provider_unit", "state"], name="objection_unit_state_idx"),
            # the month's verification deadlines (issue 16 metrics): only accepted objections have one
            models.Index(
                fields=["verify_due"], name="objection_verify_due_idx", condition=Q(verify_due__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"异议 #{self.pk}（{self.get_state_display()}）"


class Step(models.Model):
    """One step of a case's handling: who did what, when, why (the history rows of both machines)."""

    action = models.CharField(max_length=20)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    actor = models.CharField(max_length=80)
    unit_code = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.from_state or '—'}→{self.to_state} {self.action}"


class ObjectionTransition(Step):
    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="transitions")

    class Meta:
        ordering = ["objection", "at", "id"]
        verbose_name = "异议办理记录"
        verbose_name_plural = "异议办理记录"


class RepairState(models.TextChoices):
    SUBMITTED = "submitted", "已受理"
    CHECKED = "checked", "初审通过，待认定单位决定"
    APPROVED = "approved", "准予修复"
    REJECTED = "rejected", "不予修复"


REPAIR_TRANSITIONS: dict[str, dict[str, str]] = {
    RepairState.SUBMITTED: {"check": RepairState.CHECKED, "reject": RepairState.REJECTED},
    RepairState.CHECKED: {"approve": RepairState.APPROVED, "reject": RepairState.REJECTED},
    RepairState.APPROVED: {},
    RepairState.REJECTED: {"reopen": RepairState.CHECKED},
}


class RepairApplication(models.Model):
    """An application to repair a negative record or leave a list early (信用修复申请)."""

    query_code = models.CharField("查询码", max_length=24, unique=True)
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="repairs")
    target_kind = models.CharField("修复对象", max_length=16, choices=TargetKind.choices[:2])
    record = models.ForeignKey(
        "records.Record", on_delete=models.PROTECT, null=True, blank=True, related_name="repairs"
    )
    list_entry = models.ForeignKey(
        "lists.ListEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="repairs"
    )
    deciding_unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="repairs_to_decide", verbose_name="认定单位"
    )
    statement = models.TextField("申请说明")
    evidence = models.JSONField("履行义务证明材料", default=list)
    commitment_id = models.BigIntegerField("信用修复承诺", null=True, blank=True)
    certificate_no = models.CharField("培训证书编号", max_length=32, blank=True)
    conditions = models.JSONField("修复条件核验", default=list)
    applicant_name = models.CharField("申请人", max_length=200)
    filed_by = models.CharField("提交者", max_length=80)
    filed_at = models.DateTimeField("申请时间")
    state = models.CharField("状态", max_length=16, choices=RepairState.choices, default="submitted")
    overall_due = models.DateTimeField("答复期限")
    decide_due = models.DateTimeField("决定期限", null=True, blank=True)
    deadline_provisional = models.BooleanField("期限为临时计算", default=False)
    checked_by = models.CharField("初审人", max_length=80, blank=True)
    decided_by = models.CharField("决定人", max_length=80, blank=True)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decision_reason = models.TextField("决定理由", blank=True)
    share_due = models.DateTimeField("结果共享期限", null=True, blank=True)
    objection_since = models.DateTimeField("异议标注自", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = "信用修复申请"
        verbose_name_plural = "信用修复申请"
        constraints = [
            models.CheckConstraint(condition=Q(state__in=RepairState.values), name="repair_state_valid"),
            models.CheckConstraint(
                condition=(Q(target_kind="record") & Q(record__isnull=False))
                | (Q(target_kind="list_entry") & Q(list_entry__isnull=False)),
                name="repair_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(decided_by="") | ~Q(decided_by=models.F("checked_by")), name="repair_four_eyes"
            ),
        ]
        indexes = [
            models.Index(fields=["deciding_unit", "state"], name="repair_unit_state_idx"),
            # the month's decision deadlines (issue 16 metrics): only checked applications have one
            models.Index(
                fields=["decide_due"], name="repair_decide_due_idx", condition=Q(decide_due__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"修复申请 #{self.pk}（{self.get_state_display()}）"


class RepairTransition(Step):
    repair = models.ForeignKey(RepairApplication, on_delete=models.PROTECT, related_name="transitions")

    class Meta:
        ordering = ["repair", "at", "id"]
        verbose_name = "修复办理记录"
        verbose_name_plural = "修复办理记录"
