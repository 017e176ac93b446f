"""`xinyong bench search [--subjects 1000000] [--queries 500] [--home DIR]`: the name-search benchmark
(see xinyong/bench/search.py).

Runs on SQLite in a data directory of its own, never in the operator's database: a temporary one, or the
directory given with --home, where a data set built earlier with the same --subjects and --seed is reused
(a directory holding any other database is refused). A child process builds the data set, another one
measures, each with XINYONG_HOME set to that directory. Prints p50/p99 per query length for the search and,
in the same run, for the raw-index baseline, with the data set's build time.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.bench.children import HIDDEN, child_env, in_home, last_line, run_child

DB_FILE = "xinyong.sqlite3"
META_FILE = "bench_search.json"


class Command(BaseCommand):
    help = "基准测试：主体名称检索（2、3、4 字）p50/p99，与同库原始索引查询对比"

    def add_arguments(self, parser):
        parser.add_argument("--subjects", type=int, default=1_000_000, help="数据集主体数（默认 1,000,000）")
        parser.add_argument("--queries", type=int, default=500, help="每种长度的查询数（默认 500）")
        parser.add_argument("--home", help="数据目录（可复用已建的数据集）；默认使用临时目录")
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument("--long", type=int, default=100, help="另测 6 字查询的条数（0 为不测）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--child", choices=["build", "measure"], help=HIDDEN)

    def handle(self, *args, **opts):
        if opts["child"]:
            return self._child(opts)
        if opts["subjects"] < 100 or opts["queries"] < 1:
            raise CommandError("--subjects 至少 100，--queries 至少 1")
        report = in_home(opts["home"], "xinyong-bench-search-", lambda home: self._run(home, opts))
        self._report(report, opts["json"])

    # ── parent ───────────────────────────────────────────────────────────────────────────────────────

    def _run(self, home: Path, opts) -> dict:
        wanted = {"subjects": opts["subjects"], "seed": opts["seed"]}
        meta_path = home / META_FILE
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else None
        if meta and {k: meta.get(k) for k in wanted} == wanted:
            build, reused = meta["build"], True
            self.stderr.write(f"复用 {home} 中已建的数据集（{opts['subjects']:,} 个主体）")
        else:
            if (home / DB_FILE).exists():
                raise CommandError(f"{home} 已有数据库且不是同规模的基准数据集：拒绝覆盖，请换一个目录")
            home.mkdir(parents=True, exist_ok=True)
            self.stderr.write(f"在 {home} 生成 {opts['subjects']:,} 个主体的数据集 …")
            build = self._spawn(home, ["--child", "build", "--subjects", str(opts["subjects"]),
                                       "--seed", str(opts["seed"])])  # fmt: skip
            meta_path.write_text(json.dumps({**wanted, "build": build}, ensure_ascii=False))
            reused = False
        self.stderr.write("测量查询 …")
        measured = self._spawn(home, ["--child", "measure", "--subjects", str(opts["subjects"]),
                                      "--queries", str(opts["queries"]), "--seed", str(opts["seed"]),
                                      "--long", str(opts["long"])])  # fmt: skip
        return {"build": build, "reused": reused, **measured}

    def _spawn(self, home: Path, args: list[str]) -> dict:
        done = run_child(["bench", "search", *args], child_env(home))
        if done.returncode != 0:
            raise CommandError(f"基准子进程失败（{' '.join(args[:2])}），退出码 {done.returncode}")
        return json.loads(last_line(done.stdout))

    def _report(self, report: dict, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        b = report["build"]
        how = "复用" if report["reused"] else "本次生成"
        self.stdout.write(
            f"名称检索基准（SQLite，{b['subjects']:,} 个主体，{b['names']:,} 个名称（含曾用名），"
            f"{b['gram_rows']:,} 个索引片段，数据库 {report['database_mb']:,.0f} MB）"
        )
        self.stdout.write(
            f"  数据集（{how}）：{b['build_seconds']:.1f} 秒（写入行 {b['rows_seconds']:.1f} 秒，"
            f"索引排序写入 {b['index_sort_seconds']:.1f} 秒）"
        )
        self.stdout.write(f"  每种长度 {report['queries_per_length']} 条查询，匿名检索首页 20 条")
        self.stdout.write("  长度  检索 p50    检索 p99    原始索引 p50  原始索引 p99  平均条数  有下一页")
        for length, r in report["results"].items():
            s, raw = r["search"], r["baseline"]
            self.stdout.write(
                f"  {length} 字  {s['p50_ms']:8.3f} ms {s['p99_ms']:8.3f} ms  {raw['p50_ms']:8.3f} ms   "
                f"{raw['p99_ms']:8.3f} ms   {r['mean_hits']:6.1f}    {r['with_next_page']}/{r['queries']}"
                + (f"（过宽拒绝 {r['refused_too_broad']}）" if r["refused_too_broad"] else "")
            )
        worst = max(r["search"]["p99_ms"] for k, r in report["results"].items() if k in ("2", "3", "4"))
        verdict = "达到" if worst <= 50 else "未达到"
        self.stdout.write(f"  目标 p99 ≤ 50 ms（2、3、4 字）：{verdict}（最差 {worst:.3f} ms）")

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
                                          long_queries=opts["long"])  # fmt: skip
            result["database_mb"] = search.database_mb()
        self.stdout.write(json.dumps(result, ensure_ascii=False))
