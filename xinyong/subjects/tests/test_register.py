"""subject_register: every kind, the individual-business placeholder rule, persons, conflicts."""

import datetime as dt

import pytest
from django.db import connection

from tests.support.factories import T0, make_regno, make_ric, make_uscc
from xinyong.audit.models import AuditEvent
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.subjects.identifiers import (
    USCC_PLACEHOLDER,
    IdentifierError,
    ric_make,
    ric_mask,
    uscc_make,
    uscc_validate,
)
from xinyong.subjects.identity import person_decrypt, person_hash
from xinyong.subjects.models import Subject, SubjectIdentifier
from xinyong.subjects.services import subject_register

pytestmark = pytest.mark.django_db

ENTITY_PREFIXES = {
    "enterprise": "91110108",
    "individual_business": "92110108",
    "farmer_coop": "93110108",
    "social_org": "51110000",
    "public_institution": "12110000",
    "government_body": "11110000",
}


def _identifiers(subject: Subject) -> list[tuple[str, str, str]]:
    return list(subject.identifiers.order_by("kind").values_list("kind", "value", "status"))


@pytest.mark.parametrize("kind,prefix", sorted(ENTITY_PREFIXES.items()))
def test_register_each_legal_entity_kind(registrar, kind, prefix):
    code = uscc_make(f"{prefix}MA000001")
    subject = subject_register(
        actor=registrar, now=T0, kind=kind, name="某某单位", uscc=code, district="haidian"
    )
    assert (subject.kind, subject.uscc, subject.person_hash, subject.status) == (kind, code, None, "active")
    assert _identifiers(subject) == [("org_code", code[8:17], "active"), ("uscc", code, "active")]
    assert list(subject.names.values_list("name", "valid_from", "valid_to", "source")) == [
        ("某某单位", dt.date(2026, 11, 2), None, "登记")
    ]


def test_register_natural_person_stores_only_protected_forms(registrar):
    number = make_ric(7)
    person = subject_register(actor=registrar, now=T0, kind="natural_person", name="张三", resident_id=number)
    assert (person.uscc, person.person_hash, person.person_masked) == (
        None,
        person_hash(number),
        ric_mask(number),
    )
    assert person_decrypt(person.person_cipher) == number
    assert _identifiers(person) == [("ric_hash", person_hash(number), "active")]
    assert person.identifiers.get().display == number[:6] + "********" + number[-4:]


def test_legacy_identifiers_become_aliases(registrar):
    code, regno = make_uscc(3), make_regno(3)
    taxno = "110108" + code[8:17]
    subject = subject_register(
        actor=registrar,
        now=T0,
        kind="enterprise",
        name="甲公司",
        uscc=code,
        regno=regno,
        org_code=code[8:17],
        taxno=taxno,
    )
    assert _identifiers(subject) == [
        ("org_code", code[8:17], "active"),
        ("regno", regno, "active"),
        ("taxno", taxno, "active"),
        ("uscc", code, "active"),
    ]


def test_individual_business_placeholder_with_regno_is_keyed_by_regno(registrar):
    regno = make_regno(5)
    shop = subject_register(
        actor=registrar, now=T0, kind="individual_business", name="小吃店", uscc=USCC_PLACEHOLDER, regno=regno
    )
    assert shop.uscc is None
    assert _identifiers(shop) == [("regno", regno, "active")]


@pytest.mark.parametrize(
    "kind,regno,code",
    [
        ("individual_business", None, "subject.regno_required"),
        ("individual_business", "110108000000017", "regno.check_digit"),
        ("enterprise", make_regno(5), "uscc.placeholder"),
    ],
)
def test_placeholder_refused_without_valid_regno_or_for_other_kinds(registrar, kind, regno, code):
    with pytest.raises(DomainError) as exc:
        subject_register(actor=registrar, now=T0, kind=kind, name="店", uscc=USCC_PLACEHOLDER, regno=regno)
    assert (exc.value.code, exc.value.status) == (code, 400)
    assert Subject.objects.count() == 0


def test_identifier_error_becomes_400_naming_rule_and_field(registrar):
    bad = make_uscc(1)[:-1] + "0"
    with pytest.raises(DomainError) as exc:
        subject_register(actor=registrar, now=T0, kind="enterprise", name="甲", uscc=bad)
    err = exc.value
    assert (err.code, err.status, err.extra) == ("uscc.check_character", 400, {"field": "uscc"})
    with pytest.raises(IdentifierError) as rule:
        uscc_validate(bad)
    assert err.message == rule.value.message
    assert err.errors == [{"field": "uscc", "code": "uscc.check_character", "message": err.message}]


@pytest.mark.parametrize(
    "kwargs,code,field",
    [
        ({"kind": "enterprise"}, "subject.uscc_required", "uscc"),
        ({"kind": "natural_person"}, "subject.resident_id_required", "resident_id"),
        (
            {"kind": "natural_person", "resident_id": make_ric(1), "uscc": make_uscc(1)},
            "subject.identifier_not_allowed",
            "uscc",
        ),
        (
            {"kind": "enterprise", "uscc": make_uscc(1), "resident_id": make_ric(1)},
            "subject.identifier_not_allowed",
            "resident_id",
        ),
        (
            {"kind": "enterprise", "uscc": make_uscc(1), "org_code": make_uscc(2)[8:17]},
            "subject.org_code_mismatch",
            "org_code",
        ),
        ({"kind": "company"}, "subject.kind_invalid", "kind"),
    ],
)
def test_refusals(registrar, kwargs, code, field):
    with pytest.raises(DomainError) as exc:
        subject_register(actor=registrar, now=T0, name="甲", **kwargs)
    assert (exc.value.code, exc.value.extra) == (code, {"field": field})


def test_minor_is_refused_and_the_number_is_not_in_the_message(registrar):
    number = ric_make("110105", dt.date(2008, 11, 3), "123")  # 18 on 2026-11-03, not on 2026-11-02
    with pytest.raises(DomainError) as exc:
        subject_register(actor=registrar, now=T0, kind="natural_person", name="李四", resident_id=number)
    assert (exc.value.code, exc.value.extra) == ("ric.minor", {"field": "resident_id"})
    assert number[:14] not in str(exc.value) and number[:14] not in repr(exc.value)
    adult = subject_register(
        actor=registrar,
        now=T0,
        kind="natural_person",
        name="李四",
        resident_id=number,
        on_date=dt.date(2026, 11, 3),
    )
    assert adult.person_masked == number[:6] + "********" + number[-4:]


def test_duplicate_identifier_is_409_naming_the_kind(registrar):
    code, regno = make_uscc(1), make_regno(1)
    subject_register(actor=registrar, now=T0, kind="enterprise", name="甲", uscc=code, regno=regno)
    with pytest.raises(DomainError) as exc:
        subject_register(
            actor=registrar, now=T0, kind="enterprise", name="乙", uscc=make_uscc(2), regno=regno
        )
    err = exc.value
    assert (err.code, err.status, err.extra) == (
        "subject.identifier_taken",
        409,
        {"kind": "regno", "value": regno},
    )
    assert err.message == f"工商注册号 {regno} 已登记在其他信用主体名下"
    assert Subject.objects.count() == 1


def test_duplicate_person_conflict_shows_only_the_masked_number(registrar):
    number = make_ric(2)
    subject_register(actor=registrar, now=T0, kind="natural_person", name="王五", resident_id=number)
    with pytest.raises(DomainError) as exc:
        subject_register(actor=registrar, now=T0, kind="natural_person", name="王五", resident_id=number)
    assert exc.value.extra == {"kind": "ric_hash", "value": ric_mask(number)}
    assert number not in exc.value.message


def test_registration_is_audited_in_the_same_transaction(registrar):
    code = make_uscc(9)
    subject = subject_register(
        actor=registrar, now=T0, kind="enterprise", name="甲", uscc=code, industry="软件"
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.target_type, event.target_id, event.actor) == (
        "subject.register",
        "subject",
        str(subject.pk),
        "user:registrar",
    )
    assert event.payload == {
        "kind": "enterprise",
        "name": "甲",
        "uscc": code,
        "person_masked": "",
        "identifiers": [{"kind": "uscc", "value": code}, {"kind": "org_code", "value": code[8:17]}],
        "district": "",
        "industry": "软件",
    }


def test_public_role_may_not_register():
    with pytest.raises(DomainError) as exc:
        subject_register(actor=Actor.anonymous(), now=T0, kind="enterprise", name="甲", uscc=make_uscc(1))
    assert (exc.value.code, exc.value.status) == ("auth.role_required", 403)


def _text_cells() -> list[str]:
    """Every cell of every subjects table and of audit_event, as text."""
    tables = [t for t in connection.introspection.table_names() if t.startswith("subjects_")] + [
        "audit_event"
    ]
    cells = []
    with connection.cursor() as cur:
        for table in tables:
            cur.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            cells += [str(value) for row in cur.fetchall() for value in row]
    return cells


def test_the_clear_resident_id_is_stored_nowhere(registrar, reviewer):
    from xinyong.subjects.services import code_correction_decide, code_correction_request, subject_add_alias

    number, wrong = make_ric(11), make_ric(12)
    person = subject_register(actor=registrar, now=T0, kind="natural_person", name="赵六", resident_id=number)
    subject_add_alias(actor=registrar, now=T0, subject=person, kind="taxno", value=number + "01")
    correction = code_correction_request(
        actor=registrar, now=T0, wrong_value=wrong, to_subject=person, reason="错号"
    )
    code_correction_decide(actor=reviewer, now=T0, correction=correction, approve=True, note="同意")
    cells = _text_cells()
    assert len(cells) > 40
    assert SubjectIdentifier.objects.filter(status="corrected").count() == 1
    for secret in (number, number[:14], wrong, wrong[:14]):
        assert [c for c in cells if secret in c] == []
