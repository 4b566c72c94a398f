"""The fake network's reactions: the user's (kept in the timeline, like the user's own messages, so a full
sync on a new device brings them back; acked by `PeerActions`) and the bots' (sent like messages: stored,
re-sent until the client acks them by id).

Bots react through `FakePeer.react`: a person now and then to the user's messages (`reacts` in the
account's scenario entry), a business in a flow step (`react = {message = "user", emoji = "👍"}`).
"""

from __future__ import annotations

from tui_messenger.domain.reactions import is_emoji
from tui_messenger.transport import wire
from tui_messenger.transport.fake.actions import PeerHooks

DEFAULT_EMOJI = ("❤️", "👍", "😂")  # what a person reacts with when the scenario names none


class PeerReactions:
    def __init__(self, peer: PeerHooks) -> None:
        self._peer = peer
        self.given: dict[tuple[str, str], str] = {}  # (message id, reactor) -> emoji, as the network has it

    def from_user(self, frame: wire.ReactionFrame) -> None:
        """A reaction from the user (the frame's id is handled once; PeerActions acks it)."""
        if frame.emoji and not is_emoji(frame.emoji):
            self._peer.note("rejected", self._peer.user_id, "a reaction that is not one emoji", to=frame.to)
            return
        self._keep(frame.model_copy(update={"timestamp": self._peer.next_ts()}), own=True)

    def react(self, sender: str, message_id: str, emoji: str) -> str | None:
        """`sender` reacts to `message_id` ("" takes it back); returns the frame id, None if refused."""
        if emoji and not is_emoji(emoji):
            self._peer.note("rejected", sender, f"reaction {emoji[:20]!r} is not one emoji")
            return None
        frame = wire.ReactionFrame(
            id=self._peer.new_id("r"), sender=sender, to=self._peer.user_id, message_id=message_id,
            emoji=emoji, timestamp=self._peer.next_ts(),
        )  # fmt: skip
        self._keep(frame)
        return frame.id

    def _keep(self, frame: wire.ReactionFrame, *, own: bool = False) -> None:
        """Into the timeline (`own`: the user's, sent again only in a full sync), `given` and the log."""
        self._peer.publish(frame, own=own)
        self.given[(frame.message_id, frame.sender)] = frame.emoji
        self._peer.note(
            "reaction", frame.sender, frame.emoji or "taken back", to=frame.to, message_id=frame.message_id
        )
