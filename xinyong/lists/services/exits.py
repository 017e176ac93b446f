"""Leaving a list (移出, DESIGN §3): expiry at the end of the term (the sweep), credit repair, revocation
of the decision, a court decision; and red-list entries ended by a black-list entry or a serious negative
record (`superseded`). Every exit is a transition with its reason, announced through the outbox
(`list_entry.exited`). The entry stays retained (记录留存): nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError
from xinyong.core.timeutil import business_date
from xinyong.lists.models import EntryState, ListEntry, ListKind
from xinyong.lists.services.machine import (
    announce,
    entry_locked,
    require_decider,
    require_text,
    step,
    target_state,
)

# Exit reasons an officer may give; `superseded` is the platform's own (red lists ended by dishonesty).
EXIT_REASONS = {"expiry": "期满", "repair": "信用修复", "revocation": "撤销", "court": "法院裁判"}
SUBJECT_CHUNK = 500


def list_entry_exit(
    *, actor: Actor, entry_id: int, reason_code: str, reason: str, now: dt.datetime
) -> ListEntry:
    """Take a published entry off its list, by the deciding unit or a reviewer. `expiry` only after the last
    day on the list; `repair` only for a repairable list and not before the earliest exit date (提前移出);
    `revocation` (the decision was revoked) and `court` (a court decision) at any time."""
    if reason_code not in EXIT_REASONS:
        allowed = "、".join(f"{code}（{label}）" for code, label in EXIT_REASONS.items())
        raise DomainError("list_entry.exit_reason_invalid", f"移出原因只能是 {allowed}，实为 {reason_code}")
    reason = require_text(reason, field="reason", message="移出须说明理由")
    with transaction.atomic():
        entry = entry_locked(entry_id)
        require_decider(actor, entry, "exit")
        target_state(entry, "exit")
        _exit_allowed(entry, reason_code, business_date(now))
        entry_exit(entry, actor=actor, reason_code=reason_code, reason=reason, now=now)
    return entry


def entry_exit(entry: ListEntry, *, actor: Actor, reason_code: str, reason: str, now: dt.datetime) -> None:
    """The exit step of a locked entry, with its outbox announcement (the caller's transaction)."""
    entry.exited_at, entry.exit_reason = now, reason_code
    step(entry, actor=actor, action="exit", now=now, reason=reason, fields=["exited_at", "exit_reason"])
    announce(entry, event="exited", now=now)


def list_entries_expire(*, actor: Actor, now: dt.datetime) -> int:
    """The sweep: every published entry whose last day on the list (`expires_on`) is before today (Beijing)
    exits with reason `expiry`. Safe to run at any time and often; after days without a run it catches up.
    One transaction per entry, so a long catch-up never holds many locks. Returns the number of exits."""
    today = business_date(now)
    due = ListEntry.objects.filter(state=EntryState.PUBLISHED, expires_on__lt=today).order_by(
        "expires_on", "pk"
    )
    exited = 0
    for entry_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            entry = entry_locked(entry_id)
            if entry.state != EntryState.PUBLISHED:  # exited meanwhile by another process
                continue
            reason = f"名单期限届满（在名单上的最后一日为 {entry.expires_on:%Y-%m-%d}），到期移出"
            entry_exit(entry, actor=actor, reason_code="expiry", reason=reason, now=now)
            exited += 1
    return exited


def red_entries_end_for_subjects(
    *, actor: Actor, subject_ids: Iterable[int], reason: str, now: dt.datetime
) -> int:
    """End the published red-list entries of these subjects (exit reason `superseded`, DESIGN §3: a new
    serious negative record or a black-list entry removes a subject from red lists). Cheap when they have
    none: one indexed query per 500 subjects and nothing else. Returns the number of entries ended."""
    reason = require_text(reason, field="reason", message="移出红名单须说明理由")
    ids = sorted(set(subject_ids))
    found: list[int] = []
    for start in range(0, len(ids), SUBJECT_CHUNK):
        found += ListEntry.objects.filter(
            subject_id__in=ids[start : start + SUBJECT_CHUNK],
            state=EntryState.PUBLISHED,
            list_type__kind=ListKind.RED,
        ).values_list("pk", flat=True)
    if not found:
        return 0
    ended = 0
    with transaction.atomic():
        for entry_id in sorted(found):
            entry = entry_locked(entry_id)
            if entry.state == EntryState.PUBLISHED:
                entry_exit(entry, actor=actor, reason_code="superseded", reason=reason, now=now)
                ended += 1
    return ended


def _exit_allowed(entry: ListEntry, reason_code: str, today: dt.date) -> None:
    list_type = entry.list_type
    if reason_code == "expiry" and (entry.expires_on is None or entry.expires_on >= today):
        last = f"在名单上的最后一日为 {entry.expires_on:%Y-%m-%d}" if entry.expires_on else "无固定期限"
        raise Conflict("list_entry.not_expired", f"名单条目 {entry.pk} 尚未期满（{last}）")
    if reason_code != "repair":
        return
    if not list_type.repairable:
        raise Conflict("list_entry.not_repairable", f"{list_type.name}不适用信用修复提前移出")
    if today < entry.earliest_exit_on:
        raise Conflict(
            "list_entry.earliest_exit_not_reached",
            f"{list_type.name}须列入满 {list_type.earliest_exit_months} 个月方可提前移出"
            f"（最早 {entry.earliest_exit_on:%Y-%m-%d}）",
            earliest_exit_on=entry.earliest_exit_on.isoformat(),
        )
