"""The one transition mechanism names each machine in its refusals exactly as the apps always have, and locks
the row with the joins its machine asks for (and none otherwise)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinyong.audit.transitions import locked, target_state
from xinyong.commitments.services.commitments import COMMITMENT
from xinyong.core.errors import Conflict, NotFound
from xinyong.lists.services.machine import LIST_ENTRY
from xinyong.remedies.services.machine import OBJECTION, REPAIR
from xinyong.tipoffs.services.machine import TIPOFF

MISSING = [
    (LIST_ENTRY, "list_entry.not_found", "名单条目 999999 不存在"),
    (TIPOFF, "tipoff.not_found", "举报 999999 不存在"),
    (OBJECTION, "objection.not_found", "异议 999999 不存在"),
    (REPAIR, "repair.not_found", "信用修复申请 999999 不存在"),
    (COMMITMENT, "commitment.not_found", "信用承诺 999999 不存在"),
]
REFUSED = [
    (
        LIST_ENTRY,
        "exited",
        "publish",
        "list_entry.invalid_transition",
        "名单条目 7 当前状态为“已移出”，不能公布",
    ),
    (TIPOFF, "closed", "reward", "tipoff.invalid_transition", "举报 7 当前状态为“已办结”，不能作出奖励决定"),
    (
        OBJECTION,
        "replied",
        "accept",
        "objection.invalid_transition",
        "异议 7 当前状态为“已书面答复”，不能受理",
    ),
    (
        REPAIR,
        "approved",
        "check",
        "repair.invalid_transition",
        "信用修复申请 7 当前状态为“准予修复”，不能初审通过",
    ),
    (
        COMMITMENT,
        "kept",
        "withdraw",
        "commitment.invalid_transition",
        "信用承诺 7 当前状态为“已履约”，不能撤回",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("machine", "code", "message"), MISSING, ids=lambda v: getattr(v, "name", None))
def test_a_missing_row_is_a_404_named_by_its_machine(machine, code, message):
    with pytest.raises(NotFound) as caught:
        locked(machine, 999999)
    assert (caught.value.code, caught.value.message, caught.value.status) == (code, message, 404)


@pytest.mark.parametrize(("machine", "state", "action", "code", "message"), REFUSED)
def test_a_move_the_table_does_not_allow_is_a_409_naming_state_and_action(
    machine, state, action, code, message
):
    obj = machine.model(pk=7, state=state)
    with pytest.raises(Conflict) as caught:
        target_state(machine, obj, action)
    error = caught.value
    assert (error.code, error.message, error.status) == (code, message, 409)
    assert error.extra == {"state": state, "action": action}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("machine", "joins"), [(LIST_ENTRY, True), (TIPOFF, True), (COMMITMENT, True), (REPAIR, False)]
)
def test_the_lock_joins_only_what_the_machine_asks_for(machine, joins):
    with CaptureQueriesContext(connection) as queries, pytest.raises(NotFound):
        locked(machine, 999999)
    assert ("JOIN" in queries.captured_queries[-1]["sql"]) is joins
