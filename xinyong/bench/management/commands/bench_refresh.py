"""`xinyong bench refresh [--subjects 1000000] [--records 10000000]`: the month refresh benchmark
(xinyong/bench/refresh.py, issue 16): `month_refresh` of one month over the check benchmark's data set, then
the unit and district evaluation and the government integrity evaluation of that month, against 60 s.

The data set is the check benchmark's own (`bench check --child build`), in a database of its own
(bench/databases.py): `--home DIR` keeps and reuses the SQLite one (also one `bench check --home DIR` built),
`--keep` / `--reuse NAME` a PostgreSQL one."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.bench.children import HIDDEN, in_home, last_line, run_child
from xinyong.bench.databases import bench_databases, storage_kind

TARGET_SECONDS = 60.0
LABELS = {"refresh": "月度统计刷新 month_refresh", "evaluation_unit": "单位考核",
          "evaluation_district": "区考核", "govintegrity": "区政务诚信评价"}  # fmt: skip


class Command(BaseCommand):
    help = "基准测试：真实规模数据上一个月的统计刷新、单位和区考核、政务诚信评价耗时（目标合计 ≤ 60 秒）"

    def add_arguments(self, parser):
        parser.add_argument("--subjects", type=int, default=1_000_000)
        parser.add_argument("--records", type=int, default=10_000_000)
        parser.add_argument("--home", help="保留并复用基准数据目录（SQLite 数据库也在其中；默认临时目录）")
        parser.add_argument(
            "--keep", action="store_true", help="PostgreSQL：保留生成的基准数据库（打印其名称）"
        )
        parser.add_argument("--reuse", metavar="NAME", help="PostgreSQL：复用 --keep 保留的基准数据库")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--child", action="store_true", help=HIDDEN)

    def handle(self, *args, **opts):
        if opts["child"]:
            from xinyong.bench import refresh
            from xinyong.bench.baselines import storage

            self.stdout.write(json.dumps({**refresh.run(), "storage": storage()}, ensure_ascii=False))
            return
        if opts["subjects"] < 100 or opts["records"] < 0:
            raise CommandError("--subjects 至少 100")
        if storage_kind() == "sqlite" and (opts["keep"] or opts["reuse"]):
            raise CommandError("--keep / --reuse 用于 PostgreSQL；SQLite 用 --home 目录保留并复用数据库")
        result = in_home(opts["home"], "xinyong-bench-refresh-", lambda home: self._run(home, opts))
        self.stdout.write(json.dumps(result, ensure_ascii=False) if opts["json"] else self._text(result))

    def _run(self, home: Path, opts) -> dict:
        from xinyong.bench.management.commands import bench_check

        home.mkdir(parents=True, exist_ok=True)
        # the check benchmark's own build and reuse (its sizes; samples and batches are not used here)
        check_opts = {**opts, "samples": 10, "batches": 1, "batch_size": 10}
        with bench_databases("refresh", home) as dbs:
            check = bench_check.Command()
            check.stderr = self.stderr  # its progress lines go where this command's go
            db, meta = check._database(dbs, home, check_opts)
            kept = bool(opts["home"]) if db.kind == "sqlite" else db not in dbs.made
            self.stderr.write("计时：月度统计刷新、考核、政务诚信评价 …")
            done = run_child(["bench_refresh", "--child"], bench_check._env(home, db))
        if done.returncode != 0:
            raise CommandError(f"基准子进程失败（退出码 {done.returncode}），见上方输出")
        result = json.loads(last_line(done.stdout))
        result.update(subjects=meta["subjects"], records=meta["records"], database=db.name, kept=kept,
                      build_seconds=meta["timings"])  # fmt: skip
        result["verdict"] = "PASS" if result["total_seconds"] <= TARGET_SECONDS else "MISS"
        return result

    def _text(self, r: dict) -> str:
        storage = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[r["storage"]]
        load = " ".join(f"{x:.2f}" for x in r["load_average"])
        lines = [
            f"月度统计刷新基准（{storage}，{r['subjects']:,} 个主体、{r['records']:,} 条信息，"
            f"{r['month']} 月 {r['month_records']:,} 条；负载 {load}）",
            f"  基线：同月信息按单位原始分组计数 {r['baseline_seconds']:.2f} 秒",
        ]
        for key, label in LABELS.items():
            step = r["steps"][key]
            more = "，".join(f"{k} {v:,}" for k, v in step.items() if k != "seconds")
            lines.append(f"  {label}：{step['seconds']:.2f} 秒（{more}）")
        plan = r["record_read"]
        via = "经 record_unit_received_idx" if plan["uses_index"] else "未用月份索引"
        lines.append(f"  月度信息读取计划：{via}，全表扫描 {'；'.join(plan['full_scans']) or '无'}")
        verdict = "达标 PASS" if r["verdict"] == "PASS" else "未达标 MISS"
        lines.append(f"  合计 {r['total_seconds']:.2f} 秒，目标 ≤ {TARGET_SECONDS:.0f} 秒：{verdict}")
        if r["kept"]:
            lines.append(f"  基准数据库已保留：{r['database']}")
        return "\n".join(lines)
