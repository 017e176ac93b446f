"""The matching rule of an OpenID Connect sign-in (issue 14, docs/adr/0033): the identity is matched to a
credit subject by the verified identifier the provider asserts, never by name or e-mail.

- The USCC claim (default `uscc`) makes it an enterprise sign-in (法人登录; the provider may also assert the
  operator's resident ID, which is then not used); else the resident-ID claim (default `id_card`) makes it a
  person's sign-in. Neither: refused (`oidc.no_identifier`).
- The identifier's verified claim (default `uscc_verified` / `id_card_verified`) must be true (JSON true or
  the string "true"), unless its name is configured empty (the provider asserts only verified identifiers).
- The code must pass the platform's validators (GB 32100, GB 11643); a person must be 18 or older on the
  Beijing date of the sign-in (the birth date in the number; `oidc.minor`).
- The subject is found in the platform's registry: an organisation by its USCC, a person by the keyed hash of
  the number (subjects.selectors.subject_lookup; corrected codes and merged subjects lead to the subject in
  force). None, or one of the other kind: refused (`oidc.unknown_subject`).

A clear resident ID is never stored nor written to the audit trail: refusals carry the masked number at most.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from xinyong.accounts.oidc.signin import OidcRefused
from xinyong.core.errors import DomainError, NotFound
from xinyong.core.redact import redact
from xinyong.subjects.identifiers import IdentifierError, ric_mask, ric_validate, uscc_validate
from xinyong.subjects.identity import person_hash
from xinyong.subjects.selectors import subject_lookup

LABELS = {"uscc": "统一社会信用代码", "id_card": "公民身份号码"}
NO_IDENTIFIER = (
    "统一身份认证平台没有提供统一社会信用代码或公民身份号码，无法确认您代表哪个信用主体。"
    "请在统一身份认证平台完成法人或个人实名认证后再登录。"
)
UNVERIFIED = "统一身份认证平台未确认该{label}已经实名核验，暂不能登录。请先在统一身份认证平台完成实名核验。"
INVALID = "统一身份认证平台提供的{label}无效：{reason}"
MINOR = (
    "个人账户只向年满 18 周岁的成年人开放：按公民身份号码中的出生日期，您于 {today} 未满 18 周岁，不能登录。"
)
UNKNOWN = (
    "本平台的信用主体名录中没有该{label}（{shown}）对应的{kind}，暂不能开通账户。如有疑问，请联系信用办。"
)


@dataclass(frozen=True)
class Match:
    """The subject an identity is: its id, which claim named it, the code as it may be shown."""

    subject_id: int
    claim: str
    shown: str


def stored_sub(sub: str) -> str:
    """`sub` as it may be stored: itself, or `ric-hmac:<keyed hash>` when it carries a resident ID number."""
    return sub if redact(sub) == sub else f"ric-hmac:{person_hash(sub)}"


def _verified(claims: Mapping, flag_name: str) -> bool:
    if not flag_name:
        return True
    value = claims.get(flag_name)
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def subject_matched(claims: Mapping, names: Mapping[str, str], *, today: dt.date) -> Match:
    """The subject the claims name (module docstring), or OidcRefused."""
    for claim in ("uscc", "id_card"):
        raw = claims.get(names[claim]) if names[claim] else None
        if isinstance(raw, str) and raw.strip():
            break
    else:
        raise OidcRefused("oidc.no_identifier", NO_IDENTIFIER)
    label = LABELS[claim]
    if not _verified(claims, names[f"{claim}_verified"]):
        raise OidcRefused("oidc.unverified", UNVERIFIED.format(label=label), {"claim": claim})
    code, shown = _validated(claim, raw, today)
    try:
        found = subject_lookup(raw=code, field=claim).subject
    except NotFound:
        found = None
    except DomainError as exc:  # the selector's own identification disagrees: an invalid code all the same
        raise OidcRefused(
            "oidc.invalid_code", INVALID.format(label=label, reason=exc.message), {"claim": claim}
        ) from None
    if found is None or found.is_person != (claim == "id_card"):
        kind = "自然人" if claim == "id_card" else "法人或其他组织"
        message = UNKNOWN.format(label=label, shown=shown, kind=kind)
        raise OidcRefused("oidc.unknown_subject", message, {"claim": claim, "code": shown})
    return Match(subject_id=found.pk, claim=claim, shown=shown)


def _validated(claim: str, raw: str, today: dt.date) -> tuple[str, str]:
    """The normalised code and the form it may be shown in (a resident ID masked)."""
    label = LABELS[claim]
    try:
        if claim == "uscc":
            code = uscc_validate(raw)
            return code, code
        number = ric_validate(raw, on_date=today).number
        return number, ric_mask(number)
    except IdentifierError as err:
        if err.code == "ric.minor":
            raise OidcRefused("oidc.minor", MINOR.format(today=today.isoformat()), {"claim": claim}) from None
        message = INVALID.format(label=label, reason=err.message)
        raise OidcRefused("oidc.invalid_code", message, {"claim": claim, "rule": err.code}) from None
