"""`xinyong bench portal [--subjects 1000000] [--records 10000000] [--samples 300]`: the portal benchmark
(issue 15: subject page and search results p95 ≤ 50 ms of server time, ≤ 150 KB a page before compression,
fonts excluded, at 1 M subjects / 10 M records).

Works in a database of its own, never the operator's (bench/databases.py): a SQLite file in its data
directory — a temporary one, `--home DIR` (kept, and reused when run again with the same sizes), or with
`--keep` a new directory that is kept and printed (`--reuse DIR` runs again on it) — or, when
XINYONG_DATABASE_URL names a PostgreSQL server, a fresh database there, dropped after the run unless `--keep`
(`--reuse NAME` runs again on it). Child processes:
  * build   — migrations and every reference data set, then the check benchmark's data set shaped for the
              portal and what the pages need beyond it (bench/portaldata.py); the sizes are recorded in the
              database itself (`bench_portal_meta`);
  * measure — in one warm process, each page kind through Django's test Client beside the same run's raw
              query, the page weight and the queries per page (bench/portalrun.py).
Prints p50/p95/p99 per page kind, the raw query beside it, the heaviest page, and PASS/MISS.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.bench.buildmeta import database_bytes, meta_read, meta_write
from xinyong.bench.children import HIDDEN, child_env, in_home, last_line, run_child
from xinyong.bench.databases import BenchDatabase, BenchDatabases, bench_databases, storage_kind

LABEL = "portal"
META_TABLE = "bench_portal_meta"


class Command(BaseCommand):
    help = (
        "基准测试：门户主体页、信用查询结果页、信息详情页的服务端耗时（p50/p95/p99）与页面大小，"
        "与同库原始查询对比"
    )

    def add_arguments(self, parser):
        parser.add_argument("--subjects", type=int, default=1_000_000)
        parser.add_argument("--records", type=int, default=10_000_000)
        parser.add_argument("--samples", type=int, default=300, help="每类页面的请求数")
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument("--home", help="SQLite：保留并复用的基准数据目录（默认临时目录）")
        parser.add_argument("--keep", action="store_true", help="保留生成的基准数据库（打印其名称或目录）")
        parser.add_argument(
            "--reuse", metavar="NAME", help="复用 --keep 保留的基准数据库（PostgreSQL 库名；SQLite 目录）"
        )
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--child", choices=["build", "meta", "measure"], help=HIDDEN)

    def handle(self, *args, **opts):
        if opts["child"]:
            return self._child(opts)
        if opts["subjects"] < 100 or opts["records"] < 100 or opts["samples"] < 10:
            raise CommandError("--subjects 至少 100，--records 至少 100，--samples 至少 10")
        home = opts["home"]
        if storage_kind() == "sqlite":
            if opts["reuse"]:
                if home or not (Path(opts["reuse"]) / LABEL).is_dir():
                    raise CommandError(f"{opts['reuse']} 不是 --keep 保留的基准数据目录")
                home = opts["reuse"]
            elif opts["keep"] and not home:
                home = tempfile.mkdtemp(prefix="xinyong-bench-portal-")
        report = in_home(home, "xinyong-bench-portal-", lambda h: self._run(h, opts))
        self.stdout.write(json.dumps(report, ensure_ascii=False) if opts["json"] else text(report))

    def _run(self, home: Path, opts) -> dict:
        home.mkdir(parents=True, exist_ok=True)
        with bench_databases(LABEL, home) as dbs:
            db, meta = self._database(dbs, home, opts)
            kept = (
                bool(opts["home"] or opts["keep"] or opts["reuse"])
                if db.kind == "sqlite"
                else db not in dbs.made
            )
            self.stderr.write("测量页面 …")
            measured = json.loads(self._spawn(home, db, "measure", opts))
        from xinyong.bench.portalrun import verdicts

        report = {"database": db.name if db.kind == "postgresql" else str(home), "kept": kept, **meta,
                  **measured, "load_average_end": [round(x, 2) for x in os.getloadavg()]}  # fmt: skip
        report["targets"] = verdicts(report)
        return report

    def _database(self, dbs: BenchDatabases, home: Path, opts) -> tuple[BenchDatabase, dict]:
        """The built database and what it holds: reused (`--reuse`, or `--home` holding one) or built now."""
        if dbs.server:
            found = dbs.existing(opts["reuse"]) if opts["reuse"] else None
        else:
            found = dbs.existing(LABEL)
        if opts["reuse"] and found is None:
            raise CommandError(f"没有基准数据库 {opts['reuse']}")
        meta = json.loads(self._spawn(home, found, "meta", opts)) if found else {}
        if found and meta.get("subjects") is not None:
            if opts["reuse"]:
                opts["subjects"], opts["records"] = meta["subjects"], meta["records"]
            elif (meta["subjects"], meta["records"]) != (opts["subjects"], opts["records"]):
                raise CommandError(f"{home} 中已有规模不同的数据库：请换一个 --home 目录")
            self.stderr.write(f"复用基准数据库 {found.name}（{meta['subjects']:,} 个主体）")
            return found, {**meta, "reused": True}
        if found:
            raise CommandError(f"{found.name} 不是完整的门户基准数据库（生成中断？）：请删除后重来")
        db = dbs.new(LABEL, migrated=True)
        self.stderr.write(
            f"生成数据（{db.kind} {db.name}）：{opts['subjects']:,} 个主体、{opts['records']:,} 条信息 …"
        )
        meta = json.loads(self._spawn(home, db, "build", opts))
        if opts["keep"]:
            dbs.keep_one(db)
            where = f"--reuse {db.name}" if db.kind == "postgresql" else f"--reuse {home}"
            self.stderr.write(f"已保留基准数据库：下次用 {where} 复用")
        return db, {**meta, "reused": False}

    def _spawn(self, home: Path, db: BenchDatabase | None, child: str, opts) -> str:
        args = ["bench_portal", "--child", child]
        for name in ("subjects", "records", "samples", "seed"):
            args += [f"--{name}", str(opts[name])]
        # the rate counter is counted (part of a request's cost) but never refuses the benchmark's requests
        rates = {f"XINYONG_RATE_{name}": "1000000000/60" for name in ("ANON", "LOOKUP")}
        done = run_child(args, child_env(home, database=db, extra=rates))
        if done.returncode != 0:
            raise CommandError(f"基准子进程 {child} 失败（退出码 {done.returncode}），见上方输出")
        return last_line(done.stdout)

    # ── children ────────────────────────────────────────────────────────────────────────────────────────

    def _child(self, opts) -> None:
        if opts["child"] == "build":
            result = _build(opts, self.stderr.write)
        elif opts["child"] == "meta":
            result = meta_read(META_TABLE)
        else:
            from xinyong.bench.portalrun import measure

            result = measure(subjects=opts["subjects"], samples=opts["samples"], seed=opts["seed"])
        self.stdout.write(json.dumps(result, ensure_ascii=False))


def _build(opts, say) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from xinyong.bench import portaldata

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    portaldata.reference_load()
    say(f"  参考数据：{time.perf_counter() - started:.1f} 秒")
    timings = portaldata.build(
        subjects=opts["subjects"], records=opts["records"], seed=opts["seed"], progress=say
    )
    meta = {"storage": connection.vendor, "subjects": opts["subjects"], "records": opts["records"],
            "build_seconds": timings, "database_mb": round(database_bytes() / 2**20),
            "build_load_average": [round(x, 2) for x in os.getloadavg()]}  # fmt: skip
    meta_write(META_TABLE, meta)  # kept in the database itself, so a reused database says what it holds
    return meta


STORAGE = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def text(report: dict) -> str:
    """The report as a table: each page kind beside its raw query, the heaviest page, the verdict."""
    from xinyong.bench.portalrun import PAGES, TARGET_BYTES, TARGET_MS

    build = report["build_seconds"]
    how = "复用" if report["reused"] else "本次生成"
    lines = [
        f"门户页面基准（{STORAGE[report['storage']]}，{report['subjects']:,} 个主体，"
        f"{report['records']:,} 条信息，数据库 {report['database_mb']:,} MB，"
        f"{'已保留：' + report['database'] if report['kept'] else '未保留'}）",
        f"  数据（{how}）：{sum(build.values()):.0f} 秒（"
        + "，".join(f"{k} {v}" for k, v in build.items())
        + "）",
        "  负载（测量前、后各 1/5/15 分钟）：" + " ".join(f"{x:.2f}" for x in report["load_average"]),
        f"  目标：p95 ≤ {TARGET_MS:.0f} ms，页面 ≤ {TARGET_BYTES // 1024} KB"
        "（HTML 与所链 CSS/JS/图片，不含字体，未压缩）",
        "",
        "| 页面 | 次数 | p50 ms | p95 ms | p99 ms | CPU p50 / p95 ms | 原始查询 p50 / p95 ms | 最大页面 KB "
        "| 查询数 | 判定 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = {row["key"]: row["verdict"] for row in report["targets"]}
    for key, label in PAGES.items():
        found = report.get(key)
        if not found:
            continue
        page, cpu, raw = found["page"], found["page_cpu"], found["raw"]
        lines.append(
            f"| {label} | {page['n']} | {page['p50_ms']:.2f} | {page['p95_ms']:.2f} | {page['p99_ms']:.2f} | "
            f"{cpu['p50_ms']:.2f} / {cpu['p95_ms']:.2f} | "
            f"{raw['p50_ms']:.3f} / {raw['p95_ms']:.3f} | {found['bytes_max'] / 1024:.1f} | "
            f"{found['queries']} | {verdicts[key]} |"
        )
    return "\n".join(lines)
