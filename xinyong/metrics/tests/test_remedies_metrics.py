"""Metrics of objections and repairs handled on time and of list entries and exits, on the remedies tests'
world (tests/support/remedies.py) walked through the services, with exact numbers.

The company's serious penalty and its black-list entry (市场监管严重违法失信名单, decided by 市工商局,
published 2025-10-15). Objections filed Wed 2026-09-30 against the penalty and against the entry, both accepted
Fri 10-09 (verification due Tue 10-20): the first verified 10-16 (on time), the second 10-21 (late). A repair
of the penalty applied for Mon 11-02, checked 11-04 (decision due 11-09), approved 11-05 (on time): the entry
exits that day."""

import datetime as dt

import pytest

from tests.support.remedies import (  # noqa: F401 - fixtures
    CHECKED_AT,
    DECIDED_AT,
    GSJ,
    REPLIED_AT,
    REVIEWER,
    accepted,
    apply,
    bj,
    certificate,
    commitments_reference,
    company,
    entry,
    file,
    lists_reference,
    own,
    penalty,
    reference,
    remedies_reference,
    repair_commitment,
)
from xinyong.accounts.models import Unit
from xinyong.metrics.models import UnitMonthFigure
from xinyong.metrics.selectors import figure_rows_behind
from xinyong.metrics.services import month_refresh
from xinyong.remedies import services

pytestmark = pytest.mark.django_db

OCT25, OCT, NOV = dt.date(2025, 10, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1)


def _verify(objection, at):
    services.objection_verify(
        actor=GSJ, objection_id=objection.pk, outcome="upheld", verification="经核实", now=at
    )
    services.objection_reply(actor=REVIEWER, objection_id=objection.pk, reply="维持原信息", now=at)


@pytest.fixture
def world(own, company, penalty, entry):  # noqa: F811 - fixtures imported above
    on_penalty = accepted(file(own, penalty.pk))
    on_entry = accepted(file(own, entry.pk, target_kind="list_entry"))
    _verify(on_penalty, bj(2026, 10, 16, 10))
    _verify(on_entry, bj(2026, 10, 21, 10))
    repair_commitment(company, own, target_kind="record", target_id=penalty.pk)
    repair = apply(own, penalty.pk, certificate_no=certificate(company))
    services.repair_check(actor=REVIEWER, repair_id=repair.pk, passed=True, reason="材料齐全", now=CHECKED_AT)
    services.repair_decide(actor=GSJ, repair_id=repair.pk, approve=True, reason="已纠正", now=DECIDED_AT)
    for month in (OCT25, OCT, NOV):
        month_refresh(month=month, now=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    return Unit.objects.get(code="bj-gongshangju")


def _rows(metric, month):
    rows = UnitMonthFigure.objects.filter(metric=metric, month=month).order_by("unit__code", "dimension")
    return [(r.unit.code, r.district, r.dimension, r.numerator, r.denominator) for r in rows]


def test_objections_verified_on_time(world):
    assert _rows("objections_on_time", OCT) == [("bj-gongshangju", "", "", 1, 2)]
    assert _rows("objections_on_time", NOV) == []
    behind = figure_rows_behind(metric="objections_on_time", month=OCT, unit_id=world.pk, limit=10)
    assert sorted(r.counted for r in behind) == [False, True]


def test_repairs_decided_on_time(world):
    assert _rows("repairs_on_time", NOV) == [("bj-gongshangju", "", "", 1, 1)]
    assert _rows("repairs_on_time", OCT) == []


def test_list_entries_and_exits(world):
    assert _rows("list_entries", OCT25) == [("bj-gongshangju", "", "scjg-yzsx", 1, 1)]
    assert _rows("list_exits", NOV) == [("bj-gongshangju", "", "scjg-yzsx", 1, 1)]
    assert _rows("list_exits", OCT25) == _rows("list_entries", NOV) == []
