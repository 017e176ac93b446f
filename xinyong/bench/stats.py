"""The figures every benchmark reports from its timings: one percentile rule and one latency summary."""

from __future__ import annotations

import math
import statistics


def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of values sorted ascending."""
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def latency_ms(seconds: list[float], *, digits: int = 3) -> dict:
    """Count, median, p99, p99.9, maximum and mean of timings given in seconds, in milliseconds."""
    ms = sorted(x * 1000 for x in seconds)
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), digits),
        "p99_ms": round(percentile(ms, 99), digits),
        "p999_ms": round(percentile(ms, 99.9), digits),
        "max_ms": round(ms[-1], digits),
        "mean_ms": round(statistics.fmean(ms), digits),
    }
