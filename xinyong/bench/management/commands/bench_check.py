"""`xinyong bench check [--subjects 1000000] [--records 10000000] [--seconds 10]`: the check benchmark
(docs/performance.md, issue 18).

Works in a database of its own, never the operator's (bench/databases.py): a SQLite file in its data directory
(a temporary one, or `--home DIR` to keep and reuse it), or — when XINYONG_DATABASE_URL names a PostgreSQL
server — a fresh database on that server, dropped after the run unless `--keep` (then `--reuse NAME` reuses
it). Child processes share nothing but that database and directory:
  * build   — migrations, reference data, list types and the starter memoranda through their loaders; then N
              subjects, M records and ~1 % listed subjects by raw bulk SQL (bench/checkdata.py);
  * inproc  — warm, in one process: the raw indexed lookup (the storage's read baseline), the answer alone,
              whole single-subject checks (answer, stored Check and result, audit event, durable commit) for
              random and for listed subjects, the raw durable one-row commit (the write baseline), the check
              with relaxed durability (comparison only, ADR 0010), batches of 1,000;
  * cold    — a fresh process after the database's files left the OS page cache (bench/pagecache.py);
  * HTTP    — the server started by `xinyong up` itself (front, gunicorn config, access log, worker) and bare
              gunicorn (bench/checkhttp.py), each endpoint driven for `--seconds` by wrk or the Python client;
  * import  — in a copy of the database: checks in one process while another imports a generated file through
              the import service, as `xinyong import` does (`--import-rows`), against the same checks before.
Last, the targets of issue 18 with this run's baselines beside each result (bench/checktargets.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.bench import checktargets
from xinyong.bench.buildmeta import database_bytes, meta_read, meta_write, settle_after_load
from xinyong.bench.children import HIDDEN, child_env, in_home, last_line, run_child
from xinyong.bench.databases import BenchDatabase, BenchDatabases, bench_databases, storage_kind

UNIT = "bj-caizhengju"
MATTER = "government-procurement"
IMPORT_UNIT, IMPORT_CATEGORY = "bj-gongshangju", "XK"
SCENARIOS = ("inproc", "cold", "http", "import")
CHILDREN = ("build", "meta", "warm", "inproc", "cold", "during", "import")


class Command(BaseCommand):
    help = "基准测试：联合奖惩核查（进程内延迟、冷缓存、HTTP 吞吐、导入期间核查），与同库基线对比并判定目标"

    def add_arguments(self, parser):
        parser.add_argument("--subjects", type=int, default=1_000_000)
        parser.add_argument("--records", type=int, default=10_000_000)
        parser.add_argument("--seconds", type=float, default=10.0, help="HTTP 每个端点的压测时长（秒）")
        parser.add_argument("--samples", type=int, default=2000, help="进程内单主体核查次数")
        parser.add_argument("--batches", type=int, default=5, help="1,000 主体批量核查的次数（取中位数）")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--import-rows", type=int, default=100_000, help="导入期间核查场景的导入行数")
        parser.add_argument(
            "--client", choices=["auto", "wrk", "python"], default="auto",
            help="HTTP 压测客户端：wrk（已安装时默认，C 实现，占用 CPU 少）或 python（标准库多进程）",
        )  # fmt: skip
        parser.add_argument("--clients", type=int, default=4, help="python 客户端进程数")
        parser.add_argument("--connections", type=int, default=8, help="wrk 并发连接数")
        parser.add_argument(
            "--workers", type=int, default=2, help="gunicorn 同步 worker 数（xinyong up 默认 2）"
        )
        parser.add_argument(
            "--servers", default="up,bare", help="HTTP 服务：up（与 xinyong up 相同）、bare（裸 gunicorn）"
        )
        for name in SCENARIOS:
            parser.add_argument(f"--no-{name}", action="store_true", help=f"跳过 {name} 场景")
        parser.add_argument("--home", help="保留并复用基准数据目录（SQLite 数据库也在其中；默认临时目录）")
        parser.add_argument(
            "--keep", action="store_true", help="PostgreSQL：保留生成的基准数据库（打印其名称）"
        )
        parser.add_argument("--reuse", metavar="NAME", help="PostgreSQL：复用 --keep 保留的基准数据库")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--child", choices=[*CHILDREN], help=HIDDEN)
        parser.add_argument("--window-file", help=HIDDEN)
        parser.add_argument("--import-file", help=HIDDEN)

    def handle(self, *args, **opts):
        if opts["child"]:
            return self._child(opts)
        if opts["subjects"] < 100 or opts["records"] < 0 or opts["samples"] < 10 or opts["batches"] < 1:
            raise CommandError("--subjects 至少 100，--samples 至少 10，--batches 至少 1")
        if min(opts["workers"], opts["connections"], opts["clients"]) < 1:
            raise CommandError("--workers、--connections、--clients 至少为 1")
        if opts["import_rows"] < 10:
            raise CommandError("--import-rows 至少 10")
        opts["servers"] = [s.strip() for s in opts["servers"].split(",") if s.strip()]
        if not opts["servers"] or set(opts["servers"]) - {"up", "bare"}:
            raise CommandError("--servers 取值为 up、bare 或 up,bare")
        if storage_kind() == "sqlite" and (opts["keep"] or opts["reuse"]):
            raise CommandError("--keep / --reuse 用于 PostgreSQL；SQLite 用 --home 目录保留并复用数据库")
        report = in_home(opts["home"], "xinyong-bench-check-", lambda home: self._run(home, opts))
        self.stdout.write(
            json.dumps(report, ensure_ascii=False) if opts["json"] else checktargets.text(report)
        )

    # ── parent ───────────────────────────────────────────────────────────────────────────────────────────

    def _run(self, home: Path, opts) -> dict:
        home.mkdir(parents=True, exist_ok=True)
        with bench_databases("check", home) as dbs:
            db, meta = self._database(dbs, home, opts)
            kept = bool(opts["home"]) if db.kind == "sqlite" else db not in dbs.made
            report = {"storage": db.kind, "database": db.name, "kept": kept,
                      "subjects": meta["subjects"], "records": meta["records"],
                      "build_seconds": meta["timings"], "database_mb": meta["database_mb"]}  # fmt: skip
            if not opts["no_inproc"]:
                self.stderr.write("进程内测量（热缓存）…")
                report["inproc"] = json.loads(self._spawn(home, db, "inproc", opts))
            if not opts["no_cold"]:
                self.stderr.write("冷缓存测量（新进程，数据库文件逐出页缓存）…")
                report["cold"] = json.loads(self._spawn(home, db, "cold", opts))
            if not opts["no_http"]:
                report["http"] = self._http(home, db, meta, opts)
            if not opts["no_import"]:
                report["during_import"] = self._during_import(dbs, home, db, opts)
        report["load_average"] = os.getloadavg()
        report["targets"] = checktargets.targets(report)
        return report

    def _database(self, dbs: BenchDatabases, home: Path, opts) -> tuple[BenchDatabase, dict]:
        """The built database and what it holds: reused (`--reuse` on PostgreSQL, `--home` on SQLite) or
        built now (kept with `--keep`)."""
        label = opts["reuse"] or "check"
        found = dbs.existing(label) if (opts["reuse"] or dbs.server is None) else None
        if opts["reuse"] and found is None:
            raise CommandError(f"PostgreSQL 服务器上没有基准数据库 {opts['reuse']}")
        meta = json.loads(self._spawn(home, found, "meta", opts)) if found else {}
        if found and meta.get("subjects") is not None:
            if opts["reuse"]:  # the kept database says what it holds
                opts["subjects"], opts["records"] = meta["subjects"], meta["records"]
            elif (meta["subjects"], meta["records"]) != (opts["subjects"], opts["records"]):
                raise CommandError(f"{home} 中已有规模不同的数据库：请换一个 --home 目录")
            return found, meta
        if found:
            raise CommandError(f"{found.name} 不是完整的核查基准数据库（生成中断？）：请删除后重来")
        db = dbs.new(label, migrated=True)
        self.stderr.write(
            f"生成数据（{db.kind} {db.name}）：{opts['subjects']:,} 个主体、{opts['records']:,} 条信息 …"
        )
        meta = json.loads(self._spawn(home, db, "build", opts))
        if opts["keep"]:  # only a complete database is kept
            dbs.keep_one(db)
            self.stderr.write(f"已保留基准数据库 {db.name}：下次用 --reuse {db.name} 复用")
        return db, meta

    def _spawn(self, home: Path, db: BenchDatabase | None, child: str, opts, *extra: str) -> str:
        done = run_child(["bench_check", "--child", child, *_sizes(opts), *extra], _env(home, db))
        if done.returncode != 0:
            raise CommandError(f"基准子进程 {child} 失败（退出码 {done.returncode}），见上方输出")
        return last_line(done.stdout)

    def _http(self, home: Path, db: BenchDatabase, meta: dict, opts) -> dict:
        from xinyong.bench import checkhttp, loadgen

        client = loadgen.client_for(opts["client"])
        load = {"connections": opts["connections"]} if client == "wrk" else {"clients": opts["clients"]}
        out: dict = {"workers": opts["workers"], "client": client, "seconds": opts["seconds"], **load}
        for kind in opts["servers"]:
            what = (
                "xinyong up（前置 + gunicorn 配置 + 访问日志 + 后台任务）" if kind == "up" else "裸 gunicorn"
            )
            self.stderr.write(f"HTTP 测量：{what}，{opts['workers']} 个同步 worker …")
            log = home / f"server-{kind}.log"
            with checkhttp.serving(kind, _env(home, db), log, workers=opts["workers"]) as (port, pid):
                warmed = json.loads(self._spawn(home, db, "warm", opts))["seconds"]
                requests = checkhttp.requests_for(
                    port, meta["token"], subjects=meta["subjects"], seed=opts["seed"], matter=MATTER
                )
                figures = checkhttp.drive_all(port, pid, requests, opts, client, self.stderr.write)
                out[kind] = {"page_cache_warm_seconds": warmed, **figures}
        return out

    def _during_import(self, dbs: BenchDatabases, home: Path, db: BenchDatabase, opts) -> dict:
        """Checks while `xinyong import` loads a file into a copy of the database (issue 18)."""
        from xinyong.bench import importing

        self.stderr.write(f"导入期间核查：复制数据库，生成 {opts['import_rows']:,} 行导入文件 …")
        copy = dbs.copy(db, "import")
        work = home / "import"
        work.mkdir(exist_ok=True)
        source, window = work / f"rows-{opts['seed']}.csv", work / "window.json"
        window.unlink(missing_ok=True)
        importing.write_csv(source, importing.generate_rows(opts["import_rows"], seed=opts["seed"]))
        try:
            return self._checks_while_importing(home, copy, source, window, opts)
        finally:
            dbs.drop(copy)

    def _checks_while_importing(
        self, home: Path, db: BenchDatabase, source: Path, window: Path, opts
    ) -> dict:
        from xinyong.bench.children import child_command

        env = _env(home, db)
        args = ["bench_check", "--child", "during", *_sizes(opts), "--window-file", str(window)]
        checks = subprocess.Popen(child_command(args), env=env, stdout=subprocess.PIPE, text=True)
        try:
            assert checks.stdout is not None
            for line in checks.stdout:  # the baseline checks are done when it says READY
                if line.strip() == "READY":
                    break
            else:
                raise CommandError("导入期间核查子进程未就绪，见上方输出")
            self.stderr.write("  导入开始（另一进程），核查持续进行 …")
            imported = run_child(["bench_check", "--child", "import", "--import-file", str(source)], env)
            done = json.loads(last_line(imported.stdout) or "{}")
            window.write_text(json.dumps({"start": done.get("start", 0), "end": done.get("end", 0)}))
            rest, _ = checks.communicate(timeout=600)
        finally:
            if checks.poll() is None:
                checks.kill()
                checks.wait()
        if imported.returncode != 0:
            raise CommandError(f"导入子进程失败（退出码 {imported.returncode}），见上方输出")
        if checks.returncode != 0:
            raise CommandError(f"导入期间核查子进程失败（退出码 {checks.returncode}）")
        result = json.loads(last_line(rest))
        seconds = done["end"] - done["start"]
        result["import"] = {"rows": opts["import_rows"], "seconds": round(seconds, 2),
                            "rows_per_s": round(opts["import_rows"] / max(seconds, 1e-9)),
                            "accepted": done["accepted"], "rejected": done["rejected"]}  # fmt: skip
        return result

    # ── children ────────────────────────────────────────────────────────────────────────────────────────

    def _child(self, opts) -> None:
        from xinyong.bench import checkrun

        common = {"subjects": opts["subjects"], "samples": opts["samples"], "seed": opts["seed"],
                  "unit": UNIT, "matter": MATTER}  # fmt: skip
        if opts["child"] == "build":
            result = _build(opts, self.stderr.write)
        elif opts["child"] == "meta":
            result = meta_read(META_TABLE)
        elif opts["child"] == "warm":
            result = {"seconds": checkrun.warm_page_cache()}
        elif opts["child"] == "inproc":
            result = checkrun.measure(batches=opts["batches"], batch_size=opts["batch_size"], **common)
        elif opts["child"] == "import":
            result = _import_file(Path(opts["import_file"]))
        elif opts["child"] == "cold":
            result = checkrun.measure_cold(**{**common, "samples": min(opts["samples"], 500)})
        else:
            result = checkrun.measure_during(window_file=Path(opts["window_file"]), **common)
        self.stdout.write(json.dumps(result, ensure_ascii=False))


META_TABLE = "bench_check_meta"


def _import_file(path: Path) -> dict:
    """The file imported through the platform's import service, as `xinyong import` does (intake), with the
    wall-clock start and end of the import itself (process start-up excluded) for the checks' window."""
    from xinyong.accounts.roles import Role
    from xinyong.accounts.selectors import unit_get
    from xinyong.core.actor import Actor
    from xinyong.core.timeutil import now
    from xinyong.intake.services import category_for_submission, submission_import_file

    unit = unit_get(name_or_code=IMPORT_UNIT)
    category = category_for_submission(code=IMPORT_CATEGORY)
    actor = Actor(label="bench", unit_code=unit.code, roles=frozenset({Role.DATA_OFFICER}))
    start = time.time()
    outcome, _ = submission_import_file(actor=actor, unit=unit, category=category, path=path, now=now())
    end = time.time()
    sub = outcome.submission
    return {"start": start, "end": end, "accepted": sub.accepted, "rejected": sub.rejected}


def _build(opts, say) -> dict:
    from django.core.management import call_command

    from xinyong.accounts.reference import units_load
    from xinyong.accounts.roles import Role
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
    timings["settle"] = settle_after_load()
    token = api_token_create(
        actor=system, unit=unit_get(name_or_code=UNIT), role=Role.CASE_OFFICER, now=at, days=30
    )
    meta = {"subjects": opts["subjects"], "records": opts["records"], "timings": timings,
            "database_mb": round(database_bytes() / 2**20), "token": token.secret}  # fmt: skip
    meta_write(META_TABLE, meta)  # kept in the database itself, so a reused database says what it holds
    return meta


def _sizes(opts) -> list[str]:
    return ["--subjects", str(opts["subjects"]), "--records", str(opts["records"]), "--samples",
            str(opts["samples"]), "--batches", str(opts["batches"]), "--batch-size", str(opts["batch_size"]),
            "--seed", str(opts["seed"])]  # fmt: skip


def _env(home: Path, db: BenchDatabase | None) -> dict:
    from xinyong.reports.fonts import cache_dir

    # the rate counter is counted (its cost is part of a request) but never refuses the benchmark's load;
    # `up` builds the report fonts once per machine (the cache of the operator's data directory)
    rates = {f"XINYONG_RATE_{name}": "1000000000/60" for name in ("ANON", "LOOKUP", "TOKEN")}
    return child_env(home, database=db, extra={"XINYONG_FONT_CACHE": str(cache_dir()), **rates})
