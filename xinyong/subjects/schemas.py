"""API schemas of the subjects endpoints: explicit, never echoing models."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

USCC_EXAMPLE = "91110108MA01ABCD5T"


class AliasOut(Schema):
    kind: str = Field(..., examples=["regno"])
    kind_label: str = Field(..., examples=["工商注册号"])
    value: str = Field(..., examples=["110108000000016"])


class NameOut(Schema):
    name: str = Field(..., examples=["北京某某科技有限公司"])
    valid_from: dt.date = Field(..., examples=["2015-03-01"])
    valid_to: dt.date | None = Field(None, examples=[None])


class SubjectOut(Schema):
    """A credit subject. Anonymous callers get the public tier; for a natural person that is only the
    masked resident ID and the kind. Government roles also see a person's name and name history."""

    code: str = Field(
        ..., description="主代码：统一社会信用代码，否则注册号，否则脱敏身份号码", examples=[USCC_EXAMPLE]
    )
    kind: str = Field(..., examples=["enterprise"])
    kind_label: str = Field(..., examples=["企业"])
    tier: str = Field(..., description="public（社会公开）或 government（政务共享）", examples=["public"])
    name: str | None = Field(None, examples=["北京某某科技有限公司"])
    uscc: str | None = Field(None, examples=[USCC_EXAMPLE])
    masked_id: str | None = Field(None, examples=[None])
    status: str = Field(..., examples=["active"])
    status_label: str = Field(..., examples=["正常"])
    district: str | None = Field(None, examples=["haidian"])
    industry: str | None = Field(None, examples=["软件和信息技术服务业"])
    aliases: list[AliasOut] = Field(default_factory=list)
    corrected_codes: list[str] = Field(
        default_factory=list, description="已更正并指向本主体的旧代码（重错码更正）"
    )
    name_history: list[NameOut] = Field(default_factory=list)


class CodeCorrectedOut(Schema):
    """HTTP 301: the code was corrected (重错码更正); `Location` names the new code when it is public."""

    code: str = Field(..., examples=["subject.code_corrected"])
    status: int = Field(..., examples=[301])
    detail: str = Field(..., examples=["代码 91110108MA01ABCD5T 已更正为 91110108MA01WXYK2B"])
    new_code: str = Field(..., examples=["91110108MA01WXYK2B"])


class CorrectionIn(Schema):
    wrong_code: str = Field(..., description="错误或重复的代码（须为有效代码）", examples=[USCC_EXAMPLE])
    to_code: str = Field(..., description="正确主体的任一代码", examples=["91110108MA01WXYK2B"])
    reason: str = Field(..., examples=["同一企业被重复赋码，经登记机关核实"])
    evidence: str = Field("", examples=["市场监管局核查函 京市监函〔2026〕12号"])


class CorrectionDecisionIn(Schema):
    approve: bool = Field(..., examples=[True])
    note: str = Field("", examples=["经核实，同意更正"])


class CorrectionOut(Schema):
    id: int = Field(..., examples=[1])
    status: str = Field(..., examples=["submitted"])
    status_label: str = Field(..., examples=["已提交"])
    wrong_kind: str = Field(..., examples=["uscc"])
    wrong_code: str = Field(..., examples=[USCC_EXAMPLE])
    from_subject_code: str | None = Field(None, examples=[USCC_EXAMPLE])
    to_subject_code: str = Field(..., examples=["91110108MA01WXYK2B"])
    reason: str = Field(..., examples=["同一企业被重复赋码"])
    evidence: str = Field(..., examples=[""])
    requested_by: str = Field(..., examples=["token:ab12cd34"])
    requested_at: dt.datetime = Field(..., examples=["2026-11-02T01:00:00Z"])
    decided_by: str = Field(..., examples=[""])
    decided_at: dt.datetime | None = Field(None, examples=[None])
    decision_note: str = Field(..., examples=[""])


class SearchBadgeOut(Schema):
    list_type: str = Field(..., examples=["scjg-yzsx"])
    list_type_name: str = Field(..., examples=["市场监督管理严重违法失信名单"])
    list_kind: str = Field(..., description="red | black | attention", examples=["black"])
    under_objection: bool = Field(..., examples=[False])


class SearchHitOut(Schema):
    """One search result. A natural person appears only when found by the exact resident ID (for anyone:
    masked code, no name) or, for government roles, by name."""

    code: str = Field(
        ..., description="主代码：统一社会信用代码，否则注册号，否则脱敏身份号码", examples=[USCC_EXAMPLE]
    )
    name: str | None = Field(
        ..., description="现名称；自然人对非政务用户不显示", examples=["北京京东世纪贸易有限公司"]
    )
    kind: str = Field(..., examples=["enterprise"])
    kind_label: str = Field(..., examples=["企业"])
    status: str = Field(..., examples=["active"])
    reason: str = Field(
        ...,
        description="排序依据：code（代码精确匹配）、exact_name（现名称完全一致）、former_name（曾用名完全一致）、"
        "prefix（名称以查询内容开头）、substring（名称包含查询内容）",
        examples=["substring"],
    )
    matched_name: str | None = Field(None, description="经曾用名匹配时为该曾用名，否则为空", examples=[None])
    highlight: list[list[int]] = Field(
        default_factory=list,
        description="查询内容在 matched_name（非空时）或 name 中出现的位置，[起, 止) 按 Unicode 码位计",
        examples=[[[2, 4]]],
    )
    list_entries: list[SearchBadgeOut] = Field(
        default_factory=list, description="当前在列的名单（公开名单；政务用户含非公开名单）", examples=[[]]
    )
    under_objection: bool = Field(False, description="有异议处理中的公示信息或名单条目", examples=[False])


class SearchPageOut(Schema):
    query: str = Field(..., description="规范化后的查询内容（全角转半角、合并空格）", examples=["京东"])
    items: list[SearchHitOut]
    next_cursor: str | None = Field(None, description="下一页游标；无更多结果时为空", examples=[None])
