"""Logging every look at a person's non-public data (docs/domain.md principle 6: "every look is logged")."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.subjects.models import Subject


def subject_person_read_log(*, actor: Actor, now: dt.datetime, subject: Subject, purpose: str = "") -> None:
    """Append the audit event for a government read of a natural person's non-public fields (name)."""
    with transaction.atomic():
        audit_append(
            actor=actor,
            action="subject.person_read",
            target_type="subject",
            target_id=subject.pk,
            now=now,
            reason=purpose,
            payload={"person_masked": subject.person_masked},
        )
