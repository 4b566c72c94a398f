"""Small helpers shared by the measures: medians, milliseconds, a result shape."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

Result = dict[str, Any]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def median_ms(samples: list[float]) -> float:
    return ms(statistics.median(samples))


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(fn: Callable[[], Any], runs: int, *, warmup: int = 1) -> list[float]:
    """Seconds per call of `fn`, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("inf")


def unavailable(why: str) -> Result:
    return {"status": f"not available: {why}"}
