"""The rejected-rows report of a submission (归集退回行), as CSV or XLSX, written row by row.

Columns: ``行号`` (the row number the unit saw in its own file), the original header columns in order, then
``错误``. The unit fixes those rows and resubmits only them.

Every text cell is escaped against spreadsheet formula injection (OWASP "CSV Injection"): a text that begins
with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading ``'``. The rule is applied as written,
so a negative-looking amount such as ``-3.5`` also comes out as ``'-3.5``: the report shows what was
submitted, and an amount cannot be negative in the 双公示 formats anyway. Header names and error texts are
escaped too, since header names come from the uploaded file.

The report re-imports once fixed (issue 13): an import ignores exactly the two annotation columns
(`ANNOTATION_COLUMNS`) and, in a file that has them, undoes the escape (`rows_unannotated`), so the fixed
rows come back as the unit first submitted them.

Pure Python and openpyxl; no Django.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from xinyong.core.spreadsheet import escape_cell, unescape_cell

ROW_NUMBER_COLUMN = "行号"
ERRORS_COLUMN = "错误"
ANNOTATION_COLUMNS = (ROW_NUMBER_COLUMN, ERRORS_COLUMN)
SHEET_TITLE = "退回的行"
_XLSX_MAX_CELL = 32_767  # Excel's limit on the characters of one cell
# What XML cannot carry as is: control characters (a CR would even come back as LF) and a literal "_xHHHH_",
# which would read as an escape. Written as OOXML escapes (_x000D_, _x005F_), as Excel does.
_OOXML_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")

RejectedRow = tuple[int, Mapping[str, Any], Sequence[Mapping[str, Any]]]
"""(row number, the row as read, its errors ``[{"field", "code", "message"}]``)."""


def rows_unannotated(rows: Iterable[tuple[int, dict]]) -> Iterator[tuple[int, dict]]:
    """The rows of a fixed report as a plain submission: annotation columns dropped, escapes undone."""
    for number, row in rows:
        yield number, {k: unescape_cell(v) for k, v in row.items() if k not in ANNOTATION_COLUMNS}


def errors_text(errors: Iterable[Mapping[str, Any]]) -> str:
    """``字段：消息；字段：消息`` — a row-level error (no field) is its message alone."""
    return "；".join(
        f"{error['field']}：{error['message']}" if error.get("field") else str(error["message"])
        for error in errors
    )


def rejected_table(header: Sequence[str], rows: Iterable[RejectedRow]) -> Iterator[list[int | str]]:
    """The report's rows, header first, every text escaped; the row number stays a number."""
    yield [ROW_NUMBER_COLUMN, *(escape_cell(name) for name in header), ERRORS_COLUMN]
    for number, row, errors in rows:
        cells = (escape_cell(row.get(name)) for name in header)
        yield [number, *cells, escape_cell(errors_text(errors))]


def write_rejected_csv(
    stream_or_path: str | os.PathLike[str] | TextIO, header: Sequence[str], rows: Iterable[RejectedRow]
) -> int:
    """Write the report as CSV, UTF-8 with BOM (so Excel reads the Chinese), one row at a time.

    A path is created; a text stream (for example an HTTP response) is written to, starting with the BOM.
    Returns the number of rejected rows written.
    """
    if isinstance(stream_or_path, str | os.PathLike):
        with open(stream_or_path, "w", encoding="utf-8-sig", newline="") as f:
            return _write_csv(f, header, rows)
    stream_or_path.write("\ufeff")
    return _write_csv(stream_or_path, header, rows)


def _write_csv(stream: TextIO, header: Sequence[str], rows: Iterable[RejectedRow]) -> int:
    writer = csv.writer(stream)
    table = rejected_table(header, rows)
    writer.writerow(next(table))
    count = 0
    for values in table:
        writer.writerow(values)
        count += 1
    return count


def write_rejected_xlsx(path: Any, header: Sequence[str], rows: Iterable[RejectedRow]) -> int:
    """Write the report as XLSX (openpyxl write-only mode, so rows go to disk as they come); header bold.

    `path` is a file path or a binary stream. Control characters (CR included) and a literal ``_xHHHH_`` are
    written as OOXML escapes, so Excel and `files.open_rows` read them back unchanged; a text longer than
    Excel's 32,767 characters is cut, since Excel would refuse to open the file.
    Returns the number of rejected rows written.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    table = rejected_table(header, rows)
    bold = Font(bold=True)
    sheet.append([_bold(WriteOnlyCell(sheet, value=_xlsx_text(name)), bold) for name in next(table)])
    count = 0
    for values in table:
        sheet.append([_xlsx_text(value) for value in values])
        count += 1
    workbook.save(path)
    return count


def _bold(cell: Any, font: Any) -> Any:
    cell.font = font
    return cell


def _xlsx_text(value: int | str) -> int | str:
    if isinstance(value, int):
        return value
    return _OOXML_NEEDS_ESCAPE.sub(lambda match: f"_x{ord(match.group()):04X}_", value[:_XLSX_MAX_CELL])
