"""The test kit itself (tests/support): the clock reaches every reader of the time, and `violates` tells one
constraint from another on SQLite and PostgreSQL alike."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.support.constraints import violates
from tests.support.factories import T0, SubjectFactory
from xinyong.core import timeutil
from xinyong.subjects.models import Subject, SubjectIdentifier

BJ = dt.timezone(dt.timedelta(hours=8))


def test_the_clock_freezes_every_reader_of_the_time(clock):
    from xinyong.lists.api import now as imported_by_an_api  # `from xinyong.core.timeutil import now`

    clock.set(dt.datetime(2026, 10, 1, 9, tzinfo=BJ))
    assert (
        timeutil.now() == imported_by_an_api() == timezone.now() == dt.datetime(2026, 10, 1, 1, tzinfo=dt.UTC)
    )
    assert timeutil.now().tzinfo == dt.UTC
    clock.advance(days=1, hours=2)
    assert imported_by_an_api() == timezone.now() == dt.datetime(2026, 10, 2, 3, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_violates_names_the_constraint_that_failed():
    person_without_hash = {"kind": "natural_person", "name": "甲", "created_at": T0}
    with violates(Subject, "subject_person_has_hash_no_uscc"):
        Subject.objects.create(**person_without_hash)
    with pytest.raises(AssertionError, match="expected subject_kind_valid to refuse the row"):
        with violates(Subject, "subject_kind_valid"):
            Subject.objects.create(**person_without_hash)


@pytest.mark.django_db
def test_violates_finds_a_unique_constraint_by_name_or_by_columns():
    first, second = SubjectFactory(), SubjectFactory()
    row = {"subject": second, "kind": "uscc", "value": first.uscc, "display": first.uscc, "recorded_at": T0}
    with violates(SubjectIdentifier, "identifier_kind_value_unique"):
        SubjectIdentifier.objects.create(**row)
    with violates(SubjectIdentifier, columns=("kind", "value")):
        SubjectIdentifier.objects.create(**row)
    with pytest.raises(AssertionError, match="expected"):
        with violates(SubjectIdentifier, columns=("subject_id", "kind")):
            SubjectIdentifier.objects.create(**row)
