"""Objections, repairs, list entries, corrections, sweeps and the clock driven together by Hypothesis, with the
invariants of issue 6 checked after every step:

- a repaired record is never public (public profile, 双公示 publicity), and stays repaired through new versions;
- a flagged record always shows the flag: while an objection holds it, the decision's current version is
  `under_objection` whenever it would otherwise be public; no record or entry carries a flag nobody holds;
- no transition is skipped: every history is a chain from the first step, each step allowed by its table;
- deadlines are computed in working days (and the 20-calendar-day cap) from the rules in force.

Each example runs inside a savepoint that is rolled back at its end, on the reference data loaded once. A fixed
walk reaches every state of REACHABLE first, then the search runs; the test fails naming any state never reached
(a change that makes one unreachable fails here).
"""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from xinyong.audit.selectors import audit_chain_verify
from xinyong.remedies.models import (
    ObjectionState,
    RepairState,
)
from xinyong.remedies.tests.remedies_machine import (
    RemediesMachine,
)

WALK = [
    ("object_to_record", dict(i=0, grounds="error")),
    ("credit_office_decides", dict(k=0, accept=True)),
    ("object_to_entry", dict()),
    ("credit_office_decides", dict(k=1, accept=True)),
    ("provider_verifies", dict(k=0, outcome="upheld")),
    ("provider_verifies", dict(k=1, outcome="upheld")),
    ("reply", dict(k=0)),
    ("reply", dict(k=1)),
    ("object_to_record", dict(i=1, grounds="not_publishable")),
    ("credit_office_decides", dict(k=2, accept=False)),
    ("objection_all_the_way", dict(i=1, outcome="corrected")),
    ("objection_all_the_way", dict(i=1, outcome="unresolved")),
    ("repair_all_the_way", dict(what="entry", approve=False, resubmit=False)),
    ("repair_all_the_way", dict(what="record0", approve=True, resubmit=True)),
]
REACHABLE = {
    *(f"objection {s}" for s in ObjectionState.values),
    *(f"repair {s}" for s in RepairState.values),
    "record published", "record under_objection", "record expired", "record repaired",
    "repaired record resubmitted",
    "entry published", "entry under objection", "entry exited",
}  # fmt: skip


def _walk() -> None:
    machine = RemediesMachine()
    invariants = [
        machine.tally_the_states_reached,
        machine.repaired_records_are_never_public,
        machine.a_held_flag_is_shown_and_no_flag_is_unheld,
        machine.no_transition_is_skipped,
        machine.deadlines_are_working_days_from_the_rules,
    ]
    try:
        machine.world()
        for step, kwargs in [(None, None), *WALK]:
            if step:
                getattr(machine, step)(**kwargs)
            for check in invariants:
                check()
    finally:
        machine.teardown()


@pytest.mark.django_db
def test_objections_repairs_and_entries_keep_their_invariants(remedies_reference):
    RemediesMachine.reached.clear()
    _walk()
    run_state_machine_as_test(
        RemediesMachine,
        settings=settings(
            max_examples=48,  # the walk above reaches every state; the search adds what it finds (CI budget)
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert audit_chain_verify().ok
    missing = REACHABLE - set(RemediesMachine.reached)
    assert not missing, f"states never reached: {sorted(missing)}"
