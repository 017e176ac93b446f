"""Outbox handlers of the lists app (settings.XINYONG_OUTBOX_HANDLERS; run by `xinyong worker`)."""

from __future__ import annotations

import datetime as dt

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.lists.services import red_entries_end_for_subjects


def red_entries_end_on_serious_record(*, payload: dict, now: dt.datetime) -> None:
    """`records.serious_negative` (written by the records import in the records' transaction): the subjects
    that received a serious negative record leave their red lists (docs/domain.md). Idempotent: a redelivered
    event finds no published red entry left."""
    batch = payload.get("submission_id")
    reason = (
        f"主体新增严重失信信息（归集批次 {batch}），依规移出红名单"
        if batch
        else "主体新增严重失信信息，依规移出红名单"
    )
    red_entries_end_for_subjects(
        actor=Actor(label="system:outbox", roles=frozenset({Role.ADMIN})),
        subject_ids=payload["subject_ids"],
        reason=reason,
        now=now,
    )
