"""List types (名单类型) and list entries (名单条目) with their due-process lifecycle
(docs/domain.md, plan task 35).

proposed ──review──▶ notice_sent ──statement period ends──▶ decided ──▶ published ──▶ exited
    └─▶ rejected          └─▶ withdrawn                      └─▶ withdrawn
Every transition is a row in `ListEntryTransition` (actor, time, reason) written by one service per transition
(lists/services/) together with an audit event; `ListEntry.state` is the current state. The proposal itself is
the first row (action `propose`, no from-state). What the subject states during the statement period is kept
in `ListEntryStatement`; what it is told, in `Notice` (告知书 on approval, 决定书 on decision).
"""

from django.db import models
from django.db.models import Q


class ListKind(models.TextChoices):
    RED = "red", "红名单（守信激励）"
    BLACK = "black", "黑名单（严重失信）"
    ATTENTION = "attention", "重点关注名单"


class ListType(models.Model):
    """A list as data (lists/data/list_types.yaml): legal basis, deciding unit, duration, exit rules."""

    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=ListKind.choices)
    legal_basis = models.TextField("设列依据")
    criteria = models.TextField("认定标准")
    deciding_unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="decided_list_types"
    )
    duration_months = models.PositiveIntegerField(
        "期限（月）", null=True, blank=True, help_text="空为无固定期限"
    )
    earliest_exit_months = models.PositiveIntegerField("最早可移出（月）", default=0)
    repairable = models.BooleanField("可信用修复", default=True)
    training_required = models.BooleanField("修复须完成培训", default=False)
    public = models.BooleanField("公开", default=True)
    statement_working_days = models.PositiveSmallIntegerField("陈述申辩期（工作日）", default=5)
    remedy = models.TextField("救济途径", blank=True, help_text="告知书、决定书中载明的救济途径")
    remedy_channels = models.JSONField(
        "救济渠道",
        default=list,
        blank=True,
        help_text="决定书须载明的救济渠道及其期限（lists/remedy.py 检查）",
    )
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="list_types",
        help_text="公示时对应的目录类别",
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "名单类型"
        verbose_name_plural = "名单类型"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ListKind.values), name="list_type_kind_valid")
        ]

    def __str__(self) -> str:
        return self.name


class EntryState(models.TextChoices):
    PROPOSED = "proposed", "已提议"
    NOTICE_SENT = "notice_sent", "已告知"
    DECIDED = "decided", "已决定"
    PUBLISHED = "published", "已公布"
    EXITED = "exited", "已移出"
    REJECTED = "rejected", "未通过审核"
    WITHDRAWN = "withdrawn", "已撤回"


# The state machine as plain data: state → transitions allowed from it (audit/transitions.py enforces it).
TRANSITIONS: dict[str, dict[str, str]] = {
    EntryState.PROPOSED: {"approve": EntryState.NOTICE_SENT, "reject": EntryState.REJECTED,
                          "withdraw": EntryState.WITHDRAWN},
    EntryState.NOTICE_SENT: {"decide": EntryState.DECIDED, "withdraw": EntryState.WITHDRAWN},
    EntryState.DECIDED: {"publish": EntryState.PUBLISHED, "withdraw": EntryState.WITHDRAWN},
    EntryState.PUBLISHED: {"exit": EntryState.EXITED},
    EntryState.EXITED: {},
    EntryState.REJECTED: {},
    EntryState.WITHDRAWN: {},
}  # fmt: skip


# States in which an entry is still open: a subject has at most one open entry per list.
OPEN_STATES = [EntryState.PROPOSED, EntryState.NOTICE_SENT, EntryState.DECIDED, EntryState.PUBLISHED]


class ListEntry(models.Model):
    """One subject on one list, with its basis records and its place in the lifecycle."""

    list_type = models.ForeignKey(ListType, on_delete=models.PROTECT, related_name="entries")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="list_entries")
    state = models.CharField("状态", max_length=16, choices=EntryState.choices, default=EntryState.PROPOSED)
    basis_records = models.ManyToManyField("records.Record", blank=True, related_name="list_entries")
    legal_basis = models.TextField("法律依据")
    reasons = models.TextField("列入理由")
    proposing_unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="proposed_entries"
    )
    proposed_by = models.CharField("提议人", max_length=80)
    proposed_by_user_id = models.BigIntegerField(
        "提议人用户", null=True, blank=True, help_text="四眼原则：同一用户换用其他令牌也不能审核"
    )
    proposed_at = models.DateTimeField("提议时间")
    reviewed_by = models.CharField("审核人", max_length=80, blank=True)
    statement_deadline = models.DateTimeField("陈述申辩截止", null=True, blank=True)
    statement_deadline_provisional = models.BooleanField(default=False)
    statement = models.TextField("陈述申辩", blank=True, help_text="最近一次陈述申辩（全部见陈述申辩记录）")
    statement_waived = models.BooleanField("放弃陈述申辩", default=False)
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    remedy = models.TextField("救济途径", blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    duration_months = models.PositiveIntegerField(
        "本条目期限（月）", null=True, blank=True, help_text="决定时确定；空为按名单类型期限"
    )
    expires_on = models.DateField("到期日", null=True, blank=True, help_text="在名单上的最后一日")
    earliest_exit_on = models.DateField("最早可移出日", null=True, blank=True)
    exited_at = models.DateTimeField("移出时间", null=True, blank=True)
    exit_reason = models.CharField(
        "移出原因",
        max_length=32,
        blank=True,
        choices=[
            ("expiry", "期满"),
            ("repair", "信用修复"),
            ("revocation", "撤销"),
            ("court", "法院裁判"),
            ("superseded", "失信记录导致红名单移出"),
        ],
    )
    version = models.PositiveIntegerField(default=1, help_text="每次状态变更加一（并发保护）")
    objection_since = models.DateTimeField(
        "异议标注自", null=True, blank=True, help_text="异议处理中（由异议服务标注和取消；展示时标注）"
    )

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = "名单条目"
        verbose_name_plural = "名单条目"
        constraints = [
            models.CheckConstraint(condition=Q(state__in=EntryState.values), name="list_entry_state_valid"),
            models.CheckConstraint(
                condition=~Q(reviewed_by=models.F("proposed_by")), name="list_entry_four_eyes"
            ),
            models.UniqueConstraint(
                fields=["list_type", "subject"],
                condition=Q(state__in=OPEN_STATES),
                name="list_entry_one_open_per_list",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[EntryState.PUBLISHED, EntryState.EXITED])
                | Q(published_at__isnull=False),
                name="list_entry_published_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state=EntryState.EXITED) | (Q(exited_at__isnull=False) & ~Q(exit_reason="")),
                name="list_entry_exited_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "state"], name="list_entry_subject_state_idx"),
            models.Index(fields=["state", "expires_on"], name="list_entry_expiry_idx"),
            # the month's entries and exits (issue 16 metrics): only entries that have the time
            models.Index(
                fields=["published_at"],
                name="list_entry_published_idx",
                condition=Q(published_at__isnull=False),
            ),
            models.Index(
                fields=["exited_at"], name="list_entry_exited_idx", condition=Q(exited_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.list_type_id}:{self.subject_id} {self.state}"


class ListEntryTransition(models.Model):
    """One step of an entry's lifecycle: who did what, when, why."""

    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="transitions")
    action = models.CharField(max_length=16)
    from_state = models.CharField(
        max_length=16, choices=EntryState.choices, blank=True, help_text="提议时为空"
    )
    to_state = models.CharField(max_length=16, choices=EntryState.choices)
    actor = models.CharField(max_length=80)
    unit_code = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["entry", "at", "id"]
        verbose_name = "名单状态变更"
        verbose_name_plural = "名单状态变更"

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.from_state}→{self.to_state}"


class StatementKind(models.TextChoices):
    STATEMENT = "statement", "陈述申辩"
    OBJECTION = "objection", "异议"
    WAIVER = "waiver", "放弃陈述申辩"


class ListEntryStatement(models.Model):
    """What the subject said during the statement period (陈述、申辩、异议), or its waiver; either from its
    own account or recorded by an officer from a written statement (`on_behalf`)."""

    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="statements")
    kind = models.CharField("类型", max_length=16, choices=StatementKind.choices)
    text = models.TextField("内容", blank=True)
    on_behalf = models.BooleanField("工作人员代为登记（书面陈述）", default=False)
    recorded_by = models.CharField("登记人", max_length=80)
    unit_code = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ["entry", "at", "id"]
        verbose_name = "陈述申辩"
        verbose_name_plural = "陈述申辩"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=StatementKind.values), name="list_statement_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.get_kind_display()}"


class NoticeKind(models.TextChoices):
    NOTICE = "notice", "告知书"
    DECISION = "decision", "决定书"


class Notice(models.Model):
    """An in-platform notice to a subject: the 告知书 (reasons, basis, rights, the statement deadline) sent on
    approval and the 决定书 (decision, duration, remedy) sent on decision. `content` keeps the letter's parts
    as sent (the letter never changes with later data); `body` is its plain text."""

    entry = models.ForeignKey(ListEntry, on_delete=models.PROTECT, related_name="notices")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField("类型", max_length=16, choices=NoticeKind.choices, default=NoticeKind.NOTICE)
    title = models.CharField(max_length=200)
    body = models.TextField()
    content = models.JSONField("文书要素", default=dict, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = "告知书"
        verbose_name_plural = "告知书"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="notice_kind_valid")
        ]

    def __str__(self) -> str:
        return self.title
