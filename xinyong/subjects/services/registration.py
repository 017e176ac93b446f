"""Registering credit subjects and their legacy identifiers (docs/domain.md Subject; GB 32100, GB 11643)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from xinyong.audit.services import audit_append
from xinyong.core.actor import Actor
from xinyong.core.errors import Conflict, DomainError
from xinyong.core.timeutil import business_date
from xinyong.subjects.districts import district_of_uscc
from xinyong.subjects.identifiers import (
    is_uscc_placeholder,
    org_code_validate,
    regno_validate,
    ric_validate,
    taxno_validate,
    uscc_org_code,
    uscc_validate,
)
from xinyong.subjects.identity import person_encrypt
from xinyong.subjects.models import Subject, SubjectIdentifier, SubjectKind, SubjectName
from xinyong.subjects.search_index import name_grams_add
from xinyong.subjects.selectors import CodeKey, identifier_key
from xinyong.subjects.services._common import (
    clean_name,
    ensure_free,
    identifiers_create,
    require_active,
    require_registrar,
    validated,
)

_ALIAS_VALIDATORS = {"regno": regno_validate, "org_code": org_code_validate, "taxno": taxno_validate}
_PERSON_ALIAS_KINDS = frozenset({"taxno"})


@dataclass
class _Keys:
    """What a new subject is keyed by: USCC or person key, plus every identifier row to write."""

    uscc: str | None = None
    person_hash: str | None = None
    person_cipher: str = ""
    person_masked: str = ""
    identifiers: list[CodeKey] = field(default_factory=list)

    def add(self, kind: str, value: str) -> None:
        key = identifier_key(kind, value)
        if all((i.kind, i.value) != (key.kind, key.value) for i in self.identifiers):
            self.identifiers.append(key)


def _refuse(code: str, message: str, field_name: str) -> DomainError:
    return DomainError(
        code,
        message,
        errors=[{"field": field_name, "code": code, "message": message}],
        extra={"field": field_name},
    )


def _entity_uscc(kind: str, uscc: str | None, regno: str | None) -> str | None:
    """GB 32100 key of a legal entity; an individual business may give the placeholder with a regno."""
    if not uscc:
        raise _refuse(
            "subject.uscc_required",
            "法人和其他组织须提供统一社会信用代码（个体工商户可提供占位代码及注册号）",
            "uscc",
        )
    if kind == SubjectKind.INDIVIDUAL_BUSINESS and is_uscc_placeholder(uscc):
        if not regno:
            raise _refuse(
                "subject.regno_required", "使用占位代码 00000000000000000X 时须提供 15 位工商注册号", "regno"
            )
        return None
    return validated(uscc_validate, uscc, "uscc")


def _entity_keys(kind: str, uscc: str | None, regno: str | None, org_code: str | None) -> _Keys:
    """USCC, the organisation code embedded in it (positions 9–17), and the legacy regno / org code."""
    keys = _Keys(uscc=_entity_uscc(kind, uscc, regno))
    if keys.uscc:
        keys.add("uscc", keys.uscc)
        keys.add("org_code", uscc_org_code(keys.uscc))
    if regno:
        keys.add("regno", validated(regno_validate, regno, "regno"))
    if org_code:
        given = validated(org_code_validate, org_code, "org_code")
        if keys.uscc and given != uscc_org_code(keys.uscc):
            raise _refuse(
                "subject.org_code_mismatch",
                f"组织机构代码 {given} 与统一社会信用代码第 9–17 位不一致",
                "org_code",
            )
        keys.add("org_code", given)
    return keys


def _person_keys(resident_id: str | None, on_date: dt.date) -> _Keys:
    """GB 11643 key of a natural person, adults only (docs/domain.md principle 7); stored hashed and
    encrypted."""
    if not resident_id:
        raise _refuse("subject.resident_id_required", "自然人须提供公民身份号码", "resident_id")
    ric = validated(lambda raw: ric_validate(raw, on_date=on_date), resident_id, "resident_id")
    key = identifier_key("ric", ric.number)
    keys = _Keys(person_hash=key.value, person_cipher=person_encrypt(ric.number), person_masked=key.display)
    keys.identifiers.append(key)
    return keys


def _subject_keys(kind: str, ids: dict[str, str | None], on_date: dt.date) -> _Keys:
    """Validate the identifiers a kind of subject must and may carry."""
    if kind not in SubjectKind.values:
        raise _refuse("subject.kind_invalid", f"未知主体类型：{kind}", "kind")
    person = kind == SubjectKind.NATURAL_PERSON
    for name in ("uscc", "regno", "org_code") if person else ("resident_id",):
        if ids[name]:
            raise _refuse(
                "subject.identifier_not_allowed", f"{SubjectKind(kind).label}不登记该类证件号码", name
            )
    if person:
        keys = _person_keys(ids["resident_id"], on_date)
    else:
        keys = _entity_keys(kind, ids["uscc"], ids["regno"], ids["org_code"])
    if ids["taxno"]:
        keys.add("taxno", validated(taxno_validate, ids["taxno"], "taxno"))
    return keys


def _register_payload(subject: Subject, keys: _Keys) -> dict:
    """What the audit trail keeps of a registration: never the clear resident ID, only its masked form."""
    return {
        "kind": subject.kind,
        "name": subject.name,
        "uscc": keys.uscc,
        "person_masked": keys.person_masked,
        "identifiers": [{"kind": i.kind, "value": i.display} for i in keys.identifiers],
        "district": subject.district,
        "industry": subject.industry,
    }


def subject_register(
    *,
    actor: Actor,
    now: dt.datetime,
    kind: str,
    name: str,
    uscc: str | None = None,
    regno: str | None = None,
    org_code: str | None = None,
    taxno: str | None = None,
    resident_id: str | None = None,
    on_date: dt.date | None = None,
    district: str = "",
    industry: str = "",
    name_valid_from: dt.date | None = None,
) -> Subject:
    """Register a credit subject with every identifier it is known by (docs/domain.md Subject).

    Legal entities are keyed by a valid USCC (GB 32100-2015); an individual business without one gives
    the placeholder 00000000000000000X and its 15-digit registration number (GS15-2006), which becomes its
    key. Natural persons are keyed by their resident ID (GB 11643-1999), refused under 18 on `on_date`
    (default: today in Beijing), and stored only hashed, encrypted and masked. An identifier held by
    another subject is a 409 `subject.identifier_taken`.
    """
    require_registrar(actor)
    name = clean_name(name)
    ids = {"uscc": uscc, "regno": regno, "org_code": org_code, "taxno": taxno, "resident_id": resident_id}
    keys = _subject_keys(kind, ids, on_date or business_date(now))
    try:
        return _register(actor, now, kind, name, keys, district, industry, name_valid_from)
    except IntegrityError as exc:  # a concurrent registration took an identifier between check and insert
        raise Conflict("subject.identifier_taken", "该标识已被另一信用主体同时登记，请重新查询") from exc


def _register(actor, now, kind, name, keys, district, industry, name_valid_from) -> Subject:
    with transaction.atomic():
        ensure_free(keys.identifiers)
        subject = Subject.objects.create(
            kind=kind,
            name=name,
            uscc=keys.uscc,
            person_hash=keys.person_hash,
            person_cipher=keys.person_cipher,
            person_masked=keys.person_masked,
            district=district or district_of_uscc(keys.uscc),  # ADR 0037
            industry=industry,
            created_at=now,
        )
        identifiers_create(subject, keys.identifiers, now)
        valid_from = name_valid_from or business_date(now)
        SubjectName.objects.create(
            subject=subject, name=name, valid_from=valid_from, source="登记", recorded_at=now
        )
        name_grams_add(subject.pk, [(name, True)])
        audit_append(
            actor=actor,
            action="subject.register",
            target_type="subject",
            target_id=subject.pk,
            now=now,
            payload=_register_payload(subject, keys),
        )
    return subject


def _alias_key(subject: Subject, kind: str, value: str) -> CodeKey:
    """Validate a legacy identifier of the given kind for this subject."""
    allowed = _PERSON_ALIAS_KINDS if subject.is_person else _ALIAS_VALIDATORS.keys()
    if kind not in allowed:
        raise _refuse("subject.alias_kind_invalid", f"不能为该主体添加此类标识：{kind}", "kind")
    return identifier_key(kind, validated(_ALIAS_VALIDATORS[kind], value, "value"))


def subject_add_alias(
    *, actor: Actor, now: dt.datetime, subject: Subject, kind: str, value: str
) -> SubjectIdentifier:
    """Add a legacy identifier (注册号, 组织机构代码, 税务登记号) as an alias; adding it again is a no-op."""
    require_registrar(actor)
    key = _alias_key(subject, kind, value)
    with transaction.atomic():
        subject = Subject.objects.select_for_update().get(pk=subject.pk)
        require_active(subject)
        own = SubjectIdentifier.objects.filter(subject=subject, kind=key.kind, value=key.value).first()
        if own is not None:
            return own
        ensure_free([key])
        row = identifiers_create(subject, [key], now)[0]
        audit_append(
            actor=actor,
            action="subject.alias_add",
            target_type="subject",
            target_id=subject.pk,
            now=now,
            payload={"kind": key.kind, "value": key.display},
        )
    return row
