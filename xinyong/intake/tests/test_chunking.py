"""Staged imports write chunks bounded by time (issue 18, ADR 0041): the sizer's arithmetic, and the chunks a
real staged import writes under it."""

from __future__ import annotations

import pytest

from xinyong.intake.chunking import (
    DEFAULT_MS,
    DEFAULT_ROWS,
    FIRST_ROWS,
    MIN_ROWS,
    ChunkSizer,
    chunk_rows,
    chunk_seconds,
)


def test_the_first_chunk_is_small_and_the_next_follow_the_measured_speed():
    sizer = ChunkSizer(most=5000, seconds=0.025)
    assert sizer.rows == FIRST_ROWS == 200
    sizer.observed(200, 0.010)  # 20,000 rows/s → 500 rows in 25 ms, but at most doubled: 400
    assert sizer.rows == 400
    sizer.observed(400, 0.020)  # smoothed 20,000 rows/s → 500
    assert sizer.rows == 500
    sizer.observed(500, 0.100)  # a slow chunk (5,000 rows/s): smoothed 12,500 rows/s → 312
    assert sizer.rows == 312


def test_the_size_stays_between_the_floor_and_the_cap():
    sizer = ChunkSizer(most=1000, seconds=0.025)
    sizer.observed(200, 2.0)  # 100 rows/s → 2 rows wanted: the floor
    assert sizer.rows == MIN_ROWS == 50
    for _ in range(20):
        sizer.observed(sizer.rows, 0.0001)
    assert sizer.rows == 1000
    tiny = ChunkSizer(most=2, seconds=0.025)  # a cap below the floor wins (tests stage with 2-row chunks)
    tiny.observed(2, 5.0)
    assert (tiny.rows, tiny.least) == (2, 2)


@pytest.mark.django_db
def test_the_time_bound_defaults_to_the_storage_and_a_setting_overrides_it(settings):
    from django.db import connection

    settings.XINYONG_IMPORT_CHUNK_MS = 0
    assert chunk_seconds() == DEFAULT_MS[connection.vendor] / 1000
    settings.XINYONG_IMPORT_CHUNK_MS = 40
    assert chunk_seconds() == 0.040


@pytest.mark.django_db
def test_the_row_cap_defaults_to_the_storage_and_a_setting_overrides_it(settings):
    """ADR 0044: 1,000 rows on SQLite, 5,000 on PostgreSQL (whose checks never wait for an import's rows)."""
    from django.db import connection

    settings.XINYONG_IMPORT_CHUNK_ROWS = 0
    assert (
        chunk_rows()
        == DEFAULT_ROWS[connection.vendor]
        == {"sqlite": 1000, "postgresql": 5000}[connection.vendor]
    )
    assert ChunkSizer(seconds=0.025).most == chunk_rows()
    settings.XINYONG_IMPORT_CHUNK_ROWS = 300
    assert (chunk_rows(), ChunkSizer(seconds=0.025).most) == (300, 300)
