"""JSON Lines uploads and rows posted to the API as a JSON list (intake/files.py), shaped like file rows:
flat objects whose values become texts, numbers as written."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from xinyong.intake.rows import (
    FileRefused,
    Row,
    _clean,
    _count_row,
)
from xinyong.intake.xlsx import _plain_decimal


def rows_from_json_list(rows: list[Any]) -> Iterator[tuple[int, Row]]:
    """Rows posted to the API as a JSON list, shaped like file rows: ``(index, row)``, index 0-based.

    The API reports rows by their 0-based index in the posted list, so blank rows are not skipped here: every
    item gets a result. An item that is not an object, or holds a nested value, refuses the request
    (``rows.item_invalid``).
    """
    for index, item in enumerate(rows):
        if not isinstance(item, dict):
            raise FileRefused("rows.item_invalid", f"第 {index} 条（从 0 起）不是 JSON 对象。", index=index)
        yield (
            index,
            _json_row(item, lambda key, i=index: f"第 {i} 条（从 0 起）字段“{key}”", "rows.item_invalid"),
        )


# --- JSON Lines ---------------------------------------------------------------------------------------------


class _BadValue(ValueError):
    pass


def _jsonl_stream(path: Path, max_rows: int) -> Iterator[Any]:
    with path.open("rb") as f:
        count, header = 0, None
        for number, raw in enumerate(f, start=1):
            row = _jsonl_row(raw[3:] if number == 1 and raw.startswith(codecs.BOM_UTF8) else raw, number)
            if row is None:
                continue
            if header is None:
                header = list(row)
                yield header
            count = _count_row(count, max_rows, number)
            yield number, row
        if header is None:
            raise FileRefused("file.empty", "文件是空的：没有任何 JSON 对象行。")


def _jsonl_row(raw: bytes, number: int) -> Row | None:
    """One line's object with cleaned values; None for a blank line or an object with only empty values."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _jsonl_refused(number, f"不是有效的 UTF-8（该行第 {exc.start + 1} 字节）") from exc
    if not text.strip():
        return None
    try:
        item = json.loads(
            text, object_pairs_hook=_unique_keys, parse_int=str, parse_float=str, parse_constant=_no_nan
        )
    except json.JSONDecodeError as exc:
        raise _jsonl_refused(number, f"不是有效的 JSON（第 {exc.colno} 列：{exc.msg}）") from exc
    except _BadValue as exc:
        raise _jsonl_refused(number, str(exc)) from exc
    if not isinstance(item, dict):
        raise _jsonl_refused(number, "不是 JSON 对象（每行应为一个 {...}）")
    row = _json_row(item, lambda key: f"第 {number} 行字段“{key}”", "file.jsonl_invalid")
    return row if any(value is not None for value in row.values()) else None


def _jsonl_refused(number: int, reason: str) -> FileRefused:
    return FileRefused("file.jsonl_invalid", f"第 {number} 行{reason}，文件未导入。", line=number)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        duplicated = next(key for key in keys if keys.count(key) > 1)
        raise _BadValue(f"字段“{duplicated}”重复出现")
    return dict(pairs)


def _no_nan(constant: str) -> Any:
    raise _BadValue(f"含非标准 JSON 值 {constant}")


def _json_row(item: dict[str, Any], where: Callable[[str], str], code: str) -> Row:
    row: Row = {}
    for key, value in item.items():
        try:
            row[key] = _json_value(value)
        except _BadValue as exc:
            raise FileRefused(code, f"{where(key)}{exc}。", field=key) from exc
    return row


def _json_value(value: Any) -> str | None:
    """Strings stripped (empty → None), numbers as text, booleans ``true``/``false``; nesting is refused."""
    if value is None or isinstance(value, str):
        return _clean(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _BadValue("是非有限数值")
        return _plain_decimal(repr(value))
    raise _BadValue("是嵌套的对象或数组，只接受字符串、数值、布尔值或 null")
