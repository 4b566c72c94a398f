"""Shared helpers for the transport tests: a tiny world and a minimal acking client."""

from __future__ import annotations

import pytest

from tui_messenger.domain.clock import ManualClock
from tui_messenger.transport import wire
from tui_messenger.transport.fake import FakePeer, FaultPlan, World, parse_world

TINY = """
[scenario]
name = "tiny"

[[accounts]]
id = "anna"
display_name = "Anna Becker"
contact = true
bot = "silent"

[[accounts]]
id = "shop"
display_name = "Shop"
kind = "business"
opt_in = "website"
auto_reply = "Thanks, we will get back to you."

[[accounts]]
id = "ads"
display_name = "Ads"
kind = "business"
bot = "marketer"
claims_opt_in = true
"""


@pytest.fixture
def tiny() -> World:
    return parse_world(TINY, "tiny.toml")


class MiniClient:
    """Acks what it stores, dedupes by id, keeps the sync token, reconnects after a break and then
    sends the acks the break swallowed."""

    def __init__(self, peer: FakePeer) -> None:
        self.peer = peer
        self.messages: dict[str, wire.MessageFrame] = {}
        self.statuses: list[wire.StatusFrame] = []
        self.typing: list[wire.TypingFrame] = []
        self.directory: wire.DirectoryFrame | None = None
        self.stats = wire.FrameStats()
        self.token: str | None = None
        self.reconnects = 0
        self._seen: set[str] = set()
        self._pending_acks: list[str] = []

    async def process(self) -> bool:
        raws = self.peer.drain()
        for raw in raws:
            frame = wire.try_decode(raw, self.stats)
            if frame is None:
                continue
            key = wire.ack_key(frame)
            if key is not None:
                self._pending_acks.append(key)
                if key in self._seen:
                    continue
                self._seen.add(key)
            if isinstance(frame, wire.MessageFrame):
                self.messages[frame.id] = frame
            elif isinstance(frame, wire.StatusFrame):
                self.statuses.append(frame)
            elif isinstance(frame, wire.TypingFrame):
                self.typing.append(frame)
            elif isinstance(frame, wire.DirectoryFrame):
                self.directory = frame
            elif isinstance(frame, wire.SyncFrame):
                self.token = frame.token
        if not self.peer.connected:
            self.reconnects += 1
            await self.peer.connect(self.peer.user_id, since=self.token)
        if self._pending_acks:
            acks, self._pending_acks = self._pending_acks, []
            await self.peer.send(wire.encode(wire.AckFrame(ids=acks)))
        return bool(raws)

    async def settle(self, limit: int = 100_000) -> None:
        """Process and step the clock until the peer has nothing left to do."""
        for _ in range(limit):
            if await self.process():
                continue
            if not self.peer.step():
                return
        raise AssertionError("the peer never settled")

    def bodies(self, sender: str) -> list[str]:
        ordered = sorted(self.messages.values(), key=lambda m: m.timestamp)
        return [m.body for m in ordered if m.sender == sender]


def make_peer(world: World, *, seed: int = 0, faults: FaultPlan | None = None, **kwargs) -> FakePeer:
    return FakePeer(world, clock=ManualClock(), seed=seed, faults=faults, **kwargs)


@pytest.fixture
def client_cls() -> type[MiniClient]:
    return MiniClient


@pytest.fixture
def peer_for():
    return make_peer
