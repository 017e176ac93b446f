"""Parse and validate ``catalog.yaml`` (公共信用信息目录) into plain dataclasses; ``parse_rules`` (规则表)
lives in ``rules_schema.py`` and is re-exported here.

No ORM here: the services upsert what these functions return. Everything that is wrong with a file is
collected and refused at once as ``DomainError("catalog.invalid", …)`` with one entry per problem in
``errors`` (``field`` = the path, e.g. ``categories[CF].fields[CF_NR_FK].type``).

The catalog may not hold religion, genes, fingerprints, blood type or medical data (docs/domain.md principle
7): a category or field whose code, name or description carries such a keyword is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xinyong.catalog.rules_schema import RuleSpec, RulesSpec, parse_rules
from xinyong.catalog.vocabulary import (
    CONDITIONAL_RULES,
    FIELD_TYPES,
    POLARITIES,
    PUBLICATION_RULES,
    SENSITIVE_CJK,
    SENSITIVE_WORDS,
    SEVERITIES,
    SUBJECT_KINDS,
    TIERS,
)
from xinyong.catalog.yamlcheck import Node, Problems, list_of, load_yaml, open_node, sha256_text

__all__ = [
    "CatalogSpec", "CategorySpec", "FieldSpec", "RuleSpec", "RulesSpec", "parse_catalog", "parse_rules",
    "sensitive_keyword",
]  # fmt: skip

CATEGORY_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,15}$")
FIELD_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
_WORD_RE = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")

_TOP_KEYS = ("version", "effective_from", "categories")
_CATEGORY_KEYS = (
    "code", "name", "description", "subject_kinds", "polarity", "severity_tiers", "shuanggongshi",
    "deadline_working_days", "publication_rule", "providers", "fields",
)  # fmt: skip
_CATEGORY_REQUIRED = ("code", "name", "subject_kinds", "polarity", "publication_rule", "providers", "fields")
_FIELD_KEYS = (
    "code", "name", "type", "required", "required_if", "max_length", "tier", "description",
    "values", "multiple", "long_term", "masked",
)  # fmt: skip
_FIELD_REQUIRED = ("code", "name", "type", "tier", "description")
_LISTED_TYPES = ("code_list", "enum")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a category (字段): `required` is mandatory / optional / conditional (then `rule`)."""

    code: str
    name: str
    type: str
    required: str
    rule: str
    max_length: int | None
    tier: str
    description: str
    options: dict[str, Any]


@dataclass(frozen=True)
class CategorySpec:
    """One category (信息类别); `providers` are unit names, `providers_open` stands for "*"."""

    code: str
    name: str
    description: str
    subject_kinds: tuple[str, ...]
    polarity: str
    severity_tiers: tuple[str, ...]
    shuanggongshi: bool
    deadline_working_days: int | None
    publication_rule: str
    providers: tuple[str, ...]
    providers_open: bool
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class CatalogSpec:
    version: str
    effective_from: dt.date
    sha256: str
    categories: tuple[CategorySpec, ...]


def sensitive_keyword(*texts: str) -> str | None:
    """The first forbidden keyword (宗教, 基因, 指纹, 血型, 病史/医疗, religion, gene, …) in `texts`, if any.

    Latin keywords match whole words (``XK_BLOOD_TYPE``, ``BloodType``), so "general" is not "gene".
    """
    for text in texts:
        for word in SENSITIVE_CJK:
            if word in text:
                return word
        for token in _WORD_RE.findall(text):
            if token.lower() in SENSITIVE_WORDS:
                return token
    return None


# ── catalog.yaml ──────────────────────────────────────────────────────────────────────────────────


def parse_catalog(text: str) -> CatalogSpec:
    """Parse and validate the catalog file; refuse it whole (`catalog.invalid`) on any problem."""
    problems = Problems("目录文件")
    raw = load_yaml(text, what="目录文件")
    top = open_node(raw, "", problems, allowed=_TOP_KEYS, required=_TOP_KEYS)
    if top is None:
        problems.raise_if_any()
    categories = [
        _parse_category(item, i, problems) for i, item in enumerate(list_of(raw, top, "categories"))
    ]
    _refuse_duplicates([c.code for c in categories if c], "categories", "类别代码", problems)
    version, effective_from = top.text("version"), top.date("effective_from")
    problems.raise_if_any()
    return CatalogSpec(version, effective_from, sha256_text(text), tuple(c for c in categories if c))


def _item_path(prefix: str, raw: Any, index: int) -> str:
    code = raw.get("code") if isinstance(raw, Mapping) else None
    return f"{prefix}[{code}]" if isinstance(code, str) and code else f"{prefix}[{index}]"


def _refuse_duplicates(codes: list[str], prefix: str, what: str, problems: Problems) -> None:
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.add(f"{prefix}[{code}]", "duplicate", f"重复的{what} {code}")


def _code(node: Node, pattern: re.Pattern[str]) -> str:
    code = node.text("code")
    if code and not pattern.match(code):
        node.bad(
            "code",
            "bad_value",
            f"代码 {code!r} 不符合格式（大写字母、数字{'、下划线' if '_' in pattern.pattern else ''}）",
        )
    return code


def _parse_category(raw: Any, index: int, problems: Problems) -> CategorySpec | None:
    path = _item_path("categories", raw, index)
    node = open_node(raw, path, problems, allowed=_CATEGORY_KEYS, required=_CATEGORY_REQUIRED)
    if node is None:
        return None
    providers, providers_open = _providers(node)
    spec = CategorySpec(
        code=_code(node, CATEGORY_CODE_RE),
        name=node.text("name"),
        description=node.text("description", required=False),
        subject_kinds=node.choice_list("subject_kinds", SUBJECT_KINDS),
        polarity=node.choice("polarity", POLARITIES),
        severity_tiers=node.choice_list("severity_tiers", SEVERITIES, may_be_empty=True),
        shuanggongshi=node.flag("shuanggongshi"),
        deadline_working_days=node.positive_int("deadline_working_days"),
        publication_rule=node.choice("publication_rule", PUBLICATION_RULES),
        providers=providers,
        providers_open=providers_open,
        fields=_parse_fields(node),
    )
    _check_category(node, spec)
    return spec


def _providers(node: Node) -> tuple[tuple[str, ...], bool]:
    """Unit names, or ["*"] alone for every unit with the provider role."""
    value = node.raw.get("providers")
    if "providers" not in node.raw:
        return (), False
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        node.bad("providers", "bad_type", '应为单位名称的非空列表，或 ["*"]（所有具有报送职能的单位）')
        return (), False
    if "*" in value and len(value) > 1:
        node.bad("providers", "bad_value", '"*" 须单独使用，不能与单位名称并列')
    if len(set(value)) != len(value):
        node.bad("providers", "duplicate", "列表中有重复的单位名称")
    names = tuple(v.strip() for v in value if v != "*")
    return names, value == ["*"]


def _check_category(node: Node, spec: CategorySpec) -> None:
    """Cross-key rules: severity tiers only (and always) for negative categories, 双公示 needs a deadline."""
    if spec.polarity == "negative" and not spec.severity_tiers:
        node.bad("severity_tiers", "bad_value", "负面类别须列出严重程度（minor、general、serious）")
    if spec.polarity in ("positive", "neutral") and spec.severity_tiers:
        node.bad("severity_tiers", "bad_value", "只有负面（negative）类别可设严重程度")
    if spec.shuanggongshi and spec.deadline_working_days is None:
        node.bad("deadline_working_days", "missing_key", "双公示类别须给出公示时限（工作日）")
    if spec.publication_rule == "severity_period" and spec.polarity != "negative":
        node.bad("publication_rule", "bad_value", "severity_period 只适用于负面类别")
    word = sensitive_keyword(spec.code, spec.name, spec.description)
    if word:
        node.bad("code", "sensitive", _sensitive_text("类别", word))
    _check_conditions(node, spec.fields)


def _check_conditions(node: Node, fields: tuple[FieldSpec, ...]) -> None:
    """A conditional field needs the field its condition reads (e.g. cflb_fine reads *_CFLB)."""
    codes = [f.code for f in fields]
    for f in fields:
        suffix = CONDITIONAL_RULES.get(f.rule, ("", None))[1]
        if suffix and not any(code.endswith(suffix) for code in codes):
            node.bad(
                f"fields[{f.code}].required_if",
                "bad_value",
                f"条件 {f.rule} 需要本类别有以 {suffix} 结尾的字段",
            )
        if f.rule == "uscc_placeholder" and not any(g.type == "uscc" for g in fields):
            node.bad(
                f"fields[{f.code}].required_if",
                "bad_value",
                "条件 uscc_placeholder 需要本类别有 uscc 类型的字段",
            )


def _sensitive_text(what: str, word: str) -> str:
    return (
        f"{what}含敏感信息关键词“{word}”：目录不得收录宗教、基因、指纹、血型、病史或医疗信息"
        "（docs/domain.md 原则 7）"
    )


# ── fields ────────────────────────────────────────────────────────────────────────────────────────


def _parse_fields(node: Node) -> tuple[FieldSpec, ...]:
    items = list_of(node.raw, node, "fields")
    fields = [_parse_field(raw, i, node.path, node.problems) for i, raw in enumerate(items)]
    _refuse_duplicates([f.code for f in fields if f], f"{node.path}.fields", "字段代码", node.problems)
    return tuple(f for f in fields if f)


def _parse_field(raw: Any, index: int, category_path: str, problems: Problems) -> FieldSpec | None:
    path = _item_path(f"{category_path}.fields", raw, index)
    node = open_node(raw, path, problems, allowed=_FIELD_KEYS, required=_FIELD_REQUIRED)
    if node is None:
        return None
    field_type = node.choice("type", FIELD_TYPES)
    required, rule = _requirement(node)
    spec = FieldSpec(
        code=_code(node, FIELD_CODE_RE),
        name=node.text("name"),
        type=field_type,
        required=required,
        rule=rule,
        max_length=_max_length(node, field_type),
        tier=node.choice("tier", TIERS),
        description=node.text("description"),
        options=_options(node, field_type),
    )
    _check_field(node, spec)
    return spec


def _requirement(node: Node) -> tuple[str, str]:
    """`required: true|false` or `required_if: <rule id>` — exactly one of the two."""
    has_required, has_rule = "required" in node.raw, "required_if" in node.raw
    if has_required == has_rule:
        node.bad("required", "bad_value", "须且只能给出 required（true/false）或 required_if（条件规则）之一")
        return "optional", ""
    if has_rule:
        return "conditional", node.choice("required_if", CONDITIONAL_RULES)
    return ("mandatory" if node.flag("required") else "optional"), ""


def _max_length(node: Node, field_type: str) -> int | None:
    length = node.positive_int("max_length")
    if field_type in ("string", "text") and "max_length" not in node.raw:
        node.bad("max_length", "missing_key", "字符串和长文本字段须给出 max_length")
    if field_type in ("date", "decimal_wan") and "max_length" in node.raw:
        node.bad("max_length", "bad_value", "日期和金额字段不设 max_length")
    if field_type == "uscc" and length not in (None, 18):
        node.bad("max_length", "bad_value", "统一社会信用代码长度为 18")
    return 18 if field_type == "uscc" else length


def _options(node: Node, field_type: str) -> dict[str, Any]:
    """values (code_list / enum), multiple (code_list / enum), long_term (date), masked (id_number)."""
    options: dict[str, Any] = {}
    values = _values(node, field_type)
    if values:
        options["values"] = values
    for key, allowed_types in (("multiple", _LISTED_TYPES), ("masked", ("id_number",))):
        if node.flag(key):
            options[key] = True
            if field_type not in allowed_types:
                node.bad(key, "bad_value", f"只有 {'、'.join(allowed_types)} 类型的字段可设 {key}")
    if "long_term" in node.raw:
        long_term = node.date("long_term")
        options["long_term"] = long_term.isoformat() if long_term else None
        if field_type != "date":
            node.bad("long_term", "bad_value", "只有 date 类型的字段可设 long_term")
    return options


def _values(node: Node, field_type: str) -> list[dict[str, str]]:
    """Allowed values as [{"code", "label"}]: code_list maps quoted codes to labels; enum lists labels."""
    raw = node.raw.get("values")
    if field_type not in _LISTED_TYPES:
        if "values" in node.raw:
            node.bad("values", "bad_value", "只有 code_list 和 enum 类型的字段可列出 values")
        return []
    if field_type == "code_list" and isinstance(raw, Mapping) and raw:
        if all(isinstance(k, str) and isinstance(v, str) and k and v for k, v in raw.items()):
            return [{"code": k, "label": v} for k, v in raw.items()]
    if field_type == "enum" and isinstance(raw, list) and raw and len(set(map(str, raw))) == len(raw):
        if all(isinstance(v, str) and v for v in raw):
            return [{"code": v, "label": v} for v in raw]
    shape = '{"代码": 名称} 映射（代码须加引号）' if field_type == "code_list" else "不重复的字符串列表"
    node.bad("values", "bad_type", f"{field_type} 字段的 values 应为非空的{shape}")
    return []


def _check_field(node: Node, spec: FieldSpec) -> None:
    word = sensitive_keyword(spec.code, spec.name, spec.description)
    if word:
        node.bad("code", "sensitive", _sensitive_text("字段", word))
    if spec.type == "id_number" and spec.tier == "public":
        node.bad("tier", "bad_value", "身份证件号码不得设为社会公开（public）")
