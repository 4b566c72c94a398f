"""Measures of the real app, headless (`App.run_test`) or in a subprocess (startup, memory)."""

from __future__ import annotations

from pathlib import Path

from corpus import Sizes
from store_measures import store_reads
from timing import Result, unavailable

WAITING = "MessengerService and bootstrap.build_app have not landed yet"


def _with_store(result: Result, figures: dict[str, float], *keys: str) -> Result:
    result.update({f"store_{k}": figures[k] for k in keys})
    return result


def open_chat(big: Path, sizes: Sizes) -> Result:
    reads = store_reads(big, sizes)
    return _with_store(unavailable(WAITING), reads, "latest_page_small_ms", "latest_page_big_ms")


def scroll_back(big: Path, sizes: Sizes) -> Result:
    return _with_store(unavailable(WAITING), store_reads(big, sizes), "page_before_ms")


def chat_list(big: Path, sizes: Sizes) -> Result:
    return _with_store(unavailable(WAITING), store_reads(big, sizes), "chat_list_ms")


def startup(big: Path, empty: Path, sizes: Sizes) -> Result:
    return unavailable(WAITING)


def ingest(base: Path, tmp: Path, sizes: Sizes) -> Result:
    return unavailable(WAITING)


def memory(big: Path, empty: Path, sizes: Sizes) -> Result:
    return unavailable(WAITING)
