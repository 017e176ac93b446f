"""`xinyong worker`: the platform's background loop (docs/performance.md) — process the transactional outbox
(push fan-out, uploaded files' imports: ADR 0032), then send due webhooks — without a broker. Several
workers may run at once: events and pushes are claimed safely. SIGTERM or Ctrl-C stops it after the item
in hand; a killed worker loses nothing (leases run out). Every --anchor-every seconds it also signs the
audit chain's head into the checkpoint file (issue 12, ADR 0019), as `xinyong audit anchor` does."""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from xinyong.audit.anchor import AnchorError
from xinyong.audit.services import audit_anchor
from xinyong.core.outbox import outbox_process
from xinyong.core.timeutil import now
from xinyong.pushes.delivery import LEASE, DeliveryCounts, push_deliver_due

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "后台任务：处理待处理事件（推送生成、上传文件的导入），投递到期的推送回调（重试、指数退避）"

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
        parser.add_argument(
            "--anchor-every",
            type=float,
            default=300.0,
            help="每隔多少秒把审计链链尾签名写入库外检查点文件（默认 300；0 不锚定；--once 时不锚定）",
        )

    def handle(self, *args, **opts):
        if opts["limit"] < 1 or opts["interval"] < 0 or opts["lease"] <= 0:
            raise CommandError("--limit 须 ≥ 1，--interval 须 ≥ 0，--lease 须 > 0")
        stop = threading.Event()
        if not opts["once"]:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
        lease = dt.timedelta(seconds=opts["lease"])
        anchor_due = time.monotonic()
        if not opts["once"]:  # the readiness line: signals are handled from here on
            self.stdout.write(f"后台任务进程已启动：每 {opts['interval']:g} 秒一轮（SIGTERM 或 Ctrl-C 停止）")
            self.stdout.flush()
        while not stop.is_set():
            if not opts["once"] and opts["anchor_every"] > 0 and time.monotonic() >= anchor_due:
                anchor_due = time.monotonic() + opts["anchor_every"]
                self._anchor()
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

    def _anchor(self) -> None:
        """Sign the audit chain's head (nothing is written when it has not moved); a refusal — the chain was
        rewritten since the last checkpoint — is logged loudly and the worker carries on with its work."""
        try:
            audit_anchor(now=now())
        except AnchorError as exc:
            log.error("%s", exc)
        except Exception:  # noqa: BLE001 - a database hiccup: the next round tries again
            log.exception("audit anchor failed")
            connections.close_all()

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
