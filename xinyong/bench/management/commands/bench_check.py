"""`xinyong bench check [--subjects 1000000] [--records 10000000] [--seconds 10]`: the check benchmark
(docs/performance.md).

Works in a data directory of its own (a temporary one, or `--home DIR` to keep and reuse the built database),
never in the operator's database. Three child processes share nothing but that directory:
  * build   — migrations, reference data, list types and the starter memoranda through their loaders; then N
              subjects, M records and ~1 % listed subjects by raw inserts (bench/checkdata.py);
  * inproc  — in-process figures in one run: the raw indexed lookup (identifier → subject id) as the storage's
              baseline, the answer alone (the check's reads), a whole single-subject check (answer, stored
              Check and result, audit event, durable commit) for random and for listed subjects, a durable
              one-row commit as the write baseline, the same check under synchronous=NORMAL (for comparison
              only: the platform keeps FULL, ADR 0010), and batches of 1,000;
  * HTTP    — gunicorn (`--workers`, default 2 sync workers as `xinyong up`) on a free loopback port, driven
              by wrk when installed (else a small multi-process Python client; `--client`) for `--seconds`
              per endpoint: GET /api/v1/units/me and a by-code subject lookup as baselines, then
              POST /api/v1/checks with one subject; with the page cache warmed first, and the server's CPU
              per request beside the requests per second.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.roles import Role
from xinyong.bench.children import HIDDEN, child_env, free_port, in_home, last_line, run_child

META = "bench-check.json"
UNIT = "bj-caizhengju"
MATTER = "government-procurement"


class Command(BaseCommand):
    help = "基准测试：联合奖惩核查（进程内单主体延迟与 1,000 主体批量、HTTP 吞吐），与同库原始索引查找对比"

    def add_arguments(self, parser):
        parser.add_argument("--subjects", type=int, default=1_000_000)
        parser.add_argument("--records", type=int, default=10_000_000)
        parser.add_argument("--seconds", type=float, default=10.0, help="HTTP 每个端点的压测时长（秒）")
        parser.add_argument("--samples", type=int, default=2000, help="进程内单主体核查次数")
        parser.add_argument("--batches", type=int, default=5, help="1,000 主体批量核查的次数（取中位数）")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--client", choices=["auto", "wrk", "python"], default="auto",
            help="HTTP 压测客户端：wrk（已安装时默认，C 实现，占用 CPU 少）或 python（标准库多进程）",
        )  # fmt: skip
        parser.add_argument("--clients", type=int, default=4, help="python 客户端进程数")
        parser.add_argument("--connections", type=int, default=8, help="wrk 并发连接数")
        parser.add_argument(
            "--workers", type=int, default=2, help="gunicorn 同步 worker 数（xinyong up 默认 2）"
        )
        parser.add_argument("--no-http", action="store_true", help="跳过 HTTP 部分")
        parser.add_argument("--no-inproc", action="store_true", help="跳过进程内部分")
        parser.add_argument("--home", help="保留并复用基准数据库的目录（默认临时目录，结束即删除）")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--child", choices=["build", "inproc"], help=HIDDEN)

    def handle(self, *args, **opts):
        if opts["child"]:
            return self._child(opts)
        if opts["subjects"] < 100 or opts["records"] < 0 or opts["samples"] < 10 or opts["batches"] < 1:
            raise CommandError("--subjects 至少 100，--samples 至少 10，--batches 至少 1")
        if min(opts["workers"], opts["connections"], opts["clients"]) < 1:
            raise CommandError("--workers、--connections、--clients 至少为 1")
        report = in_home(opts["home"], "xinyong-bench-check-", lambda home: self._run(home, opts))
        self.stdout.write(json.dumps(report, ensure_ascii=False) if opts["json"] else _text(report))

    # ── parent ───────────────────────────────────────────────────────────────────────────────────────────

    def _run(self, home: Path, opts) -> dict:
        home.mkdir(parents=True, exist_ok=True)
        meta = _read_meta(home)
        if meta is None or (meta["subjects"], meta["records"]) != (opts["subjects"], opts["records"]):
            if (home / "xinyong.sqlite3").exists():
                raise CommandError(f"{home} 中已有规模不同的数据库：请换一个 --home 目录")
            self.stderr.write(f"生成数据：{opts['subjects']:,} 个主体、{opts['records']:,} 条信息 …")
            meta = json.loads(self._spawn(home, ["--child", "build", *_sizes(opts)]))
            (home / META).write_text(json.dumps(meta, ensure_ascii=False))
        report = {"subjects": meta["subjects"], "records": meta["records"], "build_seconds": meta["timings"],
                  "database_mb": meta["database_mb"]}  # fmt: skip
        if not opts["no_inproc"]:
            self.stderr.write("进程内测量 …")
            report["inproc"] = json.loads(self._spawn(home, ["--child", "inproc", *_sizes(opts)]))
        if not opts["no_http"]:
            self.stderr.write(f"HTTP 测量（gunicorn，{opts['workers']} 个同步 worker）…")
            report["http"] = self._http(home, meta, opts)
        report["load_average"] = os.getloadavg()
        return report

    def _spawn(self, home: Path, args: list[str]) -> str:
        done = run_child(["bench_check", *args], _env(home))
        if done.returncode != 0:
            raise CommandError(f"基准子进程 {args[1]} 失败（退出码 {done.returncode}），见上方输出")
        return last_line(done.stdout)

    def _http(self, home: Path, meta: dict, opts) -> dict:
        from xinyong.bench import loadgen
        from xinyong.bench.checkdata import uscc_for
        from xinyong.bench.checkrun import warm_page_cache

        client = loadgen.client_for(opts["client"])
        port = free_port()
        log = (home / "gunicorn.log").open("w")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "xinyong.config.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--workers", str(opts["workers"]), "--worker-class", "sync",
             "--timeout", "120"],
            env=_env(home), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            loadgen.wait_ready(port, "/api/v1/matters")
            warmed = warm_page_cache(str(home / "xinyong.sqlite3"))  # as for the in-process part
            rng = random.Random(opts["seed"] + 1)
            n, token = meta["subjects"], meta["token"]
            codes = [uscc_for(rng.randrange(n), n) for _ in range(2000)]
            runs = {
                "units_me": [loadgen.get_request(port, "/api/v1/units/me", token)],
                "subject_lookup": [loadgen.get_request(port, f"/api/v1/subjects/{c}") for c in codes],
                "check": [
                    loadgen.post_request(
                        port,
                        "/api/v1/checks",
                        {"matter": MATTER, "case_number": f"BENCH-{i}", "subjects": [c]},
                        token,
                    )
                    for i, c in enumerate(codes)
                ],
            }
            out = {}
            for name, requests in runs.items():
                cpu = loadgen.server_cpu_seconds(server.pid)
                if client == "wrk":
                    out[name] = loadgen.drive_wrk(
                        port, requests, seconds=opts["seconds"], connections=opts["connections"]
                    )
                else:
                    out[name] = loadgen.drive(
                        port, requests, seconds=opts["seconds"], clients=opts["clients"]
                    )
                out[name]["server_cpu_ms"] = loadgen.cpu_ms_per_request(server.pid, cpu, out[name])
                self.stderr.write(
                    f"  {name}: {out[name]['requests_per_s']:,} 请求/秒 {out[name]['statuses']}"
                )
            load = {"connections": opts["connections"]} if client == "wrk" else {"clients": opts["clients"]}
            return {"workers": opts["workers"], "client": client, **load, "seconds": opts["seconds"],
                    "page_cache_warm_seconds": warmed, **out}  # fmt: skip
        finally:
            os.killpg(server.pid, signal.SIGTERM)  # the server this command started, and its workers
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            log.close()

    # ── children ────────────────────────────────────────────────────────────────────────────────────────

    def _child(self, opts) -> None:
        if opts["child"] == "build":
            self.stdout.write(json.dumps(_build(opts, self.stderr.write), ensure_ascii=False))
        else:
            from xinyong.bench.checkrun import measure

            result = measure(
                subjects=opts["subjects"], samples=opts["samples"], batches=opts["batches"],
                batch_size=opts["batch_size"], seed=opts["seed"], unit=UNIT, matter=MATTER,
            )  # fmt: skip
            self.stdout.write(json.dumps(result, ensure_ascii=False))


def _build(opts, say) -> dict:
    from django.conf import settings

    from xinyong.accounts.reference import units_load
    from xinyong.accounts.selectors import unit_get
    from xinyong.accounts.services import api_token_create
    from xinyong.bench import checkdata
    from xinyong.catalog.services import catalog_load, rules_load
    from xinyong.core.actor import Actor
    from xinyong.core.timeutil import now
    from xinyong.lists.services import list_types_load
    from xinyong.measures.services import memoranda_load
    from xinyong.workdays.services import builtin_years, calendar_load_builtin

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    system, at = Actor.system(), now()
    units_load(actor=system, now=at)
    rules_load(actor=system, now=at)
    catalog_load(actor=system, now=at)
    calendar_load_builtin(
        actor=system, now=at, years=[y for y in (at.year - 1, at.year) if y in builtin_years()]
    )
    list_types_load(actor=system, now=at)
    memoranda_load(actor=system, now=at)
    say(f"  参考数据：{time.perf_counter() - started:.1f} 秒")
    timings = checkdata.build(
        subjects=opts["subjects"], records=opts["records"], seed=opts["seed"], progress=say
    )
    token = api_token_create(
        actor=system, unit=unit_get(name_or_code=UNIT), role=Role.CASE_OFFICER, now=at, days=7
    )
    size = (Path(settings.XINYONG_HOME) / "xinyong.sqlite3").stat().st_size
    return {"subjects": opts["subjects"], "records": opts["records"], "timings": timings,
            "database_mb": round(size / 2**20), "token": token.secret}  # fmt: skip


def _sizes(opts) -> list[str]:
    return ["--subjects", str(opts["subjects"]), "--records", str(opts["records"]), "--samples",
            str(opts["samples"]), "--batches", str(opts["batches"]), "--batch-size", str(opts["batch_size"]),
            "--seed", str(opts["seed"])]  # fmt: skip


def _env(home: Path) -> dict:
    # the rate counter is counted (its cost is part of a request) but never refuses the benchmark's load
    rates = {f"XINYONG_RATE_{name}": "1000000000/60" for name in ("ANON", "LOOKUP", "TOKEN")}
    return child_env(home, extra=rates)


def _read_meta(home: Path) -> dict | None:
    path = home / META
    return json.loads(path.read_text()) if path.exists() else None


def _ms(row: dict) -> str:
    return f"p50 {row['p50_ms']:.3f} ms，p99 {row['p99_ms']:.3f} ms"


def _text(r: dict) -> str:
    lines = [
        f"联合奖惩核查基准（SQLite，{r['subjects']:,} 个主体，{r['records']:,} 条信息，"
        f"数据库 {r['database_mb']:,} MB）"
    ]
    if "inproc" in r:
        lines.extend(_inproc_lines(r["inproc"]))
    if "http" in r:
        lines.extend(_http_lines(r["http"]))
    lines.append(f"  系统负载（1/5/15 分钟）：{', '.join(f'{x:.2f}' for x in r['load_average'])}")
    return "\n".join(lines)


def _inproc_lines(i: dict) -> list[str]:
    return [
        f"  原始索引查找（标识 → 主体 id，同库同连接）：{_ms(i['raw_lookup'])}",
        f"  核查应答（只读部分，单主体）：{_ms(i['answer'])}",
        f"  单主体核查（应答 + 保存 + 审计 + 提交）：{_ms(i['check'])}"
        f"（p99.9 {i['check'].get('p999_ms', 0):.1f} ms，最大 {i['check']['max_ms']:.1f} ms）",
        f"  单主体核查（名单内主体，措施适用）：{_ms(i['check_listed'])}",
        f"  原始持久提交（单行 INSERT + COMMIT，同库）：{_ms(i['raw_commit'])}",
        f"  单主体核查，synchronous=NORMAL（仅作对照，平台为 FULL，见 ADR 0010）："
        f"{_ms(i['check_sync_normal'])}",
        f"  批量核查 {i['batch_size']:,} 个主体：中位数 {i['batch_median_s']:.3f} 秒"
        f"（各次 {i['batch_seconds']}）",
    ]


def _http_lines(h: dict) -> list[str]:
    load = (f"wrk {h['connections']} 个连接" if h.get("client") == "wrk"
            else f"python 客户端 {h['clients']} 个进程")  # fmt: skip
    lines = [f"  HTTP（gunicorn {h['workers']} 个同步 worker，{load}，各 {h['seconds']:g} 秒）："]
    for name, label in (("units_me", "GET /api/v1/units/me（基线：仅认证）"),
                        ("subject_lookup", "GET /api/v1/subjects/{code}（基线：按代码查询）"),
                        ("check", "POST /api/v1/checks（单主体核查）")):  # fmt: skip
        cpu = h[name].get("server_cpu_ms")
        lines.append(f"    {label}：{h[name]['requests_per_s']:,} 请求/秒，{_ms(h[name])}"
                     + (f"，服务端 CPU {cpu:.2f} ms/请求" if cpu is not None else ""))  # fmt: skip
    return lines
