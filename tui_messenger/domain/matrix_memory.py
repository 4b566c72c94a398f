"""What a Matrix device must remember across restarts beyond the messages: the shapes, and the door to it.

- The user's own messages sent from this device are known to the services by the id chosen when composing
  (the Matrix transaction id); the server knows them by their event id. A reaction, an edit, a redaction
  or a read receipt that names such an event after a restart must still find the message: `OwnEvent`.
- Reactions are events too: taking one back (a redaction) must be told from deleting a message: `Reacted`.
- Each room's place in its history: the token before the oldest event read from the server (older history
  is paged from there when a chat asks for it), whether the start was reached, and how far the other
  person has read: `RoomMark`.

The transport keeps these through a `MatrixMemory` (the store implements it); the default remembers
nothing beyond the run (`Forgetful`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OwnEvent:
    """The user's own message `message_id` is event `event_id` of room `room_id`, at server time `at`."""

    event_id: str
    room_id: str
    message_id: str
    at: int  # ms


@dataclass(frozen=True, slots=True)
class Reacted:
    """Reaction event `event_id`: `sender` put `key` on event `target`."""

    event_id: str
    sender: str
    target: str
    key: str


@dataclass(frozen=True, slots=True)
class RoomMark:
    """A room's history position: page older events from `older` (None: not known); `complete` once the
    room's start was read; `read_up_to`: server time of the other person's newest read receipt."""

    room_id: str
    older: str | None = None
    complete: bool = False
    read_up_to: int = -1


@dataclass
class Remembered:
    """What to keep (or what was kept): new own events and reactions, reactions taken back, room marks."""

    own: list[OwnEvent] = field(default_factory=list)
    reactions: list[Reacted] = field(default_factory=list)
    unreacted: list[str] = field(default_factory=list)  # reaction event ids taken back
    rooms: dict[str, RoomMark] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.own or self.reactions or self.unreacted or self.rooms)


class MatrixMemory(Protocol):
    """Blocking calls (a database): the transport runs them in a thread."""

    def recall(self) -> Remembered:
        """Everything kept so far."""
        ...

    def keep(self, changes: Remembered) -> None:
        """Add `changes` (own events and reactions added, reactions removed, room marks replaced)."""
        ...


class Forgetful:
    """Nothing kept beyond the run."""

    def recall(self) -> Remembered:
        return Remembered()

    def keep(self, changes: Remembered) -> None:
        pass
