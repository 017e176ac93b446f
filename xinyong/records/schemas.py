from ninja import Field, Schema


class RecordWithdrawIn(Schema):
    reason: str = Field(..., min_length=1, examples=["决定已被复议机关撤销"])


class RecordVersionOut(Schema):
    record_id: int
    version: int
    status: str
    supersedes: int | None


class TimelinessRowOut(Schema):
    unit: str
    unit_name: str
    month: str
    total: int
    on_time: int
    late: int
    median_delay_working_days: float | None
    provisional: int


class TimelinessOut(Schema):
    rows: list[TimelinessRowOut]


class PublicityItemOut(Schema):
    record_id: int
    category: str
    unit: str
    unit_name: str
    doc_no: str
    decision_date: str
    subject_kind: str
    subject_code: str
    subject_name: str
    status: str
    under_objection: bool = Field(description="异议处理中（公示时标注）")
    publish_until: str | None
    fields: dict[str, str]


class PublicityPageOut(Schema):
    items: list[PublicityItemOut]
    next_cursor: str | None
