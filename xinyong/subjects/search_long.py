"""Name-search queries longer than the index's grams: 5 to 50 characters (issue 18, docs/adr/0031; the index
and the result order: docs/adr/0005). Every subject a query matches holds each 4-character substring (gram)
of it, so the answer is found in the posting lists of those grams and confirmed by the exact substring
check on the candidates' names (`best_match`, which also gives the rank). The gram counts
(`SubjectNameGramCount`, kept with the index) name the rarest grams; the candidates are the subjects on the
posting lists of the rarest few (intersected, index only). Then:

* **few candidates** (at most `CHECK_ALL`, or sparse in the first gram's list): check them all, rank them;
* **many** (`有限责任公司`): read the posting list of the query's first gram in the result order, and check
  its candidates a batch at a time until a page is certain. A subject's key for the first gram is never
  after its key for the query, except that an exact name (rank 1, 2) shows for the gram as a prefix
  (rank 3, 4) of the same length; so the page is certain once the list is read past its last key and past
  (prefix, length of the query). A list that gives no page within `SCAN_BUDGET` entries: check them all.

Nothing is refused: the one-character query (`search.query_too_short`) is the only text too broad to answer.
"""

from __future__ import annotations

from collections.abc import Iterable
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
#: At most this many candidates, or candidates sparse in the first gram's list (held by more than
#: SPARSE_RATIO times as many subjects): check them all and rank them. Else read in the result order.
CHECK_ALL = 600
SPARSE_RATIO = 8
#: Every gram common: index entries of the first gram's list read in the result order before giving up
#: and intersecting; the first batch, then four times larger each time.
SCAN_BUDGET = 30_000
SCAN_FIRST = 100

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
# length): where a subject with a former name equal to the query is listed.
_FORMER_EXACT_SQL = (
    "SELECT n.subject_id, n.name FROM subjects_name_gram g "
    "JOIN subjects_name n ON n.subject_id = g.subject_id "
    'WHERE g.gram = %s AND (g."rank", g.length) <= (%s, %s) AND n.valid_to IS NOT NULL'
)
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
    candidates = _candidates(rarest, counts)
    first = counts.get(text[:MAX_GRAM], 0)
    if candidates is None or CHECK_ALL < len(candidates) >= first / SPARSE_RATIO:
        page = _ordered(text, visibility, after, n, candidates)
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


def _former_exact(text: str, visibility: Visibility, after: Key, candidates: set[int] | None) -> list[Key]:
    """The keys of the (visible) subjects with a former name equal to the query: read apart, because the
    first gram lists them anywhere up to (4, length) — after every current prefix of the query."""
    with connection.cursor() as cur:
        cur.execute(_FORMER_EXACT_SQL, [text[:MAX_GRAM], RANK_PREFIX_FORMER, len(text)])
        rows = cur.fetchall()
    found = sorted(
        {sid for sid, name in rows if (candidates is None or sid in candidates) and search_fold(name) == text}
    )
    return _matches(text, visibility, found, after) if found else []


def _ordered(
    text: str, visibility: Visibility, after: Key, n: int, candidates: set[int] | None
) -> list[Key] | None:
    """Many candidates: the first gram's posting list in the result order, its candidates checked batch by
    batch until `n` keys are certain (or the list ends). None when `SCAN_BUDGET` entries give no certain
    page."""
    sql, params = visibility
    range_sql = ORDERED_RANGE_SQL.format(visibility=sql)
    gram, last, size, read = text[:MAX_GRAM], (0, 0, 0), SCAN_FIRST, 0
    best = {k[2]: k for k in _former_exact(text, visibility, after, candidates)}
    with connection.cursor() as cur:
        while read < SCAN_BUDGET:
            cur.execute(range_sql, [gram, *last, *params, size])
            rows = [tuple(row) for row in cur.fetchall()]
            read += len(rows)
            ids = [row[2] for row in rows if candidates is None or row[2] in candidates]
            for key in _matches(text, visibility, ids, after):
                best[key[2]] = min(key, best.get(key[2], key))  # an exact former name found twice
            found = sorted(best.values())
            if len(rows) < size:  # the whole list is read
                return found[:n]
            last = rows[-1]
            if len(found) >= n and found[n - 1] <= _certain_up_to(last, len(text)):
                return found[:n]
            size *= 4
    return None
