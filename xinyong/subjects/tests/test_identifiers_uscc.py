"""Tests of the GB 32100 unified social credit code: valid codes, failures, error detection, the
code tables and regions (pure Python: no Django, no database)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from xinyong.subjects.identifiers import (
    USCC_ALPHABET,
    USCC_ENTITY_TYPES,
    USCC_PLACEHOLDER,
    USCC_REGISTRATION_AUTHORITIES,
    IdentifierError,
    is_uscc_placeholder,
    org_code_validate,
    uscc_check_character,
    uscc_make,
    uscc_org_code,
    uscc_region_known,
    uscc_region_warning,
    uscc_regions,
    uscc_validate,
)
from xinyong.subjects.tests.identifier_cases import (
    DIGITS,
    USCC_CHAR_RULE,
    error_of,
    stdnum_compatible_usccs,
    substitute,
    swap,
    valid_usccs,
)

# --------------------------------------------------------------------------- USCC: valid codes

# Found online (python-stdnum's test suite); all also pass the embedded GB 11714 check.
PUBLIC_USCCS = [
    "121200004013590816",
    "91110000600037341L",
    "91110000710926094P",
    "91120224064012553U",
    "911522010783710635",
    "91152201078371135X",
    "91310000631696382C",
    "91310112087994932F",
    "913101127033980359",
    "91310115MA1K3BTP2B",
    "9131012056010553X5",
    "91320214745555318W",
    "91340600MA2PBM9HXD",
    "91340603MA2UJXXCXF",
    "91440300568520498A",
    "9144030071526726XG",
    "91620105L015101280",
    "91620105MA71T4YW8Q",
    "92340602MA2PBMEM24",
    "92340603MA2PBMYMX1",
    "92340621MA2PBKRXXG",
]


@pytest.mark.parametrize("code", PUBLIC_USCCS)
def test_public_usccs_are_valid_here_and_in_stdnum(code: str) -> None:
    assert uscc_validate(code) == code
    assert stdnum_uscc.is_valid(code)


@pytest.mark.parametrize(
    ("first16", "expected"),
    [
        ("9111000060003734", "91110000600037341L"),
        ("5111000050000001", "51110000500000015U"),
        ("91340600MA2PBM9H", "91340600MA2PBM9HXD"),
    ],
)
def test_uscc_make(first16: str, expected: str) -> None:
    assert uscc_make(first16) == expected
    assert uscc_validate(expected) == expected
    assert stdnum_uscc.is_valid(expected)


@pytest.mark.parametrize("code", ["A1110000MA01ABCD51", "N2110000MA01ABCD5H", "Y1110000MA01ABCD5C"])
def test_usccs_starting_with_a_n_y_are_valid(code: str) -> None:
    assert uscc_make(code[:16]) == code
    assert uscc_validate(code) == code
    assert not stdnum_uscc.is_valid(code)  # why this module does not delegate to stdnum


@pytest.mark.parametrize(
    "raw", ["９１１１００００６０００３７３４１ｌ", " 9111 0000-6000 3734-1l ", "91110000—600037341—L"]
)
def test_uscc_validate_normalises(raw: str) -> None:
    assert uscc_validate(raw) == "91110000600037341L"


@given(valid_usccs)
def test_uscc_make_always_produces_valid_codes(code: str) -> None:
    assert uscc_validate(code) == code


@given(stdnum_compatible_usccs)
def test_uscc_cross_check_with_stdnum(code: str) -> None:
    assert stdnum_uscc.is_valid(code)
    assert uscc_check_character(code[:17]) == stdnum_uscc.calc_check_digit(code[:17])


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_uscc_check_character_matches_stdnum(first17: str) -> None:
    assert uscc_check_character(first17) == stdnum_uscc.calc_check_digit(first17)


# --------------------------------------------------------------------------- USCC: failures


@pytest.mark.parametrize(
    ("raw", "code", "message"),
    [
        ("9111000060003734", "uscc.length", "统一社会信用代码长度错误：应为 18 位，实为 16 位"),
        ("91110000600037341LL", "uscc.length", "统一社会信用代码长度错误：应为 18 位，实为 19 位"),
        ("", "uscc.length", "统一社会信用代码长度错误：应为 18 位，实为 0 位"),
        (
            "9111000060003734IL",
            "uscc.character",
            f"统一社会信用代码第 17 位字符“I”无效：{USCC_CHAR_RULE}",
        ),
        ("O1110000600037341L", "uscc.character", f"统一社会信用代码第 1 位字符“O”无效：{USCC_CHAR_RULE}"),
        ("9111000Z600037341L", "uscc.character", f"统一社会信用代码第 8 位字符“Z”无效：{USCC_CHAR_RULE}"),
        (
            "B1110000600037341J",
            "uscc.registration_authority",
            "统一社会信用代码第 1 位登记管理部门代码“B”无效：应为 1–9、A、N 或 Y",
        ),
        (
            "01110000600037341X",
            "uscc.registration_authority",
            "统一社会信用代码第 1 位登记管理部门代码“0”无效：应为 1–9、A、N 或 Y",
        ),
        (
            "91110000600037342L",
            "uscc.org_code_check",
            "统一社会信用代码第 9–17 位组织机构代码校验码错误：应为 1，实为 2",
        ),
        (
            "91110000600037341N",
            "uscc.check_character",
            "统一社会信用代码校验位错误：应为 L，实为 N",
        ),
        (
            "00000000000000000X",
            "uscc.placeholder",
            "统一社会信用代码为个体工商户占位代码 00000000000000000X，不是有效代码",
        ),
    ],
)
def test_uscc_validate_failures(raw: str, code: str, message: str) -> None:
    err = error_of(uscc_validate, raw)
    assert (err.code, err.message) == (code, message)


def test_uscc_check_order() -> None:
    # character before length? No: length first, even with bad characters.
    assert error_of(uscc_validate, "IOSVZ").code == "uscc.length"
    # bad characters and a bad first character: character wins.
    assert error_of(uscc_validate, "B111000060003734IL").code == "uscc.character"
    # bad registration authority and bad check character: registration authority wins.
    assert error_of(uscc_validate, "B11100006000373410").code == "uscc.registration_authority"
    # "91110000600037342L" has a wrong org-code check AND a wrong USCC check: org code wins.
    assert uscc_check_character("91110000600037342") != "L"
    assert error_of(uscc_validate, "91110000600037342L").code == "uscc.org_code_check"


@pytest.mark.parametrize(
    "raw", ["00000000000000000X", "00000000000000000x", "０００００００００００００００００Ｘ"]
)
def test_uscc_placeholder(raw: str) -> None:
    assert USCC_PLACEHOLDER == "00000000000000000X"
    assert is_uscc_placeholder(raw)
    assert error_of(uscc_validate, raw).code == "uscc.placeholder"


@pytest.mark.parametrize("raw", ["91110000600037341L", "000000000000000000", "00000000000000000", ""])
def test_not_the_uscc_placeholder(raw: str) -> None:
    assert not is_uscc_placeholder(raw)


def test_uscc_helper_failures() -> None:
    err = error_of(uscc_check_character, "911")
    assert (err.code, err.message) == (
        "uscc.length",
        "统一社会信用代码前 17 位长度错误：应为 17 位，实为 3 位",
    )
    err = error_of(uscc_check_character, "9111000060003734I")
    assert (err.code, err.message) == (
        "uscc.character",
        f"统一社会信用代码前 17 位第 17 位字符“I”无效：{USCC_CHAR_RULE}",
    )
    err = error_of(uscc_make, "91110000600037341")
    assert (err.code, err.message) == (
        "uscc.length",
        "统一社会信用代码前 16 位长度错误：应为 16 位，实为 17 位",
    )


def test_uscc_make_does_not_check_the_registration_authority() -> None:
    assert uscc_make("B111000060003734") == "B1110000600037341J"


def test_uscc_org_code() -> None:
    assert uscc_org_code("9111 0000 6000 3734 1l") == "600037341"
    assert org_code_validate(uscc_org_code("91340600MA2PBM9HXD")) == "MA2PBM9HX"
    assert error_of(uscc_org_code, "91110000600037341N").code == "uscc.check_character"


# --------------------------------------------------------------------------- USCC: error detection


@given(valid_usccs, st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_uscc_every_single_substitution_is_detected(code: str, i: int, ch: str) -> None:
    assume(code[i] != ch)
    mutated = substitute(code, i, ch)
    with pytest.raises(IdentifierError):
        uscc_validate(mutated)
    # The mod-31 check character alone already detects it (see the module docstring).
    assert uscc_check_character(mutated[:17]) != mutated[17]


@given(valid_usccs, st.integers(0, 16))
def test_uscc_every_adjacent_swap_is_detected(code: str, i: int) -> None:
    assume(code[i] != code[i + 1])
    mutated = swap(code, i)
    with pytest.raises(IdentifierError):
        uscc_validate(mutated)
    assert uscc_check_character(mutated[:17]) != mutated[17]


def test_uscc_adjacent_swaps_exhaustively_for_every_value_pair() -> None:
    """The change of the mod-31 sum depends only on the position and the two values swapped.

    So one valid code per (position, ordered value pair) proves the claim. Positions 16/17 and
    17/18 hold computed check characters; varying three body characters reaches every pair
    (body char, org check) and (org check, USCC check): 31 × 11 - 11 = 330 pairs each.
    """
    base = "9111000060003734"
    for i in range(15):
        for a, b in itertools.permutations(USCC_ALPHABET, 2):
            code = uscc_make(base[:i] + a + b + base[i + 2 :])
            mutated = swap(code, i)
            assert uscc_check_character(mutated[:17]) != mutated[17], (code, i)
    covered: dict[int, set[tuple[str, str]]] = {15: set(), 16: set()}
    for d, a, b in itertools.product(DIGITS, USCC_ALPHABET, USCC_ALPHABET):
        code = uscc_make(base[:13] + d + a + b)
        for i in (15, 16):
            if code[i] != code[i + 1]:
                covered[i].add((code[i], code[i + 1]))
                mutated = swap(code, i)
                assert uscc_check_character(mutated[:17]) != mutated[17], (code, i)
    assert (len(covered[15]), len(covered[16])) == (330, 330)


def test_uscc_swap_of_org_check_with_preceding_body_char_is_caught_by_the_uscc_check() -> None:
    """The embedded GB 11714 check misses '…1X' ↔ '…X1'; the GB 32100 check catches it."""
    code = uscc_make("9111000000000081")
    assert code[8:17] == "00000081X"
    mutated = swap(code, 15)
    assert mutated[8:17] == "0000008X1"
    assert org_code_validate(mutated[8:17]) == "0000008X1"  # the org code alone looks valid
    assert error_of(uscc_validate, mutated).code == "uscc.check_character"


# --------------------------------------------------------------------------- USCC: GB 32100 code tables


def test_the_entity_type_table_covers_every_registration_authority() -> None:
    assert "".join(USCC_ENTITY_TYPES) == USCC_REGISTRATION_AUTHORITIES == "123456789ANY"
    assert {a: "".join(types) for a, types in USCC_ENTITY_TYPES.items()} == {
        "1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129", "7": "129", "8": "19",
        "9": "123", "A": "19", "N": "1239", "Y": "1",
    }  # fmt: skip
    for authority, types in USCC_ENTITY_TYPES.items():
        for entity_type in types:
            code = uscc_make(f"{authority}{entity_type}110108MA01ABCD")
            assert uscc_validate(code) == code


@pytest.mark.parametrize(
    ("first16", "message"),
    [
        (
            "94110108MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“4”对登记管理部门“9”（工商）无效："
            "应为 1（企业）、2（个体工商户）、3（农民专业合作社）",
        ),
        (
            "99110108MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“9”对登记管理部门“9”（工商）无效："
            "应为 1（企业）、2（个体工商户）、3（农民专业合作社）",
        ),
        (
            "56110000MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“6”对登记管理部门“5”（民政）无效："
            "应为 1（社会团体）、2（民办非企业单位）、3（基金会）、9（其他）",
        ),
        (
            "Y2110000MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“2”对登记管理部门“Y”（其他）无效：应为 1（其他）",
        ),
        (
            "A2110000MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“2”对登记管理部门“A”（中央军委改革和编制办公室）无效："
            "应为 1（军队事业单位）、9（其他）",
        ),
        (
            "10110000MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“0”对登记管理部门“1”（机构编制）无效："
            "应为 1（机关）、2（事业单位）、3（中央编办直接管理机构编制的群众团体）、9（其他）",
        ),
        (
            "3A110000MA01ABCD",
            "统一社会信用代码第 2 位机构类别代码“A”对登记管理部门“3”（司法行政）无效："
            "应为 1（律师执业机构）、2（公证处）、3（基层法律服务所）、4（司法鉴定机构）、5（仲裁委员会）、9（其他）",
        ),
    ],
)
def test_an_entity_type_the_authority_does_not_issue_is_refused(first16: str, message: str) -> None:
    err = error_of(uscc_validate, uscc_make(first16))
    assert (err.code, err.message) == ("uscc.entity_type", message)


def test_table_checks_come_before_the_check_characters() -> None:
    assert error_of(uscc_validate, "B4110108MA01ABCD00").code == "uscc.registration_authority"
    bad_type_and_checks = uscc_make("94110108MA01ABCD")[:16] + "00"
    assert error_of(uscc_validate, bad_type_and_checks).code == "uscc.entity_type"


@pytest.mark.parametrize(
    "region",
    [
        "110108",  # 海淀区
        "110228",  # 密云县, a code withdrawn in 2015: historical codes stay known
        "110000",  # 北京市 (province level)
        "110100",  # 北京市市辖区 (prefecture level)
        "320100",  # 南京市
        "100000",  # central registration
    ],
)
def test_known_regions_raise_no_warning(region: str) -> None:
    code = uscc_make(f"91{region}MA01ABCD")
    assert (uscc_validate(code), uscc_region_known(code), uscc_region_warning(code)) == (code, True, None)


@pytest.mark.parametrize("region", ["119999", "000000", "990000", "11010A"])
def test_an_unknown_region_is_accepted_with_a_warning(region: str) -> None:
    code = uscc_make(f"91{region}MA01ABCD")
    assert uscc_validate(code) == code  # not refused: codes outlive the divisions they were issued under
    assert uscc_region_warning(code) == (
        "uscc.region_unknown",
        f"统一社会信用代码第 3–8 位登记管理机关行政区划码“{region}”不在行政区划代码表中"
        "（可能为已撤销或调整的区划），已接收，请核对",
    )


def test_the_region_table_is_stdnums_with_the_central_code() -> None:
    regions = uscc_regions()
    assert len(regions) > 6000  # python-stdnum 2.2: 6,885 division codes, plus 100000
    assert {"100000", "110000", "110101", "110103", "650000"} <= regions
    assert not {"119999", "100100", "000000"} & regions
