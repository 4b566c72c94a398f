"""The one door to the network. A fake peer sits behind it today; a Matrix client can later.

A transport moves encoded frames (bytes) both ways. It knows nothing of the store or the screen.
Matrix semantics are kept: sends are idempotent per device by client transaction id, the server's order
is the order, and a client resumes from a sync token it stored (`connect(since=...)`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Collection, Sequence

from tui_messenger.domain.models import Device


class TransportClosed(Exception):
    """The connection is gone; the caller may reconnect."""


class TransportEnded(TransportClosed):
    """The network ended this device's session (a token revoked elsewhere): reconnecting cannot help, only
    signing in again."""


class FileUnavailable(Exception):
    """A file the network cannot give (gone, refused, not matching its checksum): one line fit to show."""


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

    async def set_blocked(self, account_ids: Collection[str]) -> None:  # noqa: B027 - optional, no-op here
        """The network's own copy of the user's block list, where it keeps one (Matrix: the ignored users),
        so its server sends nothing more from them. Without one, nothing: the client's rules hold anyway."""

    async def devices(self, account_id: str) -> list[Device] | None:
        """The devices of `account_id` the network knows (Matrix: from the key store), for the profile;
        None where the network has no devices to tell (the fake peer)."""
        return None

    async def account_exists(self, account_id: str) -> bool | None:
        """Whether the network has an account `account_id`, asked before a chat with someone new is made
        (Matrix: their homeserver knows no profile for an ID with a typo). None where it cannot tell (the
        fake peer's directory is all it has; a server that does not answer): the chat is made."""
        return None

    async def report(self, account_id: str, message_ids: Sequence[str], reason: str) -> None:  # noqa: B027
        """Report `account_id` and its messages to the network's operators, where it has any. Without them,
        nothing: the report and its evidence are kept in the database either way."""

    async def fetch_file(self, source: str, *, max_bytes: int) -> bytes:
        """The bytes of a file a frame named by `source` instead of carrying them (Matrix media: fetched
        when the user saves the file), at most `max_bytes`, checked against the source's checksum where it
        has one. Raises FileUnavailable with a line fit to show; a network that sends files inline (the
        fake peer) keeps none elsewhere."""
        raise FileUnavailable("this network keeps no files to download")

    async def older(
        self, account_id: str, before_message_id: str | None, limit: int
    ) -> tuple[list[bytes], bool]:
        """Older history of the chat with `account_id` than the network gave so far (the services hold
        nothing before `before_message_id`): up to `limit` events as encoded frames, oldest first, and
        whether the network may hold more still. A network that keeps no history (the fake peer sends
        everything) has nothing more. Raises TransportClosed when disconnected."""
        return [], False
