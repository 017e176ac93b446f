"""The name index of subject search (docs/performance.md; docs/adr/0005-chinese-name-search.md): the folding
of text as search compares it, and the `SubjectNameGram` rows of every subject, written in the transaction
that writes the names: `name_grams_add` (registration, bulk creation), `name_grams_renamed` (rename);
`search_reindex` rebuilds the index from the name history. The queries over it: `xinyong.subjects.search`.
With the rows, `SubjectNameGramCount` keeps how many subjects hold each 4-character gram: the statistics
the planner of a longer query reads (`xinyong.subjects.search_long`, issue 18, docs/adr/0031).

Each row holds one distinct 2-, 3- or 4-character substring of a current or former name, with the best
rank that substring earns as a query against those names and the length of the name that earns it:

    rank 1 exact current name · 2 exact former name · 3 prefix · 4 prefix of a former name
         5 substring · 6 substring of a former name.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter

from django.db import connection, transaction

from xinyong.core.bulk import insert_many
from xinyong.subjects.models import SubjectName

GRAM_SIZES = (2, 3, 4)
MAX_GRAM = GRAM_SIZES[-1]
MAX_LENGTH = 0x7FFF

RANK_CODE = 0
RANK_EXACT = 1
RANK_EXACT_FORMER = 2
RANK_PREFIX = 3
RANK_PREFIX_FORMER = 4
RANK_SUBSTRING = 5
RANK_SUBSTRING_FORMER = 6

NameState = tuple[str, bool]  # (name, is the current name)
GramRow = tuple[str, int, int, int]  # (gram, rank, length, subject_id)

_TABLE = "subjects_name_gram"
_COUNTS = "subjects_name_gram_count"
_COLUMNS = ("gram", "rank", "length", "subject_id")


# ── text ──────────────────────────────────────────────────────────────────────────────────────────────


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:  # e.g. ㈱ → (株): keep the character so offsets stay valid
        return " " if ch.isspace() else ch
    if folded.isspace():
        return " "
    return folded.lower() if folded.isascii() else folded


# Full-width ASCII (U+FF01–U+FF5E) → half-width, the ideographic space → " ", ASCII upper → lower: what
# _fold_char does to these characters, done in one C-level pass for the usual name.
_FOLD_TABLE = {cp: ord(chr(cp - 0xFEE0).lower()) for cp in range(0xFF01, 0xFF5F)}
_FOLD_TABLE.update({0x3000: 0x20, **{cp: cp + 32 for cp in range(0x41, 0x5B)}})


def search_fold(text: str) -> str:
    """`text` as search compares it: full-width → half-width (NFKC), ASCII lower case, any space → " ".

    Character by character and never changing the length, so an offset in the folded text is an
    offset in the original.
    """
    folded = text.translate(_FOLD_TABLE)
    if folded.isprintable() and (folded.isascii() or unicodedata.is_normalized("NFKC", folded)):
        return folded
    return "".join(_fold_char(c) for c in text)


def search_normalize(q: str) -> str:
    """A query as search uses it: folded (`search_fold`), trimmed, runs of spaces collapsed to one."""
    return " ".join(search_fold(q or "").split())


# ── index rows ────────────────────────────────────────────────────────────────────────────────────────

_BIG = 1 << 62


def name_gram_rows(subject_id: int, names: Iterable[NameState]) -> list[GramRow]:
    """The index rows of one subject: each distinct 2–4-character substring of any of its names, with
    the best (rank, length) it earns as a query (see the module docstring)."""
    best: dict[str, int] = {}
    get = best.get
    for name, current in names:
        text = search_fold(name)
        n = len(text)
        former = 0 if current else 1
        length = min(n, MAX_LENGTH)  # a smallint; names are at most 200 characters anyway
        substring = ((RANK_SUBSTRING + former) << 16) | length
        for size in GRAM_SIZES:
            if n < size:
                break
            head = text[:size]
            key = (((RANK_EXACT if n == size else RANK_PREFIX) + former) << 16) | length
            if key < get(head, _BIG):
                best[head] = key
            for i in range(1, n - size + 1):
                gram = text[i : i + size]
                if substring < get(gram, _BIG):
                    best[gram] = substring
    return [(gram, key >> 16, key & 0xFFFF, subject_id) for gram, key in best.items()]


def _insert(rows: Sequence[GramRow]) -> None:
    """Insert index rows; a row already there is left alone (the index is derived data)."""
    if not rows:
        return
    cols = ", ".join(f'"{c}"' for c in _COLUMNS)
    sql = f'INSERT INTO "{_TABLE}" ({cols}) VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING'
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


def _delete(rows: Sequence[GramRow]) -> None:
    if not rows:
        return
    sql = f'DELETE FROM "{_TABLE}" WHERE gram = %s AND "rank" = %s AND length = %s AND subject_id = %s'
    with connection.cursor() as cur:
        cur.executemany(sql, rows)


def _count(delta: Counter[str]) -> None:
    """Add `delta` (gram → subjects gained, or lost when negative) to the 4-gram counts, in gram order
    (concurrent writers take the rows' locks in the same order). Grams of other sizes are not counted."""
    rows = sorted((gram, n) for gram, n in delta.items() if n and len(gram) == MAX_GRAM)
    if not rows:
        return
    upsert = f'ON CONFLICT (gram) DO UPDATE SET subjects = "{_COUNTS}".subjects + excluded.subjects'
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":  # one statement, one round trip (issue 18), still in gram order
            grams, counts = zip(*rows, strict=True)
            cur.execute(
                f'INSERT INTO "{_COUNTS}" (gram, subjects) SELECT g, n FROM '
                f"unnest(%s::text[], %s::int[]) WITH ORDINALITY AS t(g, n, i) ORDER BY i {upsert}",
                [list(grams), list(counts)],
            )
        else:
            cur.executemany(f'INSERT INTO "{_COUNTS}" (gram, subjects) VALUES (%s, %s) {upsert}', rows)


def name_gram_counts_rebuild() -> int:
    """Recount the 4-grams of the whole index (after a bulk load that wrote rows directly, e.g. the search
    benchmark's). Returns the number of distinct 4-grams."""
    with connection.cursor() as cur:
        cur.execute(f'DELETE FROM "{_COUNTS}"')
        cur.execute(
            f'INSERT INTO "{_COUNTS}" (gram, subjects) SELECT gram, COUNT(*) FROM "{_TABLE}" '
            "WHERE LENGTH(gram) = %s GROUP BY gram",
            [MAX_GRAM],
        )
        return cur.rowcount


def name_grams_add(subject_id: int, names: Iterable[NameState]) -> int:
    """Index the names of a new subject (in the caller's transaction). Returns the number of rows."""
    return name_grams_add_many([(subject_id, names)])


def name_grams_add_many(subjects: Iterable[tuple[int, Iterable[NameState]]], *, fresh: bool = False) -> int:
    """Index many new subjects at once (bulk creation): one executemany, rows in gram order. `fresh`: the
    subjects were created in this transaction, so none of their rows can exist yet and they go in as one
    plain bulk write (core/bulk.py `insert_many`: COPY on PostgreSQL, issue 18)."""
    rows = [row for subject_id, names in subjects for row in name_gram_rows(subject_id, names)]
    rows.sort(key=itemgetter(0))  # by gram: the B-tree is walked once (a third of a full tuple sort)
    if fresh:
        insert_many(_TABLE, _COLUMNS, rows)
    else:
        _insert(rows)
    _count(Counter(row[0] for row in rows if len(row[0]) == MAX_GRAM))
    return len(rows)


def _name_states(subject_id: int) -> list[NameState]:
    rows = SubjectName.objects.filter(subject_id=subject_id).order_by("valid_from", "id")
    return [(name, valid_to is None) for name, valid_to in rows.values_list("name", "valid_to")]


def name_grams_renamed(subject_id: int, *, closed: str, opened: str) -> None:
    """Bring the index up to date after a rename, in the rename's transaction: the name history now holds
    `opened` as the current name and `closed` as a former one. Rows that changed are replaced."""
    after = _name_states(subject_id)
    before = list(after)
    before.remove((opened, True))
    before[before.index((closed, False))] = (closed, True)
    old, new = set(name_gram_rows(subject_id, before)), set(name_gram_rows(subject_id, after))
    gone, added = sorted(old - new), sorted(new - old)
    _delete(gone)
    _insert(added)
    delta = Counter(row[0] for row in added)
    delta.subtract(row[0] for row in gone)  # a gram whose rank changed: one row out, one in, no change
    _count(delta)


def search_reindex(*, chunk: int = 20_000) -> dict[str, int]:
    """Rebuild the whole index from the name history (SubjectName), in one transaction; idempotent."""
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute(f'DELETE FROM "{_TABLE}"')
            cur.execute(f'DELETE FROM "{_COUNTS}"')
        subjects = rows = 0
        for batch in _name_batches(chunk):
            subjects += len(batch)
            rows += name_grams_add_many(batch.items())
    return {"subjects": subjects, "rows": rows}


def _name_batches(chunk: int) -> Iterator[dict[int, list[NameState]]]:
    """Every subject's names, `chunk` subjects at a time (keyset on subject id)."""
    last = 0
    sql = (
        "SELECT subject_id, name, valid_to FROM subjects_name WHERE subject_id > %s AND subject_id <= %s "
        "ORDER BY subject_id, valid_from, id"
    )
    with connection.cursor() as cur:
        cur.execute("SELECT MAX(subject_id) FROM subjects_name")
        top = cur.fetchone()[0] or 0
        while last < top:
            cur.execute(sql, [last, last + chunk])
            batch: dict[int, list[NameState]] = {}
            for subject_id, name, valid_to in cur.fetchall():
                batch.setdefault(subject_id, []).append((name, valid_to is None))
            last += chunk
            if batch:
                yield batch
