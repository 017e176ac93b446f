"""Reading the files given with an objection or a repair application (证明材料, 授权委托书): whoever may see
the case may read them (government roles and the subject itself, checked by the caller); every read is
audited."""

from __future__ import annotations

import datetime as dt

from xinyong.audit.reads import evidence_read
from xinyong.core.actor import Actor
from xinyong.core.models import EvidenceFile
from xinyong.remedies.models import Objection, RepairApplication


def case_evidence_read(
    *, actor: Actor, case: Objection | RepairApplication, kind: str, file_id: int, now: dt.datetime
) -> EvidenceFile:
    """A file of the case: its evidence or, for an agent's objection, the power of attorney."""
    among = [*case.evidence, *getattr(case, "agent_authorisation", [])]
    return evidence_read(actor=actor, file_id=file_id, among=among, case=kind, case_id=case.pk, now=now)
