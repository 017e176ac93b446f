"""The reporter's identity (举报人身份信息), protected at rest (docs/domain.md principle 6, ADR 0004).

Name, telephone and resident ID number are stored only as Fernet ciphertext under the key that protects
persons' resident ID numbers (`xinyong.subjects.identity.person_encrypt`, derived from XINYONG_IDENTITY_KEY),
plus one masked display line (`张*，138****5678，110105********002X`). Only the handling unit reads them in
clear (`selectors.tipoff_detail`, itself audited). Audit payloads, progress answers and errors never carry
them: errors about a malformed field name the field, not the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xinyong.core.errors import DomainError
from xinyong.subjects.identifiers import IdentifierError, ric_mask, ric_validate
from xinyong.subjects.identity import person_decrypt, person_encrypt

MAX_NAME = 30
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


@dataclass(frozen=True)
class ReporterIdentity:
    """Who reports, as given (name and telephone required unless anonymous; the ID number optional)."""

    name: str
    phone: str
    id_number: str = ""


def _field_error(code: str, field: str, message: str) -> DomainError:
    return DomainError(code, message, errors=[{"field": field, "code": code, "message": message}])


def reporter_identity_check(
    *, anonymous: bool, name: str = "", phone: str = "", id_number: str = ""
) -> ReporterIdentity | None:
    """The validated identity, or None for an anonymous report (which may not carry any identity field)."""
    name, phone, id_number = (name or "").strip(), re.sub(r"\s", "", phone or ""), (id_number or "").strip()
    if anonymous:
        if name or phone or id_number:
            raise _field_error(
                "tipoff.anonymous_with_identity", "anonymous", "匿名举报不填写举报人姓名、电话和身份号码"
            )
        return None
    if not name:
        raise _field_error("tipoff.reporter_name_required", "reporter_name", "实名举报须填写举报人姓名")
    if len(name) > MAX_NAME:
        raise _field_error(
            "tipoff.reporter_name_too_long", "reporter_name", f"举报人姓名最多 {MAX_NAME} 个字"
        )
    if not phone:
        raise _field_error("tipoff.reporter_phone_required", "reporter_phone", "实名举报须填写联系电话")
    if not PHONE_RE.match(phone):
        raise _field_error(
            "tipoff.reporter_phone_invalid", "reporter_phone", "联系电话应为 11 位手机号码或带区号的固定电话"
        )
    if id_number:
        try:
            id_number = ric_validate(id_number).number
        except IdentifierError as err:  # the rule's message quotes digits of the number: name the rule only
            raise _field_error(
                "tipoff.reporter_id_invalid", "reporter_id_number", f"举报人身份号码无效（{err.code}）"
            ) from None
    return ReporterIdentity(name=name, phone=phone, id_number=id_number)


def _mask_name(name: str) -> str:
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def _mask_phone(phone: str) -> str:
    digits = phone.replace("-", "")
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def reporter_protect(identity: ReporterIdentity | None) -> dict[str, str]:
    """The model fields for an identity: ciphertexts and the masked line (all empty when anonymous)."""
    if identity is None:
        return {"reporter_name_cipher": "", "reporter_phone_cipher": "", "reporter_id_cipher": "",
                "reporter_masked": ""}  # fmt: skip
    masked = [_mask_name(identity.name), _mask_phone(identity.phone)]
    if identity.id_number:
        masked.append(ric_mask(identity.id_number))
    return {
        "reporter_name_cipher": person_encrypt(identity.name),
        "reporter_phone_cipher": person_encrypt(identity.phone),
        "reporter_id_cipher": person_encrypt(identity.id_number) if identity.id_number else "",
        "reporter_masked": "，".join(masked),
    }


def reporter_reveal(tipoff) -> ReporterIdentity | None:
    """The identity in clear (for the handling unit only), or None for an anonymous report."""
    if tipoff.anonymous:
        return None
    return ReporterIdentity(
        name=person_decrypt(tipoff.reporter_name_cipher),
        phone=person_decrypt(tipoff.reporter_phone_cipher),
        id_number=person_decrypt(tipoff.reporter_id_cipher) if tipoff.reporter_id_cipher else "",
    )
