"""Each validation rule of the import, with its exact error (issue 3)."""

import datetime as dt

import pytest

from tests.support.records import COMPANY, PERSON, cf_row, xk_row
from xinyong.catalog.models import Category
from xinyong.intake.services import row_validator
from xinyong.subjects.identifiers import regno_make

TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def xk(reference):
    return row_validator(category=Category.objects.get(code="XK"), today=TODAY)


@pytest.fixture
def cf(reference):
    return row_validator(category=Category.objects.get(code="CF"), today=TODAY)


def _codes(result) -> list[tuple[str, str]]:
    clean, errors = result
    assert clean is None
    return [(e["field"], e["code"]) for e in errors]


def test_valid_licence_is_clean(xk):
    clean, errors = xk(xk_row())
    assert errors == []
    assert (clean.kind, clean.uscc, clean.doc_no, clean.decision_date) == (
        "enterprise",
        COMPANY,
        "京工商许字〔2026〕第001号",
        dt.date(2026, 10, 28),
    )
    assert clean.valid_until == dt.date(2031, 10, 27)


def test_required_field_missing(xk):
    assert _codes(xk(xk_row(XK_WSH=None))) == [("XK_WSH", "field.required")]


def test_unknown_field(xk):
    assert _codes(xk(xk_row(XK_FOO="x"))) == [("XK_FOO", "field.unknown")]


def test_code_list(xk):
    clean, errors = xk(xk_row(XK_XKLB="07"))
    assert errors == [
        {
            "field": "XK_XKLB",
            "code": "code.not_allowed",
            "message": "许可类别取值不在代码表内：07（可选：01 普通、02 特许、03 认可、04 核准、05 登记、06 其他（备注注明））",
        }
    ]


def test_code_list_other_needs_remark(xk):
    assert _codes(xk(xk_row(XK_XKLB="06"))) == [("BZ", "field.required_if")]
    assert xk(xk_row(XK_XKLB="06", BZ="临时占道"))[1] == []


@pytest.mark.parametrize(
    "text", ["2026-10-28", "2026/10/28", "2026.10.28", "20261028", "2026年10月28日", "2026/10/28 00:00:00"]
)
def test_date_formats(xk, text):
    clean, errors = xk(xk_row(XK_JDRQ=text))
    assert errors == [] and clean.decision_date == dt.date(2026, 10, 28)


def test_bad_date(xk):
    clean, errors = xk(xk_row(XK_JDRQ="2026-02-30"))
    assert errors == [
        {
            "field": "XK_JDRQ",
            "code": "date.invalid",
            "message": "许可决定日期不是有效日期：2026-02-30（格式如 2026-11-02）",
        }
    ]


def test_long_term_validity(xk):
    clean, _ = xk(xk_row(XK_YXQZI="2099/12/31"))
    assert clean.valid_until == dt.date(2099, 12, 31)


def test_validity_order(xk):
    assert _codes(xk(xk_row(XK_YXQZ="2031-10-28", XK_YXQZI="2031-10-27"))) == [("XK_YXQZ", "date.order")]


def test_decision_in_future(xk):
    assert _codes(xk(xk_row(XK_JDRQ="2026-11-03", XK_YXQZ="2026-11-03"))) == [("XK_JDRQ", "date.future")]


def test_uscc_errors_name_the_rule(xk):
    bad = COMPANY[:-1] + ("0" if COMPANY[-1] != "0" else "1")
    assert _codes(xk(xk_row(XK_XDR_SHXYM=bad))) == [("XK_XDR_SHXYM", "uscc.check_character")]
    assert _codes(xk(xk_row(XK_XDR_SHXYM="123"))) == [("XK_XDR_SHXYM", "uscc.length")]


def test_uscc_required_for_legal_entity(xk):
    assert _codes(xk(xk_row(XK_XDR_SHXYM=None))) == [("XK_XDR_SHXYM", "field.required_if")]


def test_amount_in_wan(cf):
    clean, errors = cf(cf_row(CF_NR_FK="0.20"))
    assert errors == [] and clean.payload["CF_NR_FK"] == "0.2"
    assert _codes(cf(cf_row(CF_NR_FK="两万"))) == [("CF_NR_FK", "amount.invalid")]
    assert _codes(cf(cf_row(CF_NR_FK="-1"))) == [("CF_NR_FK", "amount.out_of_range")]


def test_fine_needs_amount(cf):
    assert _codes(cf(cf_row(CF_NR_FK=None))) == [("CF_NR_FK", "field.required_if")]


def test_multiple_penalty_kinds(cf):
    clean, errors = cf(cf_row(CF_CFLB="罚款;没收违法所得", CF_NR_WFFF="1.5"))
    assert errors == [] and clean.payload["CF_CFLB"] == "罚款;没收违法所得"
    assert _codes(cf(cf_row(CF_CFLB="罚款;没收违法所得"))) == [("CF_NR_WFFF", "field.required_if")]


def test_severity_default_and_given(cf):
    def tier(row):
        clean = cf(row)[0]
        return clean.severity, clean.severity_source

    assert tier(cf_row()) == ("general", "penalty_type_default")
    assert tier(cf_row(CF_CFLB="警告", CF_NR_FK=None)) == ("minor", "penalty_type_default")
    assert tier(cf_row(XY_YZCD="严重")) == ("serious", "provider")
    assert tier(cf_row(CF_CFCX="1")) == ("minor", "procedure")
    assert _codes(cf(cf_row(XY_YZCD="很严重"))) == [("XY_YZCD", "severity.not_allowed")]


def test_natural_person_row(xk):
    row = xk_row(
        XK_XDR_MC="王芳",
        XK_XDR_LB="自然人",
        XK_XDR_SHXYM=None,
        XK_FRDB=None,
        XK_XDR_ZJLX="身份证",
        XK_XDR_ZJHM=PERSON,
    )
    clean, errors = xk(row)
    assert errors == [] and (clean.kind, clean.resident_id) == ("natural_person", PERSON)


def test_person_id_required_for_person(xk):
    row = xk_row(XK_XDR_LB="自然人", XK_XDR_SHXYM=None, XK_FRDB=None)
    assert _codes(xk(row)) == [("XK_XDR_ZJLX", "field.required_if"), ("XK_XDR_ZJHM", "field.required_if")]


def test_person_fields_only_for_persons(xk):
    row = xk_row(XK_XDR_ZJLX="身份证", XK_XDR_ZJHM=PERSON)
    assert _codes(xk(row)) == [
        ("XK_XDR_ZJHM", "cross.person_field_for_entity"),
        ("XK_XDR_ZJLX", "cross.person_field_for_entity"),
    ]


def test_uscc_not_for_persons(xk):
    row = xk_row(XK_XDR_LB="自然人", XK_FRDB=None, XK_XDR_ZJLX="身份证", XK_XDR_ZJHM=PERSON)
    assert _codes(xk(row)) == [("XK_XDR_SHXYM", "cross.uscc_for_person")]


def test_minor_person_refused(xk):
    child = "110105" + "20100101" + "0012"
    from xinyong.subjects.identifiers import ric_make

    child = ric_make("110105", dt.date(2010, 1, 1), "001")
    row = xk_row(XK_XDR_LB="自然人", XK_XDR_SHXYM=None, XK_FRDB=None, XK_XDR_ZJLX="身份证", XK_XDR_ZJHM=child)
    assert _codes(xk(row)) == [("XK_XDR_ZJHM", "ric.minor")]


def test_placeholder_needs_registration_number(xk):
    row = xk_row(XK_XDR_LB="个体工商户", XK_XDR_SHXYM="00000000000000000X", XK_FRDB=None)
    assert _codes(xk(row)) == [("XK_XDR_GSZC", "field.required_if")]
    regno = regno_make("11010860003734")
    clean, errors = xk({**row, "XK_XDR_GSZC": regno})
    assert errors == [] and (clean.kind, clean.uscc, clean.regno) == ("individual_business", None, regno)


def test_placeholder_only_for_individual_business(xk):
    row = xk_row(XK_XDR_SHXYM="00000000000000000X", XK_XDR_GSZC=regno_make("11010860003734"))
    assert _codes(xk(row)) == [("XK_XDR_SHXYM", "cross.placeholder_not_business")]


def test_text_too_long(xk):
    assert _codes(xk(xk_row(XK_WSH="号" * 65))) == [("XK_WSH", "text.too_long")]


def test_extra_cells(xk):
    assert _codes(xk({**xk_row(), "__extra__": ["x"]})) == [("", "row.extra_cells")]


def test_text_at_its_limit_is_kept_and_a_control_character_refused(xk):
    """Text cells are checked in place (issue 18): the limit and the control-character rule still hold."""
    clean, errors = xk(xk_row(XK_WSH="号" * 64, XK_XKZS="  食品经营许可证 "))
    assert errors == [] and (clean.payload["XK_WSH"], clean.payload["XK_XKZS"]) == (
        "号" * 64,
        "食品经营许可证",
    )
    assert xk(xk_row(XK_XKZS="食品\x00许可"))[1] == [
        {"field": "XK_XKZS", "code": "text.control_char", "message": "许可证书名称含有不可见的控制字符"}
    ]


def test_a_validator_answers_repeated_values_alike_and_every_error_afresh(xk):
    """Dates and codes are remembered per validator once accepted (issue 18): a value seen before gets the
    same answer, a bad value after a good one is still refused, and each row's error is its own object."""
    first, second = (
        xk(xk_row(XK_XKLB="普通", XK_JDRQ="2026/10/28")),
        xk(xk_row(XK_XKLB="普通", XK_JDRQ="2026/10/28")),
    )
    assert first[0].payload == second[0].payload and (
        first[0].payload["XK_XKLB"],
        first[0].payload["XK_JDRQ"],
    ) == (
        "01",
        "2026-10-28",
    )
    one, two = (xk(xk_row(XK_JDRQ="2026-02-30"))[1] for _ in range(2))
    assert (
        one
        == two
        == [
            {
                "field": "XK_JDRQ",
                "code": "date.invalid",
                "message": "许可决定日期不是有效日期：2026-02-30（格式如 2026-11-02）",
            }
        ]
    )
    assert one[0] is not two[0]
