"""Signed commitments whose template is public are published as 信用承诺信息 records (catalog XYCN,
issue 11): 信用中国 publishes 告知承诺 and 主动型 commitments with how they were kept.

On signing, one XYCN row goes through the records intake in the name of the accepting unit (受理单位),
like the breach record of a broken commitment (ADR 0008), keyed by the commitment number `XYCN-<id>`
(XYCN_CNBH), 履约情况 待核查. When the commitment is verified, the same number is submitted again with
已履约 or 未履约 (the intake keeps it as a new version of the record); when the subject withdraws the
commitment, the record is withdrawn. Idempotency keys `commitment-publish-<id>-<履约情况>` make a replay
add nothing. A subject the XYCN row cannot be keyed by (an individual business known only by its
registration number) is not published: the refusal is kept in the audit event of the signing instead of
refusing the commitment itself.
"""

from __future__ import annotations

import datetime as dt

from xinyong.commitments.models import Commitment
from xinyong.commitments.services.breach import KIND_CODES, as_accepting_unit, submit_as_accepting_unit
from xinyong.core.actor import Actor
from xinyong.core.timeutil import business_date
from xinyong.records.models import Record
from xinyong.records.services import record_withdraw
from xinyong.subjects.identity import person_decrypt

CATEGORY = "XYCN"
PENDING, KEPT, BROKEN = "0", "1", "2"


def publication_row(commitment: Commitment, *, outcome: str) -> dict[str, str]:
    """The XYCN row of a commitment (catalog field codes) with its 履约情况 `outcome`."""
    subject, unit = commitment.subject, commitment.accepting_unit
    row = {
        "XYCN_ZTMC": subject.name,
        "XYCN_CNBH": f"XYCN-{commitment.pk}",
        "XYCN_CNLX": KIND_CODES[commitment.kind],
        "XYCN_CNSX": commitment.matter,
        "XYCN_CNNR": commitment.text,
        "XYCN_CNRQ": business_date(commitment.signed_at).isoformat(),
        "XYCN_HCQX": commitment.verify_due.isoformat(),
        "XYCN_LYQK": outcome,
        "XYCN_SLDW": unit.name,
    }
    if subject.is_person:
        row["XYCN_ZJHM"] = person_decrypt(subject.person_cipher)
    elif subject.uscc:
        row["XYCN_TYSHXYDM"] = subject.uscc
    return row


def commitment_publish(
    commitment: Commitment, *, actor: Actor, outcome: str, now: dt.datetime
) -> tuple[Record | None, list[dict]]:
    """Submit (or resubmit with a new outcome) the commitment's XYCN record; the current record, or None and
    the row's errors when the intake refused it."""
    row = publication_row(commitment, outcome=outcome)
    return submit_as_accepting_unit(
        commitment,
        actor=actor,
        category_code=CATEGORY,
        row=row,
        idempotency_key=f"commitment-publish-{commitment.pk}-{outcome}",
        now=now,
    )


def commitment_unpublish(commitment: Commitment, *, actor: Actor, now: dt.datetime) -> Record | None:
    """Withdraw the published record of a withdrawn commitment (a new version in status `withdrawn`)."""
    if commitment.public_record_id is None:
        return None
    return record_withdraw(
        actor=as_accepting_unit(commitment, actor),
        record_id=commitment.public_record_id,
        reason="承诺主体撤回信用承诺",
        now=now,
    )
