"""Name-search queries longer than the index's grams: 5 to 50 characters (issue 18, docs/adr/0031; the index
and the result order: docs/adr/0005). Every subject a query matches holds each 4-character substring (gram)
of it, so the answer is found in the posting lists of those grams and confirmed by the exact substring
check on the candidates' names (`best_match`, which also gives the rank). The gram counts
(`SubjectNameGramCount`, kept with the index) name the rarest grams; the candidates are the subjects on the
posting lists of the rarest few (intersected, index only). Then:

* **few candidates** (at most `CHECK_ALL`): check them all, rank them;
* **many** (`有限责任公司`, `北京市石景`): read two posting lists in the result order and check their
  candidates a chunk at a time until a page is certain: the first gram's (ranks ≤ 4) for the query's exact
  and prefix ranks — a subject's key for it is never after its key for the query, except that an exact
  name (rank 1, 2) shows for the gram as a prefix (rank 3, 4) of the same length (exact former names are
  read apart) — and the rarest gram's for the substring ranks (5, 6), whose key for any gram of the query
  is never after its key for the query. A page is certain once neither list can still hold a key before
  its last one. When every gram is common, the candidates are intersected only if the lists match sparsely.
  No page within `SCAN_BUDGET` entries: check them all.

Nothing is refused: the one-character query (`search.query_too_short`) is the only text too broad to answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection

from xinyong.core.bulk import select_in
from xinyong.subjects.search_index import (
    MAX_GRAM,
    RANK_EXACT,
    RANK_PREFIX,
    RANK_PREFIX_FORMER,
    RANK_SUBSTRING,
    NameState,
    search_fold,
)

Key = tuple[int, int, int]  # (rank, length of the name, subject id): the result order
Visibility = tuple[str, list]  # an SQL condition on `s` (subjects_subject) starting with AND, its parameters

#: The candidates are the subjects on the posting lists of the rarest few grams (at most this many grams,
#: each held by at most INTERSECT_RATIO times the rarest's subjects and by at most INTERSECT_MAX subjects:
#: a longer list costs more to read than it saves in names to check).
RARE_SUBJECTS = 2_000
INTERSECT_GRAMS = 3
INTERSECT_RATIO = 8
INTERSECT_MAX = 60_000
#: At most this many candidates: check them all and rank them. Else read in the result order.
CHECK_ALL = 100
#: Every gram common: index entries of the first gram's list read in the result order before giving up
#: and intersecting; the first batch, then four times larger each time.
SCAN_BUDGET = 30_000
SCAN_FIRST = 100
#: Every gram held by more than LAZY_CANDIDATES subjects: read in the result order unfiltered, and intersect
#: the candidates only after MISSES checked subjects did not match (intersecting long lists is the cost).
LAZY_CANDIDATES = 4_000
MISSES = 80
#: Subjects checked at a time (at least a page), then CHECK_GROWTH times more each time up to CHECK_MOST (a
#: sparse match costs fewer round trips): the read stops as soon as a page is certain.
CHECK_CHUNK = 40
CHECK_GROWTH = 2
CHECK_MOST = 640

# One ordered range of one gram's posting list (the keyset after a key), visible subjects only: the whole
# of a 2–4-character query, the first-gram read of a longer one.
ORDERED_RANGE_SQL = (
    'SELECT g."rank", g.length, g.subject_id FROM subjects_name_gram g '
    "JOIN subjects_subject s ON s.id = g.subject_id "
    'WHERE g.gram = %s AND (g."rank", g.length, g.subject_id) > (%s, %s, %s){visibility} '
    'ORDER BY g."rank", g.length, g.subject_id LIMIT %s'
)
_POSTINGS_SQL = "SELECT subject_id FROM subjects_name_gram WHERE gram = %s"
# The former names of the subjects the first gram lists up to (prefix of a former name, the query's
# length): where a subject with a former name equal to the query is listed. SQLite: two steps (the list,
# index only; then the former names of the query's length of those subjects), never a join the planner
# could turn into a scan of every former name (PostgreSQL planned a hash join over one: `有限责任公`).
_FORMER_LISTED_SQL = (
    'SELECT subject_id FROM subjects_name_gram WHERE gram = %s AND ("rank", length) <= (%s, %s)'
)
_FORMER_NAMES_SQL = (
    "SELECT subject_id, name FROM subjects_name WHERE valid_to IS NOT NULL AND LENGTH(name) = %s "
    "AND subject_id IN ({})"
)
# PostgreSQL: the same in one statement, the names read per listed subject (OFFSET 0 keeps the lateral
# subquery a nested loop over the index on subject_id; 2 ms instead of 4–10 for ~600 listed subjects).
_FORMER_LATERAL_SQL = (
    "SELECT g.subject_id, n.name FROM subjects_name_gram g CROSS JOIN LATERAL (SELECT n.name FROM "
    "subjects_name n WHERE n.subject_id = g.subject_id AND n.valid_to IS NOT NULL AND LENGTH(n.name) = %s "
    'OFFSET 0) n WHERE g.gram = %s AND (g."rank", g.length) <= (%s, %s)'
)
# The former names of the query's length (name_former_length_idx): the other way to them, taken when there
# are fewer of them than subjects on the first gram's list (`北京市石景`: a few names, 12,000 subjects).
_FORMER_OF_LENGTH = "FROM subjects_name WHERE valid_to IS NOT NULL AND LENGTH(name) = %s"
_FORMER_OF_LENGTH_COUNT_SQL = f"SELECT COUNT(*) {_FORMER_OF_LENGTH}"
_FORMER_OF_LENGTH_SQL = f"SELECT subject_id, name {_FORMER_OF_LENGTH}"
# … of those, only the names whose first character may fold to the query's: a CJK unified ideograph
# (U+4E00–U+9FFF) has no NFKC mapping, so it folds to itself; any other character (a compatibility
# ideograph, a Kangxi radical, full-width forms …) is kept for `search_fold` to judge. Compared as code
# points (SQLite's binary collation; "C" on PostgreSQL). 8,400 names of 8 characters at 1 M subjects
# were folded in Python one by one (20 ms); now the few starting with the query's character.
_IDEOGRAPHS = ("\u4e00", "\u9fff")
_FIRST_CHAR_SQL = " AND ({first} = %s OR {first} NOT BETWEEN %s AND %s)"
_COUNTS_SQL = "SELECT gram, subjects FROM subjects_name_gram_count WHERE gram IN ({})"
_NAMES_SQL = (
    "SELECT n.subject_id, n.name, n.valid_to FROM subjects_name n JOIN subjects_subject s "
    "ON s.id = n.subject_id WHERE 1 = 1{visibility} AND n.subject_id IN ({{}})"
)


@dataclass(frozen=True)
class NameMatch:
    rank: int
    length: int
    name: str
    current: bool
    folded: str
    at: int  # first occurrence of the query in `folded`


def best_match(text: str, names: Iterable[NameState]) -> NameMatch | None:
    """How well the folded query `text` matches the best of these names (None: it matches none).

    Ties between names of equal rank and length go to the first given.
    """
    best: NameMatch | None = None
    for name, current in names:
        folded = search_fold(name)
        at = folded.find(text)
        if at < 0:
            continue
        rank = (RANK_EXACT if folded == text else RANK_PREFIX if at == 0 else RANK_SUBSTRING) + (not current)
        if best is None or (rank, len(folded)) < (best.rank, best.length):
            best = NameMatch(rank, len(folded), name, current, folded, at)
    return best


def query_grams(text: str) -> list[str]:
    """The distinct 4-character substrings of `text`, first occurrence first."""
    return list(dict.fromkeys(text[i : i + MAX_GRAM] for i in range(len(text) - MAX_GRAM + 1)))


def gram_counts(grams: list[str]) -> dict[str, int]:
    """Subjects holding each gram, from the counts kept with the index (a gram held by none is absent)."""
    return dict(select_in(_COUNTS_SQL, grams))


def long_rows(text: str, visibility: Visibility, after: Key, n: int) -> list[Key]:
    """The first `n` keys after `after` of the visible subjects matching `text` (5–50 characters)."""
    grams = query_grams(text)
    counts = gram_counts(grams)
    rarest = sorted(grams, key=lambda g: (counts.get(g, 0), g))
    lazy = counts.get(rarest[0], 0) > LAZY_CANDIDATES
    candidates = None if lazy else _candidates(rarest, counts)
    if candidates is None or len(candidates) > CHECK_ALL:
        later = (lambda: _candidates(rarest, counts)) if lazy else None
        listed = counts.get(text[:MAX_GRAM], 0)  # subjects on the first gram's list, at most
        page = _ordered(text, visibility, after, n, candidates, rarest[0], later, listed=listed)
        if page is not None:
            return page
    if candidates is None:
        candidates = _candidates(rarest, counts, most=None)  # never None without a bound
    return _intersected(text, candidates or set(), visibility, after, n)


def _candidates(
    rarest: list[str], counts: dict[str, int], most: int | None = INTERSECT_MAX
) -> set[int] | None:
    """The subjects on the posting lists of all of the rarest few grams (index only); None when even the
    rarest list is longer than `most`."""
    base = counts.get(rarest[0], 0)
    if most is not None and base > most:
        return None
    limit = max(base * INTERSECT_RATIO, RARE_SUBJECTS)
    chosen = [g for g in rarest[:INTERSECT_GRAMS] if counts.get(g, 0) <= min(limit, most or limit)]
    with connection.cursor() as cur:
        cur.execute(" INTERSECT ".join([_POSTINGS_SQL] * len(chosen)), chosen)
        return {row[0] for row in cur.fetchall()}


def _matches(text: str, visibility: Visibility, subject_ids: list[int], after: Key) -> list[Key]:
    """The keys after `after` of those subjects (visible ones) that a name of theirs matches."""
    sql, params = visibility
    names: dict[int, list[NameState]] = {}
    rows = select_in(_NAMES_SQL.format(visibility=sql), subject_ids, before=params)
    for subject_id, name, valid_to in rows:
        names.setdefault(subject_id, []).append((name, valid_to is None))
    keys = []
    for subject_id, states in names.items():
        found = best_match(text, states)
        if found is not None and (key := (found.rank, found.length, subject_id)) > after:
            keys.append(key)
    return keys


def _intersected(text: str, candidates: set[int], visibility: Visibility, after: Key, n: int) -> list[Key]:
    """Few candidates: every one checked and ranked."""
    return sorted(_matches(text, visibility, sorted(candidates), after))[:n]


def _certain_up_to(last: Key, length: int) -> Key:
    """After reading the first gram's list up to `last` (and finding the exact former names apart), every
    key of the query up to the one returned is known: an unread subject's key is after `last`, or is an
    exact current name (rank 1, of the query's length) listed for the first gram as a prefix (rank 3) of
    that length — not yet passed."""
    if last[:2] <= (RANK_PREFIX, length):
        return min(last, (RANK_EXACT, length, -1))
    return last


def _former_exact(
    text: str, visibility: Visibility, after: Key, candidates: set[int] | None, first_listing: int
) -> list[Key]:
    """The keys of the (visible) subjects with a former name equal to the query: read apart, because the
    first gram lists them anywhere up to (4, length) — after every current prefix of the query. Read from
    the first gram's list (at most `first_listing` subjects), or from the former names of the query's length
    when there are fewer of those."""
    listing: list[str | int] = [text[:MAX_GRAM], RANK_PREFIX_FORMER, len(text)]
    with connection.cursor() as cur:
        cur.execute(_FORMER_OF_LENGTH_COUNT_SQL, [len(text)])
        if cur.fetchone()[0] < first_listing:
            cur.execute(*_former_of_length(text))
            rows = [row for row in cur.fetchall() if candidates is None or row[0] in candidates]
        elif connection.vendor == "postgresql":
            cur.execute(_FORMER_LATERAL_SQL, [len(text), *listing])
            rows = [row for row in cur.fetchall() if candidates is None or row[0] in candidates]
        else:
            cur.execute(_FORMER_LISTED_SQL, listing)
            listed = [sid for (sid,) in cur.fetchall() if candidates is None or sid in candidates]
            rows = select_in(_FORMER_NAMES_SQL, listed, before=[len(text)]) if listed else []
    found = sorted({sid for sid, name in rows if search_fold(name) == text})
    return _matches(text, visibility, found, after) if found else []


def _former_of_length(text: str) -> tuple[str, list]:
    """The statement reading the former names of the query's length that may fold to it."""
    if not _IDEOGRAPHS[0] <= text[0] <= _IDEOGRAPHS[1]:
        return _FORMER_OF_LENGTH_SQL, [len(text)]
    first = "SUBSTR(name, 1, 1)" + (' COLLATE "C"' if connection.vendor == "postgresql" else "")
    return _FORMER_OF_LENGTH_SQL + _FIRST_CHAR_SQL.format(first=first), [len(text), text[0], *_IDEOGRAPHS]


def _ordered(
    text: str,
    visibility: Visibility,
    after: Key,
    n: int,
    candidates: set[int] | None,
    rarest: str,
    later: Callable[[], set[int] | None] | None = None,
    *,
    listed: int,
) -> list[Key] | None:
    """Many candidates: posting lists read in the result order, their candidates checked a chunk at a time
    until `n` keys are certain (or the lists end). A subject the query matches as a prefix or exactly (ranks
    1–4) is listed by the first gram at rank ≤ 4, at a key not after its key for the query (`_certain_up_to`;
    exact former names are read apart); one it matches as a substring (ranks 5–6) is listed by every gram of
    the query at a key not after its key for the query, so it is read from the rarest gram's list. None when
    `SCAN_BUDGET` index entries give no certain page. `later` (every gram common): the candidates are
    intersected only once `MISSES` checked subjects did not match — most such queries match densely."""
    first = text[:MAX_GRAM]
    streams = [_Stream(first, None if rarest == first else RANK_PREFIX_FORMER, visibility, len(text))]
    if rarest != first:
        streams.append(_Stream(rarest, None, visibility, None))
    best = {k[2]: k for k in _former_exact(text, visibility, after, candidates, listed)}
    checked: set[int] = set(best)
    read = misses = 0
    chunk = max(n, CHECK_CHUNK)
    with connection.cursor() as cur:
        while True:
            found = sorted(best.values())
            bound = min(stream.bound() for stream in streams)
            if bound == _END or (len(found) >= n and found[n - 1] <= bound):
                return found[:n]
            if read >= SCAN_BUDGET:
                return None
            stream = min(streams, key=lambda s: s.bound())  # the one that holds the page back
            read += stream.fill(cur)
            ids = stream.take(candidates, checked, chunk)
            chunk = max(chunk, min(chunk * CHECK_GROWTH, CHECK_MOST))
            checked.update(ids)
            keys = _matches(text, visibility, ids, after) if ids else []
            for key in keys:
                best[key[2]] = min(key, best.get(key[2], key))
            misses += len(ids) - len(keys)
            if later is not None and misses > MISSES:
                candidates, later = later(), None


_END = (10**9, 0, 0)  # after every key: a list read to its end holds nothing more back


class _Stream:
    """One gram's posting list (visible subjects; ranks up to `most_rank` when given) read in the result
    order, a batch at a time (`SCAN_FIRST` entries, then four times more)."""

    def __init__(self, gram: str, most_rank: int | None, visibility: Visibility, exact_length: int | None):
        sql, self.params = visibility
        self.sql = ORDERED_RANGE_SQL.format(visibility=sql)
        if most_rank is not None:
            self.sql = self.sql.replace("WHERE g.gram = %s", 'WHERE g.gram = %s AND g."rank" <= %s')
        self.head: list[object] = [gram] if most_rank is None else [gram, most_rank]
        self.exact_length = exact_length  # the first gram: an exact current name may still follow (rank 3)
        self.rows: list[Key] = []
        self.at = 0
        self.last: Key = (0, 0, 0)  # the last entry taken (checked or not a candidate)
        self.fetched: Key = (0, 0, 0)
        self.size = SCAN_FIRST
        self.ended = False

    def bound(self) -> Key:
        """Every key of the query held back by this list is after this one."""
        if self.ended and self.at == len(self.rows):
            return _END
        if self.exact_length is None:
            return self.last
        return _certain_up_to(self.last, self.exact_length)

    def fill(self, cur) -> int:
        """Read the next batch when every read entry is taken; how many entries were read."""
        if self.at < len(self.rows) or self.ended:
            return 0
        cur.execute(self.sql, [*self.head, *self.fetched, *self.params, self.size])
        self.rows, self.at = [tuple(row) for row in cur.fetchall()], 0
        self.ended = len(self.rows) < self.size
        if self.rows:
            self.fetched = self.rows[-1]
        self.size *= 4
        return len(self.rows)

    def take(self, candidates: set[int] | None, checked: set[int], most: int) -> list[int]:
        """The next subjects to check, in the list's order: at most `most`, candidates not yet checked."""
        ids: list[int] = []
        while self.at < len(self.rows) and len(ids) < most:
            row = self.rows[self.at]
            self.at += 1
            self.last = row
            if row[2] not in checked and (candidates is None or row[2] in candidates):
                ids.append(row[2])
        return ids
