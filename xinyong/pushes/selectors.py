"""Reads of pushes: a unit's inbox and the failed webhooks the credit office must see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from xinyong.accounts.models import Unit
from xinyong.pushes.models import Push, PushStatus

Position = tuple[dt.datetime, int]  # (created_at, id) of the last row of the previous page


def push_inbox(*, unit: Unit, unread_only: bool = False, after: Position | None = None) -> QuerySet[Push]:
    """A unit's pushes, newest first (keyset-paginated by ``after``)."""
    pushes = Push.objects.filter(unit=unit)
    if unread_only:
        pushes = pushes.filter(read_at__isnull=True)
    return _after(pushes, after)


def push_failed_list(*, unit: Unit | None = None, after: Position | None = None) -> QuerySet[Push]:
    """Pushes whose webhook gave up (after three days of retries), newest first."""
    pushes = Push.objects.filter(webhook_status=PushStatus.FAILED).select_related("unit")
    if unit is not None:
        pushes = pushes.filter(unit=unit)
    return _after(pushes, after)


def _after(pushes: QuerySet[Push], after: Position | None) -> QuerySet[Push]:
    if after is not None:
        at, pk = after
        pushes = pushes.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    return pushes.order_by("-created_at", "-id")
