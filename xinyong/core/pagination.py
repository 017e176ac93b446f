"""One way to page a list on /api/ (issue 13 "one pagination envelope"; issue 17 "one pagination helper").

Every paged list answers `{"items": [...], "next_cursor": "…" | null, …}` (a few keep extra fields beside
them, such as `count` or `query`), takes `limit` (capped at MAX_PAGE_SIZE) and `cursor` (opaque, from the
previous page), and carries `Link: <…?cursor=…>; rel="next"` (RFC 8288) while there is a next page: the
helper leaves the cursor on the request and core/http.py writes the header. A cursor that does not decode,
or decodes to the wrong keys, is a 400 `cursor.invalid`, never a 500.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence

from xinyong.core.errors import DomainError

MAX_PAGE_SIZE = 100


def encode_cursor(values: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, keys: tuple[str, ...] = ()) -> dict:
    """Decode an opaque cursor; a malformed one, or one without the `keys` its endpoint needs, is a clear
    400 (a cursor that decodes to the wrong object is as invalid as one that does not decode)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DomainError("cursor.invalid", "分页游标无效") from exc
    if not isinstance(value, dict) or any(not isinstance(value.get(k), str | int) for k in keys):
        raise DomainError("cursor.invalid", "分页游标无效")
    return value


def page_limit(limit: int) -> int:
    """The page size actually served: 1 to MAX_PAGE_SIZE."""
    return max(1, min(limit, MAX_PAGE_SIZE))


def paged(request, items: Iterable, next_cursor: str | None, **extra) -> dict:
    """The envelope, and the next page's cursor left on the request for the Link header."""
    request.page_next_cursor = next_cursor
    return {**extra, "items": list(items), "next_cursor": next_cursor}


def keyset_page(request, rows, *, limit: int, cursor_of: Callable[[object], dict], shape, **extra) -> dict:
    """A page of `rows` (ordered, already filtered to what follows the cursor): one more row than the page
    is read to know whether a next page exists; `cursor_of(last row)` is what the next request resumes
    after."""
    size = page_limit(limit)
    fetched = list(rows[: size + 1])
    next_cursor = encode_cursor(cursor_of(fetched[size - 1])) if len(fetched) > size else None
    return paged(request, (shape(row) for row in fetched[:size]), next_cursor, **extra)


def sequence_page(request, rows: Sequence, *, limit: int, cursor: str | None, shape, **extra) -> dict:
    """A page of a list computed in memory (work queues ordered by computed working-day deadlines): the
    cursor is the position after the page. Such queues are short-lived and small; a cap still holds."""
    start = cursor_int(cursor, "o", minimum=0) if cursor else 0
    size = page_limit(limit)
    next_cursor = encode_cursor({"o": start + size}) if start + size < len(rows) else None
    return paged(request, (shape(row) for row in rows[start : start + size]), next_cursor, **extra)


def whole(value: object) -> int:
    """A cursor field that must be a whole number (an id, a position, a sequence number)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("not a whole number")
    return value


def day(value: object) -> dt.date:
    """A cursor field that must be an ISO date."""
    return dt.date.fromisoformat(value if isinstance(value, str) else "")


def instant(value: object) -> dt.datetime:
    """A cursor field that must be an ISO date and time."""
    return dt.datetime.fromisoformat(value if isinstance(value, str) else "")


def cursor_fields(cursor: str, **parsers: Callable[[object], object]) -> dict:
    """The fields a keyset cursor carries, each read by its parser (`whole`, `day`, `instant`): a missing
    field or one its parser refuses is the same 400 `cursor.invalid` as a cursor that does not decode."""
    value = decode_cursor(cursor, keys=tuple(parsers))
    try:
        return {key: parse(value[key]) for key, parse in parsers.items()}
    except (TypeError, ValueError) as exc:
        raise DomainError("cursor.invalid", "分页游标无效") from exc


def cursor_int(cursor: str, key: str, *, minimum: int | None = None) -> int:
    """The whole number a cursor carries under `key` (a position, a sequence number); anything else, or one
    below `minimum`, is the same 400 `cursor.invalid` as a cursor that does not decode."""
    value = cursor_fields(cursor, **{key: whole})[key]
    if minimum is not None and value < minimum:
        raise DomainError("cursor.invalid", "分页游标无效")
    return value
