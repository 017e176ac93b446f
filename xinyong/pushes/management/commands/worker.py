"""`xinyong worker`: the platform's background loop (DESIGN §6) — process the transactional outbox, then send
due webhooks — without a broker. Several workers may run at once: events and pushes are claimed safely.
SIGTERM or Ctrl-C stops it after the item in hand; a killed worker loses nothing (leases run out)."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from xinyong.core.outbox import outbox_process
from xinyong.core.timeutil import now
from xinyong.pushes.delivery import LEASE, DeliveryCounts, push_deliver_due

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "后台任务：处理待处理事件（推送生成），投递到期的推送回调（重试、指数退避）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="处理一轮后退出（测试、cron）")
        parser.add_argument("--interval", type=float, default=2.0, help="两轮之间的间隔秒数（默认 2）")
        parser.add_argument("--limit", type=int, default=100, help="每轮最多处理的事件数与推送数（默认 100）")
        parser.add_argument(
            "--lease",
            type=float,
            default=LEASE.total_seconds(),
            help="投递租约秒数：进程中断后，推送在此之后可被重新投递（默认 120，须长于一次投递）",
        )

    def handle(self, *args, **opts):
        if opts["limit"] < 1 or opts["interval"] < 0 or opts["lease"] <= 0:
            raise CommandError("--limit 须 ≥ 1，--interval 须 ≥ 0，--lease 须 > 0")
        stop = threading.Event()
        if not opts["once"]:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
            self.stdout.write("后台任务进程已启动")  # the readiness line: SIGTERM from here on stops cleanly
            self.stdout.flush()
        lease = dt.timedelta(seconds=opts["lease"])
        while not stop.is_set():
            try:
                self._round(limit=opts["limit"], lease=lease, stop=stop, verbose=opts["once"])
            except Exception as exc:  # noqa: BLE001 - the loop survives a bad round (DB restart, locks)
                if opts["once"]:
                    raise CommandError(f"worker round failed: {exc}") from exc
                log.exception("worker round failed")
                connections.close_all()  # reconnect next round (e.g. after a database restart)
            if opts["once"]:
                break
            stop.wait(opts["interval"])

    def _round(self, *, limit: int, lease: dt.timedelta, stop: threading.Event, verbose: bool) -> None:
        events = outbox_process(now=now(), limit=limit)
        counts = DeliveryCounts()
        while counts.attempted < limit and not stop.is_set():
            # One push per call, each at the current time: its webhook-timestamp is fresh when it leaves
            # (receivers reject stale timestamps) even after slow receivers ahead of it in the batch.
            one = push_deliver_due(now=now(), limit=1, lease=lease)
            if not one.attempted:
                break
            counts.delivered += one.delivered
            counts.retrying += one.retrying
            counts.failed += one.failed
        if verbose or events or counts.attempted:
            self.stdout.write(
                f"事件 {events} 条；推送投递成功 {counts.delivered}，待重试 {counts.retrying}，"
                f"失败 {counts.failed}"
            )
