"""The fake network's side of action frames (reactions, edits, deletions) from the user.

Every action frame the network can read is acknowledged with an AckFrame naming its id, also one the
rules refuse (the client must stop re-sending it either way) and also a duplicate (the first ack may have
been lost). Each frame id is handled once; what it does is up to the handler registered for its type
(`handlers`), so a feature adds its own without growing the peer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from tui_messenger.transport import wire

ActionFrame = wire.ReactionFrame | wire.EditFrame | wire.DeleteFrame


class ActionHost(Protocol):
    user_id: str

    def note(self, kind: str, actor: str, detail: str, **extra: Any) -> None: ...

    def send_ephemeral(self, frame: wire.Frame) -> None: ...


@dataclass(frozen=True, slots=True)
class PeerHooks:
    """What a kind of action (edits.py, reactions.py) uses of the peer: the user's id, the timeline's
    `publish`, `new_id` and `next_ts`, and the log's `note`."""

    user_id: str
    publish: Callable[..., Any]
    note: Callable[..., None]
    new_id: Callable[[str], str]
    next_ts: Callable[[], int]


class PeerActions:
    def __init__(self, host: ActionHost) -> None:
        self.host = host
        self.seen: set[str] = set()
        self.handlers: dict[type, Callable[[Any], None]] = {}

    def from_client(self, frame: ActionFrame) -> None:
        host = self.host
        if frame.sender != host.user_id:  # identity is the connection, never the payload
            host.note("rejected", host.user_id, f"a {frame.type} claiming to be from {frame.sender!r}")
        elif frame.id not in self.seen:
            self.seen.add(frame.id)
            handler = self.handlers.get(type(frame))
            if handler is None:
                host.note(frame.type, host.user_id, "", to=frame.to, message_id=frame.message_id)
            else:
                handler(frame)
        host.send_ephemeral(wire.AckFrame(ids=[frame.id]))
