"""Leaving a list (移出, docs/domain.md): expiry at the end of the term (the sweep), credit repair, revocation
of the decision, a court decision; and red-list entries ended by a black-list entry or a serious negative
record (`superseded`). Every exit goes through `list_entry_exit`, the one exit service: the list's exit rule
for the reason, the transition with its reason (history row, audit event `list_entry.exit`) and the outbox
announcement (`list_entry.exited`). The entry stays retained (记录留存): nothing is deleted.
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
CONSEQUENCE_REASONS = {**EXIT_REASONS, "superseded": "失信记录导致红名单移出"}
SUBJECT_CHUNK = 500


def list_entry_exit(
    *,
    actor: Actor,
    entry_id: int,
    reason_code: str,
    reason: str,
    now: dt.datetime,
    consequence: bool = False,
) -> ListEntry | None:
    """The one exit of a list entry (docs/domain.md 移出), whatever leads to it, in one transaction (a
    savepoint of the caller's): lock, the list's exit rule for the reason (`exit_refusal`), the `exit` step,
    the outbox.

    By default an officer's exit (API, back office, repair of the entry itself): by the deciding unit or a
    reviewer, one of `EXIT_REASONS`, refused (409) when the entry is not published or the rule says no.
    `consequence=True`: the exit follows from something else (the term ended, a repaired record, a serious
    record or a black-list entry ending red lists); whoever caused it acts, and an entry no longer published
    or that the rule does not (yet) let go for this reason stays as it is: None instead of a 409."""
    _require_reason_code(reason_code, CONSEQUENCE_REASONS if consequence else EXIT_REASONS)
    reason = require_text(reason, field="reason", message="移出须说明理由")
    with transaction.atomic():
        entry = entry_locked(entry_id)
        if not consequence:
            require_decider(actor, entry, "exit")
            target_state(entry, "exit")
        refusal = exit_refusal(entry, reason_code, business_date(now))
        if consequence and (entry.state != EntryState.PUBLISHED or refusal is not None):
            return None
        if refusal is not None:
            raise refusal
        entry.exited_at, entry.exit_reason = now, reason_code
        step(entry, actor=actor, action="exit", now=now, reason=reason, fields=["exited_at", "exit_reason"])
        announce(entry, event="exited", now=now)
    return entry


def list_entries_expire(*, actor: Actor, now: dt.datetime) -> int:
    """The sweep: every published entry whose last day on the list (`expires_on`) is before today (Beijing)
    exits with reason `expiry`. Safe to run at any time and often; after days without a run it catches up.
    One transaction per entry, so a long catch-up never holds many locks. Returns the number of exits."""
    today = business_date(now)
    due = ListEntry.objects.filter(state=EntryState.PUBLISHED, expires_on__lt=today).order_by(
        "expires_on", "pk"
    )
    exited = 0
    for entry_id, expires_on in list(due.values_list("pk", "expires_on")):
        reason = f"名单期限届满（在名单上的最后一日为 {expires_on:%Y-%m-%d}），到期移出"
        exited += _exited(actor, entry_id, "expiry", reason, now)  # 0 if exited meanwhile by another process
    return exited


def red_entries_end_for_subjects(
    *, actor: Actor, subject_ids: Iterable[int], reason: str, now: dt.datetime
) -> int:
    """End the published red-list entries of these subjects (exit reason `superseded`, docs/domain.md: a new
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
    with transaction.atomic():
        return sum(_exited(actor, entry_id, "superseded", reason, now) for entry_id in sorted(found))


def _exited(actor: Actor, entry_id: int, reason_code: str, reason: str, now: dt.datetime) -> int:
    exited = list_entry_exit(
        actor=actor, entry_id=entry_id, reason_code=reason_code, reason=reason, now=now, consequence=True
    )
    return int(exited is not None)


def exit_refusal(entry: ListEntry, reason_code: str, today: dt.date) -> Conflict | None:
    """The list's exit rule for this reason (list_types.yaml): `expiry` only after the last day on the list;
    `repair` only for a repairable list and not before the earliest exit date (提前移出); `superseded` only
    for a red list; `revocation` (the decision was revoked) and `court` (a court decision) at any time."""
    list_type = entry.list_type
    if reason_code == "expiry" and (entry.expires_on is None or entry.expires_on >= today):
        last = f"在名单上的最后一日为 {entry.expires_on:%Y-%m-%d}" if entry.expires_on else "无固定期限"
        return Conflict("list_entry.not_expired", f"名单条目 {entry.pk} 尚未期满（{last}）")
    if reason_code == "superseded" and list_type.kind != ListKind.RED:
        return Conflict("list_entry.not_red", f"{list_type.name}不是红名单，不因失信信息移出")
    if reason_code != "repair":
        return None
    if not list_type.repairable:
        return Conflict("list_entry.not_repairable", f"{list_type.name}不适用信用修复提前移出")
    if entry.earliest_exit_on is not None and today < entry.earliest_exit_on:
        return Conflict(
            "list_entry.earliest_exit_not_reached",
            f"{list_type.name}须列入满 {list_type.earliest_exit_months} 个月方可提前移出"
            f"（最早 {entry.earliest_exit_on:%Y-%m-%d}）",
            earliest_exit_on=entry.earliest_exit_on.isoformat(),
        )
    return None


def _require_reason_code(reason_code: str, allowed: dict[str, str]) -> None:
    if reason_code not in allowed:
        labels = "、".join(f"{code}（{label}）" for code, label in allowed.items())
        raise DomainError("list_entry.exit_reason_invalid", f"移出原因只能是 {labels}，实为 {reason_code}")
