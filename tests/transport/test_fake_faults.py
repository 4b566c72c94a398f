"""Faults at 10 % each over 10,000 messages: the client still gets every message once, in order."""

from __future__ import annotations

import pytest

from tui_messenger.transport import wire
from tui_messenger.transport.base import TransportClosed
from tui_messenger.transport.fake import FaultPlan

ALL_TEN_PERCENT = FaultPlan(
    drop=0.1, duplicate=0.1, reorder=0.1, delay=0.1, garble=0.1, disconnect=0.1, seed=7
)


async def test_every_message_arrives_once_in_order_under_all_faults(tiny, peer_for, client_cls) -> None:
    peer = peer_for(tiny, seed=7, faults=ALL_TEN_PERCENT, ack_timeout=1.0)
    client = client_cls(peer)
    await peer.connect("me")
    sent: list[str] = []
    for n in range(10_000):
        message_id = peer.push_text("anna", f"message {n}")
        assert message_id is not None
        sent.append(message_id)
        await client.process()
    await client.settle()

    received = sorted(client.messages.values(), key=lambda m: m.timestamp)
    live = [m.id for m in received if m.sender == "anna"]
    assert live == sent  # every one, once, in the server's order
    assert [m.body for m in received if m.sender == "anna"][:3] == ["message 0", "message 1", "message 2"]
    counts = peer.fault_counts
    for fault in ("drop", "duplicate", "reorder", "delay", "garble", "disconnect"):
        assert counts.get(fault, 0) > 100, fault  # each fault really happened
    assert client.stats.malformed > 100  # garbled frames were counted and dropped
    assert client.reconnects > 100


async def test_client_sends_survive_drops_and_duplicates(tiny, peer_for, client_cls) -> None:
    peer = peer_for(tiny, faults=FaultPlan(drop=0.3, duplicate=0.3, seed=3), ack_timeout=1.0)
    client = client_cls(peer)
    await peer.connect("me")
    await client.settle()
    for n in range(200):
        frame = wire.MessageFrame(
            id=f"c.{n}", sender="me", to="anna", timestamp=0, kind="text",
            text=wire.TextContent(body=f"hi {n}"), client_txn_id=f"t.{n}",
        )  # fmt: skip
        for _ in range(20):  # the outbox retries until the network answers `sent`
            await peer.send(wire.encode(frame))
            await client.settle()
            if any(s.message_id == frame.id and s.status == "sent" for s in client.statuses):
                break
    user_notes = [e for e in peer.log if e.kind == "user"]
    assert sorted(e.message_id for e in user_notes) == sorted(f"c.{n}" for n in range(200))  # once each


async def test_incoming_raises_transport_closed_on_a_break_and_ends_on_close(tiny, peer_for) -> None:
    peer = peer_for(tiny, faults=FaultPlan(disconnect=1.0))
    await peer.connect("me")
    got: list[bytes] = []
    with pytest.raises(TransportClosed):
        async for raw in peer.incoming():
            got.append(raw)
    assert got  # what was queued before the break still arrives
    with pytest.raises(TransportClosed):
        await peer.send(wire.encode(wire.AckFrame(ids=["x"])))

    calm = peer_for(tiny)
    await calm.connect("me")
    stream = calm.incoming()
    first = await anext(stream)  # the sync starts once connect has returned
    assert wire.decode(first).type == "directory"
    await calm.close()
    rest = [wire.decode(raw).type async for raw in stream]  # what was queued, then a quiet end
    assert rest[-1] == "sync"


async def test_resume_with_token_sends_only_what_was_not_acked(tiny, peer_for, client_cls) -> None:
    peer = peer_for(tiny)
    client = client_cls(peer)
    await peer.connect("me")
    await client.settle()
    await peer.close()
    peer.push_text("anna", "while you were away")
    await peer.connect("me", since=client.token)
    peer.pump()
    raws = peer.drain()
    frames = [wire.decode(r) for r in raws]
    assert [f.type for f in frames] == ["message", "sync"]
    assert frames[0].body == "while you were away"


async def test_a_token_from_another_run_gets_a_full_sync(tiny, peer_for) -> None:
    peer = peer_for(tiny)
    await peer.connect("me", since="someoneelse_42")
    peer.pump()
    assert wire.decode(peer.drain()[0]).type == "directory"
