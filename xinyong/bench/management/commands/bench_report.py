"""`xinyong bench report [--records 50] [--reports 20] [--json]`: the credit report benchmark
(xinyong/bench/report.py).

Runs in a temporary data directory and a database of its own, never in the operator's database: a SQLite file
there, or a fresh database on the PostgreSQL server XINYONG_DATABASE_URL names (bench/databases.py; issue 18).
A child process migrates that database, loads the reference data, creates the subject's records through the
submission service and times the reports. The pre-subset report font is shared with the operator's font cache
(built there once if missing), so the figures are those of a running platform.
"""

from __future__ import annotations

import json
import subprocess
import tempfile

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from xinyong.bench.children import HIDDEN, child_env, last_line, run_child
from xinyong.bench.databases import bench_databases

TARGET_SECONDS = 0.5


class Command(BaseCommand):
    help = "基准测试：信用报告 PDF 出具耗时（中位数、P90），与同一次运行中的单行 PDF 和原始写入基线对比"

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=50, help="主体的信用信息条数（默认 50）")
        parser.add_argument("--reports", type=int, default=20, help="计时的报告份数（默认 20）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--child", action="store_true", help=HIDDEN)

    def handle(self, *args, **opts):
        if opts["records"] < 1 or opts["reports"] < 1:
            raise CommandError("--records 和 --reports 至少为 1")
        if opts["child"]:
            return self._child(opts)
        from xinyong.reports.fonts import cache_dir

        with tempfile.TemporaryDirectory(prefix="xinyong-bench-report-") as home:
            with bench_databases("report", home) as dbs:
                env = child_env(
                    home,
                    database=dbs.new("report", migrated=True),
                    extra={"XINYONG_FONT_CACHE": str(cache_dir())},
                )
                args = ["bench", "report", "--child",
                        "--records", str(opts["records"]), "--reports", str(opts["reports"])]  # fmt: skip
                done = run_child(args, env, stderr=subprocess.PIPE)
        if done.returncode != 0:
            raise CommandError(f"基准子进程失败：{done.stderr[-3000:]}")
        result = json.loads(last_line(done.stdout))
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self._report(result)

    def _child(self, opts) -> None:
        from xinyong.bench import report
        from xinyong.bench.baselines import durable_commit, storage

        call_command("migrate", verbosity=0)
        result = report.run(records=opts["records"], reports=opts["reports"])
        result.update(storage=storage(), baseline_commit=durable_commit())
        self.stdout.write(report.dumps(result))

    def _report(self, r: dict) -> None:
        s, say = r["seconds"], self.stdout.write
        storage = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[r["storage"]]
        say(f"信用报告基准（{storage}，主体 {r['records']} 条信息、报告收录 {r['records_shown']} 条，"
            f"{r['pages']} 页 / {r['bytes']:,} 字节，计时 {r['reports']} 份）")  # fmt: skip
        rows = [
            ("出具全量报告（完整路径）", "issue"),
            ("  同上，进程 CPU 时间", "issue_cpu"),
            ("出具专项信用报告", "compliance"),
            ("  其中：读取报告内容", "content"),
            ("  其中：生成 PDF", "render"),
            ("基线：同字体单行 PDF", "baseline_pdf"),
            ("基线：写入同样字节并 fsync", "baseline_write"),
        ]
        for label, key in rows:
            say(f"  {label}：中位数 {s[key]['median'] * 1000:.1f} ms，P90 {s[key]['p90'] * 1000:.1f} ms")
        commit = r["baseline_commit"]
        say(f"  基线：单行持久提交（同一存储）：P50 {commit['p50_ms']:.3f} ms，P99 {commit['p99_ms']:.3f} ms")
        verdict = "达标" if s["issue"]["median"] <= TARGET_SECONDS else "未达标"
        say(f"  全量报告/单行 PDF 基线 比值：{r['ratio_issue_to_baseline_pdf']:.2f}")
        say(f"  目标 ≤ {TARGET_SECONDS:.1f} 秒（中位数）：{verdict}")
        say(
            f"  字体：{r['font']} 预子集 {r['font_subset_bytes']:,} 字节"
            f"（准备 {r['font_prepare_seconds']:.2f} 秒）"
        )
