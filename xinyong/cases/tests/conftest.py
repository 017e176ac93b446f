"""Fixtures of the 典型案例 tests: the lists tests' company (北京华信科技有限公司) with its serious penalty,
published on the market regulator's black list, and a natural person (王芳) with a licence."""

import datetime as dt

import pytest

from tests.support.lists import DECIDER, bj, company, lists_reference, penalty, propose, walk  # noqa: F401
from tests.support.reports import person, reference  # noqa: F401
from xinyong.accounts.models import Unit
from xinyong.cases.models import CaseKind, TypicalCase
from xinyong.lists.models import ListEntry

CREATED_AT = bj(2026, 3, 2, 9)


def draft(**fields) -> TypicalCase:
    """A draft as the back office saves it (the admin form is tested in test_admin.py)."""
    values = {
        "kind": CaseKind.DISHONESTY,
        "title": "北京华信科技有限公司虚假宣传被列入严重违法失信名单",
        "summary": "该公司在商品包装上作虚假宣传，受到从重处罚并被列入严重违法失信名单。",
        "body": "2025年9月，市场监管部门查明该公司在商品包装上作虚假宣传。\n\n依法从重罚款，并列入严重违法失信名单。",
        "unit": Unit.objects.get(code="bj-gongshangju"),
        "occurred_on": dt.date(2025, 9, 20),
        "created_at": CREATED_AT,
        "created_by": "user:test",
    }
    values.update(fields)
    return TypicalCase.objects.create(**values)


@pytest.fixture
def black(penalty) -> ListEntry:  # noqa: F811
    """The company's published black-list entry, based on the penalty."""
    return walk(propose(penalty.subject, [penalty]), "published")
