"""`xinyong up`: migrate, load reference data (and demo data), collect static files, then serve: the buffering
front (issue 12) before gunicorn's sync workers on a unix socket, and the background worker, all supervised
(issue 13) — a stop of `up` by any signal, or the death of one child, stops them all."""

from __future__ import annotations

import os
import socket
import sys
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from xinyong.accounts.roles import Role
from xinyong.core.actor import Actor
from xinyong.core.timeutil import now
from xinyong.ops.supervise import Supervisor


class Command(BaseCommand):
    help = "一键启动：迁移数据库、载入参考数据、启动服务（gunicorn）"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn 同步 worker 数")
        parser.add_argument("--demo", action="store_true", help="同时载入演示数据（数千个信用主体）")
        parser.add_argument("--demo-size", type=int, default=3000)
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动服务")
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程（xinyong worker）")
        parser.add_argument(
            "--no-front",
            action="store_true",
            help="gunicorn 直接监听端口，不启动缓冲前置（已有 nginx 等反向代理时使用）",
        )

    def handle(self, *args, **opts):
        say = self.stdout.write
        from django.db import connection

        engine = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor, connection.vendor)
        say(f"数据目录：{settings.XINYONG_HOME}；数据库：{engine}")
        say("1/4 数据库迁移 …")
        call_command("migrate", interactive=False, verbosity=0)
        say("2/4 载入参考数据 …")
        from xinyong.ops.reference import reference_load_all

        reference_load_all(
            actor=Actor(label="system:up", roles=frozenset({Role.ADMIN})), now=now(), progress=say
        )
        if opts["demo"]:
            self._demo(opts["demo_size"])
        say("3/4 收集静态文件 …")
        call_command("collectstatic", interactive=False, verbosity=0)
        from xinyong.reports.fonts import report_fonts

        report_fonts()  # builds the report font subset once per machine (seconds), not on the first report
        self._warnings()
        if opts["no_serve"]:
            say(self.style.SUCCESS("准备完成（--no-serve：不启动服务）"))
            return
        self._serve(opts)

    def _demo(self, size: int) -> None:
        from xinyong.ops.demo import demo_load

        result = demo_load(
            actor=Actor(label="system:demo", roles=frozenset({Role.ADMIN})), now=now(), size=size
        )
        self.stdout.write(f"演示数据：{result}")
        from xinyong.ops.demo_story import demo_story_load

        for line in demo_story_load(now=now()).lines():
            self.stdout.write(line)

    def _warnings(self) -> None:
        from xinyong.accounts.selectors import admin_user_exists
        from xinyong.workdays.selectors import calendar_years_missing

        today = now().date()
        missing = calendar_years_missing(through=today.replace(year=today.year + 1, month=12, day=31))
        for year in missing:
            self.stdout.write(
                self.style.WARNING(
                    f"警告：{year} 年节假日安排尚未载入，涉及该年的工作日计算按仅周末处理并标记为临时；"
                    f"公布后请运行 xinyong calendar load FILE"
                )
            )
        if not admin_user_exists():
            self.stdout.write(self.style.WARNING("尚无管理员账号：运行 xinyong createadmin 创建信用办管理员"))

    def _serve(self, opts) -> None:
        """Supervise front, gunicorn and worker (issue 13): any stop of `up` stops them all."""
        bind = _bind(opts["host"], opts["port"])
        run = Path(settings.XINYONG_HOME) / "run"
        run.mkdir(parents=True, exist_ok=True)
        run.chmod(0o700)  # only this user reaches gunicorn's socket (it trusts the PROXY line from it)
        env = {
            **os.environ,
            "XINYONG_HOME": str(settings.XINYONG_HOME),
            "XINYONG_PUBLIC_URL": self._public_url(opts),
        }
        supervisor = Supervisor(say=lambda text: print(text, flush=True))
        supervisor.install_signal_handlers()
        self.stdout.write(
            self.style.SUCCESS(
                f"4/4 启动服务 http://{bind}/  （API 文档 /api/v1/docs，管理后台 /admin/；Ctrl-C 停止）"
            )
        )
        sys.stdout.flush()
        if not opts["no_worker"]:
            supervisor.start("worker", [sys.executable, "-m", "xinyong.cli", "worker"], env)
        socket_path = run / "gunicorn.sock"
        socket_path.unlink(missing_ok=True)
        upstream = bind if opts["no_front"] else f"unix:{socket_path}"
        argv = _gunicorn_argv(upstream, run, opts["workers"], behind_front=not opts["no_front"])
        supervisor.start("gunicorn", argv, env)
        if not opts["no_front"]:
            supervisor.start("front", _front_argv(bind, socket_path), env)
        ready = partial(_serving, opts["host"], opts["port"], None if opts["no_front"] else socket_path)
        status = supervisor.wait(
            ready=ready, on_ready=lambda: print(f"服务已就绪：http://{bind}/", flush=True)
        )
        self.stdout.write("已停止")
        sys.exit(status)

    def _public_url(self, opts) -> str:
        """XINYONG_PUBLIC_URL when set; otherwise derived from the bound host and port, with a warning."""
        configured = os.environ.get("XINYONG_PUBLIC_URL", "").strip()
        if configured:
            return configured
        derived = public_url_derive(opts["host"], opts["port"])
        self.stdout.write(
            self.style.WARNING(
                f"警告：未设置 XINYONG_PUBLIC_URL，报告核验链接与推送中的链接使用 {derived}；"
                "对外服务时请设置为公众访问的地址"
            )
        )
        return derived


def public_url_derive(host: str, port: int) -> str:
    """The base URL a user of this machine reaches: a wildcard bind (0.0.0.0, ::) names the host."""
    if host in ("", "0.0.0.0", "::"):
        host = socket.gethostname()
    return f"http://{_bind(host, port)}"


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _gunicorn_argv(bind: str, run: Path, workers: int, *, behind_front: bool) -> list[str]:
    """Sync workers (ADR 0001, 0016); pid file and control socket under XINYONG_HOME/run. Behind the front,
    its PROXY line gives REMOTE_ADDR and the access log the client's address (only the front reaches the
    unix socket; on TCP a client could claim any address, so no PROXY protocol there)."""
    return [
        *(sys.executable, "-m", "gunicorn", "xinyong.config.wsgi:application"),
        *("-c", "python:xinyong.config.gunicorn"),  # the access log masks resident IDs (issue 12)
        *("--bind", bind, "--workers", str(workers), "--worker-class", "sync"),
        *("--pid", str(run / "gunicorn.pid"), "--control-socket", str(run / "gunicorn.ctl")),
        *(("--proxy-protocol", "v1") if behind_front else ()),
        *("--access-logfile", "-", "--timeout", "120", "--graceful-timeout", "10"),
    ]


def _front_argv(bind: str, socket_path: Path) -> list[str]:
    """The buffering front (issue 12, ADR 0016) with the request size cap of the settings."""
    cap = max(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, settings.XINYONG_API_MULTIPART_MAX_BYTES)
    return [
        *(sys.executable, "-m", "xinyong.ops.front", "--bind", bind, "--upstream", str(socket_path)),
        *("--max-body-bytes", str(cap)),
    ]


def _serving(host: str, port: int, socket_path: Path | None) -> bool:
    """Ready when the public port accepts and (behind the front) gunicorn's socket does."""
    targets: list[tuple[int, object]] = [(socket.AF_INET6 if ":" in host else socket.AF_INET, (host, port))]
    if socket_path is not None:
        targets.append((socket.AF_UNIX, str(socket_path)))
    for family, address in targets:
        with socket.socket(family) as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(address) != 0:
                return False
    return True
