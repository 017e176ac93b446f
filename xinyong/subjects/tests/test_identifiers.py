"""Tests for :mod:`xinyong.subjects.identifiers`: the error type, normalisation and `identify` (pure Python:
no Django, no database). Each kind of code has a module of its own (test_identifiers_*.py)."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given

from xinyong.subjects.identifiers import (
    IdentifierError,
    identify,
    normalize,
    regno_validate,
)
from xinyong.subjects.tests.identifier_cases import (
    error_of,
    valid_rics,
    valid_usccs,
)

# --------------------------------------------------------------------------- IdentifierError, normalize


def test_identifier_error_is_a_value_error_whose_str_is_the_message() -> None:
    err = IdentifierError("uscc.length", "统一社会信用代码长度错误：应为 18 位，实为 3 位")
    assert isinstance(err, ValueError)
    assert err.code == "uscc.length"
    assert err.message == "统一社会信用代码长度错误：应为 18 位，实为 3 位"
    assert str(err) == err.message


def test_identifier_error_pickles() -> None:
    err = pickle.loads(pickle.dumps(IdentifierError("ric.minor", "未满 18 周岁")))
    assert (err.code, err.message) == ("ric.minor", "未满 18 周岁")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
        ("９１１１\u3000００００ ６０００３７３４１ｌ", "91110000600037341L"),
        (" 91 110000\t600037341l\n", "91110000600037341L"),
        ("1-2\u20103\u20134\u20145\uff0d6", "123456"),
        ("\u200b91\ufeff1\u200d", "911"),
        ("60003734-1", "600037341"),
        ("abcxyz", "ABCXYZ"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_upper_cases_only_ascii() -> None:
    assert normalize("ß") == "ß"  # "ß".upper() would be "SS" and change the length


def test_normalize_rejects_non_str() -> None:
    with pytest.raises(TypeError):
        normalize(b"91110000600037341L")  # type: ignore[arg-type]


def test_non_ascii_digits_are_not_digits() -> None:
    err = error_of(regno_validate, "11010800000001\u0666")  # ARABIC-INDIC DIGIT SIX
    assert err.code == "regno.character"


# --------------------------------------------------------------------------- identify


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 9111 0000 6000 3734 1l", ("uscc", "91110000600037341L")),
        ("A1110000MA01ABCD51", ("uscc", "A1110000MA01ABCD51")),
        ("11010519491231002x", ("ric", "11010519491231002X")),
        ("911101199001010697", ("uscc", "911101199001010697")),  # RIC-shaped, but only a valid USCC
        ("110108000000016", ("regno", "110108000000016")),
        ("110108600037341", ("regno", "110108600037341")),  # also a valid taxno: regno wins
        ("110105600037341", ("taxno", "110105600037341")),
        ("110108MA01ABCD5", ("taxno", "110108MA01ABCD5")),
        ("60003734-1", ("org_code", "600037341")),
        ("11010519491231002X01", ("taxno", "11010519491231002X01")),
    ],
)
def test_identify(raw: str, expected: tuple[str, str]) -> None:
    assert identify(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("110105194912310021", "ric.check_digit"),  # RIC-shaped: the resident-ID error
        ("440305200606151230", None),  # a minor is still identified (no on_date)
        ("91110000600037341N", "uscc.check_character"),
        ("911101199001010698", "ric.region"),  # RIC-shaped, neither valid: the RIC error
        ("00000000000000000X", "uscc.placeholder"),
        ("110108600037300", "regno.check_digit"),  # neither regno nor taxno: the regno error
        ("110108MA01ABCD6", "taxno.format"),
        ("60003734-2", "org_code.check_character"),
        ("11010519491231002XAB", "taxno.format"),
    ],
)
def test_identify_errors(raw: str, code: str | None) -> None:
    if code is None:
        assert identify(raw) == ("ric", raw)
    else:
        assert error_of(identify, raw).code == code


@pytest.mark.parametrize("raw", ["", "1234567890", "６０００３７３４"])
def test_identify_unknown_length(raw: str) -> None:
    err = error_of(identify, raw)
    length = len(normalize(raw))
    assert (err.code, err.message) == (
        "identifier.length",
        f"无法识别的证件号码：长度为 {length} 位，应为 9、15、18 或 20 位",
    )


@given(valid_usccs)
def test_identify_finds_every_valid_uscc(code: str) -> None:
    assert identify(code) == ("uscc", code)


@given(valid_rics)
def test_identify_finds_every_valid_ric(number: str) -> None:
    assert identify(number) == ("ric", number)
