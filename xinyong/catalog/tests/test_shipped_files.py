"""The shipped catalog.yaml and rules.yaml: they parse, and the 双公示 parts follow the national standard."""

from __future__ import annotations

import pytest

from xinyong.catalog.catalog_yaml import parse_catalog, parse_rules
from xinyong.catalog.services import DEFAULT_CATALOG_PATH, DEFAULT_RULES_PATH

CATEGORY_CODES = [
    "XK",
    "CF",
    "DJ",
    "SXBZX",
    "QZ",
    "QR",
    "ZZ",
    "JYYC",
    "YZSX",
    "HMD",
    "HTLY",
    "XYPJ",
    "NSXY",
    "SBJN",
    "BZJL",
    "XYCN",
    "XYCNWY",
    "ZYSB",
    "ZFSXBZX",
    "ZFWY",
    "ZFCG",
]


@pytest.fixture(scope="module")
def catalog():
    return parse_catalog(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def by_code(catalog):
    return {c.code: c for c in catalog.categories}


def test_catalog_has_the_national_basic_categories(catalog):
    assert (catalog.version, catalog.effective_from.isoformat()) == ("2026.5", "2026-12-01")
    assert [c.code for c in catalog.categories] == CATEGORY_CODES


def test_only_xk_and_cf_are_shuanggongshi_with_seven_working_days(catalog):
    flagged = [(c.code, c.deadline_working_days) for c in catalog.categories if c.shuanggongshi]
    assert flagged == [("XK", 7), ("CF", 7)]


def test_xk_fields_follow_the_licence_standard(by_code):
    assert [f.code for f in by_code["XK"].fields] == [
        "XK_XDR_MC",
        "XK_XDR_LB",
        "XK_XDR_SHXYM",
        "XK_XDR_GSZC",
        "XK_XDR_ZZJG",
        "XK_XDR_SWDJ",
        "XK_XDR_SYDW",
        "XK_XDR_SHZZ",
        "XK_FRDB",
        "XK_FR_ZJLX",
        "XK_FR_ZJHM",
        "XK_XDR_ZJLX",
        "XK_XDR_ZJHM",
        "XK_XKWS",
        "XK_WSH",
        "XK_XKLB",
        "XK_XKZS",
        "XK_XKBH",
        "XK_NR",
        "XK_JDRQ",
        "XK_YXQZ",
        "XK_YXQZI",
        "XK_XKJG",
        "XK_XKJGDM",
        "XK_ZT",
        "XK_LYDW",
        "XK_LYDWDM",
        "BZ",
    ]
    fields = {f.code: f for f in by_code["XK"].fields}
    assert fields["XK_XKLB"].options["values"] == [
        {"code": "01", "label": "普通"},
        {"code": "02", "label": "特许"},
        {"code": "03", "label": "认可"},
        {"code": "04", "label": "核准"},
        {"code": "05", "label": "登记"},
        {"code": "06", "label": "其他（备注注明）"},
    ]
    assert fields["XK_ZT"].options["values"] == [
        {"code": "1", "label": "有效"},
        {"code": "2", "label": "无效"},
    ]
    assert fields["XK_YXQZI"].options == {"long_term": "2099-12-31"}
    assert (fields["XK_XDR_ZJHM"].tier, fields["XK_XDR_ZJHM"].options) == ("authorised", {"masked": True})
    assert (fields["XK_FR_ZJHM"].tier, fields["XK_FR_ZJHM"].options) == ("government", {"masked": True})
    assert (fields["BZ"].required, fields["BZ"].rule) == ("conditional", "xklb_other")


def test_cf_fields_follow_the_penalty_standard(by_code):
    cf = by_code["CF"]
    fields = {f.code: f for f in cf.fields}
    assert (cf.polarity, cf.severity_tiers, cf.publication_rule) == (
        "negative",
        ("minor", "general", "serious"),
        "severity_period",
    )
    assert [v["label"] for v in fields["CF_CFLB"].options["values"]] == [
        "警告",
        "通报批评",
        "罚款",
        "没收违法所得",
        "没收非法财物",
        "暂扣许可证件",
        "降低资质等级",
        "吊销许可证件",
        "限制开展生产经营活动",
        "责令停产停业",
        "责令关闭",
        "限制从业",
        "行政拘留",
        "其他",
    ]
    assert [(c, fields[c].type, fields[c].rule) for c in ("CF_NR_FK", "CF_NR_WFFF", "CF_NR_ZKDX")] == [
        ("CF_NR_FK", "decimal_wan", "cflb_fine"),
        ("CF_NR_WFFF", "decimal_wan", "cflb_confiscation"),
        ("CF_NR_ZKDX", "string", "cflb_licence"),
    ]
    assert [f.code for f in cf.fields if f.type == "uscc"] == ["CF_XDR_SHXYM", "CF_CFJGDM", "CF_SJLYDM"]


def test_no_person_id_number_is_public(catalog):
    for category in catalog.categories:
        for field in category.fields:
            if field.type == "id_number":
                assert field.tier != "public" and field.options.get("masked"), (category.code, field.code)


def test_negative_categories_have_severity_tiers(catalog):
    tiers = {c.code: c.severity_tiers for c in catalog.categories if c.polarity == "negative"}
    assert tiers == {
        "CF": ("minor", "general", "serious"),
        "SXBZX": ("serious",),
        "QZ": ("general", "serious"),
        "JYYC": ("general",),
        "YZSX": ("serious",),
        "HTLY": ("general", "serious"),
        "SBJN": ("general", "serious"),
        "XYCNWY": ("general", "serious"),
        "ZFSXBZX": ("serious",),
        "ZFWY": ("general", "serious"),
        "ZFCG": ("general", "serious"),
    }


def test_rules_file_has_every_penalty_version():
    spec = parse_rules(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))
    rows = {(r.key, r.effective_from.isoformat()): r.values for r in spec.rules}
    assert rows[("publication.penalty.serious", "2019-07-01")] == {
        "published": True,
        "min": {"amount": 6, "unit": "months"},
        "max": {"amount": 3, "unit": "years"},
    }
    assert rows[("publication.penalty.minor", "2023-05-01")] == {"published": False}
    assert rows[("publication.penalty.serious", "2023-05-01")] == {
        "published": True,
        "min": {"amount": 1, "unit": "years"},
        "max": {"amount": 3, "unit": "years"},
    }
    assert rows[("publication.penalty.minor", "2026-04-01")] == {
        "published": False,
        "choice_max": {"amount": 3, "unit": "months"},
    }
    assert rows[("deadline.shuanggongshi", "2015-06-24")] == {
        "deadline": {"amount": 7, "unit": "working_days"}
    }
    assert rows[("tipoff.accept", "2026-04-01")] == {"deadline": {"amount": 5, "unit": "working_days"}}
    assert rows[("tipoff.conclude", "2026-04-01")] == {"deadline": {"amount": 30, "unit": "working_days"}}
    assert rows[("repair.repeat_serious", "2026-04-01")] == {"window": {"amount": 1, "unit": "years"}}
    assert len(rows) == 24


def test_every_penalty_type_and_procedure_label_of_the_tables_is_in_the_catalog():
    """severity.* tables name CF_CFLB / CF_CFCX labels; the 2026 penalty-type table covers every CF_CFLB value."""
    rules = parse_rules(DEFAULT_RULES_PATH.read_text(encoding="utf-8")).rules
    cf = next(
        c
        for c in parse_catalog(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8")).categories
        if c.code == "CF"
    )
    labels = {f.code: [v["label"] for v in f.options["values"]] for f in cf.fields if "values" in f.options}
    tables = {(r.key, r.effective_from.isoformat()): r.values for r in rules if r.key.startswith("severity.")}
    for (key, _), table in tables.items():
        field = "CF_CFLB" if key == "severity.penalty_type" else "CF_CFCX"
        assert {label for items in table.values() for label in items} <= set(labels[field])
    by_type_2026 = tables[("severity.penalty_type", "2026-04-01")]
    assert sorted(label for items in by_type_2026.values() for label in items) == sorted(labels["CF_CFLB"])
    assert by_type_2026["serious"] == ["吊销许可证件", "责令关闭", "限制从业"]
    assert tables[("severity.procedure", "2023-05-01")] == {"minor": ["简易程序"]}
