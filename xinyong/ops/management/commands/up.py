"""`xinyong up`: migrate, load reference data (and demo data), collect static files, serve with gunicorn."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from xinyong.core.actor import Actor
from xinyong.core.timeutil import now


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
            actor=Actor(label="system:up", roles=frozenset({"admin"})), now=now(), progress=say
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

        result = demo_load(actor=Actor(label="system:demo", roles=frozenset({"admin"})), now=now(), size=size)
        self.stdout.write(f"演示数据：{result}")

    def _warnings(self) -> None:
        from xinyong.accounts.models import User
        from xinyong.core.workdays import calendar_years_missing

        today = now().date()
        missing = calendar_years_missing(through=today.replace(year=today.year + 1, month=12, day=31))
        for year in missing:
            self.stdout.write(
                self.style.WARNING(
                    f"警告：{year} 年节假日安排尚未载入，涉及该年的工作日计算按仅周末处理并标记为临时；"
                    f"公布后请运行 xinyong calendar load FILE"
                )
            )
        if not User.objects.filter(is_superuser=True).exists():
            self.stdout.write(self.style.WARNING("尚无管理员账号：运行 xinyong createadmin 创建信用办管理员"))

    def _serve(self, opts) -> None:
        bind = f"{opts['host']}:{opts['port']}"
        self.stdout.write(
            self.style.SUCCESS(
                f"4/4 启动服务 http://{bind}/  （API 文档 /api/v1/docs，管理后台 /admin/；Ctrl-C 停止）"
            )
        )
        sys.stdout.flush()
        os.environ["XINYONG_HOME"] = str(settings.XINYONG_HOME)
        if not opts["no_worker"]:  # pushes and other outbox work; stops with the server (same process group)
            subprocess.Popen([sys.executable, "-m", "xinyong.cli", "worker"])
            self.stdout.write("后台任务进程已启动（推送投递、待处理事件）")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "xinyong.config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(opts["workers"]),
            "--worker-class",
            "sync",
            "--access-logfile",
            "-",
            "--timeout",
            "120",
            "--graceful-timeout",
            "10",
        ]
        os.execv(sys.executable, argv)
