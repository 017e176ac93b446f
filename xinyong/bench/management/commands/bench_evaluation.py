"""`xinyong bench evaluation [--dimensions 20] [--json]`: the monthly evaluation benchmark
(xinyong/bench/evaluation.py), in a database of its own (a SQLite file in a temporary directory, or a fresh
database on the PostgreSQL server XINYONG_DATABASE_URL names; bench/databases.py)."""

from __future__ import annotations

import json
import subprocess
import tempfile

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from xinyong.bench.children import HIDDEN, child_env, last_line, run_child
from xinyong.bench.databases import bench_databases

TARGET_SECONDS = 60.0


class Command(BaseCommand):
    help = "基准测试：全部单位和区的月度考核计算耗时（目标 ≤ 60 秒），与同一次运行中的原始聚合查询对比"

    def add_arguments(self, parser):
        parser.add_argument(
            "--dimensions", type=int, default=20, help="每个单位、区、指标的维度数（默认 20）"
        )
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--child", action="store_true", help=HIDDEN)

    def handle(self, *args, **opts):
        if opts["dimensions"] < 1:
            raise CommandError("--dimensions 至少为 1")
        if opts["child"]:
            return self._child(opts)
        with tempfile.TemporaryDirectory(prefix="xinyong-bench-evaluation-") as home:
            with bench_databases("evaluation", home) as dbs:
                env = child_env(home, database=dbs.new("evaluation", migrated=True))
                args = ["bench", "evaluation", "--child", "--dimensions", str(opts["dimensions"])]
                done = run_child(args, env, stderr=subprocess.PIPE)
        if done.returncode != 0:
            raise CommandError(f"基准子进程失败：{done.stderr[-3000:]}")
        result = json.loads(last_line(done.stdout))
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            self._report(result)

    def _child(self, opts) -> None:
        from xinyong.bench import evaluation
        from xinyong.bench.baselines import storage

        call_command("migrate", verbosity=0)
        result = evaluation.run(dimensions=opts["dimensions"])
        result["storage"] = storage()
        self.stdout.write(evaluation.dumps(result))

    def _report(self, r: dict) -> None:
        say = self.stdout.write
        storage = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[r["storage"]]
        say(
            f"月度考核基准（{storage}，当月统计数 {r['figure_rows']:,} 行，写入 {r['build_seconds']:.1f} 秒）"
        )
        for kind, label in (("unit", "单位"), ("district", "区")):
            k = r["kinds"][kind]
            say(f"  {label}考核：{k['seconds']:.2f} 秒（参评 {k['entities']}，排名 {k['ranked']}）；"
                f"基线：同月原始聚合查询 {k['baseline_seconds']:.3f} 秒")  # fmt: skip
        verdict = "达标" if r["total_seconds"] <= TARGET_SECONDS else "未达标"
        say(f"  合计 {r['total_seconds']:.2f} 秒，目标 ≤ {TARGET_SECONDS:.0f} 秒：{verdict}")
