"""Two transitions on one entry at once: the row lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite) lets exactly
one succeed; the other then sees the new state and is refused as an invalid transition."""

import pytest

from tests.support.lists import APPROVED_AT, REVIEWER, REVIEWER_2, propose
from tests.support.threads import run_together
from xinyong.core.errors import DomainError
from xinyong.lists import services
from xinyong.lists.models import ListEntry, ListEntryTransition, Notice


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_exactly_one_succeeds(company, penalty):
    entry = propose(company, [penalty])
    results, errors = [], []

    def approve(actor):
        try:
            services.list_entry_review(
                actor=actor, entry_id=entry.pk, approve=True, reason="", now=APPROVED_AT
            )
            results.append(actor.label)
        except DomainError as exc:
            errors.append((exc.code, exc.extra))

    run_together(lambda: approve(REVIEWER), lambda: approve(REVIEWER_2))

    assert len(results) == 1
    assert errors == [("list_entry.invalid_transition", {"state": "notice_sent", "action": "approve"})]
    entry = ListEntry.objects.get(pk=entry.pk)
    assert (entry.state, entry.version, entry.reviewed_by) == ("notice_sent", 2, results[0])
    assert ListEntryTransition.objects.filter(entry=entry, action="approve").count() == 1
    assert Notice.objects.filter(entry=entry).count() == 1
