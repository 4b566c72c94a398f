"""Same seed, same world: the same frames byte for byte, and the same transcript."""

from __future__ import annotations

from tui_messenger.domain.clock import ManualClock
from tui_messenger.transport import wire
from tui_messenger.transport.fake import FakePeer, FaultPlan, load_world
from tui_messenger.transport.fake.player import play

FAULTS = FaultPlan(drop=0.1, duplicate=0.1, reorder=0.1, delay=0.1, garble=0.1, seed=5)


async def record(seed: int, faults: FaultPlan | None = None) -> list[bytes]:
    peer = FakePeer(load_world("default"), clock=ManualClock(), seed=seed, faults=faults)
    await peer.connect("me")
    frames: list[bytes] = []
    hello = wire.MessageFrame(
        id="c.1", sender="me", to="anna", timestamp=0, kind="text",
        text=wire.TextContent(body="hi Anna, dinner tonight?"), client_txn_id="t.1",
    )  # fmt: skip
    peer.pump()
    await peer.send(wire.encode(hello))
    for _ in range(200):
        frames.extend(peer.drain())
        if not peer.step():
            break
    return frames


async def test_same_seed_same_frames() -> None:
    assert await record(3) == await record(3)
    assert await record(3, FAULTS) == await record(3, FAULTS)


async def test_another_seed_changes_what_people_say() -> None:
    runs = {tuple(await record(seed)) for seed in range(4)}
    assert len(runs) > 1


async def test_same_seed_same_transcript() -> None:
    world = load_world("default")
    first = await play(world, ["No, block my card"], seed=9, flow="fraud-alert")
    second = await play(world, ["No, block my card"], seed=9, flow="fraud-alert")
    assert [line.as_dict() for line in first] == [line.as_dict() for line in second]
