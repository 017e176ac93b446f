"""API schemas of the push endpoints (信息推送): explicit shapes, never echoing models."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

PAYLOAD_EXAMPLE = {
    "type": "list_entry.published",
    "push_id": 42,
    "entry_id": 7,
    "list_type": "market-serious-dishonesty",
    "subject_code": "91110108MA01ABCD2X",
    "occurred_at": "2026-11-02T02:00:00+00:00",
    "href": "https://xinyong.example/api/v1/lists/entries/7",
}


class PushOut(Schema):
    """One push in a unit's inbox; `payload` is exactly the webhook body."""

    id: int = Field(..., examples=[42])
    event: str = Field(
        ...,
        description="list_entry.published | list_entry.exited | record.repaired",
        examples=["list_entry.published"],
    )
    entry_id: int | None = Field(..., examples=[7], description="名单推送的条目；信用修复推送为空")
    record_id: int | None = Field(None, description="信用修复推送的信息；名单推送为空")
    list_type: str = Field(..., examples=["market-serious-dishonesty"])
    payload: dict = Field(..., examples=[PAYLOAD_EXAMPLE])
    created_at: dt.datetime
    read_at: dt.datetime | None = None
    webhook_status: str = Field(
        ..., description="空：未登记推送地址；pending | delivered | failed", examples=["delivered"]
    )
    attempts: int = Field(..., examples=[1])
    delivered_at: dt.datetime | None = None


class PushPageOut(Schema):
    items: list[PushOut]
    next_cursor: str | None = Field(None, description="下一页游标；无更多时为 null")


class FailedPushOut(PushOut):
    """A push whose webhook gave up, with the unit to contact and the last error."""

    unit_code: str = Field(..., examples=["bj-shuiwuju"])
    unit_name: str = Field(..., examples=["市税务局"])
    last_error: str = Field(..., examples=["HTTP 503: Service Unavailable"])


class FailedPushPageOut(Schema):
    items: list[FailedPushOut]
    next_cursor: str | None = None


class WebhookIn(Schema):
    url: str = Field(..., max_length=500, examples=["https://hooks.shuiwuju.example.gov.cn/xinyong"])
    unit: str | None = Field(None, description="单位代码；仅管理员可为其他单位设置", examples=[None])


class WebhookOut(Schema):
    """The registered endpoint. `secret` is shown only in the answer to the registration."""

    unit: str = Field(..., examples=["bj-shuiwuju"])
    url: str = Field(..., examples=["https://hooks.shuiwuju.example.gov.cn/xinyong"])
    active: bool = Field(..., examples=[True])
    secret: str | None = Field(
        None,
        description="签名密钥（Standard Webhooks：whsec_ + base64），仅此一次显示，请妥善保存",
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
    )
    signature_scheme: str = Field(
        "Standard Webhooks v1 (HMAC-SHA256)",
        description="webhook-signature = v1,base64(HMAC-SHA256(base64decode(secret 去掉 whsec_), "
        "'{webhook-id}.{webhook-timestamp}.{body}'))",
    )
