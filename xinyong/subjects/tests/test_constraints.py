"""Integrity in the database, not only in the services: check and unique constraints refuse bad rows."""

import datetime as dt

import pytest

from tests.support.constraints import violates
from tests.support.factories import T0, PersonFactory, SubjectFactory, make_uscc
from xinyong.subjects.models import CodeCorrection, Subject, SubjectIdentifier, SubjectName

pytestmark = pytest.mark.django_db


def _refused(model, constraint: str, create) -> None:
    with violates(model, constraint):
        create()


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"kind": "natural_person", "name": "甲"}, "subject_person_has_hash_no_uscc"),  # no person_hash
        ({"kind": "natural_person", "name": "甲", "person_hash": "h", "uscc": make_uscc(1)},
         "subject_person_has_hash_no_uscc"),
        ({"kind": "enterprise", "name": "甲", "uscc": make_uscc(1), "person_hash": "h"},
         "subject_entity_has_no_person_hash"),
        ({"kind": "enterprise", "name": "甲", "uscc": "00000000000000000X"}, "subject_uscc_not_placeholder"),
        ({"kind": "company", "name": "甲", "uscc": make_uscc(1)}, "subject_kind_valid"),
        ({"kind": "enterprise", "name": "甲", "uscc": make_uscc(1), "status": "merged"},
         "subject_merged_has_target"),
    ],
)  # fmt: skip
def test_subject_checks(fields, constraint):
    _refused(Subject, constraint, lambda: Subject.objects.create(created_at=T0, **fields))


def test_subject_cannot_be_merged_into_itself():
    subject = SubjectFactory()
    subject.status, subject.merged_into = "merged", subject
    _refused(
        Subject,
        "subject_not_merged_into_itself",
        lambda: subject.save(update_fields=["status", "merged_into"]),
    )


def test_identifier_kind_value_is_unique_across_subjects():
    first, second = SubjectFactory(), SubjectFactory()
    _refused(
        SubjectIdentifier,
        "identifier_kind_value_unique",
        lambda: SubjectIdentifier.objects.create(
            subject=second, kind="uscc", value=first.uscc, display=first.uscc, recorded_at=T0
        ),
    )


def test_corrected_identifier_needs_a_redirect():
    subject = SubjectFactory()
    _refused(
        SubjectIdentifier,
        "identifier_corrected_has_redirect",
        lambda: SubjectIdentifier.objects.create(
            subject=subject, kind="regno", value="x", display="x", status="corrected", recorded_at=T0
        ),
    )


def test_one_current_name_and_ordered_periods():
    subject = SubjectFactory()
    _refused(
        SubjectName,
        "name_one_current_per_subject",
        lambda: SubjectName.objects.create(
            subject=subject, name="乙", valid_from=dt.date(2027, 1, 1), source="s", recorded_at=T0
        ),
    )
    _refused(
        SubjectName,
        "name_period_ordered",
        lambda: SubjectName.objects.create(
            subject=subject,
            name="乙",
            valid_from=dt.date(2020, 1, 2),
            valid_to=dt.date(2020, 1, 1),
            source="s",
            recorded_at=T0,
        ),
    )


def test_correction_four_eyes_and_distinct_subjects_in_the_database():
    right, person = SubjectFactory(), PersonFactory()
    base = {
        "wrong_kind": "uscc",
        "wrong_value": "v",
        "wrong_display": "v",
        "to_subject": right,
        "reason": "r",
        "requested_by": "user:1",
        "requested_at": T0,
    }
    _refused(
        CodeCorrection,
        "correction_four_eyes",
        lambda: CodeCorrection.objects.create(**base, status="applied", decided_by="user:1", decided_at=T0),
    )
    _refused(
        CodeCorrection,
        "correction_distinct_subjects",
        lambda: CodeCorrection.objects.create(**base, from_subject=right),
    )
    _refused(
        CodeCorrection,
        "correction_decided_fields",
        lambda: CodeCorrection.objects.create(**base, status="applied"),
    )
    CodeCorrection.objects.create(**base, from_subject=person)
    # one open ticket per wrong code
    _refused(CodeCorrection, "correction_one_open_per_code", lambda: CodeCorrection.objects.create(**base))
