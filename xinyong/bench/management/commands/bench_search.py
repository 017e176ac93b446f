"""`xinyong bench search [--subjects 1000000] [--queries 500] [--max-length 8] [--home DIR] [--keep]`: the
name-search benchmark (see xinyong/bench/search.py; issue 18).

Never runs in the operator's database. On SQLite (the default) it works in a data directory of its own: a
temporary one, or the directory given with --home, where a data set built earlier with the same --subjects
and --seed is reused (a directory holding any other database is refused). When XINYONG_DATABASE_URL names a
PostgreSQL server, it creates a fresh database `bench_search_<pid>_data` on that server
(xinyong/bench/databases.py) and drops it at the end, unless --home (the database is then recorded there and
reused) or --keep. A child process builds the data set, another one measures, each with XINYONG_HOME set to
the directory (and the benchmark's own database URL on PostgreSQL). Prints p50/p99 per query length (2 to
--max-length) for the search and, in the same run, for the raw-index baseline, the share of queries refused,
the data set's build time and the machine's load.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.bench.children import HIDDEN, child_env, in_home, last_line, run_child
from xinyong.bench.databases import BenchDatabase, bench_databases, template_copy_to

DB_FILE = "xinyong.sqlite3"
META_FILE = "bench_search.json"


class Command(BaseCommand):
    help = "基准测试：主体名称检索（2–8 字）p50/p99，与同库原始索引查询对比（SQLite 或 PostgreSQL）"

    def add_arguments(self, parser):
        parser.add_argument("--subjects", type=int, default=1_000_000, help="数据集主体数（默认 1,000,000）")
        parser.add_argument("--queries", type=int, default=500, help="每种长度的查询数（默认 500）")
        parser.add_argument("--home", help="数据目录（可复用已建的数据集）；默认使用临时目录")
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument("--max-length", type=int, default=8, help="查询长度 2 至此（默认 8）")
        parser.add_argument("--keep", action="store_true", help="PostgreSQL：结束后保留基准数据库")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--child", choices=["build", "measure"], help=HIDDEN)

    def handle(self, *args, **opts):
        if opts["child"]:
            return self._child(opts)
        if opts["subjects"] < 100 or opts["queries"] < 1 or not 2 <= opts["max_length"] <= 50:
            raise CommandError("--subjects 至少 100，--queries 至少 1，--max-length 在 2–50 之间")
        report = in_home(opts["home"], "xinyong-bench-search-", lambda home: self._run(home, opts))
        self._report(report, opts["json"])

    # ── parent ───────────────────────────────────────────────────────────────────────────────────────

    def _run(self, home: Path, opts) -> dict:
        with bench_databases("search", home, keep=bool(opts["home"] or opts["keep"])) as dbs:
            if dbs.server is None:  # SQLite in the benchmark's own directory
                return self._run_in(home, opts, None)
            meta = self._meta(home)
            name = meta.get("database") if opts["home"] and meta else None
            db = dbs.existing(name) if name else None
            if db is None:
                db = dbs.new("data", migrated=True)
                (home / META_FILE).unlink(missing_ok=True)  # a data set recorded here is in another database
            self.stderr.write(f"PostgreSQL 基准数据库：{db.name}")
            return self._run_in(home, opts, db)

    @staticmethod
    def _meta(home: Path) -> dict:
        path = home / META_FILE
        return json.loads(path.read_text()) if path.exists() else {}

    def _run_in(self, home: Path, opts, database: BenchDatabase | None) -> dict:
        wanted = {"subjects": opts["subjects"], "seed": opts["seed"], "database": database and database.name}
        self.database = database
        meta_path = home / META_FILE
        meta = self._meta(home)
        if meta and {k: meta.get(k) for k in wanted} == wanted:
            build, reused = meta["build"], True
            self.stderr.write(f"复用 {home} 中已建的数据集（{opts['subjects']:,} 个主体）")
        else:
            if not database and (home / DB_FILE).exists():
                raise CommandError(f"{home} 已有数据库且不是同规模的基准数据集：拒绝覆盖，请换一个目录")
            home.mkdir(parents=True, exist_ok=True)
            if not database:
                template_copy_to(home / DB_FILE)  # the tests' migrated template, if any (bench/databases.py)
            self.stderr.write(f"在 {home} 生成 {opts['subjects']:,} 个主体的数据集 …")
            build = self._spawn(home, ["--child", "build", "--subjects", str(opts["subjects"]),
                                       "--seed", str(opts["seed"])])  # fmt: skip
            meta_path.write_text(json.dumps({**wanted, "build": build}, ensure_ascii=False))
            reused = False
        self.stderr.write("测量查询 …")
        measured = self._spawn(home, ["--child", "measure", "--subjects", str(opts["subjects"]),
                                      "--queries", str(opts["queries"]), "--seed", str(opts["seed"]),
                                      "--max-length", str(opts["max_length"])])  # fmt: skip
        return {"build": build, "reused": reused, **measured}

    def _spawn(self, home: Path, args: list[str]) -> dict:
        done = run_child(["bench", "search", *args], child_env(home, database=self.database))
        if done.returncode != 0:
            raise CommandError(f"基准子进程失败（{' '.join(args[:2])}），退出码 {done.returncode}")
        return json.loads(last_line(done.stdout))

    def _report(self, report: dict, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        b = report["build"]
        how = "复用" if report["reused"] else "本次生成"
        vendor = "PostgreSQL" if report["vendor"] == "postgresql" else "SQLite"
        self.stdout.write(
            f"名称检索基准（{vendor}，{b['subjects']:,} 个主体，{b['names']:,} 个名称（含曾用名），"
            f"{b['gram_rows']:,} 个索引片段，数据库 {report['database_mb']:,.0f} MB）"
        )
        self.stdout.write(
            f"  数据集（{how}）：{b['build_seconds']:.1f} 秒（写入行 {b['rows_seconds']:.1f} 秒，"
            f"索引排序写入 {b['index_sort_seconds']:.1f} 秒）"
        )
        load = " ".join(f"{x:.2f}" for x in report["load"])
        per = report["queries_per_length"]
        self.stdout.write(f"  每种长度 {per} 条查询，匿名检索首页 20 条；负载 {load}")
        self.stdout.write("  长度  检索 p50    检索 p99    原始索引 p50 原始索引 p99  平均条数 有下一页 拒绝")
        for length, r in report["results"].items():
            s, raw = r["search"], r["baseline"]
            self.stdout.write(
                f"  {length} 字  {s['p50_ms']:8.3f} ms {s['p99_ms']:8.3f} ms  {raw['p50_ms']:8.3f} ms   "
                f"{raw['p99_ms']:8.3f} ms   {r['mean_hits']:6.1f}    {r['with_next_page']}/{r['queries']}"
                f"   {r['refused_share']:.1%}"
            )
        worst = max(r["search"]["p99_ms"] for r in report["results"].values())
        refused = sum(r["refused"] for r in report["results"].values())
        verdict = "达到" if worst <= 50 and not refused else "未达到"
        self.stdout.write(f"  目标 p99 ≤ 50 ms 且无拒绝：{verdict}（最差 {worst:.3f} ms，拒绝 {refused}）")

    # ── children (each with XINYONG_HOME set to the benchmark's directory) ───────────────────────────────

    def _child(self, opts) -> None:
        from django.core.management import call_command

        from xinyong.bench import search

        if opts["child"] == "build":
            call_command("migrate", verbosity=0)

            def progress(done: int, seconds: float) -> None:
                if done % 200_000 == 0:
                    self.stderr.write(f"  已生成 {done:,} 个主体（{seconds:.0f} 秒）")

            result = search.build(opts["subjects"], opts["seed"], progress=progress)
        else:
            result = search.measure(opts["subjects"], opts["queries"], opts["seed"],
                                    max_length=opts["max_length"])  # fmt: skip
            result["database_mb"] = search.database_mb()
        self.stdout.write(json.dumps(result, ensure_ascii=False))
