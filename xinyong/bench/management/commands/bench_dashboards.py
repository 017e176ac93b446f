"""`xinyong bench dashboards [--months 36] [--units N] [--repeat 5] [--json]`: the dashboards benchmark
(xinyong/bench/dashboards.py).

Runs in a temporary data directory and a database of its own, never in the operator's database: a SQLite file
there, or a fresh database on the PostgreSQL server XINYONG_DATABASE_URL names (bench/databases.py). A child
process migrates it, loads the reference data, writes the monthly figures of every unit and month and times
each dashboard page beside the raw aggregate of the same sums.
"""

from __future__ import annotations

import json
import subprocess
import tempfile

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from xinyong.bench.children import HIDDEN, child_env, last_line, run_child
from xinyong.bench.databases import bench_databases

TARGET_SECONDS = 1.0


class Command(BaseCommand):
    help = "基准测试：各看板页面的服务器用时（中位数、P90），与同一次运行中的原始聚合查询对比"

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=36, help="月数（默认 36）")
        parser.add_argument("--units", type=int, default=0, help="单位数（默认全部）")
        parser.add_argument("--repeat", type=int, default=5, help="每个页面计时次数（默认 5）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--child", action="store_true", help=HIDDEN)

    def handle(self, *args, **opts):
        if opts["months"] < 1 or opts["repeat"] < 1 or opts["units"] < 0:
            raise CommandError("--months 和 --repeat 至少为 1，--units 不能为负")
        if opts["child"]:
            return self._child(opts)
        with tempfile.TemporaryDirectory(prefix="xinyong-bench-dashboards-") as home:
            with bench_databases("dashboards", home) as dbs:
                env = child_env(home, database=dbs.new("dashboards", migrated=True))
                args = ["bench", "dashboards", "--child", "--months", str(opts["months"]),
                        "--units", str(opts["units"]), "--repeat", str(opts["repeat"])]  # fmt: skip
                done = run_child(args, env, stderr=subprocess.PIPE)
        if done.returncode != 0:
            raise CommandError(f"基准子进程失败：{done.stderr[-3000:]}")
        result = json.loads(last_line(done.stdout))
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self._report(result)

    def _child(self, opts) -> None:
        from xinyong.bench import dashboards
        from xinyong.bench.baselines import storage

        call_command("migrate", verbosity=0)
        result = dashboards.run(months=opts["months"], units=opts["units"] or None, repeat=opts["repeat"])
        result["storage"] = storage()
        self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))

    def _report(self, r: dict) -> None:
        say = self.stdout.write
        storage = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[r["storage"]]
        say(f"看板基准（{storage}，{r['units']} 个单位 × {r['months']} 个月，月度统计 {r['rows']:,} 行，"
            f"生成 {r['generate_seconds']} 秒；每页计时 {r['repeat']} 次）")  # fmt: skip
        worst = 0.0
        for name, t in r["dashboards"].items():
            page, raw = t["page"], t["raw"]
            worst = max(worst, page["median"])
            say(f"  {name}：页面 中位数 {page['median'] * 1000:.1f} ms，P90 {page['p90'] * 1000:.1f} ms；"
                f"原始聚合 中位数 {raw['median'] * 1000:.1f} ms")  # fmt: skip
        verdict = "达标" if worst <= TARGET_SECONDS else "未达标"
        say(f"  目标：每个看板 ≤ {TARGET_SECONDS:.0f} 秒（中位数）：{verdict}（最慢 {worst * 1000:.1f} ms）")
