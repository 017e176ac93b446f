"""Two transitions on one entry at once: the row lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite) lets exactly
one succeed; the other then sees the new state and is refused as an invalid transition."""

import threading

import pytest
from django.db import connection

from tests.support.lists import APPROVED_AT, REVIEWER, REVIEWER_2, propose
from xinyong.core.errors import DomainError
from xinyong.lists import services
from xinyong.lists.models import ListEntry, ListEntryTransition, Notice


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_exactly_one_succeeds(company, penalty):
    entry = propose(company, [penalty])
    start = threading.Barrier(2)
    results, errors = [], []

    def approve(actor):
        try:
            start.wait()
            services.list_entry_review(
                actor=actor, entry_id=entry.pk, approve=True, reason="", now=APPROVED_AT
            )
            results.append(actor.label)
        except DomainError as exc:
            errors.append((exc.code, exc.extra))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(actor,)) for actor in (REVIEWER, REVIEWER_2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(results) == 1
    assert errors == [("list_entry.invalid_transition", {"state": "notice_sent", "action": "approve"})]
    entry = ListEntry.objects.get(pk=entry.pk)
    assert (entry.state, entry.version, entry.reviewed_by) == ("notice_sent", 2, results[0])
    assert ListEntryTransition.objects.filter(entry=entry, action="approve").count() == 1
    assert Notice.objects.filter(entry=entry).count() == 1
