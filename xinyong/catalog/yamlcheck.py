"""Strict reading of the catalog's YAML files: no duplicate keys, no unknown keys, typed values, and every
problem collected with its path (``categories[CF].fields[CF_NR_FK].type``) before one refusal is raised.

Pure Python (no ORM): used by ``catalog_yaml.py``, testable without a database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from xinyong.core.errors import DomainError
from xinyong.core.yamlstrict import StrictYamlError, yaml_load_strict

INVALID = "catalog.invalid"


def load_yaml(text: str, *, what: str, code: str = INVALID) -> Any:
    """Parse YAML text with the strict reader (core/yamlstrict.py); a syntax error or a repeated key is a
    refusal with `code` (`catalog.invalid`, or the other file's own code)."""
    try:
        return yaml_load_strict(text)
    except StrictYamlError as exc:
        raise DomainError(code, f"{what}校验未通过：YAML 无法解析（{exc.where}：{exc.problem}）") from exc


@dataclass
class Problems:
    """Every problem found in one file; `raise_if_any` turns them into one refusal (`catalog.invalid`, or the
    file's own `code`)."""

    what: str
    items: list[dict] = field(default_factory=list)
    code: str = INVALID

    def add(self, path: str, code: str, text: str) -> None:
        self.items.append({"field": path, "code": code, "message": f"{path}：{text}"})

    def raise_if_any(self) -> None:
        if not self.items:
            return
        first = self.items[0]["message"]
        more = f"（另有 {len(self.items) - 1} 处问题，见 errors）" if len(self.items) > 1 else ""
        raise DomainError(self.code, f"{self.what}校验未通过：{first}{more}", errors=list(self.items))


def sha256_text(text: str) -> str:
    """SHA-256 of the file's text (UTF-8), identifying a loaded version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def choices_text(allowed: Iterable[str]) -> str:
    return "、".join(allowed)


@dataclass
class Node:
    """One YAML mapping at a known path, with typed getters that report problems instead of raising."""

    raw: Mapping[str, Any]
    path: str
    problems: Problems

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def bad(self, key: str, code: str, text: str) -> None:
        self.problems.add(self.at(key), code, text)

    # A missing key is reported once, by `open_node` (when required); the getters then answer a default.

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.raw.get(key)
        if key not in self.raw or (value is None and not required):
            return ""
        if not isinstance(value, str) or not value.strip():
            self.bad(key, "bad_type", "应为非空字符串（数字或日期形式的值请加引号）")
            return ""
        return value.strip()

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            self.bad(key, "bad_type", "应为 true 或 false")
            return default
        return value

    def positive_int(self, key: str) -> int | None:
        value = self.raw.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.bad(key, "bad_type", "应为正整数")
            return None
        return value

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        value = self.raw.get(key)
        if key not in self.raw or (value is None and not required):
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.bad(key, "bad_type", "应为日期（YYYY-MM-DD）")
        return parsed

    def choice(self, key: str, allowed: Iterable[str]) -> str:
        value, allowed = self.raw.get(key), tuple(allowed)
        if key not in self.raw:
            return ""
        if value not in allowed:
            self.bad(key, "bad_value", f"取值 {value!r} 不在允许范围（{choices_text(allowed)}）内")
            return ""
        return value

    def choice_list(self, key: str, allowed: Iterable[str], *, may_be_empty: bool = False) -> tuple[str, ...]:
        """A list of distinct values from `allowed` (a missing key: the empty list, reported if required)."""
        value, allowed = self.raw.get(key), tuple(allowed)
        if key not in self.raw or (value is None and may_be_empty):
            return ()
        if not isinstance(value, list) or not (value or may_be_empty):
            self.bad(key, "bad_type", "应为非空列表" if not may_be_empty else "应为列表")
            return ()
        for item in value:
            if item not in allowed:
                self.bad(key, "bad_value", f"取值 {item!r} 不在允许范围（{choices_text(allowed)}）内")
        if len(set(map(str, value))) != len(value):
            self.bad(key, "duplicate", "列表中有重复的值")
        return tuple(item for item in value if item in allowed)


def parse_date(value: Any) -> dt.date | None:
    """A YAML date (unquoted 2026-04-01) or an ISO date string; a datetime is not a date."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def open_node(
    raw: Any, path: str, problems: Problems, *, allowed: Iterable[str], required: Iterable[str]
) -> Node | None:
    """Check that `raw` is a mapping with all `required` keys and only `allowed` ones."""
    if not isinstance(raw, Mapping):
        problems.add(path or "（文件）", "bad_type", "应为映射（键: 值）")
        return None
    node, allowed = Node(raw, path, problems), frozenset(allowed)
    for key in raw:
        if key not in allowed:
            node.bad(str(key), "unknown_key", f"未知的键（允许：{choices_text(sorted(allowed))}）")
    for key in required:
        if key not in raw:
            node.bad(key, "missing_key", "缺少必填的键")
    return node


def list_of(raw: Any, node: Node, key: str) -> list[Any]:
    """The list under `key` (must be a non-empty list)."""
    value = raw.get(key) if isinstance(raw, Mapping) else None
    if not isinstance(value, list) or not value:
        if key in node.raw:
            node.bad(key, "bad_type", "应为非空列表")
        return []
    return value
