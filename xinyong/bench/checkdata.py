"""The data set of the check benchmark (`xinyong bench check`, docs/performance.md): N subjects with valid
USCCs and their identifiers, M records (mostly published, a share negative), published list entries for about
1 % of the subjects, and the starter memoranda — written with raw SQL into the benchmark's own database
(SQLite, or a PostgreSQL database of its own: issue 18, bench/databases.py).

Only the benchmark calls this, in its own database (never the operator's). Speed comes from the storage's own
bulk paths: the subjects in USCC order (the unique index grows at its end) by executemany (SQLite) or COPY
(PostgreSQL), `INSERT … SELECT` over a recursive CTE (SQLite) or generate_series (PostgreSQL) for the records,
foreign-key checks off during the load, and the big tables' indexes dropped during the load and rebuilt after
(every index the migrations define is rebuilt, so the database has its real shape; on PostgreSQL the indexes
behind constraints stay, and the sequences are moved past the ids written). The caller settles the database
once its whole load is written (bench/buildmeta.py settle_after_load: VACUUM and ANALYZE on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

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
RECEIVED_MONTHS = 12  # records arrive over the 12 months Dec 2025 – Nov 2026, an equal share in each
LISTED_EVERY = 97  # every 97th subject has a published list entry (≈ 1 %)
# list types of the starter memoranda, one per listed subject in turn (lists/data/list_types.yaml)
LISTED_TYPES = ("fy-sxbzx", "scjg-yzsx", "zfcg-blxw", "nsxy-a", "cxdx-hmd")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Shape:
    """What another benchmark changes in this data set (the portal's, bench/portaldata.py); the defaults are
    the check benchmark's own."""

    # column values of subject number i (0-based) over the defaults, e.g. name, district, industry
    subject_fields: Callable[[random.Random, int], dict] | None = None
    # SQL expressions over `n` (the record's number, 1…M) replacing the defaults of those columns
    record_columns: dict[str, str] = field(default_factory=dict)
    # the records go to subjects 1…record_subjects only (the others have none); None: every subject
    record_subjects: int | None = None


def uscc_for(index: int, total: int) -> str:
    """The USCC of subject number `index` (0-based): increasing with `index`, valid (GB 32100)."""
    region = REGIONS[index * len(REGIONS) // max(total, 1)]
    return uscc_make("91" + region + code_body(index))


def district_for(index: int, total: int) -> str:
    """The district (its government's unit code) of subject number `index`: the region of its USCC."""
    return DISTRICTS[index * len(DISTRICTS) // max(total, 1)][1]


def subject_id_for(index: int) -> int:
    return index + 1


def _pg() -> bool:
    return connection.vendor == "postgresql"


def build(*, subjects: int, records: int, seed: int, progress: Progress, shape: Shape | None = None) -> dict:
    """Write the data set (shaped by `shape` when given); return the timings of each step (seconds)."""
    shape = shape or Shape()
    timings: dict[str, float] = {}
    with connection.cursor() as cur:
        if _pg():  # foreign-key triggers off for this session (superuser), no wait for the WAL flush
            cur.execute("SET session_replication_role = replica")
            cur.execute("SET synchronous_commit = off")
            cur.execute("SET maintenance_work_mem = '512MB'")
        else:
            cur.execute("PRAGMA foreign_keys=OFF")
            cur.execute("PRAGMA synchronous=OFF")
            cur.execute("PRAGMA cache_size=-1048576")  # 1 GiB while building indexes
    for name, step in (
        ("subjects", lambda: _subjects(subjects, seed, shape.subject_fields)),
        ("identifiers", lambda: _identifiers()),
        ("records", lambda: _records(records, shape.record_subjects or subjects, seed, shape.record_columns)),
        ("list_entries", lambda: _entries(subjects)),
    ):
        started = time.perf_counter()
        step()
        timings[name] = round(time.perf_counter() - started, 1)
        progress(f"  {name}: {timings[name]} 秒")
    started = time.perf_counter()
    with connection.cursor() as cur:
        if _pg():
            for table in BIG_TABLES:  # later inserts (checks, imports) take ids past the ones written
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")  # fmt: skip
            cur.execute("RESET session_replication_role")
            cur.execute("RESET synchronous_commit")
        else:
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
    timings["finish"] = round(time.perf_counter() - started, 1)
    return timings


BIG_TABLES = ("subjects_subject", "subjects_identifier", "records_record", "lists_listentry")


def _indexes(table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the table's indexes that can be dropped (not those behind a constraint)."""
    with connection.cursor() as cur:
        if _pg():
            cur.execute("SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = %s AND NOT EXISTS "
                        "(SELECT 1 FROM pg_constraint c "
                        "WHERE c.conindid = quote_ident(i.indexname)::regclass)", [table])  # fmt: skip
        else:
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
        if _pg():
            cur.execute("SELECT column_name, data_type, is_nullable = 'NO' AND column_default IS NULL "
                        "FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id' "
                        "ORDER BY ordinal_position", [table])  # fmt: skip
            return [(name, decl.lower(), bool(required)) for name, decl, required in cur.fetchall()]
        cur.execute(f'PRAGMA table_info("{table}")')
        return [(name, (decl or "").lower(), bool(notnull) and default is None)
                for _, name, decl, notnull, default, pk in cur.fetchall() if not pk]  # fmt: skip


def _zero(decl: str):
    """The typed zero of a column another app may add (a Python value for the subjects' rows)."""
    if "bool" in decl:
        return False
    if "json" in decl:
        return "{}"
    return 0 if any(t in decl for t in ("int", "real", "decimal", "numeric", "double")) else ""


def _zero_sql(decl: str) -> str:
    if "bool" in decl:
        return "false"
    if "json" in decl:
        return _json("'{}'")
    if "timestamp" in decl or "date" in decl:
        return "'2026-01-05 02:00:00'" if "timestamp" in decl else "'2026-01-05'"
    return "0" if _zero(decl) == 0 else "''"


def _json(text_sql: str) -> str:
    """A JSON value from a text expression: SQLite keeps JSON as text; PostgreSQL's column is jsonb."""
    return f"({text_sql})::jsonb" if _pg() else text_sql


def _not_null_defaults(table: str, given: dict[str, str]) -> dict[str, str]:
    """SQL expressions for the columns of an INSERT … SELECT: those given, and a typed zero for any other NOT
    NULL column (so the load survives a column another app adds)."""
    out = {}
    for name, decl, required in _columns(table):
        if name in given:
            out[name] = given[name]
        elif required:
            out[name] = _zero_sql(decl)
    return out


def _subjects(n: int, seed: int, fields: Callable[[random.Random, int], dict] | None = None) -> None:
    rng = random.Random(seed)
    fixed = {"kind": "enterprise", "status": "active", "created_at": "2026-01-05 02:00:00"}
    given = set(fields(random.Random(seed), 0)) if fields else set()
    columns = [(name, decl) for name, decl, required in _columns("subjects_subject")
               if required or name in ("uscc", "name", *fixed, *given)]  # fmt: skip
    names = [c for c, _ in columns]

    def rows():
        for i in range(n):
            if fields:
                values = {**fixed, "uscc": uscc_for(i, n), "district": district_for(i, n), **fields(rng, i)}
            else:
                name = f"北京{rng.choice(STEMS)}{rng.choice(STEMS)}{rng.choice(TRADES)}{rng.choice(SUFFIXES)}"
                values = {**fixed, "uscc": uscc_for(i, n), "name": name, "district": district_for(i, n)}
            yield (subject_id_for(i), *(values.get(c, _zero(decl)) for c, decl in columns))

    def load():
        cols = ", ".join(f'"{c}"' for c in ["id", *names])
        with connection.cursor() as cur:
            if _pg():  # COPY: the server's bulk path, several times faster than row inserts
                with cur.cursor.copy(f"COPY subjects_subject ({cols}) FROM STDIN") as copy:
                    for row in rows():
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * (len(names) + 1))
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


def _records(m: int, n: int, seed: int, columns: dict[str, str] | None = None) -> None:
    """M records over random subjects of the first n: 60 % licences (XK), 25 % penalties (CF), 10 % abnormal
    operation (JYYC), 5 % court defaulters (SXBZX); 90 % published, 8 % expired, 2 % not published; ~10 per
    subject. Submitted by every unit in turn, received over RECEIVED_MONTHS months in id order, as records
    arrive (a month's rows lie together in the table; day 1–28 of each), 0–9 working days after the decision,
    late (over the 7 days of 双公示) when 8 or 9: what the monthly metrics read. `columns`: SQL expressions
    over n replacing the defaults of those columns."""
    from xinyong.accounts.models import Unit
    from xinyong.intake.models import Submission

    unit_ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    units = f"CASE n % {len(unit_ids)} " + " ".join(f"WHEN {i} THEN {pk}" for i, pk in enumerate(unit_ids))
    cats = _ids("catalog_category", "code", ["XK", "CF", "JYYC", "SXBZX"])
    unit = Unit.objects.get(code="bj-gongshangju")
    submission = Submission.objects.create(
        unit=unit, category_id=cats["CF"], channel="file", idempotency_key=f"bench-{seed}",
        body_sha256="0" * 64, submitted_by="bench", received_at=dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC),
        total=m, accepted=m,
    )  # fmt: skip
    month = f"((n - 1) * {RECEIVED_MONTHS} / {max(m, 1)})"  # in arrival order: a month's rows lie together
    category = (f"CASE WHEN n % 20 < 12 THEN {cats['XK']} WHEN n % 20 < 17 THEN {cats['CF']} "
                f"WHEN n % 20 < 19 THEN {cats['JYYC']} ELSE {cats['SXBZX']} END")  # fmt: skip
    given = {
        "category_id": category,
        "subject_id": _random_below(n) + " + 1",
        "unit_id": units + " END",
        "doc_no": "'京罚字〔2026〕第' || n || '号'",
        "decision_date": "DATE '2023-01-01' + " + _random_below(1400)
        if _pg()
        else f"date('2023-01-01', '+' || {_random_below(1400)} || ' days')",
        "subject_name": "''",
        "severity": "CASE WHEN n % 20 BETWEEN 12 AND 16 THEN 'general' ELSE '' END",
        "payload": _json(
            """'{"NR":"罚款人民币二万元","WSH":"京罚字〔2026〕第' || n || '号",'"""
            """ || '"YJ":"《反不正当竞争法》第二十条"}'"""
        ),
        "protected": _json("'{}'"),
        "version": "1",
        "is_current": "true",
        "change_kind": "'original'",
        "status": "CASE WHEN n % 50 = 0 THEN 'not_published' WHEN n % 50 < 5 THEN 'expired' "
        "ELSE 'published' END",
        "rule_key": "''",
        "submission_id": str(submission.pk),
        "row_index": "n",
        "received_at": f"TIMESTAMPTZ '2025-12-01 02:00:00+00' + {month} * INTERVAL '1 month' "
        "+ (n % 28) * INTERVAL '1 day'"
        if _pg()
        else f"datetime('2025-12-01 02:00:00', '+' || {month} || ' months', '+' || (n % 28) || ' days')",
        "delay_working_days": "n % 10",
        "late": "n % 10 >= 8",
        "delay_provisional": "false",
        **(columns or {}),
    }
    exprs = _not_null_defaults("records_record", given)
    cols = ", ".join(f'"{c}"' for c in exprs)
    if _pg():
        sql = (f"INSERT INTO records_record ({cols}) SELECT {', '.join(exprs.values())} "
               f"FROM generate_series(1, {m}) AS seq(n)")  # fmt: skip
    else:
        sql = (f"INSERT INTO records_record ({cols}) WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL "
               f"SELECT n + 1 FROM seq WHERE n < {m}) "
               f"SELECT {', '.join(exprs.values())} FROM seq")  # fmt: skip

    def load():
        with connection.cursor() as cur:
            if _pg():  # the storage's own random(): the seed only shapes Python's data
                cur.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
            cur.execute(sql)

    _without_indexes("records_record", load)


def _random_below(n: int) -> str:
    """SQL for a random whole number in [0, n), in the storage's own dialect."""
    return f"floor(random() * {n})::int" if _pg() else f"(abs(random()) % {n})"


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
