"""The one door to the network. A fake peer sits behind it today; a Matrix client can later.

A transport moves encoded frames (bytes) both ways. It knows nothing of the store or the screen.
Matrix semantics are kept: sends are idempotent per device by client transaction id, the server's order
is the order, and a client resumes from a sync token it stored (`connect(since=...)`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator


class TransportClosed(Exception):
    """The connection is gone; the caller may reconnect."""


class Transport(ABC):
    @abstractmethod
    async def connect(self, account_id: str, *, since: str | None = None) -> None:
        """Open the connection as `account_id`, resuming after sync token `since` when given."""

    @abstractmethod
    async def send(self, frame: bytes) -> None:
        """Hand one encoded frame to the network. Raises TransportClosed when disconnected."""

    @abstractmethod
    def incoming(self) -> AsyncIterator[bytes]:
        """Encoded frames from the network, in the order the network delivers them."""

    @abstractmethod
    async def close(self) -> None:
        """Close the connection; `incoming` then ends."""
