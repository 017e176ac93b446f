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
import re
import unicodedata
import zipfile
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, cast

from xinyong.intake.jsonl import _jsonl_stream
from xinyong.intake.rows import (
    FileRefused,
    Format,
    Row,
    _tabular,
)
from xinyong.intake.xlsx import _check_shared_strings, _check_zip, _xlsx_dimension_rows, _xlsx_stream

_SUFFIXES: dict[str, Format] = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_CHUNK = 1 << 18  # bytes read at a time by the encoding scan (256 KiB)
_GB_MIN_COMMON = 0.75  # share of non-ASCII characters that must be GB2312 characters
_RESAVE_HINT = "请在 Excel 中选择“另存为 → CSV UTF-8（逗号分隔）”后重新上传。"


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
        yield number, [cell.strip() or None for cell in cells]  # rows._clean, inlined
