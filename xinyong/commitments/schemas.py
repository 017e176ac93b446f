"""Input and output schemas of /api/v1/commitments and /api/v1/training (never the models themselves).
Instants are ISO 8601 in Beijing time (+08:00); dates are business dates."""

from __future__ import annotations

from ninja import Field, Schema


class TemplateOut(Schema):
    code: str = Field(..., examples=["approval-general"])
    kind: str = Field(
        ..., description="approval 告知承诺 | voluntary | industry | repair", examples=["approval"]
    )
    kind_label: str = Field(..., examples=["审批替代型（告知承诺）"])
    title: str = Field(..., examples=["证明事项告知承诺书"])
    text: str = Field(..., description="含占位符 {subject_name} {matter} 等的承诺书文本")
    verify_months: int = Field(..., examples=[3])


class TemplateListOut(Schema):
    count: int
    templates: list[TemplateOut]


class CommitmentSubjectRefOut(Schema):
    id: int
    code: str = Field(..., examples=["91110108000123457G"])
    kind: str = Field(..., examples=["enterprise"])
    name: str = Field(..., examples=["北京华信科技有限公司"])


class CommitmentSignIn(Schema):
    template: str = Field(..., examples=["approval-general"])
    subject: str = Field(
        ..., description="主体的任一代码（统一社会信用代码等）", examples=["91110108000123457G"]
    )
    matter: str = Field(..., examples=["食品经营许可证核发"])
    accepting_unit: str = Field(..., description="受理单位代码", examples=["bj-gongshangju"])
    signer_name: str = Field(..., examples=["张伟"])
    evidence: str = Field("", description="工作人员代为登记书面承诺时必填：书面承诺书的登记号等凭证")
    target_kind: str = Field("", description="信用修复型承诺：record | list_entry", examples=[""])
    target_id: int | None = Field(None, description="信用修复型承诺：修复对象 id")


class CommitmentVerifyIn(Schema):
    kept: bool = Field(..., description="true 已履约；false 未履约（记为违背信用承诺信息）")
    result: str = Field(..., examples=["经现场核查，经营场所与承诺一致"])
    severity: str = Field("general", description="未履约时的严重程度：general 一般 | serious 严重")


class CommitmentWithdrawIn(Schema):
    reason: str = Field("", examples=["不再申请该事项"])


class CommitmentOut(Schema):
    id: int
    kind: str = Field(..., examples=["approval"])
    kind_label: str
    state: str = Field(..., description="signed | kept | broken | withdrawn", examples=["signed"])
    state_label: str
    template: str = Field(..., examples=["approval-general"])
    subject: CommitmentSubjectRefOut
    matter: str
    accepting_unit: str = Field(..., examples=["bj-gongshangju"])
    accepting_unit_name: str = Field(..., examples=["市工商局"])
    signer_name: str
    text: str = Field(..., description="签署时的承诺书全文（此后不再改变）")
    signed_at: str = Field(..., examples=["2025-11-03T10:00:00+08:00"])
    on_behalf: bool = Field(..., description="工作人员代为登记的书面承诺")
    signed_by: str | None = Field(..., description="登记人（仅政府用户可见）")
    evidence: str | None = Field(..., description="书面承诺凭证（仅政府用户可见）")
    verify_due: str = Field(..., examples=["2026-02-03"])
    verified_at: str | None
    verified_by: str | None = Field(..., description="核查人（仅政府用户可见）")
    result: str
    withdrawn_at: str | None
    target_kind: str = Field(..., examples=[""])
    target_id: int | None
    breach_record_id: int | None = Field(..., description="未履约时记入的违背信用承诺信息 id")


class CommitmentListOut(Schema):
    count: int
    items: list[CommitmentOut]
    next_cursor: str | None = None


class CourseOut(Schema):
    code: str = Field(..., examples=["xyxf-online-basic"])
    title: str = Field(..., examples=["信用修复专题培训（线上）"])
    mode: str = Field(..., description="online 线上 | offline 线下", examples=["online"])
    mode_label: str = Field(..., examples=["线上"])
    hours: int = Field(..., examples=[4])
    provider: str = Field(..., examples=["bj-jingxinwei"])
    provider_name: str = Field(..., examples=["市经济信息化委"])
    list_types: list[str] = Field(..., description="适用名单类型；空为全部", examples=[["scjg-yzsx"]])
    description: str


class CourseListOut(Schema):
    count: int
    courses: list[CourseOut]


class EnrolIn(Schema):
    course: str = Field(..., examples=["scjg-xyxf-offline"])
    subject: str = Field(
        ..., description="主体的任一代码（统一社会信用代码等）", examples=["91110108000123457G"]
    )


class CompleteIn(Schema):
    score: int | None = Field(None, description="成绩（0–100）", examples=[86])
    note: str = Field("", examples=["现场签到，结业考试合格"])


class EnrolmentOut(Schema):
    id: int
    course: str = Field(..., examples=["scjg-xyxf-offline"])
    course_title: str
    subject: CommitmentSubjectRefOut
    enrolled_at: str
    completed_at: str | None
    certificate_no: str | None = Field(..., examples=["PX-2026-000123"])
    score: int | None
    note: str


class CertificateOut(Schema):
    certificate_no: str = Field(..., examples=["PX-2026-000123"])
    course: str = Field(..., examples=["scjg-xyxf-offline"])
    course_title: str
    mode: str = Field(..., examples=["offline"])
    hours: int
    provider_name: str = Field(..., examples=["市工商局"])
    subject_name: str = Field(..., description="主体名称（脱敏）", examples=["北京******公司"])
    completed_on: str = Field(..., examples=["2026-11-02"])
