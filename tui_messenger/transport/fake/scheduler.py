"""The peer's one scheduler: a priority queue of (due time, sequence, action).

Bots never run free-standing tasks; they schedule actions here. Actions due at the same time run in the
order they were scheduled, so a run on a ManualClock is exactly reproducible.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(order=True)
class Scheduled:
    due: datetime
    seq: int
    action: Callable[[], object] = field(compare=False)
    label: str = field(default="", compare=False)
    cancelled: bool = field(default=False, compare=False)

    def cancel(self) -> None:
        self.cancelled = True


class Scheduler:
    def __init__(self) -> None:
        self._heap: list[Scheduled] = []
        self._seq = 0

    def at(self, due: datetime, action: Callable[[], object], label: str = "") -> Scheduled:
        self._seq += 1
        item = Scheduled(due, self._seq, action, label)
        heapq.heappush(self._heap, item)
        return item

    def next_due(self) -> datetime | None:
        """When the next live action is due (cancelled ones are discarded on the way)."""
        while self._heap and self._heap[0].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0].due if self._heap else None

    def pop_due(self, now: datetime) -> Scheduled | None:
        """The next action due at or before `now`, or None."""
        due = self.next_due()
        if due is None or due > now:
            return None
        return heapq.heappop(self._heap)

    def __len__(self) -> int:
        return sum(1 for item in self._heap if not item.cancelled)
