"""The action outbox: reactions, edits and deletions are sent, retried with backoff, re-sent on
reconnect and removed by the network's AckFrame."""

from __future__ import annotations

from service_helpers import T0, settle, until

from tui_messenger.services.actions import outgoing_action
from tui_messenger.store.action_outbox import ActionOutboxRepository, OutgoingAction, enqueue_action
from tui_messenger.transport import wire


def _reaction(frame_id: str = "r1", message_id: str = "m1") -> wire.ReactionFrame:
    return wire.ReactionFrame(
        id=frame_id, sender="me", to="anna", message_id=message_id, emoji="👍", timestamp=T0
    )  # type: ignore[call-arg]


def _edit(frame_id: str, message_id: str = "m1", body: str = "new") -> wire.EditFrame:
    return wire.EditFrame(id=frame_id, sender="me", to="anna", message_id=message_id, body=body, timestamp=T0)  # type: ignore[call-arg]


async def test_an_action_is_sent_retried_and_removed_by_its_ack(messenger, transport, clock) -> None:
    await messenger.actions.enqueue(_reaction())
    assert [f.id for f in transport.sent_of(wire.ReactionFrame)] == ["r1"]
    (entry,) = messenger.action_repo.all()
    assert (entry.frame_id, entry.kind, entry.message_id, entry.attempts) == ("r1", "reaction", "m1", 1)
    policy = messenger.actions.policy
    clock.advance(policy.delay(1) - 0.5)
    await settle(messenger, transport)
    assert len(transport.sent_of(wire.ReactionFrame)) == 1  # not due yet
    clock.advance(0.5)
    await until(messenger, lambda: len(transport.sent_of(wire.ReactionFrame)) == 2)
    clock.advance(policy.delay(2))
    await until(messenger, lambda: len(transport.sent_of(wire.ReactionFrame)) == 3)
    sent = transport.sent_of(wire.ReactionFrame)
    assert {wire.encode(f) for f in sent} == {wire.encode(sent[0])}  # the same frame byte for byte
    transport.push(wire.AckFrame(ids=["someone-else", "r1"]))
    await until(messenger, lambda: messenger.action_repo.all() == [])
    clock.advance(3600)
    await settle(messenger, transport)
    assert len(transport.sent_of(wire.ReactionFrame)) == 3  # acked: never again


async def test_an_action_never_fails_it_keeps_the_longest_delay(messenger, transport, clock) -> None:
    await messenger.actions.enqueue(_reaction())
    policy = messenger.actions.policy
    for attempt in range(1, policy.max_attempts + 3):
        clock.advance(policy.delay(min(attempt, policy.max_attempts)))
        await until(messenger, lambda n=attempt: len(transport.sent_of(wire.ReactionFrame)) == n + 1)
    await until(messenger, lambda: messenger.action_repo.all()[0].attempts == policy.max_attempts + 3)


async def test_offline_actions_wait_and_go_on_reconnect(messenger, transport, clock) -> None:
    transport.refuse_connect = 1  # the first reconnect fails: offline until the backoff passes
    transport.disconnect()
    await until(messenger, lambda: not messenger.online and transport.refuse_connect == 0)
    await messenger.actions.enqueue(_reaction())
    assert transport.sent_of(wire.ReactionFrame) == []  # offline: stored, not sent, no attempt counted
    assert messenger.action_repo.all()[0].attempts == 0
    clock.advance(1)  # the reconnect backoff
    await until(messenger, lambda: len(transport.sent_of(wire.ReactionFrame)) == 1)


async def test_waiting_actions_are_sent_by_a_new_run(db, transport, clock) -> None:
    """An action stored before a restart (or a crash right after its transaction) goes out on start."""
    from tui_messenger.services.service import MessengerService

    ActionOutboxRepository(db).enqueue(action=outgoing_action(_reaction()), now=clock.now())
    service = MessengerService(db, transport, clock=clock, user_id="me")
    await service.start()
    try:
        await until(service, lambda: len(transport.sent_of(wire.ReactionFrame)) == 1)
    finally:
        await service.stop()


def test_a_new_edit_supersedes_the_unsent_older_one(db, clock) -> None:
    repo = ActionOutboxRepository(db)
    repo.enqueue(action=outgoing_action(_edit("e1")), now=clock.now())
    repo.enqueue(action=outgoing_action(_edit("e1", message_id="m2")), now=clock.now())
    repo.enqueue(action=outgoing_action(_edit("e2")), now=clock.now(), supersedes=("edit",))
    assert [(e.frame_id, e.message_id) for e in repo.all()] == [("e1", "m2"), ("e2", "m1")]


def test_enqueue_inside_a_callers_transaction_rolls_back_with_it(db, clock) -> None:
    action = OutgoingAction("x1", "delete", "m1", b"{}")
    try:
        with db.write() as session:
            enqueue_action(session, action, clock.now())
            raise RuntimeError("the local effect failed")
    except RuntimeError:
        pass
    assert ActionOutboxRepository(db).all() == []
    with db.write() as session:
        enqueue_action(session, action, clock.now())
    assert [e.frame_id for e in ActionOutboxRepository(db).all()] == ["x1"]


async def test_the_fake_peer_acks_action_frames_so_the_outbox_empties(db) -> None:
    from tui_messenger.domain.clock import ManualClock
    from tui_messenger.services.service import MessengerService
    from tui_messenger.transport.fake import FakePeer

    clock = ManualClock()
    peer = FakePeer.for_scenario("default", clock=clock)
    service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    await service.start()
    try:
        await until(service, lambda: service.online and service.idle)
        frame = wire.ReactionFrame(
            id="r-peer", sender=peer.user_id, to="anna", message_id="m1", emoji="👍", timestamp=T0
        )  # type: ignore[call-arg]
        await service.actions.enqueue(frame)
        await until(service, lambda: service.action_repo.all() == [])
        assert "r-peer" in peer.actions.seen
    finally:
        await service.stop()
