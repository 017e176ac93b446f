"""subject_lookup: one query path for every identifier kind (GB 32100, GB 11714, GS15, tax no., GB 11643)."""

import pytest

from tests.support.factories import (
    T0,
    IndividualBusinessFactory,
    PersonFactory,
    SubjectFactory,
    make_regno,
    make_ric,
    make_uscc,
)
from xinyong.core.errors import DomainError
from xinyong.subjects.selectors import subject_lookup, subject_primary_code
from xinyong.subjects.services import subject_add_alias

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return SubjectFactory(uscc=make_uscc(1), regno=make_regno(1), taxno="110108" + make_uscc(1)[8:17])


@pytest.mark.parametrize(
    "raw,kind",
    [
        (make_uscc(1), "uscc"),
        (make_uscc(1).lower(), "uscc"),
        (make_uscc(1)[8:16] + "-" + make_uscc(1)[16], "org_code"),
        (make_regno(1), "regno"),
        ("110108" + make_uscc(1)[8:17], "taxno"),
    ],
)
def test_lookup_by_every_kind_of_code(company, raw, kind, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = subject_lookup(raw=raw)
    assert (found.subject.pk, found.matched_kind, found.redirected_from, found.redirect_to_code) == (
        company.pk,
        kind,
        None,
        None,
    )


def test_lookup_by_full_width_code_with_spaces(company):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in make_uscc(1))
    assert subject_lookup(raw=f" {full_width}\u3000").subject.pk == company.pk


def test_lookup_by_resident_id_goes_through_the_hash():
    number = make_ric(4)
    person = PersonFactory(resident_id=number)
    found = subject_lookup(raw=number)
    assert (found.subject.pk, found.matched_kind) == (person.pk, "ric_hash")


def test_lookup_by_regno_alias_added_later(registrar, company):
    other = SubjectFactory(uscc=make_uscc(2))
    subject_add_alias(actor=registrar, now=T0, subject=other, kind="regno", value=make_regno(2))
    assert subject_lookup(raw=make_regno(2)).subject.pk == other.pk


def test_uscc_also_registered_as_tax_number_prefers_the_uscc(registrar):
    code = make_uscc(5)
    subject = SubjectFactory(uscc=code, taxno=code)
    assert (subject_lookup(raw=code).matched_kind, subject.identifiers.count()) == ("uscc", 3)


def test_valid_unknown_code_is_404():
    with pytest.raises(DomainError) as exc:
        subject_lookup(raw=make_uscc(99))
    assert (exc.value.code, exc.value.status) == ("subject.not_found", 404)


@pytest.mark.parametrize(
    "raw,code",
    [
        ("91110108MA000001", "identifier.length"),
        ("91110108MA00000I5T", "uscc.character"),
        (make_uscc(1)[:-1] + "0", "uscc.check_character"),
        (make_ric(1)[:-1] + ("0" if make_ric(1)[-1] != "0" else "1"), "ric.check_digit"),
    ],
)
def test_invalid_code_is_400_naming_the_rule(raw, code):
    with pytest.raises(DomainError) as exc:
        subject_lookup(raw=raw)
    assert (exc.value.code, exc.value.status, exc.value.extra) == (code, 400, {"field": "code"})


def test_primary_code_is_uscc_else_regno_else_masked_id():
    shop = IndividualBusinessFactory(regno=make_regno(8))
    person = PersonFactory(resident_id=make_ric(8))
    company = SubjectFactory(uscc=make_uscc(8))
    assert [subject_primary_code(s) for s in (company, shop, person)] == [
        make_uscc(8),
        make_regno(8),
        make_ric(8)[:6] + "********" + make_ric(8)[-4:],
    ]


def test_alias_kind_not_allowed_for_a_person(registrar):
    person = PersonFactory()
    with pytest.raises(DomainError) as exc:
        subject_add_alias(actor=registrar, now=T0, subject=person, kind="regno", value=make_regno(3))
    assert exc.value.code == "subject.alias_kind_invalid"


def test_adding_the_same_alias_twice_is_a_no_op(registrar, company):
    first = subject_add_alias(actor=registrar, now=T0, subject=company, kind="regno", value=make_regno(1))
    assert first.subject_id == company.pk and company.identifiers.count() == 4


def test_alias_held_by_another_subject_is_409(registrar, company):
    other = SubjectFactory(uscc=make_uscc(2))
    with pytest.raises(DomainError) as exc:
        subject_add_alias(actor=registrar, now=T0, subject=other, kind="regno", value=make_regno(1))
    assert (exc.value.code, exc.value.status, exc.value.extra["kind"]) == (
        "subject.identifier_taken",
        409,
        "regno",
    )
