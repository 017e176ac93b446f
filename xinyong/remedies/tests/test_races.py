"""Races of issue 6, with real threads on their own database connections (SQLite serialises writers with
BEGIN IMMEDIATE; PostgreSQL locks the rows):

- an objection filed while the sweep runs and the unit corrects the record ends with both effects — the
  correction is the current version and carries the flag, the sweep expired what it had to — and one audit
  event per transition;
- two officers deciding one repair at once yield one decision.
"""

import pytest

from tests.support.records import cf_row
from tests.support.remedies import (
    CHECKED_AT,
    DECIDED_AT,
    GSJ,
    PDF,
    REVIEWER,
    REVIEWER_2,
    bj,
    certificate,
    receive,
    repair_commitment,
)
from tests.support.threads import run_together
from xinyong.audit.models import AuditEvent
from xinyong.audit.selectors import audit_chain_verify
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.records.models import Record, RecordStatus, RecordStatusChange
from xinyong.records.services import records_sweep
from xinyong.remedies import services
from xinyong.remedies.models import Objection, RepairApplication

NOW = bj(2026, 10, 12, 10)
OLD = "京工商罚字〔2025〕第3号"  # a general penalty whose one-year window ended 2026-01-10: the sweep's work


def _together(*calls):
    """Run the calls at the same instant in threads; return (results, refusals)."""
    results, errors = [], []

    def recorded(fn):
        def run():
            try:
                results.append(fn())
            except DomainError as exc:
                errors.append(exc.code)

        return run

    run_together(*[recorded(fn) for fn in calls])
    return results, errors


@pytest.mark.parametrize("round_", range(3))
@pytest.mark.django_db(transaction=True)
def test_objection_sweep_and_correction_at_once_keep_both_effects(own, penalty, round_):
    receive([cf_row(CF_WSH=OLD, CF_JDRQ="2025-01-10", XY_YZCD="一般")], key="old", now=bj(2025, 1, 15, 10))
    fixed = cf_row(
        CF_WSH=penalty.doc_no, CF_JDRQ="2025-09-20", XY_YZCD="严重", CF_NR_FK="1", CF_NR="罚款一万元"
    )
    before = AuditEvent.objects.count()
    results, errors = _together(
        lambda: services.objection_file(
            actor=own,
            target_kind="record",
            target_id=penalty.pk,
            grounds="error",
            description="金额有误",
            applicant_name="北京华信科技有限公司",
            evidence=[PDF],
            now=NOW,
        ),
        lambda: records_sweep(actor=Actor.system(), now=NOW),
        lambda: receive([fixed], key=f"fix-{round_}", now=NOW),
    )
    assert errors == []
    current = Record.objects.get(doc_no=penalty.doc_no, is_current=True)
    assert (current.version, current.change_kind, current.status) == (
        2,
        "correction",
        RecordStatus.UNDER_OBJECTION,
    )
    assert Record.objects.get(doc_no=penalty.doc_no, version=1).status == RecordStatus.SUPERSEDED
    assert Record.objects.get(doc_no=OLD).status == RecordStatus.EXPIRED
    assert Objection.objects.get().state == "submitted"
    flags = RecordStatusChange.objects.filter(
        record__doc_no=penalty.doc_no, to_status=RecordStatus.UNDER_OBJECTION
    )
    expiries = RecordStatusChange.objects.filter(record__doc_no=OLD, to_status=RecordStatus.EXPIRED)
    assert (flags.count(), expiries.count()) == (1, 1)
    actions = list(AuditEvent.objects.filter(seq__gt=before).values_list("action", flat=True))
    assert sorted(a for a in actions if a != "submission.receive") == [
        "objection.file",
        "record.objection_flag",
        "records.sweep",
    ]
    assert audit_chain_verify().ok


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_one_repair_at_once_yield_one_decision(own, company, penalty, entry):
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    repair = services.repair_apply(
        actor=own,
        target_kind="record",
        target_id=penalty.pk,
        statement="已整改",
        applicant_name="北京华信科技有限公司",
        evidence=[PDF],
        certificate_no=certificate(company),
        now=bj(2026, 11, 2, 10),
    )
    services.repair_check(actor=REVIEWER, repair_id=repair.pk, passed=True, reason="", now=CHECKED_AT)
    results, errors = _together(
        lambda: services.repair_decide(
            actor=GSJ, repair_id=repair.pk, approve=True, reason="同意", now=DECIDED_AT
        ),
        lambda: services.repair_decide(
            actor=REVIEWER_2, repair_id=repair.pk, approve=False, reason="不同意", now=DECIDED_AT
        ),
    )
    assert (len(results), errors) == (1, ["repair.invalid_transition"])
    decided = RepairApplication.objects.get(pk=repair.pk)
    assert decided.state == ("approved" if decided.decided_by == GSJ.label else "rejected")
    assert decided.transitions.filter(action__in=["approve", "reject"]).count() == 1
    decisions = AuditEvent.objects.filter(action__in=["repair.approve", "repair.reject"]).count()
    repairs = AuditEvent.objects.filter(action="record.repair").count()
    assert (decisions, repairs) == (1, 1 if decided.state == "approved" else 0)
