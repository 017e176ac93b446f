"""The remedies state machine (objections, repairs, the records and entries they touch), apart from its
test (test_state_machine.py): rules, invariants and the states it has reached."""

import datetime as dt
import itertools
from collections import Counter

from django.db import transaction
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tests.support.records import cf_row
from tests.support.remedies import (
    GSJ,
    PDF,
    REVIEWER,
    account_for,
    bj,
    certificate,
    propose,
    receive,
    repair_commitment,
    walk,
)
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import business_date, end_of_business_day
from xinyong.disclosure.profile import subject_profile
from xinyong.lists.models import TRANSITIONS as ENTRY_TRANSITIONS
from xinyong.lists.models import ListEntry
from xinyong.lists.services import list_entries_expire
from xinyong.records.models import Record, RecordStatus
from xinyong.records.selectors import PublicityQuery, publicity_records
from xinyong.records.services import records_sweep
from xinyong.remedies import services
from xinyong.remedies.models import (
    OBJECTION_TRANSITIONS,
    REPAIR_TRANSITIONS,
    Objection,
    ObjectionState,
    ObjectionTransition,
    RepairApplication,
    RepairState,
    RepairTransition,
)
from xinyong.remedies.services.objections import FLAGGING
from xinyong.workdays.selectors import working_day_deadline

START = bj(2026, 10, 19, 10)  # after the entry's earliest exit (2026-10-14)
DOCS = ["京工商罚字〔2025〕第88号", "京工商罚字〔2025〕第89号"]
SEVERITIES = ["严重", "一般"]
SYSTEM = Actor(label="system:test", roles=frozenset({"admin"}))
OUTCOMES = ["corrected", "upheld", "unresolved"]


def _attempt(fn, **kw):
    try:
        fn(**kw)
    except DomainError:
        pass  # a refusal is a legal answer; the invariants say whether the state stayed right


class RemediesMachine(RuleBasedStateMachine):
    reached: Counter = Counter()  # which kinds of state the run saw (the test asserts each was reached)

    @initialize()
    def world(self):
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        # one serious and one general penalty: two serious ones of one category would bar each other's repair
        rows = [
            cf_row(CF_WSH=d, CF_JDRQ="2025-09-20", XY_YZCD=s) for d, s in zip(DOCS, SEVERITIES, strict=True)
        ]
        receive(rows, key="penalties", now=bj(2025, 9, 26, 10))
        self.records = [Record.objects.get(doc_no=d) for d in DOCS]
        self.subject = self.records[0].subject
        self.own = account_for(self.subject)
        self.entry = walk(propose(self.subject, [self.records[0]]), "published")
        for record in self.records:
            repair_commitment(self.subject, self.own, target_kind="record", target_id=record.pk)
        repair_commitment(self.subject, self.own, target_kind="list_entry", target_id=self.entry.pk)
        self.certificate = certificate(self.subject)
        self.now = START
        self.keys = itertools.count()

    def teardown(self):
        if hasattr(self, "_savepoint"):
            transaction.set_rollback(True)
            self._savepoint.__exit__(None, None, None)

    # ── steps ───────────────────────────────────────────────────────────────────────────────────────────

    @rule(days=st.integers(0, 400))
    def advance(self, days):
        self.now += dt.timedelta(days=days, hours=1)

    @rule(i=st.integers(0, 1), grounds=st.sampled_from(["error", "past_period", "not_publishable"]))
    def object_to_record(self, i, grounds):
        kind = "publication" if grounds == "past_period" else "record"
        _attempt(
            services.objection_file,
            actor=self.own,
            target_kind=kind,
            target_id=self.records[i].pk,
            grounds=grounds,
            description="内容有误",
            applicant_name="申请人",
            evidence=[PDF],
            now=self.now,
        )

    @rule()
    def object_to_entry(self):
        _attempt(
            services.objection_file,
            actor=self.own,
            target_kind="list_entry",
            target_id=self.entry.pk,
            grounds="wrong_authority",
            description="认定有误",
            applicant_name="申请人",
            evidence=[PDF],
            now=self.now,
        )

    def _objection(self, k):
        ids = list(Objection.objects.order_by("pk").values_list("pk", flat=True))
        return ids[k % len(ids)] if ids else None

    @rule(k=st.integers(0, 5), accept=st.booleans())
    def credit_office_decides(self, k, accept):
        if (oid := self._objection(k)) is None:
            return
        if accept:
            _attempt(services.objection_accept, actor=REVIEWER, objection_id=oid, now=self.now)
        else:
            _attempt(
                services.objection_refuse, actor=REVIEWER, objection_id=oid, reason="不予受理", now=self.now
            )

    @rule(k=st.integers(0, 5), outcome=st.sampled_from(OUTCOMES))
    def provider_verifies(self, k, outcome):
        if (oid := self._objection(k)) is not None:
            _attempt(
                services.objection_verify,
                actor=GSJ,
                objection_id=oid,
                outcome=outcome,
                verification="已核实",
                now=self.now,
            )

    @rule(k=st.integers(0, 5))
    def reply(self, k):
        if (oid := self._objection(k)) is not None:
            _attempt(
                services.objection_reply, actor=REVIEWER, objection_id=oid, reply="书面答复", now=self.now
            )

    @rule(i=st.integers(0, 1), amount=st.integers(1, 9))
    def unit_resubmits(self, i, amount):
        row = cf_row(CF_WSH=DOCS[i], CF_JDRQ="2025-09-20", XY_YZCD=SEVERITIES[i], CF_NR_FK=str(amount))
        receive([row], key=f"fix-{next(self.keys)}", now=self.now)

    @rule(what=st.sampled_from(["record0", "record1", "entry"]))
    def apply_for_repair(self, what):
        kind, target_id = (
            ("list_entry", self.entry.pk) if what == "entry" else ("record", self.records[int(what[-1])].pk)
        )
        _attempt(
            services.repair_apply,
            actor=self.own,
            target_kind=kind,
            target_id=target_id,
            statement="已整改",
            applicant_name="申请人",
            evidence=[PDF],
            certificate_no=self.certificate,
            now=self.now,
        )

    def _repair(self, k):
        ids = list(RepairApplication.objects.order_by("pk").values_list("pk", flat=True))
        return ids[k % len(ids)] if ids else None

    @rule(k=st.integers(0, 3), passed=st.booleans())
    def credit_office_checks(self, k, passed):
        if (rid := self._repair(k)) is not None:
            _attempt(
                services.repair_check,
                actor=REVIEWER,
                repair_id=rid,
                passed=passed,
                reason="初审意见",
                now=self.now,
            )

    @rule(k=st.integers(0, 3), approve=st.booleans())
    def deciding_unit_decides(self, k, approve):
        if (rid := self._repair(k)) is not None:
            _attempt(
                services.repair_decide,
                actor=GSJ,
                repair_id=rid,
                approve=approve,
                reason="决定理由",
                now=self.now,
            )

    @rule(
        what=st.sampled_from(["record0", "record1", "entry"]), approve=st.booleans(), resubmit=st.booleans()
    )
    def repair_all_the_way(self, what, approve, resubmit):
        """Apply, pass the check and decide in one step (deep paths are rare for random single steps), and
        maybe have the unit resubmit the record right after."""
        before = RepairApplication.objects.count()
        self.apply_for_repair(what)
        if RepairApplication.objects.count() > before:
            rid = RepairApplication.objects.order_by("-pk").values_list("pk", flat=True).first()
            _attempt(
                services.repair_check, actor=REVIEWER, repair_id=rid, passed=True, reason="", now=self.now
            )
            _attempt(
                services.repair_decide, actor=GSJ, repair_id=rid, approve=approve, reason="决定", now=self.now
            )
        if resubmit and what != "entry":
            self.unit_resubmits(int(what[-1]), 4)

    @rule(i=st.integers(0, 1), outcome=st.sampled_from(OUTCOMES))
    def objection_all_the_way(self, i, outcome):
        """File, accept, verify and reply in one step (a correction first when the outcome needs one)."""
        before = Objection.objects.count()
        self.object_to_record(i, "error")
        if Objection.objects.count() > before:
            oid = Objection.objects.order_by("-pk").values_list("pk", flat=True).first()
            _attempt(services.objection_accept, actor=REVIEWER, objection_id=oid, now=self.now)
            if outcome == "corrected":
                self.unit_resubmits(i, 7)
            self.provider_verifies_id(oid, outcome)
            _attempt(services.objection_reply, actor=REVIEWER, objection_id=oid, reply="答复", now=self.now)

    def provider_verifies_id(self, oid, outcome):
        _attempt(
            services.objection_verify,
            actor=GSJ,
            objection_id=oid,
            outcome=outcome,
            verification="已核实",
            now=self.now,
        )

    @rule()
    def sweeps(self):
        records_sweep(actor=SYSTEM, now=self.now)
        list_entries_expire(actor=SYSTEM, now=self.now)
        services.objections_escalate(actor=SYSTEM, now=self.now)

    # ── invariants ──────────────────────────────────────────────────────────────────────────────────────

    @invariant()
    def tally_the_states_reached(self):
        if not hasattr(self, "records"):
            return
        objections = ObjectionTransition.objects.values_list("to_state", flat=True).distinct()
        self.reached.update(f"objection {state}" for state in objections)
        repairs = RepairTransition.objects.values_list("to_state", flat=True).distinct()
        self.reached.update(f"repair {state}" for state in repairs)
        statuses = Record.objects.filter(doc_no__in=DOCS, is_current=True).values_list("status", "version")
        self.reached.update(f"record {status}" for status, _ in statuses)
        self.reached.update("repaired record resubmitted" for s, v in statuses if s == "repaired" and v > 1)
        entry = ListEntry.objects.get(pk=self.entry.pk)
        self.reached.update(
            [f"entry {entry.state}"] + ["entry under objection"] * bool(entry.objection_since)
        )

    @invariant()
    def repaired_records_are_never_public(self):
        if not hasattr(self, "records"):
            return
        profile = subject_profile(actor=Actor.anonymous(), subject=self.subject, now=self.now)
        shown = {r["record_id"] for c in profile["categories"] for r in c["records"]}
        _, publicity = publicity_records(PublicityQuery(kind="penalties"))
        shown |= set(publicity.values_list("pk", flat=True))
        assert not Record.objects.filter(pk__in=shown, status=RecordStatus.REPAIRED).exists()
        for repair in RepairApplication.objects.filter(state=RepairState.APPROVED, record__isnull=False):
            current = Record.objects.get(doc_no=repair.record.doc_no, is_current=True)
            assert current.status == RecordStatus.REPAIRED and current.pk not in shown

    @invariant()
    def a_held_flag_is_shown_and_no_flag_is_unheld(self):
        if not hasattr(self, "records"):
            return
        for record in Record.objects.filter(doc_no__in=DOCS, is_current=True):
            held = Objection.objects.filter(FLAGGING, record__doc_no=record.doc_no).exists()
            assert record.status != RecordStatus.PUBLISHED or not held, (
                f"{record.doc_no}: held flag not shown"
            )
            assert record.status != RecordStatus.UNDER_OBJECTION or held, f"{record.doc_no}: stale flag"
        entry = ListEntry.objects.get(pk=self.entry.pk)
        held = Objection.objects.filter(FLAGGING, list_entry=entry).exists()
        assert (entry.objection_since is not None) == held

    @invariant()
    def no_transition_is_skipped(self):
        def chain(steps, table, first):
            state = ""
            for action, from_state, to_state in steps:
                assert from_state == state, f"{action}: from {from_state!r}, was {state!r}"
                assert to_state == (first if not state else table[state].get(action)), (
                    f"{state} -{action}-> {to_state}"
                )
                state = to_state

        for o in Objection.objects.all():
            chain(
                o.transitions.values_list("action", "from_state", "to_state"),
                OBJECTION_TRANSITIONS,
                "submitted",
            )
            assert o.state == o.transitions.last().to_state
        for r in RepairApplication.objects.all():
            chain(
                r.transitions.values_list("action", "from_state", "to_state"), REPAIR_TRANSITIONS, "submitted"
            )
        if hasattr(self, "entry"):
            steps = ListEntry.objects.get(pk=self.entry.pk).transitions.values_list(
                "action", "from_state", "to_state"
            )
            chain(steps, ENTRY_TRANSITIONS, "proposed")

    @invariant()
    def deadlines_are_working_days_from_the_rules(self):
        for o in Objection.objects.all():
            assert o.accept_due == working_day_deadline(business_date(o.filed_at), 2).value
            if o.accepted_at is not None:
                cap = end_of_business_day(business_date(o.filed_at) + dt.timedelta(days=20))
                assert o.verify_due == min(working_day_deadline(business_date(o.accepted_at), 10).value, cap)
            assert o.state != ObjectionState.SUBMITTED or o.verify_due is None
        for r in RepairApplication.objects.all():
            assert r.overall_due == working_day_deadline(business_date(r.filed_at), 10).value


# A fixed walk through every kind of state the run must reach, before the search: which sequences the search
# explores changes with every rule the code refuses, so reaching them is not left to it alone. The invariants
# run after each step of the walk as after each step of the search.
