"""`xinyong search_reindex`: rebuild the name-search index from the name history (idempotent)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from xinyong.subjects.search_index import search_reindex


class Command(BaseCommand):
    help = "重建主体名称检索索引（由名称历史生成，可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("--chunk", type=int, default=20_000, help="每批处理的主体数")

    def handle(self, *args, **opts):
        start = time.perf_counter()
        done = search_reindex(chunk=max(opts["chunk"], 1))
        self.stdout.write(
            f"已重建名称检索索引：{done['subjects']:,} 个主体，{done['rows']:,} 个片段，"
            f"用时 {time.perf_counter() - start:.1f} 秒"
        )
