"""Edits, deletions and reactions that overtake their message: kept, unacked, and applied when the
message comes (issue 12, item 5). Headless: the service against a scripted transport, then against the
real fake peer with delays and reordering."""

from __future__ import annotations

from service_helpers import T0, directory, person, settle, text, until

from tui_messenger.services.receive_units import Waiting
from tui_messenger.transport import wire


def _acks(transport) -> list[str]:
    return [key for frame in transport.sent_of(wire.AckFrame) for key in frame.ids]


def _delete(message_id: str, *, frame_id: str, sender: str = "anna", at: int = T0 + 1_000) -> wire.Frame:
    return wire.DeleteFrame(id=frame_id, sender=sender, to="me", message_id=message_id, timestamp=at)  # type: ignore[call-arg]


def _edit(message_id: str, body: str, *, frame_id: str, at: int = T0 + 1_000) -> wire.EditFrame:
    return wire.EditFrame(id=frame_id, sender="anna", to="me", message_id=message_id, body=body, timestamp=at)  # type: ignore[call-arg]


async def test_a_delete_before_its_message_deletes_it_when_it_comes(messenger, transport) -> None:
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    transport.push(_delete("a1", frame_id="d1"))
    await settle(messenger, transport)
    assert "d1" not in _acks(transport)  # not applied yet: not acked, so the network keeps it too
    transport.push(text("a1", "anna", "my card PIN is 4321", at=T0))
    await settle(messenger, transport)
    message = await messenger.message("a1")
    assert message is not None and message.deleted and message.body == ""
    assert messenger.messages.search(query="PIN") == []
    assert "d1" in _acks(transport)  # applied, so acked now
    assert len(messenger.receiver.waiting) == 0


async def test_changes_before_their_message_in_one_batch_apply_after_it(messenger, transport) -> None:
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    transport.push(
        _edit("a2", "meet at gate C3", frame_id="e2"),
        wire.ReactionFrame(id="r2", sender="anna", to="me", message_id="a2", emoji="👍", timestamp=T0 + 500),  # type: ignore[call-arg]
        text("a2", "anna", "meet at gate B12", at=T0),
    )
    await settle(messenger, transport)
    message = await messenger.message("a2")
    assert message is not None and message.body == "meet at gate C3" and message.edited_at is not None
    assert [r for r, _, _ in messenger.reaction_repo.all_for(message_id="a2")] == ["anna"]
    assert {"e2", "r2", "a2"} <= set(_acks(transport))


async def test_a_change_waiting_for_its_message_outlives_a_restart(db, transport, clock) -> None:
    """A network that never sends a change again (a Matrix sync: its position is stored with the batch)
    still gets it applied when its message comes after a restart: the database kept it."""
    from tui_messenger.services.service import MessengerService
    from tui_messenger.store.waiting_changes import WaitingChangesRepository

    first = transport
    service = MessengerService(db, first, clock=clock, user_id="me")
    await service.start()
    first.push(directory(person("anna")))
    first.push(_edit("a3", "gate C3", frame_id="e3"), wire.SyncFrame(token="s1"))  # type: ignore[call-arg]
    await settle(service, first)
    await service.stop()
    kept = WaitingChangesRepository(db).frames(10)
    assert [key for key, _ in kept] == ["e3"]  # kept with the batch (and its position)

    second = type(transport)()  # a new connection: sends nothing again, only what is new
    service = MessengerService(db, second, clock=clock, user_id="me")
    await service.start()
    try:
        second.push(text("a3", "anna", "gate B12", at=T0))
        await settle(service, second)
        await until(service, lambda: len(service.receiver.waiting) == 0)
        message = await service.message("a3")
        assert message is not None and message.body == "gate C3" and message.edited_at is not None
        assert WaitingChangesRepository(db).frames(10) == []  # applied: no longer kept
    finally:
        await service.stop()


async def test_a_kept_change_goes_when_applied_and_a_resend_is_kept_once(messenger, transport) -> None:
    from tui_messenger.store.waiting_changes import WaitingChangesRepository

    kept = WaitingChangesRepository(messenger.receiver._ingest.db)  # noqa: SLF001 - the service's own file
    transport.push(directory(person("anna")))
    transport.push(_delete("a4", frame_id="d4"), _delete("a5", frame_id="d5"))
    await settle(messenger, transport)
    transport.push(_delete("a4", frame_id="d4"))  # the network sent it again
    await settle(messenger, transport)
    assert [key for key, _ in kept.frames(10)] == ["d5", "d4"]  # once each, the re-sent one newest
    transport.push(text("a4", "anna", "gone soon", at=T0))
    await settle(messenger, transport)
    assert [key for key, _ in kept.frames(10)] == ["d5"]


async def test_a_blocked_accounts_change_does_not_wait(messenger, transport) -> None:
    """Its messages are dropped when they come, so its change for one is dropped (counted and acked) at
    once: it takes no room among the waiting changes, in memory or in the database."""
    from tui_messenger.domain.models import BlockReason
    from tui_messenger.store.waiting_changes import WaitingChangesRepository

    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    await messenger.block("anna", BlockReason.SPAM)
    transport.push(
        _delete("a9", frame_id="d9"),
        _edit("a8", "click this link", frame_id="e8"),
        wire.ReactionFrame(id="r8", sender="anna", to="me", message_id="a8", emoji="👍", timestamp=T0),  # type: ignore[call-arg]
    )
    await settle(messenger, transport)
    assert {"d9", "e8", "r8"} <= set(_acks(transport))
    assert len(messenger.receiver.waiting) == 0
    assert WaitingChangesRepository(messenger.receiver._ingest.db).frames(10) == []  # noqa: SLF001
    ((block, _),) = await messenger.blocked()
    assert block.dropped_count == 3


async def test_changes_kept_before_their_sender_was_blocked_go_with_the_block(messenger, transport) -> None:
    from tui_messenger.domain.models import BlockReason, ReportReason
    from tui_messenger.store.waiting_changes import WaitingChangesRepository

    kept = WaitingChangesRepository(messenger.receiver._ingest.db)  # noqa: SLF001 - the service's own file
    transport.push(directory(person("anna"), person("ben")))
    transport.push(_delete("a10", frame_id="d10"), _delete("b10", frame_id="d11", sender="ben"))
    await settle(messenger, transport)
    assert len(messenger.receiver.waiting) == 2 and "d10" not in _acks(transport)
    await messenger.block("anna", BlockReason.SPAM)
    assert len(messenger.receiver.waiting) == 1  # ben's still waits for its message
    assert "d10" in _acks(transport) and "d11" not in _acks(transport)
    transport.push(text("b9", "ben", "another message", at=T0))  # the next batch removes the kept one
    await settle(messenger, transport)
    assert [key for key, _ in kept.frames(10)] == ["d11"]
    transport.push(_delete("b12", frame_id="d12", sender="ben"))
    await settle(messenger, transport)
    await messenger.report("ben", ReportReason.SPAM, also_block=True)  # a report that blocks: the same
    assert len(messenger.receiver.waiting) == 0 and {"d11", "d12"} <= set(_acks(transport))


async def test_a_kept_change_no_version_can_read_is_removed(db, transport, clock) -> None:
    from tui_messenger.services.service import MessengerService
    from tui_messenger.store.waiting_changes import WaitingChangesRepository

    with db.write() as session:  # as an older version might have left it
        session.connection().exec_driver_sql(
            "INSERT INTO waiting_changes (ack_key, target, frame) VALUES ('x1', 'a9', X'7b6e6f7421')"
        )
    service = MessengerService(db, transport, clock=clock, user_id="me")
    await service.start()
    try:
        transport.push(directory(person("anna")), text("a6", "anna", "hello", at=T0))
        await settle(service, transport)
        assert WaitingChangesRepository(db).frames(10) == []  # gone with the next batch stored
    finally:
        await service.stop()


async def test_a_resent_waiting_change_is_kept_once() -> None:
    from tui_messenger.services.receive_units import Unit

    waiting = Waiting(limit=2)
    assert waiting.park("m1", Unit("d1", [])) == []
    assert waiting.park("m1", Unit("d1", [])) == []  # the network sent it again
    assert len(waiting) == 1
    assert waiting.park("m2", Unit("d2", [])) == []
    assert waiting.park("m3", Unit("d3", [])) == ["d1"]  # past the limit the oldest goes (and is acked)
    assert [u.key for u in waiting.take({"m3"})] == ["d3"] and len(waiting) == 1


async def test_waiting_changes_stay_under_their_byte_budget() -> None:
    """A flood of big changes for messages that never come (a frame may hold 2 MiB) keeps the newest that
    fit: the oldest go (and are acked), the newest stays even alone past the budget."""
    from tui_messenger.services.receive_units import Unit

    waiting = Waiting(limit=100, limit_bytes=1000)
    assert [waiting.park(f"m{n}", Unit(f"e{n}", [], b"x" * 400)) for n in range(3)] == [[], [], ["e0"]]
    assert waiting.park("m3", Unit("e3", [], b"x" * 5000)) == ["e1", "e2"]
    assert len(waiting) == 1 and [u.key for u in waiting.take({"m3"})] == ["e3"]
    assert waiting.park("m4", Unit("e4", [], b"x" * 900)) == []  # the taken one's bytes were given back


async def test_delete_right_after_its_message_wins_over_delay_and_reorder(tmp_path) -> None:
    """`--delay 1.0 --reorder 0.5` over seeds 1-20: a delete right after its message leaves no text."""
    for seed in range(1, 21):
        await _delete_right_after(tmp_path / f"s{seed}.db", seed)


async def _delete_right_after(path, seed: int) -> None:
    from tui_messenger.domain.clock import ManualClock
    from tui_messenger.services.service import MessengerService
    from tui_messenger.store.database import open_database
    from tui_messenger.transport.fake import FakePeer, FaultPlan

    db = open_database(path)
    clock = ManualClock()
    faults = FaultPlan(delay=1.0, reorder=0.5, seed=seed)
    peer = FakePeer.for_scenario("default", clock=clock, seed=seed, faults=faults)
    service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    await service.start()
    await until(service, lambda: service.online and service.idle)
    await _run(service, peer, seconds=30)
    sender = next(a.id for a in peer.world.accounts if a.kind == "person")
    message_id = peer.push_text(sender, "the one-time code is 918273")
    assert message_id is not None
    assert peer.delete_message(sender, message_id) is not None
    peer.pump()
    await _run(service, peer, seconds=120)
    stored = await service.message(message_id)
    assert stored is not None and stored.deleted and stored.body == "", f"seed {seed}"
    assert service.messages.search(query="918273") == [], f"seed {seed}"
    await service.stop()
    db.close()


async def _run(service, peer, *, seconds: float) -> None:
    """Let the peer run its due actions for `seconds` of its clock, the client storing all it gets."""

    def settled() -> bool:
        conn = peer.timeline.conn
        return (conn is None or not conn.frames) and service.idle

    end = peer.clock.now().timestamp() + seconds
    while (due := peer.next_due()) is not None and due.timestamp() <= end:
        peer.step()
        await until(service, settled)
    await until(service, settled)
