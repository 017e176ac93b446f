"""catalog.yaml parsing and validation (pure, no database; rules.yaml: test_rules_schema.py)."""

from __future__ import annotations

import pytest

from xinyong.catalog.catalog_yaml import parse_catalog, sensitive_keyword
from xinyong.catalog.tests import samples
from xinyong.core.errors import DomainError

FORBIDDEN = "目录不得收录宗教、基因、指纹、血型、病史或医疗信息（docs/domain.md 原则 7）"
CATEGORY_KEYS = (
    "code、deadline_working_days、description、fields、name、polarity、providers、publication_rule、"
    "severity_tiers、shuanggongshi、subject_kinds"
)


def refusal(document_or_text) -> DomainError:
    text = document_or_text if isinstance(document_or_text, str) else samples.dump(document_or_text)
    with pytest.raises(DomainError) as caught:
        parse_catalog(text)
    assert caught.value.code == "catalog.invalid"
    assert caught.value.status == 400
    return caught.value


def test_sample_parses_into_specs():
    spec = parse_catalog(samples.dump(samples.catalog()))
    cf, dj = spec.categories
    assert (spec.version, spec.effective_from.isoformat(), len(spec.sha256)) == ("t1", "2026-04-01", 64)
    assert (cf.code, cf.providers, cf.providers_open, cf.severity_tiers) == (
        "CF",
        (),
        True,
        ("minor", "general", "serious"),
    )
    assert (dj.providers, dj.providers_open, dj.severity_tiers, dj.deadline_working_days) == (
        ("市工商局",),
        False,
        (),
        None,
    )
    assert [(f.code, f.required, f.rule) for f in cf.fields] == [
        ("CF_XDR_MC", "mandatory", ""),
        ("CF_CFLB", "mandatory", ""),
        ("CF_NR_FK", "conditional", "cflb_fine"),
        ("CF_XDR_ZJHM", "optional", ""),
    ]
    assert cf.fields[1].options == {
        "values": [{"code": "警告", "label": "警告"}, {"code": "罚款", "label": "罚款"}],
        "multiple": True,
    }
    assert cf.fields[3].options == {"masked": True}
    assert dj.fields[1].options == {
        "values": [{"code": "1", "label": "存续"}, {"code": "2", "label": "注销"}]
    }
    assert dj.fields[2].options == {"long_term": "2099-12-31"}


def test_unknown_key_is_refused_with_its_path():
    document = samples.catalog()
    samples.category(document, "CF")["colour"] = "red"
    error = refusal(document)
    message = f"categories[CF].colour：未知的键（允许：{CATEGORY_KEYS}）"
    assert error.message == f"目录文件校验未通过：{message}"
    assert error.errors == [{"field": "categories[CF].colour", "code": "unknown_key", "message": message}]


def test_missing_key_is_refused():
    document = samples.catalog()
    del samples.category(document, "DJ")["polarity"]
    error = refusal(document)
    assert error.errors == [
        {
            "field": "categories[DJ].polarity",
            "code": "missing_key",
            "message": "categories[DJ].polarity：缺少必填的键",
        }
    ]


def test_every_problem_is_reported_and_counted_in_the_message():
    document = samples.catalog()
    samples.field(document, "CF", "CF_XDR_MC")["max_length"] = "200"
    samples.field(document, "DJ", "DJ_ZTMC")["type"] = "blob"
    error = refusal(document)
    first = "categories[CF].fields[CF_XDR_MC].max_length：应为正整数"
    assert error.message == f"目录文件校验未通过：{first}（另有 1 处问题，见 errors）"
    assert error.errors == [
        {"field": "categories[CF].fields[CF_XDR_MC].max_length", "code": "bad_type", "message": first},
        {
            "field": "categories[DJ].fields[DJ_ZTMC].type",
            "code": "bad_value",
            "message": "categories[DJ].fields[DJ_ZTMC].type：取值 'blob' 不在允许范围"
            "（string、text、date、decimal_wan、code_list、uscc、id_number、enum）内",
        },
    ]


def _only_error(document) -> tuple[str, str, str]:
    errors = refusal(document).errors
    assert len(errors) == 1, errors
    return errors[0]["field"], errors[0]["code"], errors[0]["message"].split("：", 1)[1]


def _with(change) -> dict:
    document = samples.catalog()
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: samples.category(d, "CF")["fields"].append(dict(samples.field(d, "CF", "CF_XDR_MC"))),
            ("categories[CF].fields[CF_XDR_MC]", "duplicate", "重复的字段代码 CF_XDR_MC"),
        ),
        (
            lambda d: d["categories"].append(dict(samples.category(d, "DJ"))),
            ("categories[DJ]", "duplicate", "重复的类别代码 DJ"),
        ),
        (
            lambda d: samples.category(d, "CF").update(severity_tiers=[]),
            (
                "categories[CF].severity_tiers",
                "bad_value",
                "负面类别须列出严重程度（minor、general、serious）",
            ),
        ),
        (
            lambda d: samples.category(d, "DJ").update(severity_tiers=["general"]),
            ("categories[DJ].severity_tiers", "bad_value", "只有负面（negative）类别可设严重程度"),
        ),
        (
            lambda d: samples.category(d, "CF").pop("deadline_working_days"),
            ("categories[CF].deadline_working_days", "missing_key", "双公示类别须给出公示时限（工作日）"),
        ),
        (
            lambda d: samples.category(d, "DJ").update(deadline_working_days=True),
            ("categories[DJ].deadline_working_days", "bad_type", "应为正整数"),
        ),
        (
            lambda d: samples.category(d, "DJ").update(subject_kinds=["company"]),
            (
                "categories[DJ].subject_kinds",
                "bad_value",
                "取值 'company' 不在允许范围（enterprise、individual_business、farmer_coop、social_org、"
                "public_institution、government_body、natural_person）内",
            ),
        ),
        (
            lambda d: samples.category(d, "DJ").update(publication_rule="severity_period"),
            ("categories[DJ].publication_rule", "bad_value", "severity_period 只适用于负面类别"),
        ),
        (
            lambda d: samples.category(d, "DJ").update(providers=["*", "市工商局"]),
            ("categories[DJ].providers", "bad_value", '"*" 须单独使用，不能与单位名称并列'),
        ),
        (
            lambda d: samples.category(d, "DJ").update(code="dj"),
            ("categories[dj].code", "bad_value", "代码 'dj' 不符合格式（大写字母、数字）"),
        ),
        (
            lambda d: samples.field(d, "CF", "CF_NR_FK").update(required=False),
            (
                "categories[CF].fields[CF_NR_FK].required",
                "bad_value",
                "须且只能给出 required（true/false）或 required_if（条件规则）之一",
            ),
        ),
        (
            lambda d: samples.field(d, "CF", "CF_NR_FK").update(required_if="cflb_big"),
            (
                "categories[CF].fields[CF_NR_FK].required_if",
                "bad_value",
                "取值 'cflb_big' 不在允许范围（xdr_lb_legal、xdr_lb_legal_or_business、xdr_lb_natural、"
                "uscc_placeholder、fr_zjhm_given、xklb_other、cflb_fine、cflb_confiscation、cflb_licence、"
                "cflb_other、qwgs_publish、subject_legal、subject_natural）内",
            ),
        ),
        (
            lambda d: samples.category(d, "CF")["fields"].pop(1),
            (
                "categories[CF].fields[CF_NR_FK].required_if",
                "bad_value",
                "条件 cflb_fine 需要本类别有以 _CFLB 结尾的字段",
            ),
        ),
        (
            lambda d: samples.field(d, "CF", "CF_XDR_ZJHM").update(tier="public"),
            (
                "categories[CF].fields[CF_XDR_ZJHM].tier",
                "bad_value",
                "身份证件号码不得设为社会公开（public）",
            ),
        ),
        (
            lambda d: samples.field(d, "CF", "CF_XDR_MC").update(masked=True),
            ("categories[CF].fields[CF_XDR_MC].masked", "bad_value", "只有 id_number 类型的字段可设 masked"),
        ),
        (
            lambda d: samples.field(d, "CF", "CF_XDR_MC").update(values=["甲"]),
            (
                "categories[CF].fields[CF_XDR_MC].values",
                "bad_value",
                "只有 code_list 和 enum 类型的字段可列出 values",
            ),
        ),
        (
            lambda d: samples.field(d, "CF", "CF_CFLB").update(values=["警告", "警告"]),
            (
                "categories[CF].fields[CF_CFLB].values",
                "bad_type",
                "enum 字段的 values 应为非空的不重复的字符串列表",
            ),
        ),
        (
            lambda d: samples.field(d, "CF", "CF_XDR_MC").pop("max_length"),
            (
                "categories[CF].fields[CF_XDR_MC].max_length",
                "missing_key",
                "字符串和长文本字段须给出 max_length",
            ),
        ),
        (
            lambda d: samples.field(d, "CF", "CF_NR_FK").update(max_length=12),
            ("categories[CF].fields[CF_NR_FK].max_length", "bad_value", "日期和金额字段不设 max_length"),
        ),
        (
            lambda d: samples.field(d, "DJ", "DJ_YXQZ").update(long_term="2099-13-01"),
            ("categories[DJ].fields[DJ_YXQZ].long_term", "bad_type", "应为日期（YYYY-MM-DD）"),
        ),
        (
            lambda d: samples.field(d, "DJ", "DJ_ZTMC").update(description=None),
            (
                "categories[DJ].fields[DJ_ZTMC].description",
                "bad_type",
                "应为非空字符串（数字或日期形式的值请加引号）",
            ),
        ),
        (
            lambda d: d.update(version=2026.1),
            ("version", "bad_type", "应为非空字符串（数字或日期形式的值请加引号）"),
        ),
        (lambda d: d.update(effective_from="soon"), ("effective_from", "bad_type", "应为日期（YYYY-MM-DD）")),
        (lambda d: d.update(categories=[]), ("categories", "bad_type", "应为非空列表")),
    ],
)
def test_refusals(change, expected):
    assert _only_error(_with(change)) == expected


def test_code_list_codes_must_be_quoted():
    text = samples.dump(samples.catalog()).replace("'1': 存续", "1: 存续")
    assert _only_error(text) == (
        "categories[DJ].fields[DJ_ZT].values",
        "bad_type",
        'code_list 字段的 values 应为非空的{"代码": 名称} 映射（代码须加引号）',
    )


def test_repeated_yaml_key_is_refused():
    text = "version: 't1'\nversion: 't2'\neffective_from: 2026-04-01\ncategories: []\n"
    error = refusal(text)
    assert error.message == "目录文件校验未通过：YAML 无法解析（第 2 行：重复的键 'version'）"


def test_yaml_syntax_error_is_refused():
    error = refusal("version: [unclosed\n")
    assert error.message.startswith("目录文件校验未通过：YAML 无法解析（第 2 行：")


def test_a_file_that_is_not_a_mapping_is_refused():
    error = refusal("- just\n- a list\n")
    assert error.errors == [
        {"field": "（文件）", "code": "bad_type", "message": "（文件）：应为映射（键: 值）"}
    ]


# ── forbidden sensitive fields (docs/domain.md principle 7) ───────────────────────────────────────────────


@pytest.mark.parametrize(
    ("key", "value", "keyword"),
    [
        ("name", "血型", "血型"),
        ("name", "基因检测结果", "基因"),
        ("name", "指纹特征", "指纹"),
        ("description", "宗教信仰", "宗教"),
        ("description", "既往病史", "病史"),
        ("description", "医疗记录", "医疗"),
        ("code", "CF_XDR_FINGERPRINT", "FINGERPRINT"),
        ("code", "CF_GENE_MARKER", "GENE"),
        ("description", "Blood type of the person", "Blood"),
        ("description", "declared religion", "religion"),
    ],
)
def test_sensitive_field_is_refused(key, value, keyword):
    document = samples.catalog()
    extra = {
        "code": "CF_EXTRA",
        "name": "附加",
        "type": "string",
        "required": False,
        "max_length": 10,
        "tier": "government",
        "description": "附加字段",
        key: value,
    }
    samples.category(document, "CF")["fields"].append(extra)
    path = f"categories[CF].fields[{extra['code']}].code"
    text = f"字段含敏感信息关键词“{keyword}”：{FORBIDDEN}"
    error = refusal(document)
    assert error.errors == [{"field": path, "code": "sensitive", "message": f"{path}：{text}"}]
    assert error.message == f"目录文件校验未通过：{path}：{text}"


def test_sensitive_category_is_refused():
    document = samples.catalog()
    samples.category(document, "DJ")["description"] = "含基因信息"
    assert _only_error(document)[1:] == (
        "sensitive",
        f"类别含敏感信息关键词“基因”：{FORBIDDEN}",
    )


@pytest.mark.parametrize(
    "text", ["general penalty", "XK_XDR_LB", "Generic licence", "行政许可", "BloodyMary"]
)
def test_ordinary_words_are_not_sensitive(text):
    assert sensitive_keyword(text) is None
