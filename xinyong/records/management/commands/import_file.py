"""`xinyong import FILE --category XK --unit 市工商局`: import a CSV / XLSX / JSON Lines file (归集)."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinyong.accounts.selectors import unit_get
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.records.export import write_rejected_csv, write_rejected_xlsx
from xinyong.records.models import Submission
from xinyong.records.services import category_for_submission, submission_import_file


class Progress:
    """A one-line progress display on stderr: rows read and the rate."""

    def __init__(self, stream, enabled: bool) -> None:
        self.stream, self.enabled, self.rows, self.start = stream, enabled, 0, time.monotonic()

    def __call__(self, n: int) -> None:
        self.rows += n
        if self.enabled:
            rate = self.rows / max(time.monotonic() - self.start, 1e-6)
            self.stream.write(f"\r已处理 {self.rows:,} 行（{rate:,.0f} 行/秒）")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled and self.rows:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "导入归集文件（CSV：UTF-8 或 GBK/GB18030；XLSX；JSON Lines），表头为目录字段代码"

    def add_arguments(self, parser):
        parser.add_argument("file", help="文件路径（.csv / .xlsx / .jsonl）")
        parser.add_argument("--category", required=True, help="信息类别代码，如 XK、CF")
        parser.add_argument("--unit", required=True, help="报送单位代码或名称，如 市工商局")
        parser.add_argument("--key", help="幂等键（默认：文件内容的 SHA-256；同一文件再次导入即重放）")
        parser.add_argument(
            "--rejected-out", help="把退回行写入此文件（.csv 或 .xlsx），修改后只需重报这些行"
        )
        parser.add_argument("--quiet", action="store_true", help="不显示进度")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        progress = Progress(self.stderr, not opts["quiet"] and sys.stderr.isatty())
        try:
            unit = unit_get(name_or_code=opts["unit"])
            category = category_for_submission(code=opts["category"])
            actor = Actor(label="cli", unit_code=unit.code, roles=frozenset({"data_officer"}))
            outcome, info = submission_import_file(
                actor=actor,
                unit=unit,
                category=category,
                path=path,
                now=now(),
                idempotency_key=opts["key"],
                progress=progress,
            )
        except DomainError as exc:
            progress.done()
            raise CommandError(f"{exc.message}（{exc.code}）") from exc
        progress.done()
        self._summary(outcome.submission, outcome.replayed, info)
        if opts["rejected_out"] and outcome.submission.rejected:
            self._write_rejected(outcome.submission, Path(opts["rejected_out"]))

    def _summary(self, sub: Submission, replayed: bool, info) -> None:
        say = self.stdout.write
        if replayed:
            say(
                self.style.WARNING(
                    f"该文件已于 {sub.received_at:%Y-%m-%d %H:%M} 导入（批次 #{sub.pk}），本次未新增数据"
                )
            )
        fmt = info.format + (f"，编码 {info.encoding}" if info.encoding else "")
        say(f"批次 #{sub.pk}  {sub.unit.name} → {sub.category.code} {sub.category.name}（{fmt}）")
        lines = [
            ("总行数", sub.total),
            ("接收", sub.accepted),
            ("退回", sub.rejected),
            ("新建主体", sub.subjects_created),
            ("超期报送", sub.late),
        ]
        if sub.result.get("warned"):  # accepted rows worth a look (uscc.region_unknown)
            lines.append(("接收有提示", sub.result["warned"]))
        for label, value in lines:
            say(f"  {label:<6}{value:>12,}")
        self._top_errors(sub)

    def _top_errors(self, sub: Submission) -> None:
        counts = Counter()
        for errors in sub.rejected_rows.values_list("errors", flat=True).iterator(chunk_size=5000):
            counts.update(f"{e['field'] or '（整行）'} {e['code']}" for e in errors)
        if counts:
            self.stdout.write("  主要退回原因：")
            for reason, n in counts.most_common(5):
                self.stdout.write(f"    {n:>8,}  {reason}")

    def _write_rejected(self, sub: Submission, out: Path) -> None:
        rows = ((r.row_index, r.row, r.errors) for r in sub.rejected_rows.order_by("row_index").iterator())
        writer = write_rejected_xlsx if out.suffix.lower() == ".xlsx" else write_rejected_csv
        writer(out, sub.columns, rows)
        self.stdout.write(f"退回行已写入 {out}")
