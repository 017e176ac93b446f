"""Request and answer shapes of /api/v1/objections and /api/v1/repairs."""

from __future__ import annotations

from ninja import Field, Schema


class ObjectionFileIn(Schema):
    """Form fields of an objection (multipart/form-data; evidence in `files`, power of attorney in
    `authorisation`)."""

    target_kind: str = Field(
        ..., description="record | list_entry | publication | repair", examples=["record"]
    )
    target_id: int = Field(..., examples=[12])
    grounds: str = Field(
        ...,
        description="error | omission | duplicate | not_publishable | past_period | wrong_authority | other",
        examples=["error"],
    )
    description: str = Field(..., max_length=4000, examples=["罚款金额应为一万元"])
    applicant_name: str = Field(..., max_length=200, examples=["北京华信科技有限公司"])
    agent_name: str = Field("", max_length=200, description="由代理人提出时填写，并上传授权委托书")


class ReasonIn(Schema):
    reason: str = Field("", max_length=4000)


class VerifyIn(Schema):
    outcome: str = Field(..., description="corrected | upheld | unresolved", examples=["upheld"])
    verification: str = Field(..., max_length=4000, examples=["经核实，信息与处罚决定书一致"])


class ReplyIn(Schema):
    reply: str = Field(..., max_length=8000)


class StepOut(Schema):
    action: str
    action_label: str
    from_state: str
    to_state: str
    at: str
    reason: str
    actor: str | None = Field(None, description="仅政府部门可见")


class RemedySubjectRefOut(Schema):
    id: int
    code: str
    name: str | None


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str


class ObjectionOut(Schema):
    id: int
    query_code: str | None = Field(None, description="仅在提交时和信用主体本人可见")
    subject: RemedySubjectRefOut
    target_kind: str
    record_id: int | None
    list_entry_id: int | None
    repair_id: int | None
    grounds: str
    grounds_label: str
    description: str
    evidence: list[EvidenceOut]
    applicant_name: str
    agent_name: str
    state: str
    state_label: str
    outcome: str
    provider_unit: str
    provider_unit_name: str
    filed_at: str
    accept_due: str
    verify_due: str | None
    deadline_provisional: bool
    accepted_at: str | None
    verified_at: str | None
    verification: str
    reply: str
    replied_at: str | None
    escalated_at: str | None
    flagged_at: str | None = Field(
        None,
        description="目标标注“异议处理中”的时间：主体本人或提供单位提出的，提交即标注；其他人提出的，"
        "受理时标注；未标注为空",
    )
    overdue: bool
    steps: list[StepOut]


class ObjectionPageOut(Schema):
    items: list[ObjectionOut]
    next_cursor: str | None


class ProgressOut(Schema):
    """What an applicant sees by query code: where its case stands, the deadlines, the outcome and the reply;
    never the officers' names."""

    query_code: str
    kind: str = Field(..., description="objection | repair")
    state: str
    state_label: str
    target_kind: str
    filed_at: str
    deadlines: dict[str, str | None]
    outcome: str
    result: str = Field(..., description="核实意见 / 修复决定理由")
    reply: str
    steps: list[StepOut]


class ObjectionStatsRowOut(Schema):
    unit: str
    unit_name: str
    received: int
    open: int
    overdue: int
    verified: int
    verified_late: int
    on_time_rate: float | None


class ObjectionStatsOut(Schema):
    rows: list[ObjectionStatsRowOut]


class RepairPreviewIn(Schema):
    target_kind: str = Field(..., description="record | list_entry", examples=["record"])
    target_id: int
    evidence_count: int = Field(0, ge=0, le=10, description="将上传的履行义务证明材料份数")
    certificate_no: str = Field("", max_length=32)


class ConditionOut(Schema):
    code: str
    label: str
    met: bool
    detail: str


class RepairPreviewOut(Schema):
    target_kind: str
    target_id: int
    deciding_unit: str
    all_met: bool
    conditions: list[ConditionOut]


class RepairApplyIn(Schema):
    """Form fields of a repair application (multipart/form-data; evidence of performed obligations in
    `files`)."""

    target_kind: str = Field(..., description="record | list_entry")
    target_id: int
    statement: str = Field(..., max_length=4000)
    applicant_name: str = Field(..., max_length=200)
    certificate_no: str = Field(
        "", max_length=32, description="信用修复培训结业证书编号（名单类型要求培训时）"
    )


class RepairCheckIn(Schema):
    passed: bool
    reason: str = Field("", max_length=4000)


class RepairDecisionIn(Schema):
    approve: bool
    reason: str = Field(..., max_length=4000)


class RepairOut(Schema):
    id: int
    query_code: str | None = None
    subject: RemedySubjectRefOut
    target_kind: str
    record_id: int | None
    list_entry_id: int | None
    deciding_unit: str
    deciding_unit_name: str
    statement: str
    evidence: list[EvidenceOut]
    commitment_id: int | None
    certificate_no: str
    conditions: list[ConditionOut]
    applicant_name: str
    state: str
    state_label: str
    filed_at: str
    overall_due: str
    decide_due: str | None
    share_due: str | None
    deadline_provisional: bool
    decided_at: str | None
    decision_reason: str
    under_objection_since: str | None
    overdue: bool
    steps: list[StepOut]


class RepairPageOut(Schema):
    items: list[RepairOut]
    next_cursor: str | None
