"""The workbench's tip-offs (issue 16) on the tipoffs tests' world (tests/support/tipoffs.py): the handling
unit's officers accept, then conclude, each by its deadline in working days; other units see none."""

import pytest

from tests.support.tipoffs import (  # noqa: F401 - fixtures
    ACCEPT_DEADLINE,
    CONCLUDE_DEADLINE,
    GSJ,
    bj,
    company,
    file,
    reference,
    walk,
)
from tests.support.workbench import officer_make
from xinyong.accounts.actors import user_actor
from xinyong.console.workbench.queues import workbench_items

pytestmark = pytest.mark.django_db


def tipoffs(user, now):
    found = workbench_items(actor=user_actor(user, ""), now=now)
    return [(i.kind, i.ref, i.deadline, i.due.text) for i in found if i.kind.startswith("tipoff_")]


def test_the_handling_unit_accepts_then_concludes(company):  # noqa: F811
    tipoff = file()
    gsj = officer_make("zhang", "bj-gongshangju", "case_officer", "张经办")
    czj = officer_make("li", "bj-caizhengju", "case_officer", "李经办")
    ref = f"举报 {tipoff.pk}"
    assert tipoffs(gsj, bj(2026, 10, 12, 10)) == [("tipoff_accept", ref, ACCEPT_DEADLINE, "剩 1 个工作日")]
    assert tipoffs(czj, bj(2026, 10, 12, 10)) == []
    walk(tipoff, "accepted", actor=GSJ)
    assert tipoffs(gsj, bj(2026, 11, 20, 10)) == [
        ("tipoff_conclude", ref, CONCLUDE_DEADLINE, "逾期 1 个工作日")
    ]
