"""Writes of the pushes app (信息推送, docs/domain.md Push): the fan-out of a list change to the units that
must act on it, webhook registration, reading the inbox, and a manual retry by the credit office.

The fan-out runs as the outbox handler of ``list_entry.published`` / ``list_entry.exited``
(settings.XINYONG_OUTBOX_HANDLERS): the lists app emits the event in the transaction of the transition, and
``outbox_process`` calls ``pushes_for_entry_event`` in one transaction that also marks the event done, so the
push rows exist exactly once per event. Webhook delivery is ``delivery.push_deliver_due`` (the worker).
"""

from __future__ import annotations

import base64
import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction

from xinyong.accounts.models import Unit
from xinyong.accounts.roles import OFFICE, OFFICIALS, Role
from xinyong.accounts.selectors import units_active
from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError, NotFound, PermissionDenied
from xinyong.lists.models import ListEntry
from xinyong.lists.selectors import list_entry_with_subject
from xinyong.measures.selectors import units_implementing, units_that_checked
from xinyong.pushes.delivery import RETRY_WINDOW, SECRET_PREFIX
from xinyong.pushes.models import Push, PushEvent, PushStatus, WebhookEndpoint
from xinyong.pushes.netguard import webhook_target
from xinyong.records.models import Record
from xinyong.records.selectors import record_with_subject

CHECKERS_WINDOW = dt.timedelta(days=365)  # units that checked the subject this recently also hear of its exit
SECRET_BYTES = 32
_EVENTS = {
    "published": PushEvent.PUBLISHED,
    "exited": PushEvent.EXITED,
    PushEvent.PUBLISHED.value: PushEvent.PUBLISHED,
    PushEvent.EXITED.value: PushEvent.EXITED,
}


# ── fan-out (outbox handler) ─────────────────────────────────────────────────────────────────────────────


def pushes_for_entry_event(*, payload: dict, now: dt.datetime) -> list[Push]:
    """Outbox handler: one push per recipient unit of a list entry's publication or exit (docs/domain.md
    Push).

    Recipients: every active unit implementing an active measure of an active memorandum that targets the
    entry's list type (all municipal departments for a measure ``implementing_all``); on exit also every unit
    that checked the subject (应查必查) in the year before the exit. Idempotent: a unit already pushed for
    this entry and event is skipped (and the database refuses a duplicate). Returns the pushes created."""
    event = _EVENTS.get(str(payload.get("event", "")))
    if event is None:
        raise ValueError(f"unknown list entry event {payload.get('event')!r}")
    entry = list_entry_with_subject(entry_id=payload["entry_id"])
    occurred_at = (entry.published_at if event == PushEvent.PUBLISHED else entry.exited_at) or now
    units = push_recipients(entry=entry, event=event, occurred_at=occurred_at)
    with transaction.atomic():
        already = set(Push.objects.filter(entry=entry, event=event).values_list("unit_id", flat=True))
        hooked = set(
            WebhookEndpoint.objects.filter(active=True, unit__in=units).values_list("unit_id", flat=True)
        )
        created = [
            _push_create(entry=entry, event=event, unit=unit, occurred_at=occurred_at, hooked=hooked, now=now)
            for unit in units
            if unit.pk not in already
        ]
        if created or not already:
            audit_append(
                actor=Actor.system(),
                action="push.fan_out",
                target_type="list_entry",
                target_id=entry.pk,
                now=now,
                payload={
                    "event": event.value,
                    "list_type": entry.list_type.code,
                    "units": [p.unit.code for p in created],
                    "webhooks": sum(1 for p in created if p.webhook_status),
                    "skipped_already_pushed": len(already),
                },
            )
    return created


def pushes_for_record_repair(*, payload: dict, now: dt.datetime) -> list[Push]:
    """Outbox handler of ``record.repaired`` (docs/domain.md Repair: approval "triggers pushes to every unit
    that checked the subject"): one push to each unit that checked the subject in the year before the repair,
    so it stops relying on the record. The list entries the record supported exit on their own and reach the
    units implementing their measures through ``list_entry.exited``. Idempotent like
    ``pushes_for_entry_event``."""
    record = record_with_subject(record_id=payload["record_id"])
    units = units_active(ids=units_that_checked(subject_id=record.subject_id, since=now - CHECKERS_WINDOW))
    event = PushEvent.RECORD_REPAIRED
    with transaction.atomic():
        already = set(Push.objects.filter(record=record, event=event).values_list("unit_id", flat=True))
        hooked = set(
            WebhookEndpoint.objects.filter(active=True, unit__in=units).values_list("unit_id", flat=True)
        )
        created = []
        for unit in units:
            if unit.pk in already:
                continue
            push = _push_row(unit=unit, event=event, hooked=hooked, now=now, record=record)
            push.payload = _record_payload(push, record, payload.get("repair_id"), now)
            push.save(update_fields=["payload"])
            created.append(push)
        audit_append(
            actor=Actor.system(),
            action="push.fan_out",
            target_type="record",
            target_id=record.pk,
            now=now,
            payload={
                "event": event.value,
                "units": [p.unit.code for p in created],
                "skipped_already_pushed": len(already),
            },
        )
    return created


def _record_payload(push: Push, record: Record, repair_id, now: dt.datetime) -> dict:
    subject = record.subject
    base = settings.XINYONG_PUBLIC_URL.rstrip("/")
    code = subject.uscc or subject.person_masked
    return {
        "type": push.event,
        "push_id": push.pk,
        "record_id": record.pk,
        "repair_id": repair_id,
        "category": record.category.code,
        "subject_code": code,
        "occurred_at": now.astimezone(dt.UTC).isoformat(),
        "href": f"{base}/api/v1/repairs/{repair_id}",
    }


def push_recipients(*, entry: ListEntry, event: str, occurred_at: dt.datetime) -> list[Unit]:
    """The units to notify of `event` on `entry`, in code order (see ``pushes_for_entry_event``)."""
    wanted, all_departments = units_implementing(list_type_id=entry.list_type_id)
    if event == PushEvent.EXITED:
        wanted |= units_that_checked(subject_id=entry.subject_id, since=occurred_at - CHECKERS_WINDOW)
    return units_active(ids=wanted, municipal_departments=all_departments)


def _push_create(
    *, entry: ListEntry, event: str, unit: Unit, occurred_at: dt.datetime, hooked: set[int], now: dt.datetime
) -> Push:
    push = _push_row(unit=unit, event=event, hooked=hooked, now=now, entry=entry)
    push.payload = push_payload(push=push, entry=entry, occurred_at=occurred_at)
    push.save(update_fields=["payload"])
    return push


def _push_row(*, unit: Unit, event: str, hooked: set[int], now: dt.datetime, entry=None, record=None) -> Push:
    webhook = unit.pk in hooked
    return Push.objects.create(
        unit=unit,
        entry=entry,
        record=record,
        event=PushEvent(event).value,
        payload={},
        created_at=now,
        webhook_status=PushStatus.PENDING if webhook else "",
        next_attempt_at=now if webhook else None,
        retry_until=now + RETRY_WINDOW if webhook else None,
    )


def push_payload(*, push: Push, entry: ListEntry, occurred_at: dt.datetime) -> dict:
    """The thin payload (what changed and where to fetch it), the same in the inbox and the webhook body.
    A person is named only by the masked ID number; the entry itself is read through the API."""
    subject = entry.subject
    base = settings.XINYONG_PUBLIC_URL.rstrip("/")
    return {
        "type": push.event,
        "push_id": push.pk,
        "entry_id": entry.pk,
        "list_type": entry.list_type.code,
        "subject_code": subject.uscc or subject.person_masked,
        "occurred_at": occurred_at.astimezone(dt.UTC).isoformat(),
        "href": f"{base}/api/v1/lists/entries/{entry.pk}",
    }


# ── webhook registration ─────────────────────────────────────────────────────────────────────────────────


def webhook_register(*, actor: Actor, unit: Unit, url: str, now: dt.datetime) -> tuple[WebhookEndpoint, str]:
    """Register or replace a unit's webhook URL, with a new signing secret (Standard Webhooks: ``whsec_`` +
    base64 of 32 random bytes). The secret is returned once; pushes still pending go to the new URL, signed
    with the new secret. Allowed to an admin, or to the unit's own officers."""
    _require_unit_or_admin(actor, unit)
    target = webhook_target(url)  # refuses private / loopback / link-local targets (netguard)
    secret = SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()
    with transaction.atomic():
        endpoint, created = WebhookEndpoint.objects.select_for_update().update_or_create(
            unit=unit,
            defaults={
                "url": url.strip(),
                "secret": secret,
                "active": True,
                "registered_at": now,
                "registered_by": actor.label,
            },
        )
        audit_append(
            actor=actor,
            action="push.webhook_register" if created else "push.webhook_replace",
            target_type="unit",
            target_id=unit.code,
            now=now,
            payload={"url": endpoint.url, "host": target.host},
        )
    return endpoint, secret


def webhook_disable(*, actor: Actor, unit: Unit, now: dt.datetime) -> WebhookEndpoint:
    """Stop webhooks for a unit (the inbox keeps receiving). Pending pushes then fail at their next try."""
    _require_unit_or_admin(actor, unit)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().filter(unit=unit, active=True).first()
        if endpoint is None:
            raise NotFound("webhook.not_found", f"单位 {unit.name} 未登记推送地址")
        endpoint.active = False
        endpoint.save(update_fields=["active"])
        audit_append(
            actor=actor, action="push.webhook_disable", target_type="unit", target_id=unit.code, now=now
        )
    return endpoint


def _require_unit_or_admin(actor: Actor, unit: Unit) -> None:
    if actor.has_role(Role.ADMIN):
        return
    if actor.unit_code != unit.code or not actor.has_role(*OFFICIALS):
        raise PermissionDenied("webhook.not_allowed", "只有本单位工作人员或管理员可以设置推送地址")


# ── inbox and the credit office ──────────────────────────────────────────────────────────────────────────


def push_mark_read(*, actor: Actor, push_id: int, now: dt.datetime) -> Push:
    """Mark a push of the actor's own unit as read (first reading counts; again is a no-op)."""
    with transaction.atomic():
        push = Push.objects.select_for_update().filter(pk=push_id, unit__code=actor.unit_code).first()
        if push is None or not actor.unit_code:
            raise NotFound("push.not_found", f"推送 {push_id} 不存在")
        if push.read_at is None:
            push.read_at = now
            push.save(update_fields=["read_at"])
            audit_append(actor=actor, action="push.read", target_type="push", target_id=push.pk, now=now)
    return push


def push_retry(*, actor: Actor, push_id: int, now: dt.datetime) -> Push:
    """The credit office sends a failed push again (e.g. after the unit fixed its receiver): it becomes due
    now and gets a fresh three-day window of retries."""
    actor.require(*OFFICE)
    with transaction.atomic():
        push = Push.objects.select_for_update().filter(pk=push_id).first()
        if push is None:
            raise NotFound("push.not_found", f"推送 {push_id} 不存在")
        if push.webhook_status != PushStatus.FAILED:
            raise DomainError("push.not_failed", "只有投递失败的推送可以重新投递")
        push.webhook_status = PushStatus.PENDING
        push.next_attempt_at = now
        push.retry_until = now + RETRY_WINDOW
        push.save(update_fields=["webhook_status", "next_attempt_at", "retry_until"])
        audit_append(
            actor=actor,
            action="push.retry",
            target_type="push",
            target_id=push.pk,
            now=now,
            payload={"attempts": push.attempts, "last_error": push.last_error[:200]},
        )
    return push
