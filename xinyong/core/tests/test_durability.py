"""A staged import's chunks commit without waiting for the disk; the connection gets its setting back for the
publication and everything after it (issue 18, ADR 0043)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from tests.support.durability import DURABLE, NOT_AWAITED, commit_wait_setting
from xinyong.core.durability import commits_not_awaited


@pytest.mark.django_db(transaction=True)
def test_inside_commits_are_not_awaited_and_the_setting_comes_back():
    assert commit_wait_setting() == DURABLE[connection.vendor]
    with commits_not_awaited():
        assert commit_wait_setting() == NOT_AWAITED[connection.vendor]
        with transaction.atomic(), connection.cursor() as cur:  # a chunk commits as usual
            cur.execute("SELECT 1")
        assert commit_wait_setting() == NOT_AWAITED[connection.vendor]
    assert commit_wait_setting() == DURABLE[connection.vendor]


@pytest.mark.django_db(transaction=True)
def test_the_setting_comes_back_when_the_body_fails():
    with pytest.raises(ZeroDivisionError), commits_not_awaited():
        with transaction.atomic():
            1 / 0  # noqa: B018 — the chunk fails and rolls back
    assert commit_wait_setting() == DURABLE[connection.vendor]


@pytest.mark.django_db
def test_inside_a_callers_transaction_nothing_changes():
    with commits_not_awaited():
        assert commit_wait_setting() == DURABLE[connection.vendor]
