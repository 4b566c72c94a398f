"""Full garbage collections at quiet moments, not in the middle of a burst or under the user's keys.

Once startup objects are frozen (`tune_gc`, below), a full collection walks what the session made; in a
burst of thousands of messages that is a pause of up to ~200 ms, mostly reference cycles from the
renderer (Textual's Strips keep themselves in their own length cache; restyling makes virtual DOM nodes).
`tune_gc` stops CPython from starting full collections on its own, and this pacer runs them when nothing has
happened for a second (no key, no click, no network batch), or after `LONGEST_S` at the latest. The young
generations are collected as usual, so only garbage that lived through two of their passes waits.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

QUIET_S = 1.0  # nothing for this long: a full collection will not be felt
LONGEST_S = 30.0  # a stream that never stops still gets one this often
MIN_PENDING = 5  # middle-generation passes since the last full one before a full one is worth it
CHECK_EVERY_S = 0.5


class QuietCollector:
    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        collect: Callable[[int], object] = gc.collect,
        pending: Callable[[], int] = lambda: gc.get_count()[2],
    ) -> None:
        self._clock, self._collect, self._pending = clock, collect, pending
        self.busy_at = self.collected_at = clock()

    def busy(self) -> None:
        """Something the user may be waiting on happened: a key, a click, a batch of messages."""
        self.busy_at = self._clock()

    def tick(self) -> bool:
        """Collect fully if it is quiet (or overdue) and worth it; True if it did."""
        now = self._clock()
        if self._pending() < MIN_PENDING:
            return False
        if now - self.busy_at < QUIET_S and now - self.collected_at < LONGEST_S:
            return False
        self._collect(2)
        self.collected_at = self._clock()
        return True


GC_FULL_BY_ITSELF = 1_000_000  # middle-generation passes before CPython starts a full collection itself


def tune_gc() -> None:
    """The cyclic collector set for a screen that must answer every key within a frame or two.

    Once the service is built, the ~300,000 objects of the imports (Textual, SQLAlchemy, pydantic) and
    the startup live for the whole run; `gc.freeze` moves them out of the collector's sight, so a full
    collection walks only what the session made (it walked everything: 120-400 ms pauses measured in the
    history and the ingest burst). Full collections are left to the app's quiet moments
    (tui/quiet_gc.py): CPython's own would start one in the middle of a burst (~190 ms measured in the
    ingest benchmark). The young generations keep CPython's thresholds: raising them (5,000 or 20,000
    allocations) made fewer but longer pauses, 40-150 ms under a burst, worse for a key press than many of
    a few ms.
    """
    import gc

    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, GC_FULL_BY_ITSELF)
    gc.enable()  # `run_app` turns the collector off until here: the imports make no garbage worth a pass
