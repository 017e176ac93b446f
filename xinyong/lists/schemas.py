"""Input and output schemas of /api/v1/lists (never the models themselves). Instants are ISO 8601 in Beijing
time (+08:00); dates are business dates."""

from __future__ import annotations

from ninja import Field, Schema


class ListTypeOut(Schema):
    code: str = Field(..., examples=["scjg-yzsx"])
    name: str = Field(..., examples=["市场监督管理严重违法失信名单"])
    kind: str = Field(..., description="black 黑名单 | red 红名单 | attention 重点关注", examples=["black"])
    kind_label: str
    legal_basis: str
    criteria: str
    deciding_unit: str = Field(..., examples=["bj-gongshangju"])
    deciding_unit_name: str = Field(..., examples=["市工商局"])
    duration_months: int | None = Field(..., description="期限（月）；空为无固定期限", examples=[36])
    earliest_exit_months: int = Field(..., examples=[12])
    repairable: bool
    training_required: bool
    public: bool
    statement_working_days: int = Field(..., examples=[5])
    remedy: str
    category: str | None = Field(..., examples=["YZSX"])


class ListTypesOut(Schema):
    count: int
    list_types: list[ListTypeOut]


class EntryProposeIn(Schema):
    list_type: str = Field(..., examples=["scjg-yzsx"])
    subject: str = Field(
        ..., description="主体的任一代码（统一社会信用代码等）", examples=["91110108000123457G"]
    )
    basis_record_ids: list[int] = Field(
        ..., description="依据的信用信息 id（该主体的现行版本）", examples=[[12]]
    )
    legal_basis: str = Field(..., examples=["《市场监督管理严重违法失信名单管理办法》第二条"])
    reasons: str = Field(..., examples=["在商品包装上作虚假宣传，受到从重罚款的较重行政处罚"])


class ReviewIn(Schema):
    approve: bool = Field(..., description="true 审核通过（发出告知书）；false 审核不通过（须说明理由）")
    reason: str = Field("", examples=["依据充分，同意列入程序"])


class StatementIn(Schema):
    text: str = Field("", examples=["处罚决定已申请行政复议，请暂缓列入"])
    kind: str = Field("statement", description="statement 陈述申辩 | objection 异议", examples=["statement"])
    waive: bool = Field(False, description="true：声明放弃陈述申辩（此后可以提前作出决定）")


class ListDecisionIn(Schema):
    remedy: str = Field(..., examples=["对列入决定不服的，可以自知道该决定之日起六十日内申请行政复议。"])
    reason: str = Field("", description="对陈述申辩的采纳情况（当事人提出陈述申辩时必填）")
    duration_months: int | None = Field(
        None, description="本条目期限（月），不超过名单类型期限", examples=[24]
    )


class ExitIn(Schema):
    reason_code: str = Field(
        ..., description="expiry 期满 | repair 信用修复 | revocation 撤销 | court 法院裁判"
    )
    reason: str = Field(..., examples=["行政处罚决定被复议机关撤销"])


class ListWithdrawIn(Schema):
    reason: str = Field(..., examples=["案件复查，暂不列入"])


class ListSubjectRefOut(Schema):
    id: int
    code: str = Field(..., description="统一社会信用代码等；自然人为遮蔽后的证件号码")
    kind: str
    name: str | None = Field(..., description="自然人的姓名只向本人显示")


class TransitionOut(Schema):
    action: str = Field(..., examples=["approve"])
    action_label: str
    from_state: str
    to_state: str
    actor: str | None = Field(..., description="操作者（仅政务角色可见）")
    unit_code: str
    reason: str
    at: str


class StatementOut(Schema):
    id: int
    entry_id: int
    kind: str
    text: str
    on_behalf: bool
    at: str


class EntryOut(Schema):
    id: int
    list_type: str
    list_type_name: str
    kind: str
    state: str = Field(..., examples=["published"])
    state_label: str
    subject: ListSubjectRefOut
    legal_basis: str
    reasons: str
    basis_record_ids: list[int]
    proposing_unit: str
    deciding_unit: str
    proposed_at: str
    statement_deadline: str | None
    statement_deadline_provisional: bool
    statement_waived: bool
    decided_at: str | None
    remedy: str
    duration_months: int | None
    published_at: str | None
    expires_on: str | None = Field(..., description="在名单上的最后一日")
    earliest_exit_on: str | None
    exited_at: str | None
    under_objection_since: str | None = Field(None, description="异议处理中（标注自该时刻）；无异议为空")
    exit_reason: str
    version: int
    transitions: list[TransitionOut] | None = Field(None, description="仅在单个条目的详情中")
    statements: list[StatementOut] | None = Field(None, description="陈述申辩（仅政务角色和主体本人可见）")


class EntryPageOut(Schema):
    items: list[EntryOut]
    next_cursor: str | None


class NoticeOut(Schema):
    id: int
    entry_id: int
    list_type: str
    kind: str = Field(..., description="notice 告知书 | decision 决定书")
    title: str
    body: str
    deadline: str | None
    sent_at: str
    read_at: str | None


class NoticeListOut(Schema):
    items: list[NoticeOut]
    next_cursor: str | None
