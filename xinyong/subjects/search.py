"""Subject search (一站式查询, docs/performance.md): by any identifier (exact) or by any part of any name a
subject has had, two characters or more. Design and measurements: docs/adr/0005-chinese-name-search.md.

The index (`SubjectNameGram`) holds, for every subject, each distinct 2-, 3- and 4-character substring of
its current and former names, with the best rank that substring earns as a query against those names and
the length of the name that earns it. Its primary key (gram, rank, length, subject) is the result order:

    rank 1 exact current name · 2 exact former name · 3 prefix · 4 prefix of a former name
         5 substring · 6 substring of a former name;  then shorter names first, then subject id.

So a query of 2–4 characters is one ordered range of one index, read a page at a time (keyset cursor on
(rank, length, id)), whatever the number of matches: the same SQL on SQLite and PostgreSQL, no scan. A
longer query is answered from the posting lists of its grams (the rarest ones intersected, or the first
one read in the result order when every part is common), each candidate checked against the whole query:
`search_long`, issue 18, docs/adr/0031. Nothing of two characters or more is refused. An identifier
(USCC, registration number, organisation code, tax number, resident ID) is looked up exactly and comes
first (rank 0).

Text is compared folded (`search_fold`): per character NFKC (full-width → half-width) and ASCII lower
case, never changing the length, so highlight offsets found in the folded name hold for the name as shown.
The folding and the index rows, written in the transaction that writes the names, are in `search_index`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import connection

from xinyong.core.bulk import select_in
from xinyong.core.errors import DomainError
from xinyong.subjects.identifiers import normalize as code_normalize
from xinyong.subjects.models import (
    IdentifierKind,
    IdentifierStatus,
    Subject,
    SubjectKind,
    SubjectStatus,
)
from xinyong.subjects.search_index import (
    MAX_GRAM,
    MAX_LENGTH,
    RANK_CODE,
    RANK_EXACT,
    RANK_EXACT_FORMER,
    RANK_PREFIX,
    RANK_PREFIX_FORMER,
    RANK_SUBSTRING,
    RANK_SUBSTRING_FORMER,
    NameState,
    search_normalize,
)
from xinyong.subjects.search_long import (  # noqa: F401  (NameMatch: imported from here too)
    ORDERED_RANGE_SQL,
    NameMatch,
    best_match,
    long_rows,
)
from xinyong.subjects.selectors import subject_lookup

MIN_QUERY = 2
MAX_QUERY = 50
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
_CODE_LENGTHS = frozenset({9, 15, 18, 20})

REASONS = {
    RANK_CODE: "code",
    RANK_EXACT: "exact_name",
    RANK_EXACT_FORMER: "former_name",
    RANK_PREFIX: "prefix",
    RANK_PREFIX_FORMER: "prefix",
    RANK_SUBSTRING: "substring",
    RANK_SUBSTRING_FORMER: "substring",
}


# ── query ─────────────────────────────────────────────────────────────────────────────────────────────


class SearchCursor(NamedTuple):
    """Position after the last result shown: the keyset (rank, length, subject id)."""

    rank: int
    length: int
    subject_id: int

    def dump(self) -> dict:
        return {"r": self.rank, "l": self.length, "i": self.subject_id}


def search_cursor_parse(value: dict) -> SearchCursor:
    """A cursor from its decoded form; anything else is a 400 `cursor.invalid`."""
    try:
        parts = (value["r"], value["l"], value["i"])
    except (KeyError, TypeError) as exc:
        raise DomainError("cursor.invalid", "分页游标无效") from exc
    if not all(type(p) is int for p in parts):
        raise DomainError("cursor.invalid", "分页游标无效")
    cursor = SearchCursor(*parts)
    if not (RANK_CODE <= cursor.rank <= RANK_SUBSTRING_FORMER and 0 <= cursor.length <= MAX_LENGTH):
        raise DomainError("cursor.invalid", "分页游标无效")
    if not 0 <= cursor.subject_id < 2**63:
        raise DomainError("cursor.invalid", "分页游标无效")
    return cursor


@dataclass(frozen=True)
class SearchHit:
    """One result. `name` is None for a natural person unless the caller may see persons' names;
    `highlight` holds [start, end) offsets (Unicode code points) of the query in `matched_name` when set
    (a former name matched), else in `name`."""

    subject: Subject
    code: str
    rank: int
    length: int
    name: str | None
    matched_name: str | None = None
    highlight: list[tuple[int, int]] = field(default_factory=list)
    former_names: tuple[str, ...] = ()  # latest first; empty where `name` is withheld

    @property
    def reason(self) -> str:
        return REASONS[self.rank]

    @property
    def key(self) -> SearchCursor:
        return SearchCursor(self.rank, self.length, self.subject.pk)


@dataclass(frozen=True)
class SearchPage:
    query: str
    hits: list[SearchHit]
    next_cursor: SearchCursor | None


def _problem(code: str, message: str) -> DomainError:
    return DomainError(code, message, errors=[{"field": "q", "code": code, "message": message}])


def _checked_query(q: str) -> str:
    text = search_normalize(q)
    if not text:
        raise _problem("search.query_empty", "请输入要查询的名称或代码")
    if len(text) < MIN_QUERY:
        raise _problem("search.query_too_short", f"名称查询至少需要 {MIN_QUERY} 个字")
    if len(text) > MAX_QUERY:
        raise _problem("search.query_too_long", f"查询内容不能超过 {MAX_QUERY} 个字")
    return text


def subject_search(
    *, q: str, include_persons: bool, limit: int = DEFAULT_LIMIT, cursor: SearchCursor | None = None
) -> SearchPage:
    """Find subjects by identifier (exact, rank 0) or by any part of their current or former names.

    Natural persons are found by name only when `include_persons` (government roles); anyone finds a
    person by the exact resident ID, shown masked and without a name. Merged subjects are never listed
    (an identifier of one leads to the subject it was merged into). Results come in rank order, then
    shorter names, then id; `cursor` continues after a previous page.
    """
    text = _checked_query(q)
    if not 1 <= limit <= MAX_LIMIT:
        raise DomainError("search.limit_invalid", f"每页条数须在 1–{MAX_LIMIT} 之间")
    by_code = _code_hit(q)
    keys: list[SearchCursor] = []
    if by_code is not None and (cursor is None or cursor < by_code):
        keys.append(by_code)
    after = cursor or SearchCursor(RANK_CODE, 0, 0)
    exclude = by_code.subject_id if by_code else None
    want = limit + 1 - len(keys)
    if len(text) <= MAX_GRAM:
        rows = _short_rows(text, include_persons, after, want + 1)
    else:
        rows = [SearchCursor(*k) for k in long_rows(text, _visibility(include_persons), after, want + 1)]
    keys += [k for k in rows if k.subject_id != exclude][:want]
    more = len(keys) > limit
    keys = keys[:limit]
    hits = _hits(text, keys, include_persons)
    return SearchPage(query=text, hits=hits, next_cursor=keys[-1] if more else None)


def _code_hit(raw: str) -> SearchCursor | None:
    """Rank 0: the live subject an identifier leads to, if `raw` is one (USCC, regno, org code, …)."""
    code = code_normalize(raw.strip())
    if not (code.isascii() and code.isalnum() and len(code) in _CODE_LENGTHS):
        return None
    try:
        subject = subject_lookup(raw=code).subject
    except DomainError:  # not a valid identifier, or no subject: the text is searched as a name
        return None
    if subject.status != SubjectStatus.ACTIVE:
        return None
    return SearchCursor(RANK_CODE, 0, subject.pk)


def _visibility(include_persons: bool) -> tuple[str, list]:
    sql = " AND s.status = %s"
    params: list = [SubjectStatus.ACTIVE.value]
    if not include_persons:
        sql += " AND s.kind <> %s"
        params.append(SubjectKind.NATURAL_PERSON.value)
    return sql, params


SHORT_QUERY_SQL = ORDERED_RANGE_SQL  # 2–4 characters: one ordered range of one index


def _short_rows(text: str, include_persons: bool, after: SearchCursor, n: int) -> list[SearchCursor]:
    """2–4 characters: the next `n` visible subjects of one ordered index range."""
    visibility, params = _visibility(include_persons)
    sql = SHORT_QUERY_SQL.format(visibility=visibility)
    with connection.cursor() as cur:
        cur.execute(sql, [text, *after, *params, n])
        return [SearchCursor(*row) for row in cur.fetchall()]


def _spans(folded: str, text: str, at: int) -> list[tuple[int, int]]:
    """Every non-overlapping occurrence of `text` in `folded`, from the first at `at`."""
    spans = []
    while at >= 0:
        spans.append((at, at + len(text)))
        at = folded.find(text, at + len(text))
    return spans


# The page's subjects with their whole name history, current name first, then the latest former ones.
# Columns in the model's field order (Subject.from_db leaves the others deferred).
_PAGE_FIELDS = ("id", "kind", "uscc", "name", "person_masked", "district", "status")
_PAGE_SQL = (
    "SELECT s.id, s.kind, s.uscc, s.name, s.person_masked, s.district, s.status, n.name, n.valid_to "
    "FROM subjects_subject s LEFT JOIN subjects_name n ON n.subject_id = s.id WHERE s.id IN ({}) "
    "ORDER BY s.id, CASE WHEN n.valid_to IS NULL THEN 0 ELSE 1 END, n.valid_from DESC, n.id DESC"
)
# Only the subject filter in SQL: with a condition on kind, or an ORDER BY, SQLite may prefer the
# (kind, value) index or the table order and read every registration number (0.8 s at 1 M subjects).
_REGNO_SQL = "SELECT id, subject_id, kind, status, value FROM subjects_identifier WHERE subject_id IN ({})"


def _hits(text: str, keys: list[SearchCursor], include_persons: bool) -> list[SearchHit]:
    """Load the subjects of a page (two or three queries) and describe how each matched."""
    subjects: dict[int, Subject] = {}
    names: dict[int, list[NameState]] = {}
    for row in select_in(_PAGE_SQL, [k.subject_id for k in keys]):
        if row[0] not in subjects:
            subjects[row[0]] = Subject.from_db(connection.alias, _PAGE_FIELDS, row[:7])
        states = names.setdefault(row[0], [])
        if row[7] is not None:
            states.append((row[7], row[8] is None))
    codes = _codes(subjects.values())
    hits = []
    for key in keys:
        subject = subjects[key.subject_id]
        shown = include_persons or subject.kind != SubjectKind.NATURAL_PERSON
        former = tuple(name for name, current in names[subject.pk] if not current) if shown else ()
        common: dict[str, Any] = {
            "subject": subject,
            "code": codes[subject.pk],
            "name": subject.name if shown else None,
            "former_names": former,
        }
        if key.rank == RANK_CODE:
            hits.append(SearchHit(rank=RANK_CODE, length=0, **common))
            continue
        found = best_match(text, names[subject.pk])
        if found is None:  # the index is behind the name history (repair: xinyong search_reindex)
            continue
        hits.append(
            SearchHit(
                rank=key.rank,
                length=key.length,
                matched_name=None if found.current else found.name,
                highlight=_spans(found.folded, text, found.at),
                **common,
            )
        )
    return hits


def _codes(subjects: Iterable[Subject]) -> dict[int, str]:
    """The code each subject is shown under: USCC, else registration number, else masked resident ID."""
    out = {s.pk: s.uscc or s.person_masked for s in subjects}
    missing = [pk for pk, code in out.items() if not code]
    for _, subject_id, kind, status, value in sorted(select_in(_REGNO_SQL, missing)):
        if kind == IdentifierKind.REGNO and status == IdentifierStatus.ACTIVE and not out[subject_id]:
            out[subject_id] = value
    return out
