"""The import benchmark (issue 3, docs/performance.md): the real file-import path against the raw speed of the
same storage, measured in the same run on the same database.

Each run works in a fresh copy of a prepared database (reference data loaded), so runs do not disturb each
other or the operator's data:
  * import — write N generated rows (valid codes, Chinese names, catalog-shaped 行政许可 payloads, a share of
    bad rows) to a CSV file and import it with `submission_import_file` (validation, subjects, versions,
    windows, timeliness, audit), timed from opening the file to the commit;
  * raw — exactly the rows that import wrote (subjects, identifiers, names, grams and their counts,
    records), prepared in memory beforehand, written in one transaction, timed to the commit: executemany
    on SQLite, COPY on PostgreSQL (issue 18). Records are ~1 KB each (payload + fields; `record_bytes`).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import resource
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.db import connection, transaction

from xinyong.accounts.roles import Role
from xinyong.subjects.identifiers import ric_make, uscc_make
from xinyong.subjects.samplenames import CODE_BODY, DISTRICTS, INDUSTRIES, STEMS, SUFFIXES

AGENCY = uscc_make("1111000000001234")


@dataclass
class RunResult:
    rows: int
    accepted: int
    rejected: int
    import_seconds: float
    import_rows_per_s: float
    raw_seconds: float
    raw_rows_per_s: float
    ratio: float
    peak_rss_mb: float


def generate_rows(n: int, *, seed: int, bad_share: float = 0.05, person_share: float = 0.03):
    """N licence rows: ~4 rows per company, a share of persons and of rows with one field error."""
    rng = random.Random(seed)
    companies = [_company(rng) for _ in range(max(n // 4, 1))]
    for i in range(n):
        row = (
            _person_row(rng, i)
            if rng.random() < person_share
            else _company_row(rng, rng.choice(companies), i)
        )
        if rng.random() < bad_share:
            row[rng.choice(["XK_XKLB", "XK_JDRQ", "XK_XKJGDM"])] = rng.choice(["99", "2026-02-30", "123"])
        yield row


def _company(rng) -> tuple[str, str]:
    region = rng.choice(DISTRICTS)[0]
    code = uscc_make("91" + region + "".join(rng.choice(CODE_BODY) for _ in range(8)))
    trade = rng.choice(rng.choice(list(INDUSTRIES.values())))
    return code, f"北京{''.join(rng.sample(STEMS, 2))}{trade}{rng.choice(SUFFIXES)}"


# (许可证书名称, 编号前缀, 主体业态, 经营项目): catalog-shaped licence content, so a record row is ~1 KB
LICENCES = [
    ("食品经营许可证", "JY1", "食品销售经营者（商场超市）",
     ["预包装食品销售（含冷藏冷冻食品）", "散装食品销售（含散装熟食）",
      "特殊食品销售（保健食品、婴幼儿配方乳粉）", "热食类食品制售", "冷食类食品制售",
      "糕点类食品制售（含裱花蛋糕）", "自制饮品制售（不含自酿酒）"]),
    ("药品经营许可证", "京AA", "药品零售（连锁门店）",
     ["处方药、甲类非处方药、乙类非处方药", "中药饮片", "中成药、化学药制剂、抗生素制剂",
      "生化药品、生物制品（除疫苗）"]),
    ("道路运输经营许可证", "京交运管许可货字", "道路普通货物运输",
     ["普通货运", "货物专用运输（集装箱、冷藏保鲜设备）", "大型物件运输（一类）",
      "道路货物运输站（场）经营"]),
    ("排污许可证", "91110", "重点管理排污单位",
     ["大气污染物：颗粒物、二氧化硫、氮氧化物", "水污染物：化学需氧量、氨氮、总磷",
      "一般工业固体废物贮存、利用"]),
]  # fmt: skip
STREETS = ["建国路", "中关村大街", "西直门外大街", "丰台南路", "通州新华大街", "亦庄文化园西路", "望京街"]


def _content(rng, licence) -> str:
    """许可内容: premises, business form and a sample of the licensed items, as providers write them."""
    _, _, form, items = licence
    picked = rng.sample(items, rng.randint(2, len(items)))
    place = (f"北京市{rng.choice(DISTRICTS)[2]}区{rng.choice(STREETS)}{rng.randint(1, 300)}号院"
             f"{rng.randint(1, 12)}号楼{rng.randint(1, 20)}层{rng.randint(101, 2099)}")  # fmt: skip
    return f"经营场所：{place}；主体业态：{form}；许可项目：{'、'.join(picked)}。"


def _base(rng, i: int) -> dict:
    day = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(300))
    agency = "北京市工商行政管理局"
    licence = rng.choice(LICENCES)
    return {
        "XK_XKWS": "准予行政许可决定书", "XK_WSH": f"京许字〔2026〕第{i:07d}号",
        "XK_XKLB": rng.choice("12345").zfill(2), "XK_XKZS": licence[0],
        "XK_XKBH": f"{licence[1]}{rng.randrange(10**10):010d}", "XK_NR": _content(rng, licence),
        "XK_JDRQ": day.isoformat(), "XK_YXQZ": day.isoformat(),
        "XK_YXQZI": rng.choice(["2031-12-31", "2099-12-31"]),
        "XK_XKJG": agency, "XK_XKJGDM": AGENCY, "XK_ZT": "1", "XK_LYDW": agency, "XK_LYDWDM": AGENCY,
    }  # fmt: skip


def _company_row(rng, company: tuple[str, str], i: int) -> dict:
    code, name = company
    return {"XK_XDR_MC": name, "XK_XDR_LB": "法人及非法人组织", "XK_XDR_SHXYM": code, "XK_FRDB": "张伟",
            **_base(rng, i)}  # fmt: skip


def _person_row(rng, i: int) -> dict:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
    number = ric_make(rng.choice(DISTRICTS)[0], birth, f"{rng.randrange(1000):03d}")
    return {"XK_XDR_MC": "王芳", "XK_XDR_LB": "自然人", "XK_XDR_ZJLX": "身份证", "XK_XDR_ZJHM": number,
            **_base(rng, i)}  # fmt: skip


def write_csv(path: Path, rows) -> None:
    columns = [
        "XK_XDR_MC",
        "XK_XDR_LB",
        "XK_XDR_SHXYM",
        "XK_FRDB",
        "XK_XDR_ZJLX",
        "XK_XDR_ZJHM",
        *_base(random.Random(0), 0),
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def time_import(path: Path, now: dt.datetime) -> tuple[float, object]:
    """Import the file through the platform's own path; seconds and the submission."""
    from xinyong.accounts.models import Unit
    from xinyong.catalog.models import Category
    from xinyong.core.actor import Actor
    from xinyong.intake.services import submission_import_file

    unit = Unit.objects.get(code="bj-gongshangju")
    actor = Actor(label="bench", unit_code=unit.code, roles=frozenset({Role.DATA_OFFICER}))
    start = time.perf_counter()
    outcome, _ = submission_import_file(actor=actor, unit=unit, category=Category.objects.get(code="XK"),
                                        path=path, now=now)  # fmt: skip
    return time.perf_counter() - start, outcome.submission


TABLES = [
    "subjects_subject",
    "subjects_identifier",
    "subjects_name",
    "subjects_name_gram",
    "subjects_name_gram_count",
    "intake_submission",
    "records_record",
    "intake_rejectedrow",
]


def snapshot_rows() -> dict[str, tuple[list[str], list[tuple]]]:
    """Every row the import wrote to the hot tables, as (columns, rows), to replay them raw elsewhere."""
    out = {}
    with connection.cursor() as cur:
        for table in TABLES:
            cur.execute(f'SELECT * FROM "{table}"')
            out[table] = ([c[0] for c in cur.description], cur.fetchall())
    return out


def time_raw(snapshot: dict[str, tuple[list[str], list[tuple]]]) -> float:
    """The same rows written raw into the same (empty) tables with the same indexes, in one transaction, timed
    to the commit: SQLite `executemany`, PostgreSQL a raw COPY (its fastest way in; issue 18)."""
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        for table in TABLES:
            columns, rows = snapshot[table]
            names = ", ".join(f'"{c}"' for c in columns)
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cur.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
    return time.perf_counter() - start


def record_bytes(snapshot: dict[str, tuple[list[str], list[tuple]]]) -> float:
    """Average size of an imported record row (records_record: payload + fields), in bytes of its values as
    text (UTF-8), NULLs not counted."""
    _, rows = snapshot["records_record"]
    total = sum(len(str(v).encode()) for row in rows for v in row if v is not None)
    return round(total / max(len(rows), 1), 1)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def result(rows: int, submission, import_s: float, raw_s: float) -> dict:
    r = RunResult(rows=rows, accepted=submission.accepted, rejected=submission.rejected,
                  import_seconds=round(import_s, 3), import_rows_per_s=round(rows / import_s),
                  raw_seconds=round(raw_s, 3), raw_rows_per_s=round(rows / raw_s),
                  ratio=round(raw_s / import_s, 3), peak_rss_mb=round(peak_rss_mb(), 1))  # fmt: skip
    return asdict(r)


def bench_import_targets(storage: str, medians: dict) -> list[dict]:
    """Issue 18's import targets judged on the medians: on SQLite ≥ 1/3 of the raw insert and ≥ 50,000 rows/s
    (an absolute figure, context for the ratio: the raw insert of the same rows is printed beside it); on
    PostgreSQL ≥ 1/2 of the raw COPY."""
    ratio, rate = medians["ratio"], medians["import_rows_per_s"]
    if storage == "postgresql":
        return [_target("导入 ≥ 原始 COPY 的 1/2", ratio >= 0.5, f"{ratio:.2f}")]
    return [
        _target("导入 ≥ 原始写入的 1/3", ratio >= 1 / 3, f"{ratio:.2f}"),
        _target(
            "导入 ≥ 50,000 行/秒",
            rate >= 50_000,
            f"{rate:,.0f} 行/秒，原始写入 {medians['raw_rows_per_s']:,.0f} 行/秒",
        ),  # fmt: skip
    ]


def _target(target: str, ok: bool, result: str) -> dict:
    return {"target": target, "verdict": "PASS" if ok else "MISS", "result": result}
