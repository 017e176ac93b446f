"""Reads that leave a trace (docs/domain.md Audit: reads of protected material are logged): opening an
evidence file given with an objection, a repair application or a dishonesty report."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.evidence import evidence_open
from xinyong.core.models import EvidenceFile


def evidence_read(
    *, actor: Actor, file_id: int, among: list[int], case: str, case_id: int, now: dt.datetime
) -> EvidenceFile:
    """The file if it is among the case's files (else 404 `evidence.not_found`), with an `evidence.read` event
    naming the case (never the person who gave the file). The caller has checked who may see the case."""
    found = evidence_open(file_id, among=among)
    with transaction.atomic():
        audit_append(
            actor=actor,
            action="evidence.read",
            target_type="evidence_file",
            target_id=found.pk,
            payload={"case": case, "case_id": case_id, "purpose": found.purpose},
            now=now,
        )
    return found
