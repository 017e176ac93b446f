from typing import Any

from ninja import Field, Schema


class SubmissionIn(Schema):
    category: str = Field(..., examples=["XK"], description="信息类别代码（XK 行政许可、CF 行政处罚 …）")
    rows: list[dict[str, Any]] = Field(..., description="每行一个对象，键为目录字段代码；最多 10,000 行")


class FieldErrorOut(Schema):
    field: str = Field(..., examples=["XK_XDR_SHXYM"])
    code: str = Field(..., examples=["uscc.check_character"])
    message: str


class RejectedRowOut(Schema):
    index: int = Field(..., description="行在 rows 中的下标（从 0 起）")
    errors: list[FieldErrorOut]


class WarningRowOut(Schema):
    index: int = Field(..., description="行在 rows 中的下标（从 0 起）")
    warnings: list[FieldErrorOut] = Field(
        ..., description="已接收但需核对的提示，如 uscc.region_unknown（行政区划码不在代码表中）"
    )


class SubmissionOut(Schema):
    submission_id: int
    category: str
    unit: str
    channel: str
    received_at: str
    total: int
    accepted: int
    rejected: int
    subjects_created: int
    late: int
    replayed: bool = Field(..., description="true：同一幂等键的重放，返回首次应答，未新增任何数据")
    rejected_rows: list[RejectedRowOut]
    warned: int = Field(0, description="带提示的已接收行数")
    warning_rows: list[WarningRowOut] = Field(
        default_factory=list, description="带提示的已接收行（最多列出前 1000 行）"
    )
