"""Read the files units upload for bulk import (归集文件): CSV, XLSX and JSON Lines, one row at a time.

`open_rows` checks the limits before reading anything, then returns a `FileInfo` and a lazy iterator of
``(row_number, row)``. Memory stays flat whatever the number of rows: files are read in chunks or line by
line, and XLSX through openpyxl's read-only mode.

A file is refused whole (`FileRefused`, with a stable code and a Chinese message naming the place) when it
cannot be read faithfully: an undecidable encoding, a formula, a number Excel has already rounded, broken
JSON. A refusal can also come out of the iterator mid-way (a formula in row 5,000, the row limit); the caller
must then discard what it read, because the file as a whole is refused. A row that is only wrong in its
content (too many cells, a bad value) is yielded, and the validator rejects that row alone.

Pure Python and openpyxl; no Django, so the import pipeline and its tests can use it anywhere.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import json
import re
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, NoReturn, cast
from xml.etree import ElementTree
from xml.etree.ElementTree import ParseError

Format = Literal["csv", "xlsx", "jsonl"]
RowValue = str | list[str] | None
Row = dict[str, RowValue]

EXTRA_KEY = "__extra__"
"""Key of a row's non-empty cells beyond the header (CSV/XLSX), as a list of their texts."""

_SUFFIXES: dict[str, Format] = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_CHUNK = 1 << 18  # bytes read at a time by the encoding scan (256 KiB)
_GB_MIN_COMMON = 0.75  # share of non-ASCII characters that must be GB2312 characters
_ZIP_MAX_MEMBERS = 10_000
_ZIP_MAX_DIRECTORY = 4 * 2**20  # bytes of zip central directory (a workbook needs a few KiB)
_ZIP_MAX_RATIO = 200  # compression ratio refused for members over _ZIP_RATIO_FLOOR
_ZIP_RATIO_FLOOR = 1 << 20
_EXCEL_EXACT_BELOW = 10**15  # Excel keeps 15 significant digits; numbers from here on may be rounded
_RESAVE_HINT = "请在 Excel 中选择“另存为 → CSV UTF-8（逗号分隔）”后重新上传。"


class FileRefused(Exception):
    """The whole file is refused. `code` is stable (``file.*``); `message` is Chinese and names the place."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


@dataclass(frozen=True)
class FileInfo:
    """What was found out about a file before its rows are read.

    `encoding` is ``utf-8``, ``utf-8-sig`` (UTF-8 with BOM) or ``gb18030`` for CSV (GBK files are reported as
    ``gb18030``, their superset), ``utf-8``/``utf-8-sig`` for JSON Lines, and ``""`` for XLSX.
    """

    format: Format
    encoding: str
    header: list[str]
    size_bytes: int


def open_rows(
    path: str | Path,
    *,
    format: Format | None = None,
    max_bytes: int = 200 * 2**20,
    max_uncompressed: int = 1 * 2**30,
    max_rows: int = 2_000_000,
    max_shared_strings: int = 1_000_000,
    max_cells: int = 40_000_000,
) -> tuple[FileInfo, Generator[tuple[int, Row], None, None]]:
    """Check a file's limits and return its description and a lazy iterator of ``(row_number, row)``.

    Row numbers are those a person sees: for CSV and XLSX the row of the sheet (the header is row 1 when it is
    on the first line, the first data row 2; a CSV record spanning lines inside quotes is one row, as in
    Excel); for JSON Lines the line number. Blank rows are skipped but still counted. Cell texts are stripped;
    empty cells are None. CSV/XLSX rows have every header key (missing cells None) and, when there are
    non-empty cells beyond the header, `EXTRA_KEY`; JSON Lines rows have the keys of their object.

    An XLSX is refused before openpyxl opens it when its zip directory declares too much (zip bomb) or its
    shared-string table holds more than `max_shared_strings` entries (openpyxl loads the whole table into
    memory when it opens a workbook: 6 M strings took 1 GB and 7.5 minutes to refuse, issue 12); reading stops
    at `max_cells` cells.

    The iterator holds the file open until it is exhausted or closed (``rows.close()``).
    """
    path = Path(path)
    kind = _detect_format(path, format)
    size = _check_size(path, max_bytes)
    if kind == "xlsx":
        _check_zip(path, max_uncompressed)
        _check_shared_strings(path, max_shared_strings)
        encoding, stream = "", _xlsx_stream(path, max_rows, max_cells)
    elif kind == "csv":
        encoding = detect_csv_encoding(path)
        stream = _csv_stream(path, encoding, max_rows)
    else:
        encoding = "utf-8-sig" if _starts_with(path, codecs.BOM_UTF8) else "utf-8"
        stream = _jsonl_stream(path, max_rows)
    header = cast(list[str], next(stream))  # each stream yields its header first, then the rows
    return FileInfo(kind, encoding, header, size), cast(Generator[tuple[int, Row], None, None], stream)


def count_rows(path: str | Path) -> int | None:
    """About how many data rows `open_rows` yields, for a progress bar's total (issue 13); None if unknown.

    CSV: its non-blank records after the header, read once more (exact). JSON Lines: its non-blank lines.
    XLSX: the sheet's stored dimension (cheap, but written by the producing program and possibly off).
    Never refuses: a file that cannot be counted has no total, and `open_rows` says what is wrong with it.
    """
    try:
        info, rows = open_rows(path)
        rows.close()
        if info.format == "csv":
            with Path(path).open(encoding=info.encoding, errors="strict", newline="") as f:
                return max(sum(1 for cells in csv.reader(f) if any(c.strip() for c in cells)) - 1, 0)
        if info.format == "jsonl":
            with Path(path).open("rb") as f:
                return sum(1 for line in f if line.strip())
        return _xlsx_dimension_rows(Path(path))
    except (FileRefused, OSError, ValueError, csv.Error, zipfile.BadZipFile):
        return None


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


# --- format and limits --------------------------------------------------------------------------------------


def _detect_format(path: Path, format: str | None) -> Format:
    kind = format or _SUFFIXES.get(path.suffix.lower())
    if kind not in ("csv", "xlsx", "jsonl"):
        raise FileRefused(
            "file.format_unknown",
            f"不支持的文件类型“{path.suffix or path.name}”：请上传 .csv、.xlsx 或 .jsonl 文件"
            "（.xls 请在 Excel 中另存为 .xlsx）。",
            suffix=path.suffix,
        )
    return cast(Format, kind)


def _check_size(path: Path, max_bytes: int) -> int:
    size = path.stat().st_size
    if size > max_bytes:
        raise FileRefused(
            "file.too_large",
            f"文件大小 {size:,} 字节，超过上限 {max_bytes:,} 字节，请拆分后分批上传。",
            size=size,
            limit=max_bytes,
        )
    return size


def _starts_with(path: Path, prefix: bytes) -> bool:
    with path.open("rb") as f:
        return f.read(len(prefix)) == prefix


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


# --- CSV ----------------------------------------------------------------------------------------------------


def detect_csv_encoding(path: str | Path) -> str:
    """Decide a CSV file's encoding, or refuse it with ``file.encoding_undecided``. Never guesses.

    1. A UTF-8 BOM means ``utf-8-sig``; the rest must then be strict UTF-8. A UTF-16 BOM is refused.
    2. Otherwise, if the whole file is strict UTF-8 (plain ASCII included), ``utf-8``.
    3. Otherwise, if the whole file is strict GB18030 *and* the text looks Chinese, ``gb18030`` (GBK and
       GB2312 files land here: GB18030 is their superset). Looking Chinese means: no control characters
       besides tab/CR/LF; no private-use, surrogate or unassigned characters; and at least three quarters of
       the non-ASCII characters in the GB2312 repertoire (the 6,763 common hanzi, Chinese punctuation,
       full-width forms). The last test is what stops Latin-1/cp1252 files: an accented letter followed by an
       ASCII letter does decode as GBK, but only to a rare GBK-extension hanzi (``Müller`` → ``M黮ler``),
       never to a GB2312 character, whose two bytes are both ≥ 0xA1. (Real Chinese text is well above 90%;
       three quarters leaves room for a short file with a rare character in a name. A file heavy in
       traditional characters may be refused; UTF-8 is always accepted.)
    4. Otherwise refuse, naming the encodings tried and the first offending byte offset (0-based).

    The file is scanned in 256 KiB chunks with incremental decoders, so memory does not grow with its size.
    """
    path = Path(path)
    with path.open("rb") as f:
        head = f.read(3)
    if head.startswith(codecs.BOM_UTF8):
        bad = _decode_offset(path, "utf-8", skip=len(codecs.BOM_UTF8))
        if bad is None:
            return "utf-8-sig"
        _refuse_encoding([("UTF-8（带 BOM）", bad, _bad_byte(path, bad, "UTF-8"))])
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRefused(
            "file.encoding_undecided",
            "文件是 UTF-16 编码（Excel 的“Unicode 文本”），平台不支持。" + _RESAVE_HINT,
            tried=["utf-16"],
            offset=0,
        )
    utf8_bad = _decode_offset(path, "utf-8")
    if utf8_bad is None:
        return "utf-8"
    attempts = [("UTF-8", utf8_bad, _bad_byte(path, utf8_bad, "UTF-8"))]
    check = _ChineseTextCheck()
    try:
        gb_bad = _decode_offset(path, "gb18030", check)
    except _NotChinese as exc:
        attempts.append(("GB18030", exc.offset, exc.reason))
    else:
        if gb_bad is None and (reason := check.verdict()) is None:
            return "gb18030"
        if gb_bad is not None:
            attempts.append(("GB18030", gb_bad, _bad_byte(path, gb_bad, "GB18030")))
        else:
            attempts.append(("GB18030", check.first_offset, reason or ""))
    _refuse_encoding(attempts)


def _decode_offset(
    path: Path, codec: str, inspect: Callable[[str, int], None] | None = None, *, skip: int = 0
) -> int | None:
    """Decode the file strictly in chunks; the byte offset of the first undecodable byte, or None if none.

    `inspect` is called with each decoded piece and the byte offset where it starts.
    """
    decoder = codecs.getincrementaldecoder(codec)("strict")
    fed = skip
    with path.open("rb") as f:
        f.seek(skip)
        while True:
            chunk = f.read(_CHUNK)
            start = fed - len(decoder.getstate()[0])  # the decoder may hold the head of a split character
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:  # exc.start counts from the held bytes
                return start + exc.start
            if inspect is not None and text:
                inspect(text, start)
            if not chunk:
                return None
            fed += len(chunk)


def _bad_byte(path: Path, offset: int, name: str) -> str:
    with path.open("rb") as f:
        f.seek(offset)
        byte = f.read(1)
    if not byte:
        return f"文件在一个多字节字符中间结束，不是完整的 {name}"
    return f"字节 0x{byte[0]:02X} 不是有效的 {name}"


def _refuse_encoding(attempts: list[tuple[str, int | None, str]]) -> NoReturn:
    tried = "；".join(f"{name}——字节偏移 {offset} 处：{reason}" for name, offset, reason in attempts)
    raise FileRefused(
        "file.encoding_undecided",
        f"无法确定文件编码，文件未导入（字节偏移从 0 起）。已尝试：{tried}。" + _RESAVE_HINT,
        tried=[name for name, _, _ in attempts],
        offset=attempts[0][1],
    )


def _gb2312_repertoire() -> str:
    """Every character of GB2312 (rows 0xA1–0xF7), as GB18030 decodes it (so the mappings agree)."""
    chars = (
        bytes((lead, trail)).decode("gb18030") for lead in range(0xA1, 0xF8) for trail in range(0xA1, 0xFF)
    )
    return "".join(re.escape(char) for char in chars if unicodedata.category(char) != "Co")


_UNCOMMON = re.compile(f"[^\\x00-\\x7f{_gb2312_repertoire()}]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Co", "Cs", "Cn"})


class _NotChinese(Exception):
    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


class _ChineseTextCheck:
    """Counts, over text decoded as GB18030, the non-ASCII characters outside GB2312 (see the detector)."""

    def __init__(self) -> None:
        self.non_ascii = 0
        self.uncommon = 0
        self.first_offset: int | None = None
        self.first_char = ""

    def __call__(self, text: str, start: int) -> None:
        def offset(index: int) -> int:
            return start + len(text[:index].encode("gb18030"))

        if control := _CONTROL.search(text):
            raise _NotChinese(
                offset(control.start()), f"解码出控制字符 U+{ord(control.group()):04X}，不像文本"
            )
        self.non_ascii += len(text) - len(text.encode("ascii", "ignore"))
        for match in _UNCOMMON.finditer(text):
            char = match.group()
            if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
                raise _NotChinese(offset(match.start()), f"解码出私用区、未分配或控制字符 U+{ord(char):04X}")
            self.uncommon += 1
            if self.first_offset is None:
                self.first_offset, self.first_char = offset(match.start()), char

    def verdict(self) -> str | None:
        """None when the text looks Chinese, else why not."""
        if self.uncommon <= (1 - _GB_MIN_COMMON) * self.non_ascii:
            return None
        share = 1 - self.uncommon / self.non_ascii
        return (
            f"能解码，但非 ASCII 字符中只有 {share:.0%} 是常用汉字或中文标点，不像中文文本"
            f"（此处解码出“{self.first_char}”；西文编码如 Windows-1252 的文件常被误读成这类生僻字）"
        )


def _csv_stream(path: Path, encoding: str, max_rows: int) -> Iterator[Any]:
    with path.open(encoding=encoding, errors="strict", newline="") as f:
        yield from _tabular(_csv_records(csv.reader(f, strict=True)), max_rows)


def _csv_records(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str | None]]]:
    """Number the records (blank lines included, as a spreadsheet shows them) and clean their cells."""
    number = 0
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as exc:  # e.g. a quote never closed: refuse rather than swallow the rest of the file
            raise FileRefused(
                "file.csv_invalid",
                f"第 {number + 1} 行 CSV 格式错误（{exc}），通常是引号未配对。",
                row=number + 1,
            ) from exc
        if cells is None:
            return
        number += 1
        yield number, [_clean(cell) for cell in cells]


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
