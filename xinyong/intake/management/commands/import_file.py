"""`xinyong import FILE --category XK --unit 市工商局`: import a CSV / XLSX / JSON Lines file (归集).

Issue 13: the exit status tells scripts what happened (EXIT_STATUSES), rejected rows are shown with their
messages beside the codes, progress is a real bar (rows, total, percentage) on stderr, and the rejected-rows
file it writes re-imports once fixed (intake.export).
"""

from __future__ import annotations

import argparse
import functools
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from xinyong.accounts.roles import Role
from xinyong.accounts.selectors import unit_get
from xinyong.core.actor import Actor
from xinyong.core.errors import DomainError
from xinyong.core.timeutil import now
from xinyong.intake.export import errors_text, write_rejected_csv, write_rejected_xlsx
from xinyong.intake.files import count_rows
from xinyong.intake.models import Submission
from xinyong.intake.services import category_for_submission, submission_import_file


class _KeepEpilog(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's help layout, with the exit statuses printed line by line as written."""


class Progress:
    """The import's progress on stderr (issue 13): rows, the total and the percentage, and the rate.

    On a terminal one line is redrawn in place with a bar; elsewhere (a log, a pipe) a line is written at each
    tenth of the total (every call when the total is unknown). Never styled as an error. The total is an
    estimate for XLSX: the shown percentage stays below 100 until `done`.
    """

    WIDTH = 24

    def __init__(self, write: Callable[[str], None], *, total: int | None, tty: bool) -> None:
        self.write, self.total, self.tty = write, total, tty
        self.rows, self.start, self.next_step = 0, time.monotonic(), 10

    def __call__(self, n: int) -> None:
        self.rows += n
        percent = self._percent()
        if self.tty:
            self.write(f"\r{self._line(percent, bar=True)}\x1b[K")
        elif percent is None or percent >= self.next_step:
            self.write(self._line(percent, bar=False) + "\n")
            self.next_step = (percent or 0) // 10 * 10 + 10

    def abort(self) -> None:
        """The file was refused: end the redrawn line so that the error starts on its own."""
        if self.tty and self.rows:
            self.write("\n")

    def done(self) -> None:
        """The last line: 100 % of the rows actually read (nothing for a replay, which reads no row)."""
        if not self.rows:
            return
        if self.tty:
            self.write(f"\r{self._line(100, bar=True)}\x1b[K\n")
        elif self.next_step <= 100:
            self.write(self._line(100, bar=False) + "\n")

    def _percent(self) -> int | None:
        if not self.total:
            return None
        return self.rows * 100 // self.total if self.rows <= self.total else 99  # past an XLSX estimate

    def _line(self, percent: int | None, *, bar: bool) -> str:
        total = max(self.total or 0, self.rows) if percent != 100 else self.rows
        rate = self.rows / max(time.monotonic() - self.start, 1e-6)
        count = f"{self.rows:,} / {total:,} 行" if self.total else f"{self.rows:,} 行"
        shown = "" if percent is None else f"{percent:>3}%  "
        if bar and percent is not None:
            filled = self.WIDTH * percent // 100
            shown = f"[{'#' * filled}{'-' * (self.WIDTH - filled)}] {shown}"
        return f"导入 {shown}{count}（{rate:,.0f} 行/秒）"


EXIT_STATUSES = """退出状态：
  0  全部行已接收
  1  部分行被退回（已接收的行已导入；--rejected-out 导出退回行，修改后可直接重新导入该文件）
  2  没有接收任何行，或整个文件被拒绝（格式、编码、表头、单位或类别有误），未导入任何数据
同一文件再次导入是重放：不新增数据，退出状态与第一次相同。"""
SHOWN_ROWS = 10  # rejected rows listed with their messages; the rest are in the --rejected-out file


class Command(BaseCommand):
    help = "导入归集文件（CSV：UTF-8 或 GBK/GB18030；XLSX；JSON Lines），表头为目录字段代码"

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("epilog", EXIT_STATUSES)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _KeepEpilog
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="文件路径（.csv / .xlsx / .jsonl）")
        parser.add_argument("--category", required=True, help="信息类别代码，如 XK、CF")
        parser.add_argument("--unit", required=True, help="报送单位代码或名称，如 市工商局")
        parser.add_argument("--key", help="幂等键（默认：文件内容的 SHA-256；同一文件再次导入即重放）")
        parser.add_argument(
            "--rejected-out",
            help="把退回行写入此文件（.csv 或 .xlsx，含 行号、错误 两列），改正后可直接重新导入",
        )
        parser.add_argument("--quiet", action="store_true", help="不显示进度")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}", returncode=2)
        progress = self._progress(path, opts["quiet"])
        try:
            unit = unit_get(name_or_code=opts["unit"])
            category = category_for_submission(code=opts["category"])
            actor = Actor(label="cli", unit_code=unit.code, roles=frozenset({Role.DATA_OFFICER}))
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
            if progress:
                progress.abort()
            raise CommandError(f"{exc.message}（{exc.code}），未导入任何数据", returncode=2) from exc
        if progress:
            progress.done()
        sub = outcome.submission
        self._summary(sub, outcome.replayed, info)
        if opts["rejected_out"] and sub.rejected:
            self._write_rejected(sub, Path(opts["rejected_out"]))
        self._exit_status(sub, opts["rejected_out"])

    def _progress(self, path: Path, quiet: bool) -> Progress | None:
        if quiet:
            return None
        write = functools.partial(self.stderr.write, style_func=str, ending="")
        return Progress(write, total=count_rows(path), tty=self.stderr.isatty())

    def _exit_status(self, sub: Submission, rejected_out: str | None) -> None:
        """0 all accepted, 1 some rows rejected, 2 none accepted (EXIT_STATUSES)."""
        if not sub.rejected:
            return
        hint = "" if rejected_out else "；用 --rejected-out 退回行.xlsx 导出，改正后重新导入"
        if sub.accepted:
            raise CommandError(
                f"{sub.rejected:,} 行被退回，其余 {sub.accepted:,} 行已导入{hint}", returncode=1
            )
        raise CommandError(f"全部 {sub.rejected:,} 行被退回，没有导入任何数据{hint}", returncode=2)

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
        for label, value in lines:  # Chinese labels are two columns wide on a terminal: pad to 10 columns
            say(f"  {label}{' ' * (10 - 2 * len(label))}{value:>12,}")
        self._top_errors(sub)

    def _top_errors(self, sub: Submission) -> None:
        """The five most frequent reasons (field, code and the first message seen), then the first rows."""
        counts: Counter[tuple[str, str]] = Counter()
        messages: dict[tuple[str, str], str] = {}
        for errors in sub.rejected_rows.values_list("errors", flat=True).iterator(chunk_size=5000):
            for e in errors:
                key = (e["field"] or "（整行）", e["code"])
                counts[key] += 1
                messages.setdefault(key, e["message"])
        if counts:
            self.stdout.write("  主要退回原因：")
            for (field, code), n in counts.most_common(5):
                self.stdout.write(f"    {n:>8,}  {field} {code}：{messages[field, code]}")
            self._first_rejected(sub)

    def _first_rejected(self, sub: Submission) -> None:
        self.stdout.write("  退回的行：")
        for r in sub.rejected_rows.order_by("row_index")[:SHOWN_ROWS]:
            self.stdout.write(f"    第 {r.row_index} 行  {errors_text(r.errors)}")
        if sub.rejected > SHOWN_ROWS:
            self.stdout.write(f"    …… 另有 {sub.rejected - SHOWN_ROWS:,} 行")

    def _write_rejected(self, sub: Submission, out: Path) -> None:
        rows = ((r.row_index, r.row, r.errors) for r in sub.rejected_rows.order_by("row_index").iterator())
        writer = write_rejected_xlsx if out.suffix.lower() == ".xlsx" else write_rejected_csv
        writer(out, sub.columns, rows)
        self.stdout.write(f"退回行已写入 {out}")
