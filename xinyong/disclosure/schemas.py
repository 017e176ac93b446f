"""API shapes of the disclosure app: the subject profile (信用档案) as each tier may read it, the query log
and consents."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class ProfileFieldOut(Schema):
    code: str
    name: str
    value: str


class ProfileRecordOut(Schema):
    record_id: int
    unit: str
    unit_name: str
    doc_no: str
    decision_date: str
    severity: str
    severity_source: str | None = Field(
        None,
        description="严重程度来源：provider 报送单位给出 | procedure 按处罚程序"
        " | penalty_type_default 按处罚类别默认 | category_default 按信息类别默认 | 空 = 未记录；"
        "仅政务共享层级（部门查询者与本人）返回",
        examples=["penalty_type_default"],
    )
    status: str
    status_label: str
    shown: bool = Field(..., description="公示中（社会公开）；false 为仅留存（政务层级和本人可见）")
    under_objection_since: str | None = Field(None, description="异议处理中的记录：异议受理时间")
    publish_until: str | None
    fields: list[ProfileFieldOut]


class ProfileCategoryOut(Schema):
    code: str
    name: str
    polarity: str
    count: int
    records: list[ProfileRecordOut]


class NameHistoryOut(Schema):
    name: str
    valid_from: str
    valid_to: str | None


class ProfileSubjectOut(Schema):
    code: str
    kind: str
    kind_label: str
    status: str
    name: str | None
    district: str
    industry: str
    name_history: list[NameHistoryOut]


class ProfileEntryOut(Schema):
    entry_id: int
    list_type: str
    list_type_name: str
    list_kind: str = Field(..., description="red | black | attention")
    public: bool = Field(..., description="名单类型是否公开（非公开名单仅政务层级和本人可见）")
    state: str = Field(..., description="published（当前在列）| exited（已移出，仅政务层级和本人可见）")
    current: bool
    decided_on: str | None
    published_on: str | None
    expires_on: str | None = Field(None, description="在名单上的最后一日；空为无固定期限")
    exited_on: str | None
    exit_reason: str
    deciding_unit: str
    legal_basis: str
    under_objection_since: str | None = Field(None, description="异议处理中：标注时间")


class ProfileOut(Schema):
    viewer: str = Field(..., description="public | institution | government | self", examples=["public"])
    tiers: list[str]
    subject: ProfileSubjectOut
    categories: list[ProfileCategoryOut]
    list_entries: list[ProfileEntryOut]


class QueryLogEntryOut(Schema):
    at: str
    action: str
    unit: str
    unit_name: str
    purpose: str
    tiers: list[str]
    case_number: str


class QueryLogOut(Schema):
    items: list[QueryLogEntryOut]
    next_cursor: str | None


class ConsentIn(Schema):
    grantee: str = Field(..., examples=["bj-jinrongju"], description="被授权单位代码或名称")
    purpose: str = Field(..., min_length=1, max_length=200, examples=["贷款审批"])
    valid_until: dt.date


class ConsentOut(Schema):
    id: int
    grantee: str
    grantee_name: str
    purpose: str
    valid_until: dt.date
    granted_at: str
    revoked_at: str | None


class ConsentPageOut(Schema):
    items: list[ConsentOut]
    next_cursor: str | None
