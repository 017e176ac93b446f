"""Every surface tells the same truth (issue 11, docs/rules.md "One standing").

A Hypothesis state machine (standing_machine.py) drives two companies through penalties, withdrawals, list
entries (two public black lists and the non-public 重点关注名单) through the whole due process, exits,
objections, repairs, clock jumps and sweeps. After every step an oracle — plain Python over every row of the
subject, written apart from the code it checks — says which records are shown and which entries are current
on the day, and each surface must agree with it: the check (government: every list type), the profile for
the public and for an officer, the full report, the compliance report (and that it never says 未发现 beside a
current entry or record) and the search badges.

`test_a_surface_that_bypasses_the_standing_is_caught` patches one surface at a time so that it no longer
reads the shared standing the way it should (as the code before issue 11 did) and shows that the machine
then fails.
"""

from contextlib import ExitStack
from unittest import mock

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import Flaky
from hypothesis.stateful import run_state_machine_as_test

from tests.support.records import SETUP_AT
from xinyong.core.roundtrips import Read
from xinyong.lists.models import ListType
from xinyong.measures.services import memoranda_load
from xinyong.standing import selectors
from xinyong.standing.tests.standing_machine import (
    SYSTEM,
    StandingMachine,
)


@pytest.fixture
def standing_world(remedies_reference):
    memoranda_load(actor=SYSTEM, now=SETUP_AT)
    ListType.objects.update(earliest_exit_months=0)


SETTINGS = dict(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)


# A fixed walk through every kind of state the run must reach. Which sequences the search explores depends
# on which steps the code refuses (and so changes with every rule), so reaching them is not left to it alone;
# the invariant runs after each step of the walk as after each step of the search.
WALK = [
    ("penalty", dict(i=0, severity="一般", days_ago=0)),
    ("list_through_due_process", dict(i=0, list_type="scjg-yzsx", k=0, revoked=False)),
    ("list_through_due_process", dict(i=0, list_type="zdgz", k=0, revoked=False)),
    ("list_through_due_process", dict(i=1, list_type="scjg-yzsx", k=0, revoked=True)),
    ("object_to_entry", dict(i=0, k=0)),
    ("object_to_record", dict(i=0, k=1)),
    ("advance", dict(days=400)),
    ("repair_a_record", dict(i=1, k=0, approve=True)),
    ("sweeps", dict()),
]


def _walk() -> None:
    machine = StandingMachine()
    try:
        machine.world()
        machine.every_surface_tells_the_truth()
        for step, kwargs in WALK:
            getattr(machine, step)(**kwargs)
            machine.every_surface_tells_the_truth()
    finally:
        machine.teardown()


@pytest.mark.django_db
def test_every_surface_agrees_with_the_truth_after_every_step(standing_world):
    StandingMachine.reached.clear()
    _walk()
    run_state_machine_as_test(
        StandingMachine, settings=settings(max_examples=26, stateful_step_count=16, **SETTINGS)
    )
    missing = {
        "public entry", "non-public entry", "exited entry", "record under objection", "entry under objection",
        "record repaired", "published past its window",
    } - set(StandingMachine.reached)  # fmt: skip
    assert not missing, f"states never reached: {sorted(missing)}"


def _without_entries(real):
    def patched(**kw):
        found = real(**kw)
        if isinstance(found, dict):
            return {
                k: selectors.Standing(s.subject_id, s.on, s.scope, s.records, ()) for k, s in found.items()
            }
        return selectors.Standing(found.subject_id, found.on, found.scope, found.records, ())

    return patched


def _check_without_entries(ids, *, on):
    read = selectors.check_standing_read(ids, on=on)
    return Read(read.statements, lambda rows: selectors.CheckStanding({}, read.finish(rows).negatives))


BYPASSES = {
    # the report before issue 11: no list entries in either report
    "report": ("xinyong.reports.content.standing_for", _without_entries(selectors.standing_for)),
    # the profile before issue 11: no list section
    "profile": ("xinyong.disclosure.profile.standing_for", _without_entries(selectors.standing_for)),
    # a check that reads entries its own way and misses them
    "check": ("xinyong.measures.services.checks.check_standing_read", _check_without_entries),
    # search results without the standing's badges
    "search": ("xinyong.standing.api.standings_for", _without_entries(selectors.standings_for)),
}


@pytest.mark.django_db
@pytest.mark.parametrize("surface", sorted(BYPASSES))
def test_a_surface_that_bypasses_the_standing_is_caught(standing_world, surface):
    target, replacement = BYPASSES[surface]
    with ExitStack() as stack:
        stack.enter_context(mock.patch(target, replacement))
        with pytest.raises((AssertionError, Flaky)):
            run_state_machine_as_test(
                StandingMachine,
                settings=settings(
                    max_examples=40, stateful_step_count=14, phases=[Phase.generate], **SETTINGS
                ),
            )
