"""The fake network's reactions: the user's (kept in the timeline, like the user's own messages, so a full
sync on a new device brings them back; acked by `PeerActions`) and the bots' (sent like messages: stored,
re-sent until the client acks them by id).

Bots react through `FakePeer.react`: a person now and then to the user's messages (`reacts` in the
account's scenario entry), a business in a flow step (`react = {message = "user", emoji = "👍"}`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui_messenger.domain.reactions import is_emoji
from tui_messenger.transport import wire

DEFAULT_EMOJI = ("❤️", "👍", "😂")  # what a person reacts with when the scenario names none


class PeerReactions:
    def __init__(
        self,
        *,
        user_id: str,
        publish: Callable[..., Any],
        note: Callable[..., None],
        new_id: Callable[[str], str],
        next_ts: Callable[[], int],
    ) -> None:
        self._user_id = user_id
        self._publish = publish
        self._note = note
        self._new_id = new_id
        self._next_ts = next_ts
        self.given: dict[tuple[str, str], str] = {}  # (message id, reactor) -> emoji, as the network has it

    def from_user(self, frame: wire.ReactionFrame) -> None:
        """A reaction from the user (the frame's id is handled once; PeerActions acks it)."""
        if frame.emoji and not is_emoji(frame.emoji):
            self._note("rejected", self._user_id, "a reaction that is not one emoji", to=frame.to)
            return
        stored = frame.model_copy(update={"timestamp": self._next_ts()})
        self._publish(stored, own=True)
        self.given[(frame.message_id, self._user_id)] = frame.emoji
        self._note(
            "reaction", self._user_id, frame.emoji or "taken back", to=frame.to, message_id=frame.message_id
        )

    def react(self, sender: str, message_id: str, emoji: str) -> str | None:
        """`sender` reacts to `message_id` ("" takes it back); returns the frame id, None if refused."""
        if emoji and not is_emoji(emoji):
            self._note("rejected", sender, f"reaction {emoji[:20]!r} is not one emoji")
            return None
        frame = wire.ReactionFrame(
            id=self._new_id("r"), sender=sender, to=self._user_id, message_id=message_id, emoji=emoji,
            timestamp=self._next_ts(),
        )  # type: ignore[call-arg]  # fmt: skip
        self._publish(frame)
        self.given[(message_id, sender)] = emoji
        self._note("reaction", sender, emoji or "taken back", to=self._user_id, message_id=message_id)
        return frame.id
