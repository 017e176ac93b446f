"""Parse and validate ``rules.yaml`` (规则表, docs/rules.md: rules are data, versioned by effective date).

Pure Python (no ORM). Each row's values are true/false or a quantity written ``{unit: amount}``
(``{months: 3}``, ``{working_days: 7}``), normalised to ``{"amount": 3, "unit": "months"}``. Rows of a
``severity.*`` key are default-tier tables instead: tier (minor / general / serious) -> the list of field
values (e.g. penalty types) that default to it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xinyong.catalog.vocabulary import PERIOD_UNITS, SEVERITIES
from xinyong.catalog.yamlcheck import Node, Problems, list_of, load_yaml, open_node, sha256_text

RULE_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$")
VALUE_NAME_RE = re.compile(r"^[a-z][a-z_]*$")
_RULE_KEYS = ("key", "effective_from", "values", "source")
_CALENDAR_UNITS = ("months", "years")
SEVERITY_TABLE_PREFIX = "severity."


@dataclass(frozen=True)
class RuleSpec:
    """One row of the rules table: `values` maps a name to true/false or {"amount": n, "unit": u}."""

    key: str
    effective_from: dt.date
    values: dict[str, Any]
    source: str


@dataclass(frozen=True)
class RulesSpec:
    version: str
    sha256: str
    rules: tuple[RuleSpec, ...]


def _refuse_duplicates(labels: list[str], problems: Problems) -> None:
    for label in sorted({x for x in labels if labels.count(x) > 1}):
        problems.add(f"rules[{label}]", "duplicate", f"重复的规则（键与生效日期） {label}")


def parse_rules(text: str) -> RulesSpec:
    """Parse and validate the rules table (docs/rules.md: rules are data, versioned by effective date)."""
    problems = Problems("规则表")
    raw = load_yaml(text, what="规则表")
    top = open_node(raw, "", problems, allowed=("version", "rules"), required=("version", "rules"))
    if top is None:
        problems.raise_if_any()
    rules = [_parse_rule(item, i, problems) for i, item in enumerate(list_of(raw, top, "rules"))]
    labels = [f"{r.key} {r.effective_from}" for r in rules if r]
    _refuse_duplicates(labels, problems)
    version = top.text("version")
    problems.raise_if_any()
    return RulesSpec(version, sha256_text(text), tuple(r for r in rules if r))


def _parse_rule(raw: Any, index: int, problems: Problems) -> RuleSpec | None:
    label = f"{raw.get('key')} {raw.get('effective_from')}" if isinstance(raw, Mapping) else index
    node = open_node(raw, f"rules[{label}]", problems, allowed=_RULE_KEYS, required=_RULE_KEYS)
    if node is None:
        return None
    key = node.text("key")
    if key and not RULE_KEY_RE.match(key):
        node.bad("key", "bad_value", f"规则键 {key!r} 不符合格式（小写字母、数字、下划线，以点分段）")
    values = _severity_table(node) if key.startswith(SEVERITY_TABLE_PREFIX) else _rule_values(node)
    if key.startswith("publication."):
        _check_publication(node, values)
    return RuleSpec(key, node.date("effective_from"), values, node.text("source"))


def _rule_values(node: Node) -> dict[str, Any]:
    raw = node.raw.get("values")
    if not isinstance(raw, Mapping) or not raw:
        if "values" in node.raw:
            node.bad("values", "bad_type", "应为非空映射（名称: 值）")
        return {}
    values = {}
    for name, value in raw.items():
        if not isinstance(name, str) or not VALUE_NAME_RE.match(name):
            node.bad("values", "bad_value", f"值名称 {name!r} 不符合格式（小写字母、下划线）")
        values[str(name)] = _rule_value(node, f"values.{name}", value)
    return values


def _severity_table(node: Node) -> dict[str, list[str]]:
    """severity.* rows: {tier: [value, …]}, tiers from SEVERITIES, each value under one tier only."""
    raw = node.raw.get("values")
    if not isinstance(raw, Mapping) or not raw:
        if "values" in node.raw:
            node.bad("values", "bad_type", "应为非空映射（严重程度: [取值, …]）")
        return {}
    table: dict[str, list[str]] = {}
    for tier, items in raw.items():
        if tier not in SEVERITIES:
            node.bad("values", "bad_value", f"严重程度 {tier!r} 不在 {'、'.join(SEVERITIES)} 之内")
        elif not isinstance(items, list) or not items or not all(isinstance(i, str) and i for i in items):
            node.bad(f"values.{tier}", "bad_type", "应为非空的取值列表")
        else:
            table[tier] = list(items)
    seen = [item for items in table.values() for item in items]
    for item in sorted({i for i in seen if seen.count(i) > 1}):
        node.bad("values", "bad_value", f"取值 {item} 出现在多个严重程度下")
    return table


def _rule_value(node: Node, key: str, value: Any) -> Any:
    """true / false, or a quantity written {unit: amount}, e.g. {months: 3}, {working_days: 7}."""
    if isinstance(value, bool):
        return value
    if isinstance(value, Mapping) and len(value) == 1:
        ((unit, amount),) = value.items()
        if unit in PERIOD_UNITS and isinstance(amount, int) and not isinstance(amount, bool) and amount > 0:
            return {"amount": amount, "unit": unit}
    node.bad(key, "bad_type", f"应为 true/false 或 {{单位: 正整数}}（单位：{'、'.join(PERIOD_UNITS)}）")
    return None


def _check_publication(node: Node, values: dict[str, Any]) -> None:
    """publication.* rows: `published`; when published, a calendar `min` ≤ `max` (months or years); when
    not, at most a calendar `choice_max` (the longest a department may choose to publish the record)."""
    published = values.get("published")
    if not isinstance(published, bool):
        node.bad("values.published", "missing_key", "公开规则须给出 published（true/false）")
        return
    if not published:
        if set(values) - {"published", "choice_max"}:
            node.bad(
                "values",
                "bad_value",
                "不公开（published: false）的规则不设期限（可选公示的上限用 choice_max）",
            )
        elif "choice_max" in values and (values["choice_max"] or {}).get("unit") not in _CALENDAR_UNITS:
            node.bad("values.choice_max", "bad_value", "choice_max 须以 months 或 years 计")
        return
    bounds = [values.get(name) for name in ("min", "max")]
    if not all(isinstance(b, dict) and b["unit"] in _CALENDAR_UNITS for b in bounds):
        node.bad("values", "bad_value", "公开规则须给出以 months 或 years 计的 min 和 max")
    elif _months(bounds[0]) > _months(bounds[1]):
        node.bad("values", "bad_value", "最短公示期（min）不得长于最长公示期（max）")


def _months(quantity: dict[str, Any]) -> int:
    return quantity["amount"] * (12 if quantity["unit"] == "years" else 1)
