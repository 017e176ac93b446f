"""`xinyong bench import --rows 100000 --runs 5`: the import benchmark (see xinyong/bench/importing.py).

Runs in a temporary data directory and databases of its own, never in the operator's database: SQLite files
there, or — when XINYONG_DATABASE_URL names a PostgreSQL server — fresh databases on that server
(bench/databases.py; issue 18). A template database is prepared once (migrations + reference data), and every
run imports into a fresh copy of it, then replays the same rows raw into another fresh copy (executemany on
SQLite, COPY on PostgreSQL) and times a durable one-row commit there. Prints the storage, each run and the
medians.
"""

from __future__ import annotations

import json
import pickle
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from xinyong.bench.children import HIDDEN, child_env, last_line, run_child
from xinyong.bench.databases import BenchDatabase, BenchDatabases, bench_databases
from xinyong.bench.importing import bench_import_targets

KEY_FILES = ("secret_key", "identity_key")


class Command(BaseCommand):
    help = "基准测试：归集导入速度与同一数据库原始写入速度对比（中位数）"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["import"])
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--child", choices=["prepare", "generate", "import", "raw"],
                            help=HIDDEN)  # fmt: skip
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--snapshot")

    def handle(self, *args, **opts):
        if opts["child"]:
            return self._child(opts)
        if opts["rows"] < 10 or opts["runs"] < 1:
            raise CommandError("--rows 至少 10，--runs 至少 1")
        with tempfile.TemporaryDirectory(prefix="xinyong-bench-") as tmp:
            with bench_databases("import", tmp) as dbs:
                results = self._runs(dbs, opts["rows"], opts["runs"])
        self._report(results, opts["json"])

    # ── parent ───────────────────────────────────────────────────────────────────────────────────────

    def _runs(self, dbs: BenchDatabases, rows: int, runs: int) -> list[dict]:
        template = dbs.new("template", migrated=True)
        self._spawn(dbs.root / "template", template, ["--child", "prepare"])
        results = []
        for i in range(1, runs + 1):
            run_home, raw_home = dbs.root / f"run{i}", dbs.root / f"raw{i}"
            run_db, raw_db = dbs.copy(template, f"run{i}"), dbs.copy(template, f"raw{i}")
            for home in (run_home, raw_home):
                _copy_keys(dbs.root / "template", home)
            generate = ["--child", "generate", "--rows", str(rows), "--seed", str(i)]
            self._spawn(run_home, run_db, generate)
            imported = json.loads(self._spawn(run_home, run_db, ["--child", "import", "--rows", str(rows)]))
            snapshot = ["--child", "raw", "--snapshot", str(run_home / "snapshot.pkl")]
            raw = json.loads(self._spawn(raw_home, raw_db, snapshot))
            results.append(_combine(imported, raw))
            self.stderr.write(
                f"第 {i} 轮：导入 {results[-1]['import_rows_per_s']:,} 行/秒，"
                f"原始写入 {results[-1]['raw_rows_per_s']:,} 行/秒"
            )
        return results

    def _spawn(self, home: Path, database: BenchDatabase, args: list[str]) -> str:
        env = child_env(home, database=database)
        done = run_child(["bench", "import", *args], env, stderr=subprocess.PIPE)
        if done.returncode != 0:
            raise CommandError(f"基准子进程失败：{done.stderr[-2000:]}")
        return last_line(done.stdout)

    def _report(self, results: list[dict], as_json: bool) -> None:
        keys = ["import_rows_per_s", "raw_rows_per_s", "ratio", "import_seconds", "raw_seconds",
                "peak_rss_mb", "record_bytes", "commit_p50_ms", "commit_p99_ms"]  # fmt: skip
        medians = {k: statistics.median(r[k] for r in results) for k in keys}
        targets = bench_import_targets(results[0]["storage"], medians)
        if as_json:
            out = {"storage": results[0]["storage"], "runs": results, "median": medians, "targets": targets}
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        r0, say = results[0], self.stdout.write
        storage, raw = STORAGE[r0["storage"]]
        say(f"归集导入基准（{storage}，{r0['rows']:,} 行/轮，{len(results)} 轮，接收 {r0['accepted']:,}，"
            f"退回 {r0['rejected']:,}；信息每行平均 {medians['record_bytes']:,.0f} 字节）")  # fmt: skip
        say(f"  导入（完整路径）中位数：{medians['import_rows_per_s']:,.0f} 行/秒"
            f"（{medians['import_seconds']:.2f} 秒）")  # fmt: skip
        say(f"  基线：{raw}（同库同表同样的行）中位数：{medians['raw_rows_per_s']:,.0f} 行/秒"
            f"（{medians['raw_seconds']:.2f} 秒）")  # fmt: skip
        say(f"  导入/原始 比值中位数：{medians['ratio']:.2f}")
        say(f"  基线：单行持久提交 P50 {medians['commit_p50_ms']:.3f} ms，"
            f"P99 {medians['commit_p99_ms']:.3f} ms")  # fmt: skip
        say(f"  导入进程峰值内存中位数：{medians['peak_rss_mb']:.0f} MB")
        for t in targets:
            say(f"  目标（issue 18）{t['target']}：{t['verdict']}（本次 {t['result']}）")

    # ── children (each in its own data directory) ──────────────────────────────────────────────────────

    def _child(self, opts) -> None:
        from xinyong.bench import importing as bench

        if opts["child"] == "prepare":
            call_command("migrate", verbosity=0)
            from xinyong.core.actor import Actor
            from xinyong.core.timeutil import now
            from xinyong.ops.reference import reference_load_all

            reference_load_all(actor=Actor.system(), now=now())
            self.stdout.write("{}")
        elif opts["child"] == "generate":  # its own process, so the import's peak memory is the import's
            from django.conf import settings

            rows = bench.generate_rows(opts["rows"], seed=opts["seed"])
            bench.write_csv(Path(settings.XINYONG_HOME) / "rows.csv", rows)
            self.stdout.write("{}")
        elif opts["child"] == "import":
            self._child_import(bench, opts)
        else:
            from xinyong.bench.baselines import durable_commit, storage

            snapshot = pickle.loads(Path(opts["snapshot"]).read_bytes())
            out = {"raw_seconds": bench.time_raw(snapshot), "storage": storage(),
                   "record_bytes": bench.record_bytes(snapshot)}  # fmt: skip
            commit = durable_commit()
            out.update(commit_p50_ms=commit["p50_ms"], commit_p99_ms=commit["p99_ms"])
            self.stdout.write(json.dumps(out))

    def _child_import(self, bench, opts) -> None:
        import datetime as dt

        from django.conf import settings

        path = Path(settings.XINYONG_HOME) / "rows.csv"
        seconds, submission = bench.time_import(path, dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC))
        out = {"rows": opts["rows"], "accepted": submission.accepted, "rejected": submission.rejected,
               "import_seconds": seconds, "peak_rss_mb": bench.peak_rss_mb()}  # fmt: skip
        (Path(settings.XINYONG_HOME) / "snapshot.pkl").write_bytes(pickle.dumps(bench.snapshot_rows()))
        self.stdout.write(json.dumps(out))


STORAGE = {"sqlite": ("SQLite", "原始 executemany 写入"), "postgresql": ("PostgreSQL", "原始 COPY 写入")}


def _copy_keys(template: Path, target: Path) -> None:
    """The template's key files (the identity key encrypts resident IDs) in a run's data directory."""
    target.mkdir(parents=True, exist_ok=True)
    for name in KEY_FILES:
        shutil.copy2(template / name, target / name)


def _combine(imported: dict, raw: dict) -> dict:
    rows = imported["rows"]
    return {
        **imported, "import_seconds": round(imported["import_seconds"], 3),
        "import_rows_per_s": round(rows / imported["import_seconds"]),
        "raw_seconds": round(raw["raw_seconds"], 3), "raw_rows_per_s": round(rows / raw["raw_seconds"]),
        "ratio": round(raw["raw_seconds"] / imported["import_seconds"], 3),
        "peak_rss_mb": round(imported["peak_rss_mb"], 1), "storage": raw["storage"],
        "record_bytes": raw["record_bytes"], "commit_p50_ms": raw["commit_p50_ms"],
        "commit_p99_ms": raw["commit_p99_ms"],
    }  # fmt: skip
