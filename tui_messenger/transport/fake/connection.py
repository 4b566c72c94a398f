"""One connection from the client to the fake peer: the bytes on their way to the client."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator

from tui_messenger.transport.base import TransportClosed


class Connection:
    """Frames queue here in delivery order. `broken` ends `incoming()` with TransportClosed (the client may
    reconnect); `closed` ends it quietly (the client hung up)."""

    def __init__(self) -> None:
        self.frames: deque[bytes] = deque()
        self.held: list[bytes] = []  # a reordered frame waits here for the next one
        self.broken = False
        self.closed = False
        self._wakeup = asyncio.Event()

    @property
    def open(self) -> bool:
        return not (self.broken or self.closed)

    def put(self, raw: bytes, copies: int = 1) -> None:
        if not self.open:
            return
        self.frames.extend([raw] * copies)
        self.release_held()

    def hold(self, raw: bytes, copies: int = 1) -> None:
        self.held.extend([raw] * copies)

    def release_held(self) -> None:
        if self.held and self.open:
            self.frames.extend(self.held)
        self.held.clear()
        self._wakeup.set()

    def end(self, *, broken: bool) -> None:
        if broken:
            self.broken = True
        else:
            self.closed = True
        self.held.clear()
        self._wakeup.set()

    def drain(self) -> list[bytes]:
        out = list(self.frames)
        self.frames.clear()
        return out

    async def stream(self) -> AsyncIterator[bytes]:
        while True:
            while self.frames:
                yield self.frames.popleft()
            if self.broken:
                raise TransportClosed("the connection broke")
            if self.closed:
                return
            self._wakeup.clear()
            await self._wakeup.wait()
