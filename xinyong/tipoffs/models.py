"""Dishonesty reports (失信行为举报, docs/domain.md "Report (whistleblowing)"; plan tasks 13, 17 and 19:
失信行为有奖举报制度, and 14).

submitted ──accept──▶ accepted ──investigate──▶ investigating ──▶ substantiated ──reward, close──▶ closed
    ├─refuse──▶ refused                                          └─▶ unsubstantiated ──close──▶ closed
    └─route (改派 by the credit office: stays submitted)

Every step is a `TipoffTransition` row (actor, time, reason) written by one service per step
(tipoffs/services/) with an audit event. The reporter's identity is stored only as Fernet ciphertext under the
key that protects resident ID numbers (ADR 0004) plus masked display forms; the reporter follows the report
with its query code (查询码).
"""

from django.db import models
from django.db.models import Q


class TipoffState(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已受理"
    REFUSED = "refused", "不予受理"
    INVESTIGATING = "investigating", "调查核实中"
    SUBSTANTIATED = "substantiated", "举报属实"
    UNSUBSTANTIATED = "unsubstantiated", "举报不属实"
    CLOSED = "closed", "已办结"


# The state machine as plain data: state → {action: state it leads to} (audit/transitions.py enforces it).
TRANSITIONS: dict[str, dict[str, str]] = {
    TipoffState.SUBMITTED: {"accept": TipoffState.ACCEPTED, "refuse": TipoffState.REFUSED,
                            "route": TipoffState.SUBMITTED},
    TipoffState.ACCEPTED: {"investigate": TipoffState.INVESTIGATING},
    TipoffState.INVESTIGATING: {"substantiate": TipoffState.SUBSTANTIATED,
                                "unsubstantiate": TipoffState.UNSUBSTANTIATED},
    TipoffState.SUBSTANTIATED: {"reward": TipoffState.SUBSTANTIATED, "close": TipoffState.CLOSED},
    TipoffState.UNSUBSTANTIATED: {"close": TipoffState.CLOSED},
    TipoffState.REFUSED: {},
    TipoffState.CLOSED: {},
}  # fmt: skip

ACTION_LABELS = {
    "file": "提交举报",
    "accept": "受理",
    "refuse": "不予受理",
    "route": "改派",
    "investigate": "开始调查核实",
    "substantiate": "认定举报属实",
    "unsubstantiate": "认定举报不属实",
    "reward": "作出奖励决定",
    "close": "办结",
}

# States in which a report still waits for its handling unit (the inbox).
OPEN_STATES = [
    TipoffState.SUBMITTED,
    TipoffState.ACCEPTED,
    TipoffState.INVESTIGATING,
    TipoffState.SUBSTANTIATED,
    TipoffState.UNSUBSTANTIATED,
]


class Outcome(models.TextChoices):
    SUBSTANTIATED = "substantiated", "属实"
    UNSUBSTANTIATED = "unsubstantiated", "不属实"


class RewardDecision(models.TextChoices):
    NONE = "none", "未作出奖励决定"
    GRANTED = "granted", "给予奖励"
    REFUSED = "refused", "不予奖励"


class Tipoff(models.Model):
    """One report of dishonest conduct against a subject, with its evidence and its handling."""

    query_code = models.CharField("查询码", max_length=22, unique=True)
    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tipoffs",
        help_text="举报人所称主体未能对应到平台主体时为空",
    )
    subject_text = models.CharField(
        "被举报主体（举报人所填）", max_length=200, help_text="身份号码只保存脱敏形式"
    )
    category = models.ForeignKey(
        "catalog.Category", on_delete=models.PROTECT, related_name="tipoffs", verbose_name="失信行为类别"
    )
    handling_unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="tipoffs", verbose_name="承办单位"
    )
    description = models.TextField("举报内容")
    evidence_ids = models.JSONField("证明材料", default=list, blank=True, help_text="core.EvidenceFile 的 id")
    anonymous = models.BooleanField("匿名举报", default=False)
    reporter_name_cipher = models.TextField("举报人姓名（密文）", blank=True, default="")
    reporter_phone_cipher = models.TextField("举报人电话（密文）", blank=True, default="")
    reporter_id_cipher = models.TextField("举报人身份号码（密文）", blank=True, default="")
    reporter_masked = models.CharField("举报人（脱敏）", max_length=80, blank=True, default="")
    state = models.CharField(
        "状态", max_length=16, choices=TipoffState.choices, default=TipoffState.SUBMITTED
    )
    filed_at = models.DateTimeField("举报时间")
    accept_deadline = models.DateTimeField("受理截止")
    accept_deadline_provisional = models.BooleanField(default=False)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    conclude_deadline = models.DateTimeField("办结截止", null=True, blank=True)
    conclude_deadline_provisional = models.BooleanField(default=False)
    refusal_reason = models.TextField("不予受理理由", blank=True)
    findings = models.TextField("调查结论", blank=True)
    outcome = models.CharField("认定结果", max_length=16, choices=Outcome.choices, blank=True)
    concluded_at = models.DateTimeField("认定时间", null=True, blank=True)
    reward_decision = models.CharField(
        "奖励决定", max_length=8, choices=RewardDecision.choices, default=RewardDecision.NONE
    )
    reward_amount = models.DecimalField(
        "奖励金额（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    reward_text = models.TextField("奖励决定内容或不予奖励理由", blank=True)
    reward_decided_at = models.DateTimeField("奖励决定时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="每次状态变更加一")

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = "失信行为举报"
        verbose_name_plural = "失信行为举报"
        constraints = [
            models.CheckConstraint(condition=Q(state__in=TipoffState.values), name="tipoff_state_valid"),
            models.CheckConstraint(
                condition=Q(outcome__in=["", *Outcome.values]), name="tipoff_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(reward_decision__in=RewardDecision.values), name="tipoff_reward_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False)
                | Q(
                    reporter_name_cipher="",
                    reporter_phone_cipher="",
                    reporter_id_cipher="",
                    reporter_masked="",
                ),
                name="tipoff_anonymous_has_no_identity",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=~Q(reward_decision=RewardDecision.GRANTED) | Q(reward_amount__gt=0),
                name="tipoff_reward_granted_has_amount",
            ),
            models.CheckConstraint(
                condition=Q(reward_decision=RewardDecision.NONE) | Q(outcome=Outcome.SUBSTANTIATED),
                name="tipoff_reward_only_when_substantiated",
            ),
        ]
        indexes = [models.Index(fields=["handling_unit", "state"], name="tipoff_unit_state_idx")]

    def __str__(self) -> str:
        return f"举报 {self.pk}（{self.get_state_display()}）"


class TipoffTransition(models.Model):
    """One step of a report's handling: who did what, when, why (the filing is the first, from no state)."""

    tipoff = models.ForeignKey(Tipoff, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=16)
    from_state = models.CharField(max_length=16, choices=TipoffState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=TipoffState.choices)
    actor = models.CharField(max_length=80)
    unit_code = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["tipoff", "at", "id"]
        verbose_name = "举报办理记录"
        verbose_name_plural = "举报办理记录"

    def __str__(self) -> str:
        return f"{self.tipoff_id}: {self.from_state}→{self.to_state}"
