"""API schemas of the reports endpoints: explicit, never echoing models."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

NUMBER_EXAMPLE = "XYBG-20261102-7K3M9QXA"


class ReportIn(Schema):
    subject: str = Field(
        ...,
        description="信用主体代码：统一社会信用代码、注册号、组织机构代码或身份证件号码",
        examples=["91110108MA01ABCD5T"],
    )
    kind: Literal["full", "compliance"] = Field(
        "full", description="full：公共信用信息报告（全量）；compliance：专项信用报告（无违法违规记录情况）"
    )
    purpose: str = Field(..., min_length=1, max_length=200, description="报告用途", examples=["招投标"])
    case_number: str = Field(
        "", max_length=100, description="案件编号：为自然人出具报告（非本人申请）时必填", examples=[""]
    )


class VerifyOut(Schema):
    valid: bool = Field(..., description="报告编号与验证码匹配、报告由本平台出具")
    message: str = Field(..., examples=["报告真实有效：该报告由本平台出具。"])
    number: str = Field(..., examples=[NUMBER_EXAMPLE])
    kind: str = Field(..., examples=["full"])
    kind_label: str = Field(..., examples=["公共信用信息报告"])
    subject_name: str = Field(
        ..., description="主体名称（自然人姓名遮蔽）", examples=["北京某某科技有限公司"]
    )
    subject_code: str = Field(
        ..., description="主体代码（身份证件号码遮蔽）", examples=["91110108MA01ABCD5T"]
    )
    issued_at: dt.datetime = Field(..., description="出具时间（UTC）")
    issued_date: dt.date = Field(..., description="出具日期（北京时间）")
    pages: int
    size: int = Field(..., description="PDF 文件字节数")
    sha256: str = Field(..., description="平台留存的 PDF 文件 SHA-256")
    file_matches: bool | None = Field(
        None, description="提交了文件或摘要时：是否与平台留存的摘要一致（不一致即文件已被改动）"
    )
