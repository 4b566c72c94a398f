"""The fake network's edits and deletions, under the same rules as the client (domain.edits).

- From the user (handed over by `PeerActions`, which acks every frame): an edit or deletion of the
  user's own message within the window is kept in the timeline (so a full sync on a new device brings
  it back); anything else is refused and noted in the peer's log.
- From a bot (`FakePeer.edit_message` / `delete_message`, used by flow steps `edit = {message, text}`
  and `delete = "<step id>"`): only of its own message, within the window; sent like a message, re-sent
  until the client acks it by id.

The peer tells this module of every message it publishes (`remember`), so the rules can look up the
author and the network's time of any message by id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tui_messenger.domain.clock import from_ms
from tui_messenger.domain.edits import EDITABLE_KINDS, accepts_remote
from tui_messenger.transport import wire
from tui_messenger.transport.fake.actions import PeerHooks

ChangeFrame = wire.EditFrame | wire.DeleteFrame
_EDITABLE_WIRE_KINDS = {kind.value for kind in EDITABLE_KINDS}


class PeerEdits:
    def __init__(self, peer: PeerHooks, *, now: Callable[[], datetime]) -> None:
        self._peer = peer
        self._now = now
        self._messages: dict[str, tuple[str, int, str]] = {}  # id -> (author, network time, wire kind)
        self.deleted: set[str] = set()
        self.edits: dict[str, str] = {}  # message id -> its latest text, as the network has it

    def remember(self, frame: wire.MessageFrame) -> None:
        self._messages.setdefault(frame.id, (frame.sender, frame.timestamp, frame.kind))

    def _problem(self, actor: str, message_id: str, at_ms: int, *, edit: bool) -> str | None:
        known = self._messages.get(message_id)
        if known is None:
            return "no such message"
        author, sent_ms, kind = known
        if message_id in self.deleted:
            return "the message was deleted"
        if edit and kind not in _EDITABLE_WIRE_KINDS:
            return f"a {kind} message is not edited"
        at, sent_at = from_ms(at_ms), from_ms(sent_ms)
        if not accepts_remote(author=author, actor=actor, sent_at=sent_at, at=at, now=self._now()):
            return "not the author, or outside the 15-minute window"
        return None

    def _apply(self, frame: ChangeFrame) -> None:
        if isinstance(frame, wire.EditFrame):
            self.edits[frame.message_id] = frame.body
        else:
            self.deleted.add(frame.message_id)
            self.edits.pop(frame.message_id, None)

    # from the user -------------------------------------------------------------------------------------
    def from_user(self, frame: ChangeFrame) -> None:
        edit = isinstance(frame, wire.EditFrame)
        problem = self._problem(frame.sender, frame.message_id, frame.timestamp, edit=edit)
        if problem is not None:
            self._peer.note(
                "rejected", self._peer.user_id, f"{frame.type} of {frame.message_id}: {problem}", to=frame.to
            )
            return
        self._apply(frame)
        self._peer.publish(frame, own=True)  # the client's own time: a new device judges it as this one did
        detail = frame.body if isinstance(frame, wire.EditFrame) else "deleted for everyone"
        self._peer.note(frame.type, self._peer.user_id, detail, to=frame.to, message_id=frame.message_id)

    # from a bot ----------------------------------------------------------------------------------------
    def change(self, sender: str, message_id: str, body: str | None) -> str | None:
        """`sender` edits (`body`) or deletes (None) its message; the frame id, or None if refused."""
        ts = self._peer.next_ts()
        problem = self._problem(sender, message_id, ts, edit=body is not None)
        if problem is not None:
            what = "delete" if body is None else "edit"
            self._peer.note("rejected", sender, f"{what} of {message_id}: {problem}")
            return None
        common = {"id": self._peer.new_id("x"), "sender": sender, "to": self._peer.user_id,
                  "message_id": message_id, "timestamp": ts}  # fmt: skip
        frame: ChangeFrame = (
            wire.DeleteFrame(**common) if body is None else wire.EditFrame(body=body, **common)
        )
        self._apply(frame)
        self._peer.publish(frame)
        self._peer.note(frame.type, sender, body if body is not None else "deleted for everyone",
                        to=self._peer.user_id, message_id=message_id)  # fmt: skip
        return frame.id
