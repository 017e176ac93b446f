"""The state machine of the one-standing test (test_one_standing.py): two companies driven through
penalties, withdrawals, list entries, exits, objections, repairs, clock jumps and sweeps, with the oracle
that says what every surface must show after each step."""

import datetime as dt
import itertools
from collections import Counter

from django.db import transaction
from django.test import Client
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from tests.support.lists import DECIDER, PROPOSER, REMEDY, REVIEWER, bj
from tests.support.records import cf_row
from tests.support.remedies import GSJ, PDF, account_for, certificate, repair_commitment
from xinyong.catalog.models import Category
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import business_date
from xinyong.disclosure.profile import subject_profile
from xinyong.lists import services as lists
from xinyong.lists.models import ListEntry
from xinyong.measures.services import check_run
from xinyong.records.models import Record
from xinyong.records.services import record_withdraw, records_sweep
from xinyong.remedies import services as remedies
from xinyong.reports.content import COMPLIANCE, COMPLIANCE_SECTIONS, FULL, report_content
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.models import Subject

START = bj(2026, 10, 19, 10)
SYSTEM = Actor.system()
OFFICER = Actor(label="token:czj00077", unit_code="bj-caizhengju", roles=frozenset({"case_officer"}))
XXW_DECIDER = Actor(label="token:xxw00077", unit_code="bj-jingxinwei", roles=frozenset({"case_officer"}))
CZJ_DECIDER = Actor(label="token:czj00078", unit_code="bj-caizhengju", roles=frozenset({"case_officer"}))
DECIDERS = {"scjg-yzsx": DECIDER, "zdgz": XXW_DECIDER, "zfcg-blxw": CZJ_DECIDER}
COMPANIES = [
    ("北京华信科技有限公司", uscc_make("9111010800012345")),
    ("北京立信商贸有限公司", uscc_make("9111010500067891")),
]
SHOWN = ("published", "under_objection")
SECTIONS = {code for _, code in COMPLIANCE_SECTIONS}


def _attempt(fn, **kw):
    try:
        return fn(**kw)
    except DomainError:
        return None  # a refusal is a legal answer; the invariant says whether every surface stayed true


def _receive(rows, key, now):
    from tests.support.lists import receive

    receive(rows, key=key, now=now)


class StandingMachine(RuleBasedStateMachine):
    reached: Counter = Counter()  # which kinds of state the invariant saw (the run asserts each was reached)

    @initialize()
    def world(self):
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.now = START
        self.keys = itertools.count()
        self.subjects, self.accounts, self.certificates = [], [], []
        for i, (name, code) in enumerate(COMPANIES):
            self._penalty(i, "严重", 40, name=name, code=code)
            subject = Subject.objects.get(uscc=code)
            self.subjects.append(subject)
            self.accounts.append(account_for(subject, f"firm{i}"))
            self.certificates.append(certificate(subject))

    def teardown(self):
        if hasattr(self, "_savepoint"):
            transaction.set_rollback(True)
            self._savepoint.__exit__(None, None, None)

    # ── steps ───────────────────────────────────────────────────────────────────────────────────────────

    def _penalty(self, i, severity, days_ago, name=None, code=None):
        name, code = (name, code) if name else COMPANIES[i]
        n = next(self.keys)
        decided = business_date(self.now) - dt.timedelta(days=days_ago)
        row = cf_row(
            CF_XDR_MC=name, CF_XDR_SHXYM=code, CF_WSH=f"京工商罚字〔{decided.year}〕第{n}号",
            CF_JDRQ=decided.isoformat(), XY_YZCD=severity,
        )  # fmt: skip
        _receive([row], key=f"p{n}", now=self.now)

    @rule(i=st.integers(0, 1), severity=st.sampled_from(["严重", "一般"]), days_ago=st.integers(0, 500))
    def penalty(self, i, severity, days_ago):
        self._penalty(i, severity, days_ago)

    @rule(days=st.integers(1, 400))
    def advance(self, days):
        self.now += dt.timedelta(days=days, hours=1)

    def _records(self, i):
        return list(Record.objects.filter(subject=self.subjects[i], is_current=True).order_by("pk"))

    def _entries(self, i, state="published"):
        return list(ListEntry.objects.filter(subject=self.subjects[i], state=state).order_by("pk"))

    @rule(i=st.integers(0, 1), k=st.integers(0, 9))
    def withdraw(self, i, k):
        if records := self._records(i):
            _attempt(
                record_withdraw,
                actor=GSJ,
                record_id=records[k % len(records)].pk,
                reason="撤销",
                now=self.now,
            )

    @rule(
        i=st.integers(0, 1),
        list_type=st.sampled_from(sorted(DECIDERS)),
        k=st.integers(0, 9),
        revoked=st.booleans(),
    )
    def list_through_due_process(self, i, list_type, k, revoked):
        """Propose → review (another person) → waiver → decide → publish, at the machine's clock; `revoked`:
        the decision is revoked at once (an exit in the same step, so that exits are reached whatever
        sequence the search explores)."""
        records = [r for r in self._records(i) if r.status in SHOWN and r.category.polarity == "negative"]
        if not records:
            return
        entry = _attempt(
            lists.list_entry_propose, actor=PROPOSER, list_type=list_type, subject=self.subjects[i],
            basis_record_ids=[records[k % len(records)].pk], legal_basis="《严重失信主体名单管理办法》第八条",
            reasons="受到较重行政处罚", now=self.now,
        )  # fmt: skip
        if entry is None:
            return
        decider = DECIDERS[list_type]
        steps = [
            (lists.list_entry_review, dict(actor=REVIEWER, approve=True, reason="")),
            (lists.list_entry_statement, dict(actor=self.accounts[i], text="", waive=True)),
            (lists.list_entry_decide, dict(actor=decider, remedy=REMEDY)),
            (lists.list_entry_publish, dict(actor=decider)),
        ]
        if revoked:
            steps.append(
                (lists.list_entry_exit, dict(actor=decider, reason_code="revocation", reason="决定被撤销"))
            )
        for step, kw in steps:
            if _attempt(step, entry_id=entry.pk, now=self.now, **kw) is None:
                return

    @rule(i=st.integers(0, 1), k=st.integers(0, 9))
    def exit_entry(self, i, k):
        if entries := self._entries(i):
            entry = entries[k % len(entries)]
            _attempt(
                lists.list_entry_exit, actor=DECIDERS[entry.list_type.code], entry_id=entry.pk,
                reason_code="revocation", reason="决定被撤销", now=self.now,
            )  # fmt: skip

    def _object(self, i, kind, targets, k, grounds):
        if targets:
            _attempt(
                remedies.objection_file, actor=self.accounts[i], target_kind=kind,
                target_id=targets[k % len(targets)].pk, grounds=grounds, description="内容有误",
                applicant_name="申请人", evidence=[PDF], now=self.now,
            )  # fmt: skip

    @rule(i=st.integers(0, 1), k=st.integers(0, 9))
    def object_to_record(self, i, k):
        self._object(i, "record", [r for r in self._records(i) if r.status == "published"], k, "error")

    @rule(i=st.integers(0, 1), k=st.integers(0, 9))
    def object_to_entry(self, i, k):
        self._object(i, "list_entry", self._entries(i), k, "wrong_authority")

    @rule(k=st.integers(0, 9), outcome=st.sampled_from(["upheld", "unresolved", "corrected"]))
    def objection_through(self, k, outcome):
        from xinyong.remedies.models import Objection

        ids = list(Objection.objects.order_by("pk").values_list("pk", flat=True))
        if not ids:
            return
        oid = ids[k % len(ids)]
        _attempt(remedies.objection_accept, actor=REVIEWER, objection_id=oid, now=self.now)
        _attempt(
            remedies.objection_verify, actor=GSJ, objection_id=oid, outcome=outcome, verification="已核实",
            now=self.now,
        )  # fmt: skip
        _attempt(remedies.objection_reply, actor=REVIEWER, objection_id=oid, reply="答复", now=self.now)

    @rule(i=st.integers(0, 1), k=st.integers(0, 9), approve=st.booleans())
    def repair_a_record(self, i, k, approve):
        records = [r for r in self._records(i) if r.status == "published"]
        if not records:
            return
        record = records[k % len(records)]
        _attempt(repair_commitment, subject=self.subjects[i], actor=self.accounts[i], target_kind="record",
                 target_id=record.pk)  # fmt: skip
        repair = _attempt(
            remedies.repair_apply, actor=self.accounts[i], target_kind="record", target_id=record.pk,
            statement="已整改", applicant_name="申请人", evidence=[PDF], certificate_no=self.certificates[i],
            now=self.now,
        )  # fmt: skip
        if repair is not None:
            _attempt(
                remedies.repair_check,
                actor=REVIEWER,
                repair_id=repair.pk,
                passed=True,
                reason="",
                now=self.now,
            )
            _attempt(
                remedies.repair_decide,
                actor=GSJ,
                repair_id=repair.pk,
                approve=approve,
                reason="决定",
                now=self.now,
            )

    @rule()
    def sweeps(self):
        records_sweep(actor=SYSTEM, now=self.now)
        lists.list_entries_expire(actor=SYSTEM, now=self.now)

    # ── the oracle and the surfaces ─────────────────────────────────────────────────────────────────────

    def _truth(self, subject):
        """What is true on the day, from every row of the subject (no selector, no query predicate)."""
        today = business_date(self.now)
        records = {
            r.pk: r
            for r in Record.objects.filter(subject=subject).select_related("category")
            if r.is_current
            and r.status in SHOWN
            and (r.publish_max_end is None or r.publish_max_end >= today)
        }
        entries = {
            e.pk: e
            for e in ListEntry.objects.filter(subject=subject).select_related("list_type__category")
            if e.state == "published" and (e.expires_on is None or e.expires_on >= today)
        }
        return records, entries

    @invariant()
    def every_surface_tells_the_truth(self):
        if not hasattr(self, "subjects"):
            return
        for subject in self.subjects:
            records, entries = self._truth(subject)
            public_entries = {pk for pk, e in entries.items() if e.list_type.public}
            negative = {pk for pk, r in records.items() if r.category.polarity == "negative"}
            self._check_agrees(subject, records, negative, set(entries))
            self._profiles_agree(subject, set(records), public_entries, set(entries))
            self._reports_agree(subject, records, entries, public_entries)
            self._search_agrees(subject, entries, public_entries)
            self._tally(subject, records, entries, public_entries)

    def _tally(self, subject, records, entries, public_entries):
        rows = list(Record.objects.filter(subject=subject, is_current=True).values_list("status", flat=True))
        reached = {
            "public entry": bool(public_entries),
            "non-public entry": bool(set(entries) - public_entries),
            "exited entry": ListEntry.objects.filter(subject=subject, state="exited").exists(),
            "record under objection": "under_objection" in rows,
            "entry under objection": any(e.objection_since for e in entries.values()),
            "record repaired": "repaired" in rows,
            "published past its window": len([s for s in rows if s in SHOWN]) > len(records),
        }
        self.reached.update(k for k, v in reached.items() if v)

    def _check_agrees(self, subject, records, negative, entries):
        answer = check_run(
            actor=OFFICER, matter_code="government-procurement", case_number="案-1",
            identifiers=[subject.uscc], now=self.now,
        ).answers[0]  # fmt: skip
        assert {e["entry_id"] for e in answer["entries"]} == entries, "check: list entries"
        counts = {}
        for pk in negative:
            code = records[pk].category.code
            counts[code] = counts.get(code, 0) + 1
        assert {n["category"]: n["count"] for n in answer["negative_records"]} == counts, (
            "check: negative records"
        )

    def _profiles_agree(self, subject, records, public_entries, entries):
        public = subject_profile(actor=Actor.anonymous(), subject=subject, now=self.now)
        assert {r["record_id"] for c in public["categories"] for r in c["records"]} == records, (
            "profile: records"
        )
        assert {e["entry_id"] for e in public["list_entries"]} == public_entries, "profile: list entries"
        officer = subject_profile(actor=OFFICER, subject=subject, now=self.now, purpose="核查")
        shown = {r["record_id"] for c in officer["categories"] for r in c["records"] if r["shown"]}
        assert shown == records, "officer profile: shown records"
        current = {e["entry_id"] for e in officer["list_entries"] if e["current"]}
        assert current == entries, "officer profile: current entries of every list type"

    def _reports_agree(self, subject, records, entries, public_entries):
        full = report_content(subject=subject, kind=FULL, now=self.now)
        kinds = set(Category.objects.filter(active=True).values_list("code", flat=True))
        expected = sorted(pk for pk, r in records.items() if r.category.code in kinds)
        assert full.record_ids == expected, "full report: records"
        assert full.entry_ids == sorted(public_entries), "full report: list entries"
        compliance = report_content(subject=subject, kind=COMPLIANCE, now=self.now)
        for section in compliance.sections:
            if not section.held:
                continue
            mine = {pk for pk, r in records.items() if r.category.code == section.code}
            assert {r.record_id for r in section.records} == mine, f"compliance {section.code}: records"
            placed = {e.entry_id for e in section.entries}
            assert placed == {pk for pk in public_entries if self._section_of(entries[pk]) == section.code}, (
                f"compliance {section.code}: list entries"
            )
            assert section.count or not (mine or placed), f"compliance {section.code}: 未发现 beside a fact"
        black = {pk for pk in public_entries if entries[pk].list_type.kind == "black"}
        assert black <= set(compliance.entry_ids), "compliance: a current black-list entry left out"

    @staticmethod
    def _section_of(entry):
        code = entry.list_type.category.code if entry.list_type.category_id else ""
        if code in SECTIONS:
            return code
        return "YZSX" if entry.list_type.kind == "black" else None

    def _search_agrees(self, subject, entries, public_entries):
        (item,) = Client().get("/api/v1/search", {"q": subject.uscc}).json()["items"]
        assert sorted(b["list_type"] for b in item["list_entries"]) == sorted(
            entries[pk].list_type.code for pk in public_entries
        ), "search badges"
