"""The data set of the check benchmark (`xinyong bench check`, docs/performance.md): N subjects with valid
USCCs and their identifiers, M records (mostly published, a share negative), published list entries for about
1 % of the subjects, and the starter memoranda — written with raw SQL into the benchmark's own SQLite
database.

Only the benchmark calls this, in a temporary XINYONG_HOME (never the operator's database). Speed comes from
the storage's own bulk paths: executemany of pre-built rows in USCC order (the unique index grows at its end),
`INSERT … SELECT` over a recursive CTE for the records, and the big tables' indexes dropped during the load
and rebuilt after (every index the migrations define is rebuilt, so the database has its real shape).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from django.db import connection, transaction

from xinyong.bench.codes import code_body
from xinyong.subjects.identifiers import uscc_make
from xinyong.subjects.samplenames import DISTRICTS, SUFFIXES

REGIONS = tuple(region for region, _, _ in DISTRICTS)
STEMS = "华信恒通瑞达鑫源宏图中科天成安泰博远新创金桥德润嘉禾盛世兴业永康文远明辉正和昌隆"
TRADES = (
    "科技",
    "商贸",
    "建筑工程",
    "餐饮管理",
    "物业管理",
    "医药",
    "文化传媒",
    "物流",
    "信息技术",
    "环保工程",
)
LISTED_EVERY = 97  # every 97th subject has a published list entry (≈ 1 %)
# list types of the starter memoranda, one per listed subject in turn (lists/data/list_types.yaml)
LISTED_TYPES = ("fy-sxbzx", "scjg-yzsx", "zfcg-blxw", "nsxy-a", "cxdx-hmd")
Progress = Callable[[str], None]


def uscc_for(index: int, total: int) -> str:
    """The USCC of subject number `index` (0-based): increasing with `index`, valid (GB 32100)."""
    region = REGIONS[index * len(REGIONS) // max(total, 1)]
    return uscc_make("91" + region + code_body(index))


def subject_id_for(index: int) -> int:
    return index + 1


def build(*, subjects: int, records: int, seed: int, progress: Progress) -> dict:
    """Write the data set; return the timings of each step (seconds)."""
    timings: dict[str, float] = {}
    with connection.cursor() as cur:
        cur.execute("PRAGMA foreign_keys=OFF")
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA cache_size=-1048576")  # 1 GiB while building indexes
    for name, step in (
        ("subjects", lambda: _subjects(subjects, seed)),
        ("identifiers", lambda: _identifiers()),
        ("records", lambda: _records(records, subjects, seed)),
        ("list_entries", lambda: _entries(subjects)),
    ):
        started = time.perf_counter()
        step()
        timings[name] = round(time.perf_counter() - started, 1)
        progress(f"  {name}: {timings[name]} 秒")
    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
    return timings


def _indexes(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cur:
        cur.execute("SELECT name, sql FROM sqlite_master "
                    "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                    [table])  # fmt: skip
        return cur.fetchall()


def _without_indexes(table: str, load: Callable[[], None]) -> None:
    """Run `load` with the table's (droppable) indexes dropped, then rebuild them from their own SQL."""
    indexes = _indexes(table)
    with transaction.atomic(), connection.cursor() as cur:
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        load()
        for _, sql in indexes:
            cur.execute(sql)


def _columns(table: str) -> list[tuple[str, str, bool]]:
    """(name, declared type, NOT NULL without a default) of every column but the primary key."""
    with connection.cursor() as cur:
        cur.execute(f'PRAGMA table_info("{table}")')
        return [(name, (decl or "").lower(), bool(notnull) and default is None)
                for _, name, decl, notnull, default, pk in cur.fetchall() if not pk]  # fmt: skip


def _zero(decl: str):
    return 0 if any(t in decl for t in ("int", "bool", "real", "decimal")) else ""


def _not_null_defaults(table: str, given: dict[str, str]) -> dict[str, str]:
    """SQL expressions for the columns of an INSERT … SELECT: those given, and a typed zero for any other NOT
    NULL column (so the load survives a column another app adds)."""
    out = {}
    for name, decl, required in _columns(table):
        if name in given:
            out[name] = given[name]
        elif required:
            out[name] = "0" if _zero(decl) == 0 else "''"
    return out


def _subjects(n: int, seed: int) -> None:
    rng = random.Random(seed)
    fixed = {"kind": "enterprise", "status": "active", "created_at": "2026-01-05 02:00:00"}
    columns = [(name, decl) for name, decl, required in _columns("subjects_subject")
               if required or name in ("uscc", "name", *fixed)]  # fmt: skip
    names = [c for c, _ in columns]

    def rows():
        for i in range(n):
            name = f"北京{rng.choice(STEMS)}{rng.choice(STEMS)}{rng.choice(TRADES)}{rng.choice(SUFFIXES)}"
            values = {**fixed, "uscc": uscc_for(i, n), "name": name}
            yield (subject_id_for(i), *(values.get(c, _zero(decl)) for c, decl in columns))

    def load():
        cols = ", ".join(f'"{c}"' for c in ["id", *names])
        marks = ", ".join(["%s"] * (len(names) + 1))
        with connection.cursor() as cur:
            cur.executemany(f"INSERT INTO subjects_subject ({cols}) VALUES ({marks})", rows())

    _without_indexes("subjects_subject", load)


def _identifiers() -> None:
    """Two identifiers per company, as registration writes them: the USCC and its organisation code."""
    given = {"subject_id": "id", "kind": "'uscc'", "value": "uscc", "display": "uscc", "status": "'active'",
             "recorded_at": "created_at"}  # fmt: skip
    uscc = _not_null_defaults("subjects_identifier", given)
    org = {**uscc, "kind": "'org_code'", "value": "substr(uscc, 9, 9)", "display": "substr(uscc, 9, 9)"}

    def load():
        with connection.cursor() as cur:
            for exprs in (uscc, org):
                cols = ", ".join(f'"{c}"' for c in exprs)
                cur.execute(f"INSERT INTO subjects_identifier ({cols}) SELECT {', '.join(exprs.values())} "
                            "FROM subjects_subject ORDER BY id")  # fmt: skip

    _without_indexes("subjects_identifier", load)


def _ids(table: str, column: str, values: list[str]) -> dict[str, int]:
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {column}, id FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(values))})", values
        )
        return dict(cur.fetchall())


def _records(m: int, n: int, seed: int) -> None:
    """M records over random subjects: 60 % licences (XK), 25 % penalties (CF), 10 % abnormal operation
    (JYYC), 5 % court defaulters (SXBZX); 90 % published, 8 % expired, 2 % not published; ~10 per subject."""
    from xinyong.accounts.models import Unit
    from xinyong.intake.models import Submission

    cats = _ids("catalog_category", "code", ["XK", "CF", "JYYC", "SXBZX"])
    unit = Unit.objects.get(code="bj-gongshangju")
    submission = Submission.objects.create(
        unit=unit, category_id=cats["CF"], channel="file", idempotency_key=f"bench-{seed}",
        body_sha256="0" * 64, submitted_by="bench", received_at=dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC),
        total=m, accepted=m,
    )  # fmt: skip
    category = (f"CASE WHEN n % 20 < 12 THEN {cats['XK']} WHEN n % 20 < 17 THEN {cats['CF']} "
                f"WHEN n % 20 < 19 THEN {cats['JYYC']} ELSE {cats['SXBZX']} END")  # fmt: skip
    given = {
        "category_id": category,
        "subject_id": f"(abs(random()) % {n}) + 1",
        "unit_id": str(unit.pk),
        "doc_no": "'京罚字〔2026〕第' || n || '号'",
        "decision_date": "date('2023-01-01', '+' || (abs(random()) % 1400) || ' days')",
        "subject_name": "''",
        "severity": "CASE WHEN n % 20 BETWEEN 12 AND 16 THEN 'general' ELSE '' END",
        "payload": """'{"NR":"罚款人民币二万元","WSH":"京罚字〔2026〕第' || n || '号",'"""
        """ || '"YJ":"《反不正当竞争法》第二十条"}'""",
        "protected": "'{}'",
        "version": "1",
        "is_current": "1",
        "change_kind": "'original'",
        "status": "CASE WHEN n % 50 = 0 THEN 'not_published' WHEN n % 50 < 5 THEN 'expired' "
        "ELSE 'published' END",
        "rule_key": "''",
        "submission_id": str(submission.pk),
        "row_index": "n",
        "received_at": "'2026-01-05 02:00:00'",
        "late": "0",
        "delay_provisional": "0",
    }
    exprs = _not_null_defaults("records_record", given)
    cols = ", ".join(f'"{c}"' for c in exprs)
    sql = (f"INSERT INTO records_record ({cols}) WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 "
           f"FROM seq WHERE n < {m}) SELECT {', '.join(exprs.values())} FROM seq")  # fmt: skip

    def load():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT abs(random())"
            )  # random() is SQLite's own: the seed only shapes Python's data
            cur.execute(sql)

    _without_indexes("records_record", load)


def _entries(n: int) -> None:
    """A published entry for every LISTED_EVERY-th subject (list types in turn), an exited one for a few."""
    from xinyong.lists.models import ListType

    types = {t.code: t for t in ListType.objects.filter(code__in=LISTED_TYPES)}
    ordered = [types[c] for c in LISTED_TYPES if c in types]
    if not ordered:
        return
    case = " ".join(f"WHEN {i} THEN {t.pk}" for i, t in enumerate(ordered))
    units = " ".join(f"WHEN {i} THEN {t.deciding_unit_id}" for i, t in enumerate(ordered))
    k = len(ordered)
    given = {
        "list_type_id": f"CASE (id / {LISTED_EVERY}) % {k} {case} END",
        "subject_id": "id",
        "state": "'published'",
        "legal_basis": "'《失信行为纠正后的信用信息修复管理办法（试行）》'",
        "reasons": "'基准测试数据'",
        "proposing_unit_id": f"CASE (id / {LISTED_EVERY}) % {k} {units} END",
        "proposed_by": "'user:1'",
        "proposed_at": "'2026-02-01 02:00:00'",
        "reviewed_by": "'user:2'",
        "decided_at": "'2026-02-20 02:00:00'",
        "published_at": "'2026-03-02 02:00:00'",
        "expires_on": "'2029-03-01'",
        "version": "4",
    }
    exprs = _not_null_defaults("lists_listentry", given)
    exited = {**exprs, "state": "'exited'", "exited_at": "'2026-06-01 02:00:00'", "exit_reason": "'repair'"}
    with transaction.atomic(), connection.cursor() as cur:
        for values, where in ((exprs, f"id % {LISTED_EVERY} = 0"), (exited, f"id % {LISTED_EVERY * 4} = 1")):
            cols = ", ".join(f'"{c}"' for c in values)
            cur.execute(f"INSERT INTO lists_listentry ({cols}) SELECT {', '.join(values.values())} "
                        f"FROM subjects_subject WHERE {where} AND id <= {n}")  # fmt: skip
