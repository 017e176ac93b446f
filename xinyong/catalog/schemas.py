"""Output schemas of the catalog API (never the models themselves)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from xinyong.core.api import IsoDate

SubjectKind = Literal[
    "enterprise", "individual_business", "farmer_coop", "social_org", "public_institution", "government_body",
    "natural_person",
]  # fmt: skip
Tier = Literal["public", "government", "authorised"]
FieldType = Literal["string", "text", "date", "decimal_wan", "code_list", "uscc", "id_number", "enum"]


class CodeValueOut(Schema):
    code: str = Field(..., examples=["01"])
    label: str = Field(..., examples=["普通"])


class FieldOut(Schema):
    """A category field: type, requirement, length and disclosure tier."""

    code: str = Field(..., examples=["CF_NR_FK"])
    name: str = Field(..., examples=["罚款金额（万元）"])
    type: FieldType = Field(..., examples=["decimal_wan"])
    required: Literal["mandatory", "optional", "conditional"] = Field(..., examples=["conditional"])
    required_if: str | None = Field(None, description="条件必填的规则代码", examples=["cflb_fine"])
    max_length: int | None = Field(None, examples=[200])
    tier: Tier = Field(
        ..., description="public 社会公开 / government 政务共享 / authorised 授权查询", examples=["public"]
    )
    masked: bool = Field(False, description="展示时遮蔽（如身份证件号码）")
    multiple: bool = Field(False, description="可填多个值，以英文分号分隔")
    long_term: dt.date | None = Field(None, description="表示“长期”的日期", examples=["2099-12-31"])
    values: list[CodeValueOut] = Field(default_factory=list, description="代码表或枚举的取值")
    description: str = ""

    @staticmethod
    def resolve_required_if(obj) -> str | None:
        return obj.rule or None

    @staticmethod
    def resolve_masked(obj) -> bool:
        return bool(obj.options.get("masked"))

    @staticmethod
    def resolve_multiple(obj) -> bool:
        return bool(obj.options.get("multiple"))

    @staticmethod
    def resolve_long_term(obj) -> str | None:
        return obj.options.get("long_term")

    @staticmethod
    def resolve_values(obj) -> list[dict[str, str]]:
        return obj.options.get("values", [])


class CategoryOut(Schema):
    """A catalog category (信息类别) with its fields."""

    code: str = Field(..., examples=["CF"])
    name: str = Field(..., examples=["行政处罚信息"])
    description: str = ""
    version: str = Field(..., description="最近变更此类别的目录版本", examples=["2026.1"])
    subject_kinds: list[SubjectKind]
    polarity: Literal["positive", "neutral", "negative"] = Field(..., examples=["negative"])
    severity_tiers: list[Literal["minor", "general", "serious"]] = Field(
        ..., examples=[["minor", "general", "serious"]]
    )
    shuanggongshi: bool = Field(..., description="双公示类别", examples=[True])
    deadline_working_days: int | None = Field(
        None, description="公示时限（工作日，自决定之日起）", examples=[7]
    )
    publication_rule: str = Field(..., examples=["severity_period"])
    providers: list[str] = Field(..., description="数据提供单位代码", examples=[["bj-gongshangju"]])
    providers_open: bool = Field(..., description='所有具有报送职能的单位均可提供（"*"）')
    fields: list[FieldOut]

    @staticmethod
    def resolve_version(obj) -> str:
        return obj.version.version

    @staticmethod
    def resolve_providers(obj) -> list[str]:
        return sorted(unit.code for unit in obj.providers.all())

    @staticmethod
    def resolve_fields(obj) -> list[Any]:
        return obj.active_fields


class RuleOut(Schema):
    """One row of the rules table."""

    key: str = Field(..., examples=["publication.penalty.serious"])
    effective_from: dt.date = Field(..., examples=["2026-04-01"])
    values: dict[str, Any] = Field(
        ...,
        examples=[
            {"published": True, "min": {"amount": 1, "unit": "years"}, "max": {"amount": 3, "unit": "years"}}
        ],
    )
    source: str


class RulesQuery(Schema):
    on: IsoDate | None = Field(
        None, description="日期（YYYY-MM-DD）；默认今天（北京时间）", examples=["2026-04-01"]
    )


class RulesInForceOut(Schema):
    """The rules that applied on one date (Asia/Shanghai)."""

    on: dt.date = Field(..., examples=["2026-04-01"])
    rules: list[RuleOut]
