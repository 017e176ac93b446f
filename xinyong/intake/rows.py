"""What every reader of an uploaded file shares (intake/files.py): the refusal, the row shape, and the
shaping of CSV and XLSX records into rows under a header. Pure Python."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Literal, cast

Format = Literal["csv", "xlsx", "jsonl"]
RowValue = str | list[str] | None
Row = dict[str, RowValue]

EXTRA_KEY = "__extra__"
"""Key of a row's non-empty cells beyond the header (CSV/XLSX), as a list of their texts."""


class FileRefused(Exception):
    """The whole file is refused. `code` is stable (``file.*``); `message` is Chinese and names the place."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


# --- shaping rows (CSV and XLSX) ----------------------------------------------------------------------------


def _clean(value: str | None) -> str | None:
    """Strip surrounding whitespace (full-width spaces included); empty becomes None."""
    if value is None:
        return None
    return value.strip() or None


def _column_letter(index: int) -> str:
    """Spreadsheet column name of a 1-based column index: 1 → A, 28 → AB."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _trim(values: list[str | None]) -> list[str | None]:
    """Without the trailing empty cells (a styled row can have thousands)."""
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return values[:end]


def _header(values: list[str | None], number: int) -> list[str]:
    """The header row: trailing empty cells dropped; an empty or repeated name refuses the file."""
    values = _trim(values)
    seen: dict[str, str] = {}
    for column, name in enumerate(values, start=1):
        ref = f"{_column_letter(column)}{number}"
        if name is None:
            raise FileRefused("file.header_missing", f"表头单元格 {ref} 为空：每一列都要有列名。", cell=ref)
        if name in seen:
            raise FileRefused(
                "file.header_duplicate",
                f"表头列名“{name}”重复（{seen[name]} 和 {ref}），请删除或改名后重新上传。",
                cells=[seen[name], ref],
            )
        seen[name] = ref
    return cast(list[str], values)


def _shape(header: list[str], values: list[str | None]) -> Row:
    if len(values) == len(header):  # the usual record: one C-level pass
        return dict(zip(header, values, strict=True))
    row: Row = {name: values[i] if i < len(values) else None for i, name in enumerate(header)}
    extra = _trim(values[len(header) :])
    if extra:
        row[EXTRA_KEY] = [value or "" for value in extra]
    return row


def _count_row(count: int, max_rows: int, number: int) -> int:
    if count >= max_rows:
        raise FileRefused(
            "file.too_many_rows",
            f"第 {number} 行超出数据行数上限 {max_rows:,} 行，请拆分后分批上传。",
            row=number,
            limit=max_rows,
        )
    return count + 1


def _tabular(records: Iterable[tuple[int, list[str | None]]], max_rows: int) -> Iterator[Any]:
    """Yield the header (first non-blank record), then ``(number, row)`` for each non-blank record."""
    records = iter(records)
    header = None
    for number, values in records:
        if any(value is not None for value in values):
            header = _header(values, number)
            break
    if header is None:
        raise FileRefused("file.empty", "文件是空的：没有找到表头行。")
    yield header
    count = 0
    for number, values in records:
        if any(value is not None for value in values):
            count = _count_row(count, max_rows, number)
            yield number, _shape(header, values)
