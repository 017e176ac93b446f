"""Tests of the resident identity number (GB 11643) (pure Python: no Django, no database)."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric

from xinyong.subjects.identifiers import (
    IdentifierError,
    ResidentId,
    ric_check_digit,
    ric_make,
    ric_mask,
    ric_validate,
)
from xinyong.subjects.tests.identifier_cases import (
    DIGITS,
    error_of,
    substitute,
    swap,
    valid_rics,
)

# --------------------------------------------------------------------------- resident ID


def test_ric_standard_example() -> None:
    rid = ric_validate("11010519491231002X")
    assert rid == ResidentId("11010519491231002X", "110105", datetime.date(1949, 12, 31), "F")
    assert stdnum_ric.is_valid("11010519491231002X")


def test_ric_make_and_check_digit() -> None:
    assert ric_make("110105", datetime.date(1949, 12, 31), "002") == "11010519491231002X"
    assert ric_check_digit("11010519491231002") == "X"
    assert ric_check_digit("31011519850701456") == "7"


@pytest.mark.parametrize(
    "raw", ["11010519491231002x", "110105 19491231 002X", "１１０１０５１９４９１２３１００２ｘ"]
)
def test_ric_validate_normalises(raw: str) -> None:
    assert ric_validate(raw).number == "11010519491231002X"


@pytest.mark.parametrize(("seq3", "sex"), [("451", "M"), ("456", "F"), ("009", "M"), ("000", "F")])
def test_ric_sex_follows_the_parity_of_the_17th_digit(seq3: str, sex: str) -> None:
    assert ric_validate(ric_make("310115", datetime.date(1985, 7, 1), seq3)).sex == sex


@pytest.mark.parametrize("region", ["810000", "820000", "830000"])
def test_ric_residence_permits_for_hk_macao_taiwan(region: str) -> None:
    number = ric_make(region, datetime.date(1990, 1, 1), "001")
    assert ric_validate(number).region_code == region


ON = datetime.date(2024, 6, 15)


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ("11010519491231002", "ric.length", "公民身份号码长度错误：应为 18 位，实为 17 位"),
        ("1101A519491231002X", "ric.character", "公民身份号码第 5 位字符“A”无效：前 17 位只能是数字"),
        ("1101051949123100X2", "ric.character", "公民身份号码第 17 位字符“X”无效：前 17 位只能是数字"),
        ("11010519491231002Y", "ric.character", "公民身份号码第 18 位字符“Y”无效：校验码只能是数字或 X"),
        ("99010519491231002X", "ric.region", "公民身份号码第 1–2 位省级行政区划代码“99”无效"),
        ("91010519491231002X", "ric.region", "公民身份号码第 1–2 位省级行政区划代码“91”无效"),
        ("11000019491231002X", "ric.region", "公民身份号码地址码“110000”无效：第 3–6 位不能全为 0"),
        ("11010519490231002X", "ric.birth_date", "公民身份号码第 7–14 位出生日期“19490231”不是有效日期"),
        ("11010500000000002X", "ric.birth_date", "公民身份号码第 7–14 位出生日期“00000000”不是有效日期"),
        ("11010518991231002X", "ric.birth_date", "公民身份号码出生日期 1899-12-31 早于 1900-01-01"),
        ("11010520240616002X", "ric.birth_date", "公民身份号码出生日期 2024-06-16 晚于 2024-06-15"),
        ("110105194912310021", "ric.check_digit", "公民身份号码校验码错误：应为 X，实为 1"),
        (
            "440305200606151230",
            "ric.minor",
            "公民身份号码持有人于 2024-06-14 未满 18 周岁：未成年人不在本平台处理范围内",
        ),
    ],
)
def test_ric_validate_failures(raw: str, code: str, message: str) -> None:
    on_date = datetime.date(2024, 6, 14) if code == "ric.minor" else ON
    err = error_of(ric_validate, raw, on_date=on_date)
    assert (err.code, err.message) == (code, message)


def test_ric_birth_date_defaults_to_today_as_upper_bound() -> None:
    future = ric_make("110105", datetime.date.today() + datetime.timedelta(days=1), "001")
    assert error_of(ric_validate, future).code == "ric.birth_date"
    assert ric_validate(ric_make("110105", datetime.date.today(), "001")).birth_date == datetime.date.today()


def test_ric_minor_boundary() -> None:
    number = "440305200606151230"  # born 2006-06-15
    assert ric_validate(number).birth_date == datetime.date(2006, 6, 15)  # no on_date: no age check
    assert error_of(ric_validate, number, on_date=datetime.date(2024, 6, 14)).code == "ric.minor"
    assert ric_validate(number, on_date=datetime.date(2024, 6, 15)).number == number
    assert ric_validate(number, on_date=datetime.datetime(2024, 6, 15, 8, 30)).number == number


def test_ric_minor_born_on_29_february() -> None:
    number = ric_make("110105", datetime.date(2008, 2, 29), "011")
    assert error_of(ric_validate, number, on_date=datetime.date(2026, 2, 28)).code == "ric.minor"
    assert ric_validate(number, on_date=datetime.date(2026, 3, 1)).sex == "M"


def test_ric_minor_is_checked_last() -> None:
    bad_check = "440305200606151231"
    assert error_of(ric_validate, bad_check, on_date=datetime.date(2024, 6, 14)).code == "ric.check_digit"


def test_ric_helper_failures() -> None:
    err = error_of(ric_make, "11010", datetime.date(1990, 1, 1), "001")
    assert (err.code, err.message) == ("ric.length", "地址码长度错误：应为 6 位，实为 5 位")
    err = error_of(ric_make, "110105", datetime.date(1990, 1, 1), "0A1")
    assert (err.code, err.message) == ("ric.character", "顺序码第 2 位字符“A”无效：只能是数字")
    assert error_of(ric_check_digit, "1101051949123100").code == "ric.length"
    assert error_of(ric_check_digit, "1101051949123100X").code == "ric.character"


def test_resident_id_is_frozen_and_repr_is_masked() -> None:
    rid = ric_validate("11010519491231002X")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rid.sex = "M"  # type: ignore[misc]
    assert repr(rid) == "ResidentId(number='110105********002X')"
    assert rid.masked == "110105********002X"


@pytest.mark.parametrize("raw", ["11010519491231002X", "11010519491231002x", "110105 19491231 002X"])
def test_ric_mask(raw: str) -> None:
    assert ric_mask(raw) == "110105********002X"


def test_ric_mask_requires_18_characters() -> None:
    err = error_of(ric_mask, "110105")
    assert (err.code, err.message) == ("ric.length", "公民身份号码长度错误：应为 18 位，实为 6 位")


@given(valid_rics)
def test_ric_make_always_produces_valid_numbers(number: str) -> None:
    assert ric_validate(number).number == number
    assert stdnum_ric.calc_check_digit(number) == number[17]


def shape_ok(number: str) -> bool:
    """17 ASCII digits then a digit or X."""
    return all(ch in DIGITS for ch in number[:17]) and number[17] in DIGITS + "X"


@given(valid_rics, st.integers(0, 17), st.sampled_from(DIGITS + "X"))
def test_ric_every_single_substitution_is_detected(number: str, i: int, ch: str) -> None:
    assume(number[i] != ch)
    mutated = substitute(number, i, ch)
    with pytest.raises(IdentifierError):
        ric_validate(mutated)
    if shape_ok(mutated):
        assert ric_check_digit(mutated[:17]) != mutated[17]


@given(valid_rics, st.integers(0, 16))
def test_ric_every_adjacent_swap_is_detected(number: str, i: int) -> None:
    assume(number[i] != number[i + 1])
    mutated = swap(number, i)
    err = error_of(ric_validate, mutated)
    if shape_ok(mutated):
        assert ric_check_digit(mutated[:17]) != mutated[17]
    else:  # a check "X" moved to position 17
        assert (i, number[17], err.code) == (16, "X", "ric.character")
