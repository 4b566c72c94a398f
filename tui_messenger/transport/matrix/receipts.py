"""Read receipts to the server: one request per room for the newest message read, never one per message.

A Matrix read receipt means "read up to here", so when the user opens a chat with 200 unread messages the
services' 200 receipts are one request, for the newest. A room's first receipt goes at once; the next goes
no sooner than `EVERY` seconds after it, for the newest read by then (while messages stream into an open
chat, one request a second instead of one per message: each wakes both sides' syncs, and the
homeserver, single-threaded, serves the next message later).
The caller never waits for the server (receipts are best effort: a failure is logged, the next covers it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

EVERY = 1.0  # seconds between two receipts of one room


class ReadMarkers:
    def __init__(self, send: Callable[[str, str], Awaitable[None]], *, every: float = EVERY) -> None:
        self._send = send  # (room, event) -> the server's read marker and receipt
        self._every = every
        self._wanted: dict[str, tuple[int, str]] = {}  # room -> (time, event) not sent yet
        self._sent: dict[str, int] = {}  # room -> time of the newest sent
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def read(self, room_id: str, event_id: str, when: int) -> None:
        """The user read `event_id` (server time `when`) and everything before it in `room_id`."""
        newest = max(self._sent.get(room_id, -1), self._wanted.get(room_id, (-1, ""))[0])
        if when <= newest:
            return  # an older one: the newer receipt covers it
        self._wanted[room_id] = (when, event_id)
        if room_id not in self._tasks:
            self._tasks[room_id] = asyncio.create_task(self._drain(room_id))

    async def _drain(self, room_id: str) -> None:
        try:
            while (wanted := self._wanted.pop(room_id, None)) is not None:
                when, event_id = wanted
                try:
                    await self._send(room_id, event_id)
                    self._sent[room_id] = when
                except Exception as exc:  # best effort; the next receipt covers this one
                    log.warning("a read receipt in %s was not sent: %s", room_id, exc)
                await asyncio.sleep(self._every)  # what is read meanwhile waits, and only the newest goes
        finally:
            del self._tasks[room_id]

    async def close(self) -> None:
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
