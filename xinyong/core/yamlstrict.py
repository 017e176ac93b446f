"""One strict YAML reader for every reference file (issue 17): PyYAML's safe loader, but a key repeated in
one mapping is refused (PyYAML silently keeps the last one), and every syntax problem comes back as one
`StrictYamlError` with its 1-based line number. Pure Python, no Django: callers turn the error into their
own refusal (`catalog.invalid`, `calendar.invalid`, …)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

__all__ = ["StrictYamlError", "yaml_load_strict", "yaml_mapping_strict"]


class StrictYamlError(ValueError):
    """The text is not YAML we accept; `line` is 1-based (None when PyYAML names no place)."""

    def __init__(self, problem: str, line: int | None = None) -> None:
        self.problem, self.line = problem, line
        super().__init__(f"{self.where}：{problem}")

    @property
    def where(self) -> str:
        return f"第 {self.line} 行" if self.line is not None else "未知位置"


class _Strict:
    """A safe loader that refuses a key repeated in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"重复的键 {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]


class _StrictLoader(_Strict, yaml.SafeLoader):
    """PyYAML's own (pure Python) scanner: the one whose refusals the error messages quote."""


class _FastStrictLoader(_Strict, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's scanner and parser with the same Python constructor and resolver (the same safe types, the
    same refusal of a repeated key): the reference files of every test's set-up read ~10× faster."""


def yaml_load_strict(text: str) -> Any:
    """Parse YAML text (safe tags only); a syntax error, a tab in the indentation or a repeated key raises
    `StrictYamlError` with the line."""
    try:
        return yaml.load(text, Loader=_FastStrictLoader)
    except yaml.YAMLError:
        pass  # the refusal, with PyYAML's own wording and line, comes from its pure Python scanner
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise StrictYamlError(problem, mark.line + 1 if mark is not None else None) from exc


def yaml_mapping_strict(text: str) -> Mapping[str, Any]:
    """`yaml_load_strict` for a file whose top level must be a mapping (键: 值)."""
    data = yaml_load_strict(text)
    if not isinstance(data, Mapping):
        raise StrictYamlError(f"顶层应为映射（键: 值），实为 {type(data).__name__}", 1)
    return data
