"""Input and output schemas of /api/v1/tipoffs (never the models themselves). Instants are ISO 8601 in
Beijing time (+08:00). The reporter's identity appears only in `TipoffDetailOut.reporter`."""

from __future__ import annotations

from ninja import Field, Schema


class TipoffFileIn(Schema):
    """The form fields of a report (multipart/form-data, with the evidence files as `files`)."""

    subject: str = Field(
        ..., max_length=200, description="被举报主体：名称或任一代码", examples=["北京华信科技有限公司"]
    )
    category: str = Field(..., max_length=16, description="失信行为所属目录类别代码", examples=["CF"])
    description: str = Field(..., max_length=5000, description="举报内容（失信行为的事实）")
    unit: str = Field("", max_length=100, description="举报人指定的承办单位（可空：按目录提供单位分派）",
                      examples=["市工商局"])  # fmt: skip
    anonymous: bool = Field(False, description="匿名举报（不填写举报人信息）")
    reporter_name: str = Field("", max_length=30, description="举报人姓名（实名举报必填）")
    reporter_phone: str = Field(
        "", max_length=20, description="联系电话（实名举报必填）", examples=["13800138000"]
    )
    reporter_id_number: str = Field("", max_length=20, description="举报人公民身份号码（可空）")


class TipoffFiledOut(Schema):
    query_code: str = Field(
        ..., description="查询码：凭此查询办理进度，请妥善保存", examples=["JB-7K2M-Q9PD-3XTA-HV0C"]
    )
    state: str = Field(..., examples=["submitted"])
    state_label: str
    handling_unit_name: str = Field(..., examples=["市工商局"])
    filed_at: str
    accept_deadline: str
    evidence_count: int


class TipoffRewardOut(Schema):
    decision: str = Field(
        ..., description="none 未决定 | granted 给予奖励 | refused 不予奖励", examples=["granted"]
    )
    decision_label: str
    amount_yuan: str | None = Field(..., description="奖励金额（元）", examples=["2000.00"])
    text: str = Field(..., description="奖励决定内容或不予奖励理由")
    decided_at: str | None


class TipoffStepOut(Schema):
    action: str
    action_label: str
    at: str


class TipoffProgressOut(Schema):
    """What the reporter sees: no identity, no officers' labels."""

    state: str
    state_label: str
    category_name: str
    handling_unit_name: str
    filed_at: str
    accept_deadline: str
    accepted_at: str | None
    conclude_deadline: str | None
    refusal_reason: str
    outcome: str = Field(..., description="substantiated 属实 | unsubstantiated 不属实 | 空")
    findings: str
    concluded_at: str | None
    reward: TipoffRewardOut
    closed_at: str | None
    steps: list[TipoffStepOut]


class TipoffTransitionOut(Schema):
    action: str
    action_label: str
    from_state: str
    to_state: str
    actor: str
    unit_code: str
    reason: str
    at: str


class TipoffEvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class TipoffSubjectOut(Schema):
    id: int | None = Field(..., description="平台主体 id；未能对应到主体时为空")
    text: str = Field(..., description="举报人所填（身份号码已脱敏）")


class TipoffOverdueOut(Schema):
    kind: str = Field(..., description="accept 受理期限 | conclude 办结期限 | 空（无进行中的期限）")
    deadline: str | None
    overdue: bool
    working_days_late: int


class TipoffCaseOut(Schema):
    """The handling unit's view without the reporter's identity in clear (masked only)."""

    id: int
    state: str
    state_label: str
    category: str
    category_name: str
    handling_unit: str
    handling_unit_name: str
    subject: TipoffSubjectOut
    description: str
    evidence: list[TipoffEvidenceOut]
    anonymous: bool
    reporter_masked: str = Field(..., examples=["张*，138****8000"])
    filed_at: str
    accept_deadline: str
    accept_deadline_provisional: bool
    accepted_at: str | None
    conclude_deadline: str | None
    conclude_deadline_provisional: bool
    refusal_reason: str
    outcome: str
    findings: str
    concluded_at: str | None
    reward: TipoffRewardOut
    closed_at: str | None
    due: TipoffOverdueOut
    version: int
    transitions: list[TipoffTransitionOut]


class TipoffReporterOut(Schema):
    name: str
    phone: str
    id_number: str


class TipoffDetailOut(TipoffCaseOut):
    reporter: TipoffReporterOut | None = Field(..., description="举报人身份（匿名为空）；每次读取记入审计")


class TipoffInboxItemOut(Schema):
    id: int
    state: str
    state_label: str
    category: str
    subject_text: str
    filed_at: str
    due: TipoffOverdueOut


class TipoffInboxOut(Schema):
    unit: str
    count: int
    overdue: int
    items: list[TipoffInboxItemOut]
    next_cursor: str | None = None


class TipoffRefuseIn(Schema):
    reason: str = Field(..., description="不予受理理由", examples=["举报事项不属于本单位职责"])


class TipoffRouteIn(Schema):
    unit: str = Field(..., description="改派至的单位（代码或名称）", examples=["bj-gongshangju"])
    reason: str = ""


class TipoffConcludeIn(Schema):
    substantiated: bool
    findings: str = Field(..., description="调查结论")


class TipoffRewardIn(Schema):
    grant: bool
    amount_yuan: str | None = Field(None, description="奖励金额（元，最多两位小数）", examples=["2000.00"])
    text: str = Field(..., description="奖励决定内容或不予奖励理由")


class TipoffCloseIn(Schema):
    reason: str = ""
