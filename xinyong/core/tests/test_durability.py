"""A staged import's chunks commit without waiting for the disk; the connection gets its setting back for the
publication and everything after it (issue 18, ADR 0043)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from xinyong.core.durability import commits_not_awaited


def _setting():
    with connection.cursor() as cur:
        cur.execute("PRAGMA synchronous" if connection.vendor == "sqlite" else "SHOW synchronous_commit")
        return cur.fetchone()[0]


DURABLE = {"sqlite": 2, "postgresql": "on"}  # FULL (config/envdb.py); PostgreSQL's default
NOT_AWAITED = {"sqlite": 1, "postgresql": "off"}  # NORMAL


@pytest.mark.django_db(transaction=True)
def test_inside_commits_are_not_awaited_and_the_setting_comes_back():
    assert _setting() == DURABLE[connection.vendor]
    with commits_not_awaited():
        assert _setting() == NOT_AWAITED[connection.vendor]
        with transaction.atomic(), connection.cursor() as cur:  # a chunk commits as usual
            cur.execute("SELECT 1")
        assert _setting() == NOT_AWAITED[connection.vendor]
    assert _setting() == DURABLE[connection.vendor]


@pytest.mark.django_db(transaction=True)
def test_the_setting_comes_back_when_the_body_fails():
    with pytest.raises(ZeroDivisionError), commits_not_awaited():
        with transaction.atomic():
            1 / 0  # noqa: B018 — the chunk fails and rolls back
    assert _setting() == DURABLE[connection.vendor]


@pytest.mark.django_db
def test_inside_a_callers_transaction_nothing_changes():
    with commits_not_awaited():
        assert _setting() == DURABLE[connection.vendor]
