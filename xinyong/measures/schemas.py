"""Input and output schemas of /api/v1/checks, /api/v1/memoranda and /api/v1/matters."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from xinyong.core.api import IsoDate


class CheckIn(Schema):
    matter: str = Field(
        ..., description="行政事项代码或名称", examples=["government-procurement", "政府采购"]
    )
    case_number: str = Field(
        ..., description="案件编号（必填；查询自然人时即为法定依据）", examples=["京财采〔2026〕88号"]
    )
    subjects: list[str] = Field(
        ...,
        description="1–1,000 个主体标识（统一社会信用代码、注册号、组织机构代码、税务登记号或公民身份号码），"
        "按顺序作答，重复保留",
        examples=[["91110108MA01ABCD2X"]],
    )


class DictOut(BaseModel):
    """An output built from plain dicts (the check answer: up to 1,000 results of nested dicts): validated by
    pydantic itself, without ninja Schema's wrapper around every nested object, which took ten times as long
    (0.07 against 0.006 ms for a one-subject answer; docs/performance.md, issue 5). Objects are read by
    attribute."""

    model_config = ConfigDict(from_attributes=True)


class CodeName(DictOut):
    code: str
    name: str


class CheckErrorOut(DictOut):
    code: str = Field(..., examples=["uscc.check_character"])
    message: str


class CheckSubjectOut(DictOut):
    code: str = Field(..., description="统一社会信用代码、注册号，或脱敏的公民身份号码")
    name: str = Field(..., description="名称；自然人姓名脱敏")
    kind: str


class CheckEntryOut(DictOut):
    entry_id: int
    list_type: str = Field(..., examples=["court-judgment-defaulters"])
    list_type_name: str
    list_kind: str = Field(..., examples=["black"])
    since: dt.date | None = Field(None, description="公布日期")
    until: dt.date | None = Field(None, description="到期日；空为无固定期限")
    under_objection: bool = Field(False, description="异议处理中（标注）")


class FeedbackFiledOut(DictOut):
    outcome: str = Field(..., examples=["applied"])
    reason: str
    applied_on: dt.date
    filed_by: str
    filed_at: dt.datetime


class CheckMeasureOut(DictOut):
    code: str = Field(..., examples=["sxbzxr-procurement"])
    kind: str = Field(..., examples=["punishment"])
    strength: str = Field(..., examples=["restrict"])
    text: str
    legal_basis: str
    memorandum: str
    memorandum_title: str
    document_no: str
    list_types: list[str] = Field(..., description="带来该措施的名单类型")
    feedback: FeedbackFiledOut | None = Field(None, description="已提交的执行反馈；空为待反馈")


class NegativeRecordsOut(DictOut):
    category: str = Field(..., examples=["CF"])
    name: str = Field(..., examples=["行政处罚信息"])
    count: int
    latest: dt.date
    under_objection: int = Field(0, description="其中异议处理中（标注）的条数")


class CheckResultOut(DictOut):
    result_id: int
    index: int = Field(..., description="在请求中的位置（从 0 起）")
    identifier: str = Field(..., description="查询标识（公民身份号码脱敏）")
    known: bool
    error: CheckErrorOut | None = Field(
        None, description="标识无效（违反的规则）或未找到主体（subject.not_found）"
    )
    subject: CheckSubjectOut | None = None
    entries: list[CheckEntryOut]
    measures: list[CheckMeasureOut] = Field(..., description="约束本单位、本事项的措施")
    negative_records: list[NegativeRecordsOut]
    records_summary: str | None = Field(None, examples=["行政处罚 3 条（最近 2026-10-28）"])


class CheckOut(DictOut):
    check_id: int
    unit: CodeName
    matter: CodeName
    case_number: str
    checked_by: str
    checked_at: dt.datetime
    feedback_due: dt.datetime | None = Field(
        None, description="反馈截止（北京时间 23:59:59）；无适用措施时为空"
    )
    subjects_count: int
    known_count: int
    applicable_count: int
    feedback_pending: int
    overdue: bool
    results: list[CheckResultOut]


class FeedbackItemIn(Schema):
    result_id: int | None = Field(None, description="核查结果编号（与 identifier 二选一）")
    identifier: str | None = Field(None, description="核查时的主体标识（该主体在本次核查中只出现一次时可用）")
    measure_code: str = Field(..., examples=["sxbzxr-procurement"])
    outcome: str = Field(..., description="applied | not_applicable | exempted", examples=["applied"])
    reason: str = Field("", description="不适用或依法豁免时必填")
    applied_on: IsoDate = Field(..., examples=["2026-11-03"])


class FeedbackIn(Schema):
    items: list[FeedbackItemIn]


class FeedbackCreatedOut(Schema):
    feedback_id: int
    result_id: int
    measure_code: str
    outcome: str
    reason: str
    applied_on: dt.date
    filed_at: dt.datetime


class FeedbackOut(Schema):
    check_id: int
    filed: list[FeedbackCreatedOut]
    feedback_pending: int
    late: bool = Field(..., description="是否晚于反馈截止")


class OverdueCheckOut(Schema):
    check_id: int
    matter: str
    matter_name: str
    case_number: str
    checked_at: dt.datetime
    feedback_due: dt.datetime
    pending: int = Field(..., description="尚未反馈的适用措施数")
    overdue_working_days: int


class OverdueOut(Schema):
    unit: CodeName
    count: int
    items: list[OverdueCheckOut]
    next_cursor: str | None = None


class StatisticsRow(Schema):
    checks: int
    subjects: int = 0
    applicable: int
    applied: int
    not_applicable: int
    exempted: int
    pending: int
    overdue: int
    late: int
    rate: float | None = Field(None, description="奖惩到位率 = 已实施 / 适用措施数")


class StatisticsGroupRow(StatisticsRow):
    code: str
    name: str


class StatisticsFilters(Schema):
    unit: str | None = None
    matter: str | None = None
    measure: str | None = None
    month: str | None = None


class StatisticsOut(Schema):
    filters: StatisticsFilters
    total: StatisticsRow
    by_unit: list[StatisticsGroupRow]
    by_matter: list[StatisticsGroupRow]
    by_measure: list[StatisticsGroupRow]


class MeasureOut(Schema):
    code: str
    kind: str
    kind_label: str
    strength: str
    strength_label: str
    text: str
    legal_basis: str
    implementing_all: bool = Field(..., description="各有关部门均须实施")
    implementing_units: list[CodeName]
    matters: list[CodeName]


class MemorandumOut(Schema):
    code: str
    title: str
    document_no: str
    signed_on: dt.date
    feedback_working_days: int
    active: bool
    list_types: list[CodeName]
    signing_units: list[CodeName]
    measures: list[MeasureOut]


class MemorandumListOut(Schema):
    count: int
    memoranda: list[MemorandumOut]


class MatterListOut(Schema):
    count: int
    matters: list[CodeName]
