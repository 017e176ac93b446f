"""Push endpoints (/api/v1/pushes): a unit's inbox, marking read, its webhook, and — for the credit
office — the pushes whose webhook failed. Handlers authorise and translate; services and selectors decide."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router

from xinyong.accounts.actors import request_actor
from xinyong.accounts.api import TokenAuth
from xinyong.accounts.roles import OFFICE
from xinyong.accounts.selectors import unit_get
from xinyong.core.actor import Actor
from xinyong.core.api import MAX_PAGE_SIZE, Problem
from xinyong.core.errors import PermissionDenied
from xinyong.core.pagination import cursor_fields, instant, keyset_page, whole
from xinyong.core.timeutil import now
from xinyong.pushes import selectors, services
from xinyong.pushes.models import Push
from xinyong.pushes.schemas import FailedPushPageOut, PushOut, PushPageOut, WebhookIn, WebhookOut

router = Router(tags=["pushes"], auth=TokenAuth())
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem}


@router.get(
    "/inbox", response={200: PushPageOut, **ERRORS}, operation_id="pushes_inbox", summary="本单位推送收件箱"
)
def pushes_inbox(
    request: HttpRequest,
    unread: bool = Query(False, description="只看未读"),
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE, description="每页条数"),
    cursor: str | None = Query(None, description="上一页返回的 next_cursor"),
) -> dict:
    """The pushes to the token's unit, newest first."""
    unit = _own_unit(request_actor(request))
    pushes = selectors.push_inbox(unit=unit, unread_only=unread, after=_position(cursor))
    return keyset_page(request, pushes, limit=limit, cursor_of=_cursor_of, shape=_push_out)


@router.post(
    "/{push_id}/read", response={200: PushOut, **ERRORS}, operation_id="pushes_mark_read", summary="标记已读"
)
def pushes_mark_read(request: HttpRequest, push_id: int) -> dict:
    actor = request_actor(request)
    _own_unit(actor)
    return _push_out(services.push_mark_read(actor=actor, push_id=push_id, now=now()))


@router.post(
    "/webhook",
    response={200: WebhookOut, 422: Problem, **ERRORS},
    operation_id="pushes_webhook_register",
    summary="登记或更换本单位推送地址（返回签名密钥，仅一次）",
)
def pushes_webhook_register(request: HttpRequest, body: WebhookIn) -> dict:
    """Standard Webhooks: verify `webhook-signature` with the returned secret; dedupe on `webhook-id`.
    Addresses on loopback, private or link-local networks are refused (400 ``webhook.url_private``)."""
    actor = request_actor(request)
    unit = unit_get(name_or_code=body.unit) if body.unit else _own_unit(actor)
    endpoint, secret = services.webhook_register(actor=actor, unit=unit, url=body.url, now=now())
    return {"unit": unit.code, "url": endpoint.url, "active": endpoint.active, "secret": secret}


@router.delete(
    "/webhook",
    response={200: WebhookOut, **ERRORS},
    operation_id="pushes_webhook_disable",
    summary="停用本单位推送地址（收件箱照常）",
)
def pushes_webhook_disable(
    request: HttpRequest, unit: str | None = Query(None, description="单位代码（管理员）")
):
    actor = request_actor(request)
    target = unit_get(name_or_code=unit) if unit else _own_unit(actor)
    endpoint = services.webhook_disable(actor=actor, unit=target, now=now())
    return {"unit": target.code, "url": endpoint.url, "active": endpoint.active}


@router.get(
    "/failed",
    response={200: FailedPushPageOut, **ERRORS},
    operation_id="pushes_failed_list",
    summary="投递失败的推送（信用办）",
)
def pushes_failed_list(
    request: HttpRequest,
    unit: str | None = Query(None, description="单位代码"),
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
    cursor: str | None = Query(None),
) -> dict:
    """Webhooks that still failed after three days of retries, newest first (reviewer or admin)."""
    request_actor(request).require(*OFFICE)
    found = unit_get(name_or_code=unit) if unit else None
    pushes = selectors.push_failed_list(unit=found, after=_position(cursor))
    return keyset_page(request, pushes, limit=limit, cursor_of=_cursor_of, shape=_failed_out)


def _own_unit(actor: Actor):
    if not actor.unit_code:
        raise PermissionDenied("push.unit_required", "需要单位令牌")
    return unit_get(name_or_code=actor.unit_code)


def _position(cursor: str | None) -> tuple[dt.datetime, int] | None:
    if not cursor:
        return None
    value = cursor_fields(cursor, at=instant, id=whole)
    return value["at"], value["id"]


def _cursor_of(push: Push) -> dict:
    return {"at": push.created_at.isoformat(), "id": push.pk}


def _push_out(push: Push) -> dict:
    return {
        "id": push.pk,
        "event": push.event,
        "entry_id": push.entry_id,
        "record_id": push.record_id,
        "list_type": push.payload.get("list_type", ""),
        "payload": push.payload,
        "created_at": push.created_at,
        "read_at": push.read_at,
        "webhook_status": push.webhook_status,
        "attempts": push.attempts,
        "delivered_at": push.delivered_at,
    }


def _failed_out(push: Push) -> dict:
    return {
        **_push_out(push),
        "unit_code": push.unit.code,
        "unit_name": push.unit.name,
        "last_error": push.last_error,
    }
