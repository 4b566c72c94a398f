"""Helpers for the fake network's action tests (reactions, edits): a peer the user is connected to, the
user's text message as the client sends it, and the frames of one type the peer has sent."""

from __future__ import annotations

from typing import Any

from tui_messenger.domain.clock import ManualClock
from tui_messenger.transport import wire
from tui_messenger.transport.fake import FakePeer, World


async def connected_peer(world: World, **kwargs: Any) -> FakePeer:
    """A peer on a manual clock with the user "me" connected and the start-up frames taken."""
    peer = FakePeer(world, clock=ManualClock(), **kwargs)
    await peer.connect("me")
    peer.pump()
    peer.drain()
    return peer


def frames_of(peer: FakePeer, kind: type) -> list:
    """The frames of type `kind` among those the peer has sent since the last drain (the rest dropped)."""
    return [f for raw in peer.drain() if isinstance(f := wire.decode(raw), kind)]


def user_text(message_id: str, to: str, body: str) -> bytes:
    """A text message from the user "me", encoded as the client sends it."""
    frame = wire.MessageFrame(
        id=message_id, sender="me", to=to, timestamp=0, kind="text", text=wire.TextContent(body=body),
        client_txn_id=f"t-{message_id}",
    )  # fmt: skip
    return wire.encode(frame)
