"""Webhook delivery of pushes (信息推送), at least once, following the Standard Webhooks specification
(https://www.standardwebhooks.com/):

    webhook-id:         the push id — the same on every retry, so receivers dedupe on it
    webhook-timestamp:  unix seconds of the attempt
    webhook-signature:  "v1," + base64(HMAC-SHA256(key, f"{webhook-id}.{webhook-timestamp}.{body}"))
                        where key = base64-decode of the unit's secret without its "whsec_" prefix

The body is the push's thin payload as compact UTF-8 JSON. Success is a 2xx answer; anything else (a 3xx
included: redirects are never followed), a timeout or a refused target is a failure, retried with
exponential backoff (30 s × 2^(n-1), at most 6 h apart) until the push's ``retry_until`` (three days after
it was written), then marked ``failed`` for the credit office.

Concurrency: a worker claims one push at a time in a short transaction (PostgreSQL: ``FOR UPDATE SKIP
LOCKED``; SQLite: the single writer lock of ``BEGIN IMMEDIATE``), moving ``next_attempt_at`` forward by a
lease and counting the attempt; it sends outside any transaction and records the outcome afterwards. A worker
killed mid-delivery leaves the push claimed until the lease runs out; then any worker sends it again.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import json
import logging
import ssl
from dataclasses import dataclass

from django.db import connection, transaction

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.pushes.models import Push, PushStatus, WebhookEndpoint
from xinyong.pushes.netguard import Target, webhook_target

log = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"
TIMEOUT_SECONDS = 10.0
RETRY_WINDOW = dt.timedelta(days=3)  # then a webhook still failing is marked failed for the credit office
LEASE = dt.timedelta(minutes=2)  # longer than one attempt can take (connect + send + read at TIMEOUT each)
BASE_BACKOFF = dt.timedelta(seconds=30)
MAX_BACKOFF = dt.timedelta(hours=6)
MAX_ERROR_CHARS = 500
USER_AGENT = "xinyong-webhooks/1"


# ── signing (Standard Webhooks) ──────────────────────────────────────────────────────────────────────────


def webhook_body(payload: dict) -> bytes:
    """The exact bytes sent and signed."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def webhook_signature(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<base64 HMAC-SHA256>`` of ``{msg_id}.{timestamp}.{body}`` with the base64-decoded secret."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def webhook_headers(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "content-type": "application/json; charset=utf-8",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": webhook_signature(secret=secret, msg_id=msg_id, timestamp=timestamp, body=body),
    }


# ── one HTTP attempt ─────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class SendResult:
    ok: bool
    status: int | None = None
    error: str = ""


def webhook_send(
    *, url: str, secret: str, msg_id: str, body: bytes, now: dt.datetime, timeout: float = TIMEOUT_SECONDS
) -> SendResult:
    """POST once, to the address vetted just now (netguard), without following redirects."""
    try:
        target = webhook_target(url)
    except DomainError as exc:
        return SendResult(ok=False, error=f"{exc.code}: {exc.message}")
    headers = webhook_headers(secret=secret, msg_id=msg_id, timestamp=int(now.timestamp()), body=body)
    conn = _connection(target, timeout)
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        response = conn.getresponse()
        snippet = response.read(MAX_ERROR_CHARS).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as exc:
        return SendResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS])
    finally:
        conn.close()
    if 200 <= response.status < 300:
        return SendResult(ok=True, status=response.status)
    if 300 <= response.status < 400:
        location = response.getheader("location", "")
        return SendResult(
            ok=False, status=response.status, error=f"HTTP {response.status} 重定向未跟随 → {location}"
        )
    return SendResult(
        ok=False, status=response.status, error=f"HTTP {response.status}: {snippet}"[:MAX_ERROR_CHARS]
    )


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the vetted address while naming the host in `Host:`."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._target = target

    def connect(self) -> None:
        self.sock = self._target.connect(self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with TLS verified against the host name (SNI and certificate), not the address."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._target = target

    def connect(self) -> None:
        self.sock = self._context.wrap_socket(self._target.connect(self.timeout), server_hostname=self.host)


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    cls = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    return cls(target, timeout)


# ── the due queue ────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class DeliveryCounts:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.retrying + self.failed


@dataclass(frozen=True)
class _Claim:
    push_id: int
    attempt: int
    msg_id: str
    body: bytes
    url: str
    secret: str


def push_deliver_due(
    *,
    now: dt.datetime,
    limit: int = 100,
    lease: dt.timedelta = LEASE,
    timeout: float = TIMEOUT_SECONDS,
) -> DeliveryCounts:
    """Send up to `limit` due webhooks one by one (claim → send outside a transaction → record)."""
    counts = DeliveryCounts()
    for _ in range(limit):
        claim = _claim_next(now=now, lease=lease)
        if claim is None:
            break
        if not claim.url:
            result = SendResult(ok=False, error="webhook.disabled: 单位已停用推送地址")
        else:
            result = webhook_send(
                url=claim.url,
                secret=claim.secret,
                msg_id=claim.msg_id,
                body=claim.body,
                now=now,
                timeout=timeout,
            )
        outcome = _record(claim=claim, result=result, now=now)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return counts


def push_backoff(attempt: int) -> dt.timedelta:
    """Wait after the `attempt`-th failure: 30 s, 1 min, 2 min, … at most 6 h."""
    return min(BASE_BACKOFF * 2 ** (attempt - 1), MAX_BACKOFF)


def _claim_next(*, now: dt.datetime, lease: dt.timedelta) -> _Claim | None:
    with transaction.atomic():
        due = Push.objects.filter(webhook_status=PushStatus.PENDING, next_attempt_at__lte=now)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        push = due.order_by("next_attempt_at", "id").first()
        if push is None:
            return None
        push.attempts += 1
        push.next_attempt_at = now + lease
        push.save(update_fields=["attempts", "next_attempt_at"])
    endpoint = WebhookEndpoint.objects.filter(unit_id=push.unit_id, active=True).first()
    return _Claim(
        push_id=push.pk,
        attempt=push.attempts,
        msg_id=str(push.pk),
        body=webhook_body(push.payload),
        url=endpoint.url if endpoint else "",
        secret=endpoint.secret if endpoint else "",
    )


def _record(*, claim: _Claim, result: SendResult, now: dt.datetime) -> str:
    with transaction.atomic():
        push = Push.objects.select_for_update().get(pk=claim.push_id)
        if push.webhook_status != PushStatus.PENDING:
            return "delivered" if push.webhook_status == PushStatus.DELIVERED else "failed"
        if result.ok:
            push.webhook_status, push.delivered_at, push.next_attempt_at = PushStatus.DELIVERED, now, None
            push.last_error = ""
            push.save(update_fields=["webhook_status", "delivered_at", "next_attempt_at", "last_error"])
            return "delivered"
        if push.attempts != claim.attempt:  # our lease ran out and a newer attempt owns the push now
            return "retrying"
        push.last_error = result.error
        retry_until = push.retry_until or push.created_at + RETRY_WINDOW
        if now >= retry_until:
            push.webhook_status, push.next_attempt_at = PushStatus.FAILED, None
            push.save(update_fields=["webhook_status", "next_attempt_at", "last_error"])
            _audit_failed(push, now)
            return "failed"
        push.next_attempt_at = min(now + push_backoff(claim.attempt), retry_until)
        push.save(update_fields=["next_attempt_at", "last_error"])
    log.warning("push %s attempt %s failed: %s", claim.push_id, claim.attempt, result.error)
    return "retrying"


def _audit_failed(push: Push, now: dt.datetime) -> None:
    log.error("push %s failed after %s attempts: %s", push.pk, push.attempts, push.last_error)
    audit_append(
        actor=Actor.system(),
        action="push.failed",
        target_type="push",
        target_id=push.pk,
        now=now,
        payload={"unit": push.unit_id, "attempts": push.attempts, "last_error": push.last_error[:200]},
    )
