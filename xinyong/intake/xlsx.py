"""XLSX uploads (intake/files.py): the zip directory and the shared-string table are checked before
openpyxl opens the workbook (zip bombs, issue 12), then the first sheet is read in read-only mode."""

from __future__ import annotations

import datetime
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.etree.ElementTree import ParseError

from xinyong.intake.rows import (
    FileRefused,
    _clean,
    _column_letter,
    _tabular,
)

_CHUNK = 1 << 18  # bytes read at a time by the encoding scan (256 KiB)
_ZIP_MAX_MEMBERS = 10_000
_ZIP_MAX_DIRECTORY = 4 * 2**20  # bytes of zip central directory (a workbook needs a few KiB)
_ZIP_MAX_RATIO = 200  # compression ratio refused for members over _ZIP_RATIO_FLOOR
_ZIP_RATIO_FLOOR = 1 << 20
_EXCEL_EXACT_BELOW = 10**15  # Excel keeps 15 significant digits; numbers from here on may be rounded


# --- XLSX ---------------------------------------------------------------------------------------------------


def _check_zip(path: Path, max_uncompressed: int) -> None:
    """Refuse a non-zip and a zip bomb from the zip directory alone, before openpyxl unpacks anything.

    The declared sizes can be trusted: Python's zipfile, which openpyxl reads through, never inflates a member
    beyond its declared size and fails its CRC check if the data is longer.
    """
    members = _zip_members(path)
    total = sum(member.file_size for member in members)
    if total > max_uncompressed:
        raise FileRefused(
            "file.xlsx_uncompressed_too_large",
            f"工作簿解压后共 {total:,} 字节，超过上限 {max_uncompressed:,} 字节，请拆分后分批上传。",
            uncompressed=total,
            limit=max_uncompressed,
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _ZIP_RATIO_FLOOR and ratio > _ZIP_MAX_RATIO:
            raise FileRefused(
                "file.xlsx_uncompressed_too_large",
                f"工作簿中的“{member.filename}”压缩比异常（超过 {_ZIP_MAX_RATIO}:1），文件未导入。",
                member=member.filename,
            )


def _zip_members(path: Path) -> list[zipfile.ZipInfo]:
    """The archive's members, once its directory is known to be of a sane size and to describe a workbook."""
    not_xlsx = FileRefused(
        "file.xlsx_invalid",
        "文件不是有效的 .xlsx（不是 zip 压缩包）。"
        "如是 .xls、加密文件或改了扩展名的文件，请在 Excel 中另存为 .xlsx。",
    )
    with path.open("rb") as f:
        end = zipfile._EndRecData(f)  # the stdlib's reader of the end record (zip64 too); reads no members
    if end is None:
        raise not_xlsx
    if end[zipfile._ECD_SIZE] > _ZIP_MAX_DIRECTORY:  # zipfile would build an object per entry in memory
        raise FileRefused("file.xlsx_invalid", "文件不是有效的 .xlsx（压缩包目录异常庞大）。")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise not_xlsx from exc
    if len(members) > _ZIP_MAX_MEMBERS or "[Content_Types].xml" not in {m.filename for m in members}:
        raise FileRefused("file.xlsx_invalid", "文件不是有效的 .xlsx（压缩包内容不是 Excel 工作簿）。")
    return members


_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?si[\s>/]")  # an <si> entry, any namespace prefix
_CONTENT_TYPES_MAX = 1 << 20


def _check_shared_strings(path: Path, max_strings: int) -> None:
    """Count the entries of the shared-string table(s) openpyxl would load (the parts [Content_Types].xml
    names, as openpyxl finds them), streaming through the compressed data; refuse past `max_strings`."""
    with zipfile.ZipFile(path) as archive:
        for name in _shared_string_parts(archive):
            counted = _count_entries(archive, name, max_strings)
            if counted > max_strings:
                raise FileRefused(
                    "file.xlsx_too_many_strings",
                    f"工作簿的共享字符串表超过 {max_strings:,} 项，文件未导入。请拆分后分批上传，"
                    f"或另存为 CSV UTF-8 后上传。",
                    limit=max_strings,
                )


def _shared_string_parts(archive: zipfile.ZipFile) -> list[str]:
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > _CONTENT_TYPES_MAX:
        raise FileRefused("file.xlsx_invalid", "文件不是有效的 .xlsx（内容类型清单异常庞大）。")
    try:
        root = ElementTree.fromstring(archive.read(info))
    except ParseError as exc:
        raise FileRefused("file.xlsx_invalid", "文件不是有效的 .xlsx（内容类型清单无法解析）。") from exc
    names = [e.get("PartName", "") for e in root if e.get("ContentType") == _SHARED_STRINGS_TYPE]
    return [n.lstrip("/") for n in names if n.lstrip("/") in archive.NameToInfo]


def _count_entries(archive: zipfile.ZipFile, name: str, stop_after: int) -> int:
    """The <si> entries of one part, counted chunk by chunk (a match across two chunks is counted once)."""
    counted, tail = 0, b""
    with archive.open(name) as part:
        while chunk := part.read(_CHUNK):
            buffer = tail + chunk
            counted += sum(1 for m in _SHARED_STRING.finditer(buffer) if m.end() > len(tail))
            if counted > stop_after:
                return counted
            tail = buffer[-64:]
    return counted


# What a damaged workbook makes openpyxl raise: untrusted input, so a refusal rather than a server error.
_XLSX_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    ParseError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    EOFError,
)


def _xlsx_stream(path: Path, max_rows: int, max_cells: int) -> Iterator[Any]:
    import openpyxl  # imported here: CSV and JSON Lines imports need not load it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # unsupported extensions, missing default style
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (*_XLSX_READ_ERRORS, InvalidFileException, OSError) as exc:  # OSError: no workbook part
        raise FileRefused("file.xlsx_invalid", f"无法读取该 .xlsx 工作簿（{type(exc).__name__}）。") from exc
    if not workbook.worksheets:
        workbook.close()
        raise FileRefused("file.xlsx_invalid", "工作簿里没有工作表。")
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # the stored dimension can be wrong; it would cut rows or columns off
    cells_by_row = sheet.iter_rows()
    try:
        yield from _tabular(_xlsx_records(cells_by_row, max_cells), max_rows)
    finally:  # read-only mode keeps the zip open, and the sheet's reader holds a member of it open
        cells_by_row.close()
        workbook.close()


def _xlsx_records(
    cells_by_row: Iterator[tuple[Any, ...]], max_cells: int
) -> Iterator[tuple[int, list[str | None]]]:
    """Number the sheet's rows (gaps filled by openpyxl) and turn cells into texts; stop past `max_cells`."""
    number = cells = 0
    while True:
        try:
            row = next(cells_by_row, None)
        except _XLSX_READ_ERRORS as exc:
            raise FileRefused(
                "file.xlsx_invalid",
                f"第 {number + 1} 行附近无法读取工作表（{type(exc).__name__}）。",
                row=number + 1,
            ) from exc
        if row is None:
            return
        number, cells = number + 1, cells + len(row)
        if cells > max_cells:
            raise FileRefused(
                "file.xlsx_too_many_cells",
                f"工作表超过 {max_cells:,} 个单元格（读到第 {number} 行），文件未导入。请拆分后分批上传。",
                row=number,
                limit=max_cells,
            )
        yield (
            number,
            [_xlsx_value(cell, f"{_column_letter(col)}{number}") for col, cell in enumerate(row, 1)],
        )


def _xlsx_value(cell: Any, ref: str) -> str | None:
    """A cell's text as a person reads it; a formula, or a number Excel may have rounded, refuses the file."""
    value = cell.value
    if cell.data_type == "f" or (value is not None and not isinstance(value, _PLAIN_TYPES)):
        raise FileRefused(
            "file.xlsx_formula",
            f"单元格 {ref} 含公式，平台不计算公式，请粘贴为数值后重新上传。",
            cell=ref,
        )
    if value is None or isinstance(value, str):
        if value and "_x" in value:
            value = _OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)
        return _clean(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        return _excel_number(value, ref)
    return str(value)  # int, timedelta


# OOXML writes a character XML cannot carry (CR, control characters) as _xHHHH_, and a literal "_x" as
# _x005F_x; openpyxl leaves both as they are, so they are undone here, left to right as the standard says.
_OOXML_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")
_PLAIN_TYPES = (str, int, float, datetime.date, datetime.time, datetime.timedelta)


def _excel_number(value: float, ref: str) -> str:
    """The number as Excel shows it: 15 significant digits, no exponent, no trailing ``.0``."""
    if abs(value) >= _EXCEL_EXACT_BELOW:
        raise FileRefused(
            "file.xlsx_number_precision",
            f"单元格 {ref} 是 16 位以上的数值，Excel 只保留 15 位有效数字，原值可能已经丢失（如身份证号、"
            "信用代码）。请把该列设为“文本”格式、重新输入后上传。",
            cell=ref,
        )
    return _plain_decimal(format(value, ".15g"))


def _plain_decimal(text: str) -> str:
    """``1e-07`` → ``0.0000001``, ``12.0`` → ``12``."""
    number = Decimal(text)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _xlsx_dimension_rows(path: Path) -> int | None:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = workbook.worksheets[0].max_row if workbook.worksheets else None
        return max(rows - 1, 0) if rows else None
    finally:
        workbook.close()
