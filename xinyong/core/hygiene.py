"""Input hygiene (issue 12; ADR 0018): one check for NUL, control and invisible formatting characters in every
text that comes in, whatever its content type — JSON bodies of any content type, urlencoded and multipart
form fields, the names of uploaded files, the query string and the path — and the bounds of dates.

Refused (400 problem `request.invalid_character`, naming the field and the character; NUL keeps its older
code `request.nul_character`):

- NUL and the other C0 controls, DEL and the C1 controls (U+0080–U+009F); TAB, LF and CR are allowed in body
  fields (multi-line text: descriptions, reasons) but not in the path, the query string or file names;
- bidi embeddings and overrides U+202A–U+202E and isolates U+2066–U+2069 (they reorder what a reader sees);
- zero-width and direction marks U+200B–U+200F, and U+FEFF (they hide differences between names and codes);
- the noncharacters U+FFFE and U+FFFF.

Nothing is silently changed in a field, except an uploaded file's name (`upload_name`): its directory part
is dropped and it is shortened to `MAX_NAME_CHARS` keeping the extension. Dates from input are bounded to
`DATE_FLOOR`–`DATE_CEILING`, and date arithmetic that leaves Python's range is a 400 `date.out_of_range`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from xinyong.core.errors import DomainError

INVISIBLE = "\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff"
MULTI_LINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{INVISIBLE}]")  # TAB, LF, CR allowed
SINGLE_LINE = re.compile(f"[\x00-\x1f{INVISIBLE}]")
# The same characters written as JSON escapes (a raw one inside a JSON string is invalid JSON anyway).
JSON_ESCAPE = re.compile(
    rb"\\u(00[01][0-9a-f]|007f|00[89][0-9a-f]|200[b-f]|202[a-e]|206[6-9]|feff|fff[ef])", re.IGNORECASE
)
RAW_IN_JSON = re.compile(  # their UTF-8 bytes, one alternative per character (a byte class would not do)
    b"|".join(re.escape(chr(c).encode()) for c in range(0x7F, 0x10000) if SINGLE_LINE.match(chr(c)))
)
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
MAX_NAME_CHARS = 100
MAX_NAME_BYTES = 200  # file systems allow 255 bytes a name; a CJK character takes 3
DATE_FLOOR = dt.date(1900, 1, 1)
DATE_CEILING = dt.date(2199, 12, 31)


def _kind(char: str) -> str:
    point = ord(char)
    if point == 0:
        return "空字符 NUL"
    if point < 0x20 or 0x7F <= point <= 0x9F:
        return "控制字符"
    if 0x202A <= point <= 0x202E or 0x2066 <= point <= 0x2069:
        return "双向文本控制字符"
    if point in (0xFFFE, 0xFFFF):
        return "非字符"
    return "零宽或方向标记字符"


def refusal(field: str, char: str) -> DomainError:
    """The 400 problem for `char` found in `field`."""
    message = f"{field or '请求'} 含有不允许的{_kind(char)} U+{ord(char):04X}，请删除后重试"
    error = {"field": field, "code": "invalid_character", "message": message}
    if char == "\x00":  # the code and words NUL had before the other characters joined it
        return DomainError("request.nul_character", "请求中含有不允许的空字符（NUL）", errors=[error])
    return DomainError("request.invalid_character", message, errors=[error])


def text_check(value: str, *, field: str, single_line: bool = False) -> None:
    """Refuse a text holding a refused character (module docstring); TAB/LF/CR only where multi-line."""
    found = (SINGLE_LINE if single_line else MULTI_LINE).search(value)
    if found:
        raise refusal(field, found.group())


def json_check(raw: bytes, data) -> None:
    """A parsed JSON body: refuse a string (key or value) with a refused character. The raw body is looked at
    first, so that the walk runs only when one may be there (a 10,000-row submission costs one regex scan)."""
    if JSON_ESCAPE.search(raw) or RAW_IN_JSON.search(raw):
        _walk(data, "")


def _walk(value, path: str) -> None:
    if isinstance(value, str):
        text_check(value, field=path)
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            text_check(str(key), field=here, single_line=True)
            _walk(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, f"{path}[{index}]")


def request_check(request) -> None:
    """Path, query string, and the urlencoded or multipart fields and file names of a request outside the API
    (admin, portal). The API's own bodies are checked by its parser (core/api.py StrictJSONParser) after
    authentication — JSON whatever its content type, form fields and files (`querydict_check`) — so that an
    anonymous caller's body is not read first; a raw NUL byte in any other body is refused here."""
    text_check(request.path, field="path", single_line=True)
    for key, values in request.GET.lists():
        text_check(key, field=key, single_line=True)
        for value in values:
            text_check(value, field=key, single_line=True)
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    if request.content_type not in FORMS:
        if b"\x00" in request.body:
            raise refusal("body", "\x00")
    elif not request.path_info.startswith("/api/"):
        querydict_check(request.POST)
        querydict_check(request.FILES)


def querydict_check(data) -> None:
    """Form fields (multi-line text allowed) or uploaded files (their names, single-line) of a request."""
    for key, values in data.lists():
        text_check(key, field=key, single_line=True)
        for value in values:
            if isinstance(value, str):
                text_check(value, field=key)
            else:
                text_check(value.name or "", field=f"{key}（文件名）", single_line=True)


def upload_name(name: str) -> str:
    """An uploaded file's name as kept: no directory part (Windows or POSIX), trimmed, at most
    `MAX_NAME_CHARS` characters and `MAX_NAME_BYTES` UTF-8 bytes with its extension kept (a 400-character
    name is shortened, not a 500)."""
    base = re.split(r"[\\/]", name or "")[-1].strip()
    if len(base) <= MAX_NAME_CHARS and len(base.encode()) <= MAX_NAME_BYTES:
        return base
    suffix = PurePath(base).suffix
    suffix = suffix if len(suffix) <= 10 else ""
    stem = base[: MAX_NAME_CHARS - len(suffix)]
    while len((stem + suffix).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip() + suffix


def date_check(value: dt.date, *, field: str) -> dt.date:
    """A date from input within `DATE_FLOOR`–`DATE_CEILING` (400 `date.out_of_range` otherwise)."""
    if not DATE_FLOOR <= value <= DATE_CEILING:
        message = f"{field} 须在 {DATE_FLOOR.isoformat()} 至 {DATE_CEILING.isoformat()} 之间"
        raise DomainError(
            "date.out_of_range", message, errors=[{"field": field, "code": "range", "message": message}]
        )
    return value


def date_overflow(what: str) -> DomainError:
    """The 400 for date arithmetic that leaves the calendar (year 1–9999)."""
    return DomainError("date.out_of_range", f"{what}超出可计算的日期范围")
