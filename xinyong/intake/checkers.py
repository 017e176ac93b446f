"""Field checkers of the row validation (intake/validation.py): one small function per catalog field type,
compiled once per category; each takes the cell's text and answers (normalised value | None, error | None).
Pure Python: this is the import's hot path."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from xinyong.records.keys import parse_date
from xinyong.subjects.identifiers import USCC_PLACEHOLDER, IdentifierError, uscc_validate

_MULTI_SPLIT = re.compile(r"[;；,，、]")


@dataclass(frozen=True)
class FieldInfo:
    """The part of a catalog field the validator needs (built from catalog.models.CategoryField)."""

    code: str
    name: str
    type: str
    required: str  # mandatory | optional | conditional
    rule: str
    max_length: int | None
    options: dict


def _err(field: str, code: str, message: str) -> dict:
    return {"field": field, "code": code, "message": message}


# ── field checkers: (text) -> (normalised value | None, error | None) ────────────────────────────────────


_CACHED = 4096  # distinct accepted texts a checker remembers (dates and code values recur in a batch)


def _check_date(f: FieldInfo) -> Callable:
    accepted: dict[str, tuple[str, None]] = {}  # text → its answer, for valid texts only (issue 18)

    def check(text: str):
        hit = accepted.get(text)
        if hit is not None:
            return hit
        value = parse_date(text)
        if value is None:
            return None, _err(f.code, "date.invalid", f"{f.name}不是有效日期：{text}（格式如 2026-11-02）")
        if len(accepted) >= _CACHED:
            accepted.clear()
        hit = accepted[text] = (value.isoformat(), None)
        return hit

    return check


def text_accepted(text: str, limit: int) -> bool:
    """Whether a text cell passes `_check_text` as it is (within `limit` when set, no NUL): the one rule,
    also applied in place by intake/validation.py for the import's hot path (issue 18)."""
    return not (limit and len(text) > limit) and "\x00" not in text


def _check_text(f: FieldInfo) -> Callable:
    limit = f.max_length

    def check(text: str):
        if text_accepted(text, limit or 0):
            return text, None
        if limit and len(text) > limit:
            return None, _err(f.code, "text.too_long", f"{f.name}超过 {limit} 个字符（实为 {len(text)}）")
        return None, _err(f.code, "text.control_char", f"{f.name}含有不可见的控制字符")

    return check


def _check_decimal_wan(f: FieldInfo) -> Callable:
    def check(text: str):
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            return None, _err(f.code, "amount.invalid", f"{f.name}应为以万元为单位的数字：{text}")
        if value < 0 or value.as_tuple().exponent < -6:
            return None, _err(f.code, "amount.out_of_range", f"{f.name}须为非负数，最多 6 位小数：{text}")
        return format(value.normalize(), "f"), None

    return check


def _check_listed(f: FieldInfo) -> Callable:
    allowed = {v["code"]: v["code"] for v in f.options.get("values", [])}
    allowed.update(
        {v["label"]: v["code"] for v in f.options.get("values", [])}
    )  # a label stands for its code
    multiple = bool(f.options.get("multiple"))
    shown = "、".join(
        v["code"] if v["code"] == v["label"] else f"{v['code']} {v['label']}"
        for v in f.options.get("values", [])
    )

    accepted: dict[str, tuple[str, None]] = {}  # text → its answer, for valid texts only (issue 18)

    def check(text: str):
        hit = accepted.get(text)
        if hit is not None:
            return hit
        parts = [p.strip() for p in _MULTI_SPLIT.split(text)] if multiple else [text]
        codes = [allowed.get(p) for p in parts if p]
        if not codes or None in codes:
            return None, _err(
                f.code, "code.not_allowed", f"{f.name}取值不在代码表内：{text}（可选：{shown}）"
            )
        if len(accepted) >= _CACHED:
            accepted.clear()
        hit = accepted[text] = (";".join(dict.fromkeys(codes)), None)
        return hit

    return check


_uscc_cache: dict[str, tuple[str | None, tuple[str, str] | None]] = {}


def uscc_result(text: str) -> tuple[str | None, tuple[str, str] | None]:
    """(normalised code, None) or (None, (error code, message)); cached: the same codes recur in a batch."""
    hit = _uscc_cache.get(text)
    if hit is None:
        if text.replace(" ", "") == USCC_PLACEHOLDER:
            hit = (USCC_PLACEHOLDER, None)
        else:
            try:
                hit = (uscc_validate(text), None)
            except IdentifierError as exc:
                hit = (None, (exc.code, exc.message))
        if len(_uscc_cache) >= 200_000:
            _uscc_cache.clear()
        _uscc_cache[text] = hit
    return hit


def _check_uscc(f: FieldInfo) -> Callable:
    def check(text: str):
        hit = uscc_result(text)  # (value, None) when valid: answered as it is
        error = hit[1]
        return hit if error is None else (None, _err(f.code, error[0], f"{f.name}：{error[1]}"))

    return check


TEXT_TYPES = frozenset({"string", "text", "id_number"})
"""The field types checked by `_check_text` (intake/validation.py checks their accepted cells in place)."""

CHECKERS: dict[str, Callable[[FieldInfo], Callable]] = {
    "date": _check_date, "string": _check_text, "text": _check_text, "decimal_wan": _check_decimal_wan,
    "code_list": _check_listed, "enum": _check_listed, "uscc": _check_uscc, "id_number": _check_text,
}  # fmt: skip
