"""rules.yaml parsing and validation: quantities, value refusals, rule keys, severity tables (pure, no
database)."""

from __future__ import annotations

import pytest

from xinyong.catalog.schema import parse_rules
from xinyong.catalog.tests import samples
from xinyong.core.errors import DomainError

# ── rules.yaml ────────────────────────────────────────────────────────────────────────────────────


def rules_refusal(document) -> DomainError:
    with pytest.raises(DomainError) as caught:
        parse_rules(samples.dump(document))
    assert caught.value.code == "catalog.invalid"
    return caught.value


def test_rules_parse_into_quantities():
    spec = parse_rules(samples.dump(samples.rules()))
    assert spec.version == "r1"
    assert [(r.key, r.effective_from.isoformat(), r.values) for r in spec.rules] == [
        (
            "publication.penalty.serious",
            "2019-07-01",
            {
                "published": True,
                "min": {"amount": 6, "unit": "months"},
                "max": {"amount": 3, "unit": "years"},
            },
        ),
        (
            "publication.penalty.serious",
            "2026-04-01",
            {"published": True, "min": {"amount": 1, "unit": "years"}, "max": {"amount": 3, "unit": "years"}},
        ),
        ("objection.accept", "2026-04-01", {"deadline": {"amount": 2, "unit": "working_days"}}),
    ]


@pytest.mark.parametrize(
    ("row", "values", "expected"),
    [
        (
            2,
            {"deadline": {"weeks": 2}},
            (
                "rules[objection.accept 2026-04-01].values.deadline",
                "bad_type",
                "应为 true/false 或 {单位: 正整数}（单位：months、years、working_days、calendar_days）",
            ),
        ),
        (
            2,
            {"deadline": {"working_days": 0}},
            (
                "rules[objection.accept 2026-04-01].values.deadline",
                "bad_type",
                "应为 true/false 或 {单位: 正整数}（单位：months、years、working_days、calendar_days）",
            ),
        ),
        (
            1,
            {"published": True, "min": {"years": 4}, "max": {"years": 3}},
            (
                "rules[publication.penalty.serious 2026-04-01].values",
                "bad_value",
                "最短公示期（min）不得长于最长公示期（max）",
            ),
        ),
        (
            1,
            {"published": True, "min": {"working_days": 4}, "max": {"years": 3}},
            (
                "rules[publication.penalty.serious 2026-04-01].values",
                "bad_value",
                "公开规则须给出以 months 或 years 计的 min 和 max",
            ),
        ),
        (
            1,
            {"min": {"years": 1}, "max": {"years": 3}},
            (
                "rules[publication.penalty.serious 2026-04-01].values.published",
                "missing_key",
                "公开规则须给出 published（true/false）",
            ),
        ),
        (
            1,
            {"published": False, "max": {"years": 3}},
            (
                "rules[publication.penalty.serious 2026-04-01].values",
                "bad_value",
                "不公开（published: false）的规则不设期限（可选公示的上限用 choice_max）",
            ),
        ),
    ],
)
def test_rule_value_refusals(row, values, expected):
    document = samples.rules()
    document["rules"][row]["values"] = values
    error = rules_refusal(document)
    assert [(e["field"], e["code"], e["message"].split("：", 1)[1]) for e in error.errors] == [expected]
    assert error.message.startswith("规则表校验未通过：")


def test_duplicate_rule_row_is_refused():
    document = samples.rules()
    document["rules"].append(dict(document["rules"][2]))
    assert rules_refusal(document).errors == [
        {
            "field": "rules[objection.accept 2026-04-01]",
            "code": "duplicate",
            "message": "rules[objection.accept 2026-04-01]："
            "重复的规则（键与生效日期） objection.accept 2026-04-01",
        }
    ]


def test_rule_key_format_is_checked():
    document = samples.rules()
    document["rules"][2]["key"] = "Objection"
    assert rules_refusal(document).errors[0]["message"] == (
        "rules[Objection 2026-04-01].key：规则键 'Objection' 不符合格式（小写字母、数字、下划线，以点分段）"
    )


def test_severity_tables_and_choice_max_parse():
    document = samples.rules()
    document["rules"][1]["key"] = "publication.penalty.minor"
    document["rules"][1]["values"] = {"published": False, "choice_max": {"months": 3}}
    document["rules"].append(
        {
            "key": "severity.penalty_type",
            "effective_from": "2026-04-01",
            "values": {"minor": ["警告"], "serious": ["吊销许可证件", "责令关闭"]},
            "source": "示例",
        }
    )
    rows = {r.key: r.values for r in parse_rules(samples.dump(document)).rules}
    assert rows["publication.penalty.minor"] == {
        "published": False,
        "choice_max": {"amount": 3, "unit": "months"},
    }
    assert rows["severity.penalty_type"] == {"minor": ["警告"], "serious": ["吊销许可证件", "责令关闭"]}


@pytest.mark.parametrize(
    ("key", "values", "expected"),
    [
        (
            "severity.penalty_type",
            {"grave": ["吊销许可证件"]},
            ("values", "bad_value", "严重程度 'grave' 不在 minor、general、serious 之内"),
        ),
        ("severity.penalty_type", {"serious": []}, ("values.serious", "bad_type", "应为非空的取值列表")),
        (
            "severity.penalty_type",
            {"minor": ["警告"], "general": ["警告"]},
            ("values", "bad_value", "取值 警告 出现在多个严重程度下"),
        ),
        (
            "publication.penalty.minor",
            {"published": False, "choice_max": {"working_days": 5}},
            ("values.choice_max", "bad_value", "choice_max 须以 months 或 years 计"),
        ),
    ],
)
def test_severity_table_and_choice_max_refusals(key, values, expected):
    document = samples.rules()
    document["rules"].append({"key": key, "effective_from": "2030-01-01", "values": values, "source": "示例"})
    error = rules_refusal(document)
    field, code, message = expected
    assert [(e["field"], e["code"], e["message"].split("：", 1)[1]) for e in error.errors] == [
        (f"rules[{key} 2030-01-01].{field}", code, message)
    ]
