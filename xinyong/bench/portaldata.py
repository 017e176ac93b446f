"""The data set of the portal benchmark (`xinyong bench portal`, issue 15): the check benchmark's data set
(bench/checkdata.py, the same bulk paths on SQLite and PostgreSQL) shaped for the public pages, plus what
those pages read beyond it.

Shaped (checkdata.Shape): subjects with realistic names, districts and industries (the name pieces of the
search benchmark, `bench.search.entity_name`); records with catalog-shaped public fields per category (so
the pages print what a real record prints), decision dates in the three years before the build and
publication windows still open (three years, none for court defaulters), 2 % under objection; the last
`ZERO_SHARE` of the subjects get no record. Added after: the name history (one subject in ten renamed) and
the name search index built from it (as `search_reindex` would, by the storage's bulk path), the objection
dates of the records under objection, objection flags on some list entries, and `MANY` subjects with
`MANY_RECORDS` records more each (copies of existing records under new numbers).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

from django.db import connection, transaction

from xinyong.bench import checkdata
from xinyong.bench.buildmeta import settle_after_load
from xinyong.bench.search import entity_name
from xinyong.core.bulk import db_date, db_datetime, insert_many
from xinyong.subjects.samplenames import DISTRICTS, INDUSTRIES
from xinyong.subjects.search_index import name_gram_counts_rebuild, name_gram_rows

ZERO_SHARE = 20  # the last 1/20 of the subjects have no record
MANY_RECORDS = 200  # records more for each of the "many" subjects
SHORT = {code: short for _, code, short in DISTRICTS}
INDUSTRY_NAMES = list(INDUSTRIES)
RENAMED_EVERY = 10
STAMP = "2026-01-05 02:00:00"
Progress = Callable[[str], None]


def many_count(subjects: int) -> int:
    """How many subjects get MANY_RECORDS records more: 20 at a million, at least one."""
    return max(1, min(20, subjects // 50_000))


def many_ids(subjects: int) -> list[int]:
    """The ids of the subjects with many records, spread over those that have records."""
    with_records = record_subjects(subjects)
    k = many_count(subjects)
    return [1 + (i * with_records) // k for i in range(k)]


def record_subjects(subjects: int) -> int:
    """Subjects 1…this have records; the others none."""
    return max(1, subjects - subjects // ZERO_SHARE)


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _subject_fields(rng: random.Random, i: int) -> dict:
    _, district, short = rng.choice(DISTRICTS)
    industry = rng.choice(INDUSTRY_NAMES)
    return {
        "name": entity_name(rng, "enterprise", short, industry),
        "district": district,
        "industry": industry,
    }


def _date_minus(today: dt.date, days_sql: str) -> str:
    if _pg():
        return f"(DATE '{today.isoformat()}' - ({days_sql}))"
    return f"date('{today.isoformat()}', '-' || ({days_sql}) || ' days')"


def _plus_years(date_sql: str, years: int) -> str:
    return (
        f"(({date_sql}) + INTERVAL '{years} years')::date" if _pg() else f"date({date_sql}, '+{years} years')"
    )


def _text(date_sql: str) -> str:
    return f"to_char({date_sql}, 'YYYY-MM-DD')" if _pg() else date_sql


def _by_category(xk: str, cf: str, jyyc: str, sxbzx: str) -> str:
    """A CASE over the record's number, in checkdata's category buckets (n % 20: XK, CF, JYYC, SXBZX)."""
    return (
        f"CASE WHEN n % 20 < 12 THEN {xk} WHEN n % 20 < 17 THEN {cf} "
        f"WHEN n % 20 < 19 THEN {jyyc} ELSE {sxbzx} END"
    )


def _json_object(pairs: list[tuple[str, str]]) -> str:
    """A JSON object from (key, SQL text expression) pairs; the values are plain text needing no escape."""
    parts = []
    for i, (key, value) in enumerate(pairs):
        parts.append(f"'{'{' if i == 0 else ','}\"{key}\":\"' || {value} || '\"'")
    return " || ".join(parts) + " || '}'"


def record_columns(today: dt.date) -> dict[str, str]:
    """SQL over `n` for the records' columns that the pages print (checkdata.Shape.record_columns)."""
    decided = _date_minus(today, "(n * 37) % 1050 + 20")  # spread over the three years before the build
    day = _text(decided)
    doc = _by_category(
        "'京市监许〔2026〕' || n || '号'",
        "'京市监罚〔2026〕' || n || '号'",
        "'京市监异〔2026〕' || n || '号'",
        "'（2026）京0108执' || n || '号'",
    )
    unit, unit_code = "'北京市海淀区市场监督管理局'", "'11110108MB0254830K'"
    licence = [
        ("XK_XKWS", "'食品经营许可决定书'"), ("XK_WSH", doc), ("XK_XKLB", "'普通'"),
        ("XK_XKZS", "'食品经营许可证'"), ("XK_XKBH", "'JY11108' || n"),
        ("XK_NR", "'预包装食品（含冷藏冷冻食品）销售；散装食品（不含冷藏冷冻食品）销售；热食类食品制售'"),
        ("XK_JDRQ", day), ("XK_YXQZ", day), ("XK_YXQZI", _text(_plus_years(decided, 5))),
        ("XK_XKJG", unit), ("XK_XKJGDM", unit_code), ("XK_ZT", "'有效'"), ("XK_LYDW", unit),
        ("XK_LYDWDM", unit_code),
    ]  # fmt: skip
    penalty = [
        ("CF_WSH", doc), ("CF_WFXW", "'虚假宣传'"),
        ("CF_SY", "'当事人在其经营场所及网络店铺发布的商品宣传中，使用“国家级”“最佳”等用语，对商品的性能、"
                  "功能作虚假的商业宣传，欺骗、误导消费者。'"),
        ("CF_YJ", "'《中华人民共和国反不正当竞争法》第二十条第一款'"), ("CF_CFLB", "'罚款'"),
        ("CF_NR", "'罚款人民币二万元'"), ("CF_NR_FK", "'2'"), ("CF_JDRQ", day),
        ("CF_GSJZQ", _text(_plus_years(decided, 3))), ("CF_CFJG", unit), ("CF_CFJGDM", unit_code),
        ("CF_SJLY", unit), ("CF_SJLYDM", unit_code),
    ]  # fmt: skip
    abnormal = [
        ("JYYC_LRYY", "'未按照规定的期限公示年度报告'"), ("JYYC_LRRQ", day), ("JYYC_LRJG", unit),
    ]  # fmt: skip
    court = [
        ("SXBZX_AH", doc), ("SXBZX_ZXFY", "'北京市海淀区人民法院'"),
        ("SXBZX_ZXYJWH", "'（2025）京0108民初' || n || '号'"), ("SXBZX_ZCDW", "'北京市海淀区人民法院'"),
        ("SXBZX_YW", "'被告于本判决生效之日起十日内支付原告货款人民币十二万元及逾期付款利息'"),
        ("SXBZX_LXQK", "'全部未履行'"), ("SXBZX_SXQX", "'有履行能力而拒不履行生效法律文书确定义务'"),
        ("SXBZX_LARQ", day), ("SXBZX_FBRQ", day),
    ]  # fmt: skip
    payload = _by_category(*(_json_object(p) for p in (licence, penalty, abnormal, court)))
    ends = _plus_years(decided, 3)
    return {
        "doc_no": doc,
        "decision_date": decided,
        "publish_from": decided,
        "publish_max_end": _by_category(ends, ends, ends, "NULL"),
        "payload": checkdata._json(payload),
        "status": "CASE WHEN n % 50 = 0 THEN 'not_published' WHEN n % 50 < 5 THEN 'expired' "
        "WHEN n % 50 = 7 THEN 'under_objection' ELSE 'published' END",
    }


def reference_load() -> None:
    """The reference data the pages read, through their loaders: units, catalog and rules, the working-day
    calendar of this year and the last, list types and memoranda (what the check benchmark loads)."""
    from xinyong.accounts.reference import units_load
    from xinyong.catalog.services import catalog_load, rules_load
    from xinyong.core.actor import Actor
    from xinyong.core.timeutil import now
    from xinyong.lists.services import list_types_load
    from xinyong.measures.services import memoranda_load
    from xinyong.workdays.services import builtin_years, calendar_load_builtin

    system, at = Actor.system(), now()
    units_load(actor=system, now=at)
    rules_load(actor=system, now=at)
    catalog_load(actor=system, now=at)
    years = [y for y in (at.year - 1, at.year) if y in builtin_years()]
    calendar_load_builtin(actor=system, now=at, years=years)
    list_types_load(actor=system, now=at)
    memoranda_load(actor=system, now=at)


def build(*, subjects: int, records: int, seed: int, progress: Progress) -> dict:
    """The check data set shaped for the portal, then the steps the portal adds; timings per step (s)."""
    today = dt.date.today()
    shape = checkdata.Shape(
        subject_fields=_subject_fields,
        record_columns=record_columns(today),
        record_subjects=record_subjects(subjects),
    )
    timings = checkdata.build(subjects=subjects, records=records, seed=seed, progress=progress, shape=shape)
    for name, step in (
        ("names", lambda: _names(subjects, seed)),
        ("many", lambda: _many(subjects)),
        ("objections", _objections),
    ):
        started = time.perf_counter()
        step()
        timings[name] = round(time.perf_counter() - started, 1)
        progress(f"  {name}: {timings[name]} 秒")
    timings["settle"] = settle_after_load()  # once, after the check data and the portal's steps
    return timings


def _names(n: int, seed: int, chunk: int = 50_000) -> None:
    """The name history (every subject's current name; one in ten renamed once, from a former name of the
    same district and trade) and the search index over it, rows in index order (bench/search.py's way)."""
    rng = random.Random(seed + 1)
    columns = ["subject_id", "name", "valid_from", "valid_to", "source", "recorded_at"]
    renamed, founded = db_date(dt.date(2021, 5, 1)), db_date(dt.date(2015, 7, 1))
    at = db_datetime(dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC))
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_gram_stage (gram TEXT, rank INTEGER, length INTEGER, subject_id BIGINT)"
        )
        last = 0
        while True:
            cur.execute(
                "SELECT id, name, district, industry FROM subjects_subject "
                "WHERE id > %s ORDER BY id LIMIT %s",
                [last, chunk],
            )
            batch = cur.fetchall()
            if not batch:
                break
            last = batch[-1][0]
            names, grams = [], []
            for sid, name, district, industry in batch:
                if sid % RENAMED_EVERY == 3:
                    former = entity_name(rng, "enterprise", SHORT.get(district, "海淀"), industry)
                    names.append((sid, former, founded, db_date(dt.date(2021, 4, 30)), "基准", at))
                    names.append((sid, name, renamed, None, "基准", at))
                    grams += name_gram_rows(sid, [(former, False), (name, True)])
                else:
                    names.append((sid, name, founded, None, "基准", at))
                    grams += name_gram_rows(sid, [(name, True)])
            insert_many("subjects_name", columns, names)
            _stage(cur, grams)
        cur.execute(
            "INSERT INTO subjects_name_gram (gram, rank, length, subject_id) SELECT gram, rank, length, "
            "subject_id FROM bench_gram_stage ORDER BY gram, rank, length, subject_id"
        )
        cur.execute("DROP TABLE bench_gram_stage")
        name_gram_counts_rebuild()


def _stage(cur, grams: list) -> None:
    if _pg():
        with cur.copy("COPY bench_gram_stage (gram, rank, length, subject_id) FROM STDIN") as copy:
            for row in grams:
                copy.write_row(row)
    else:
        cur.executemany("INSERT INTO bench_gram_stage VALUES (%s, %s, %s, %s)", grams)


def _objections() -> None:
    """The objection dates of the records under objection (what the pages print beside the flag), and
    one current list entry in seven under objection."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO records_recordstatuschange (record_id, from_status, to_status, reason, actor, at) "
            "SELECT id, 'published', 'under_objection', '信用主体提出异议', 'bench', %s "
            "FROM records_record WHERE status = 'under_objection'",
            [STAMP],
        )
        cur.execute("UPDATE lists_listentry SET objection_since = %s WHERE id %% 7 = 3", [STAMP])


def _many(n: int) -> None:
    """MANY_RECORDS records more for each of the `many_ids` subjects: copies of consecutive records (every
    category, status and window in their usual shares) under new document numbers."""
    names = [c for c, _, _ in checkdata._columns("records_record")]
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT max(id) FROM records_record")
        top = cur.fetchone()[0] or 0
        for k, subject_id in enumerate(many_ids(n)):
            start = (k * MANY_RECORDS) % max(top - MANY_RECORDS, 1)
            exprs = [
                str(subject_id) if c == "subject_id" else "doc_no || '-多'" if c == "doc_no" else f'"{c}"'
                for c in names
            ]
            cols = ", ".join(f'"{c}"' for c in names)
            cur.execute(
                f"INSERT INTO records_record ({cols}) SELECT {', '.join(exprs)} FROM records_record "
                "WHERE id > %s AND id <= %s",
                [start, start + MANY_RECORDS],
            )
