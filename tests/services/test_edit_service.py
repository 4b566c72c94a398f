"""Editing and deleting through the service: the 15-minute window on the service clock, the frames sent
and acked, the peer's own edits and deletions, and the events the screen gets."""

from __future__ import annotations

import pytest
from service_helpers import T0, directory, person, settle, status, text, until

from tui_messenger.domain.events import ChatChanged, MessageChanged, MessageRemoved
from tui_messenger.services.edits import RefusedError
from tui_messenger.services.errors import NotFoundError
from tui_messenger.transport import wire

MINUTE = 60.0


async def _chat(messenger, transport) -> int:
    transport.push(directory(person("anna"), person("bob")))
    transport.push(text("a1", "anna", "the gate is B12", at=T0))
    await settle(messenger, transport)
    return (await messenger.open_chat("anna")).chat.id


def _edit_from(sender: str, message_id: str, body: str, *, at: int, frame_id: str = "pe1") -> wire.EditFrame:
    return wire.EditFrame(id=frame_id, sender=sender, to="me", message_id=message_id, body=body, timestamp=at)  # type: ignore[call-arg]


def _delete_from(sender: str, message_id: str, *, at: int, frame_id: str = "pd1") -> wire.DeleteFrame:
    return wire.DeleteFrame(id=frame_id, sender=sender, to="me", message_id=message_id, timestamp=at)  # type: ignore[call-arg]


async def test_edit_at_14_59_is_sent_and_at_15_01_refused(messenger, transport, clock) -> None:
    chat_id = await _chat(messenger, transport)
    first = await messenger.send_text(chat_id, "on my way")
    second = await messenger.send_text(chat_id, "see you soon")
    await settle(messenger, transport)
    events: list = []
    messenger.subscribe(events.append)
    clock.advance(14 * MINUTE + 59)
    assert (await messenger.allowed_actions(first.message_id)).edit
    edited = await messenger.edit_message(first.message_id, "on my way, 5 min late")
    assert edited.body == "on my way, 5 min late" and edited.edited_at == clock.now()
    (frame,) = transport.sent_of(wire.EditFrame)
    assert (frame.sender, frame.to, frame.message_id, frame.body) == ("me", "anna", first.message_id,
                                                                      "on my way, 5 min late")  # fmt: skip
    assert any(isinstance(e, MessageChanged) and e.message.edited_at for e in events)
    assert any(isinstance(e, ChatChanged) for e in events)
    transport.push(wire.AckFrame(ids=[frame.id]))  # the network has it: no retry
    await until(messenger, lambda: messenger.action_repo.all() == [])
    clock.advance(2)  # 15:01 after both
    allowed = await messenger.allowed_actions(second.message_id)
    assert not allowed.edit and not allowed.delete_for_everyone and allowed.delete_for_me
    with pytest.raises(RefusedError, match="15 minutes"):
        await messenger.edit_message(second.message_id, "changed my mind")
    with pytest.raises(RefusedError, match="15 minutes"):
        await messenger.delete_for_everyone(second.message_id)
    assert (await messenger.message(second.message_id)).body == "see you soon"  # type: ignore[union-attr]
    assert len(transport.sent_of(wire.EditFrame)) == 1 and transport.sent_of(wire.DeleteFrame) == []


async def test_only_the_author_changes_and_never_a_deleted_message(messenger, transport, clock) -> None:
    chat_id = await _chat(messenger, transport)
    with pytest.raises(RefusedError, match="author"):
        await messenger.edit_message("a1", "not mine")
    with pytest.raises(RefusedError, match="author"):
        await messenger.delete_for_everyone("a1")
    with pytest.raises(NotFoundError):
        await messenger.edit_message("no-such-message", "x")
    mine = await messenger.send_text(chat_id, "typo hree")
    await settle(messenger, transport)
    with pytest.raises(RefusedError, match="empty"):
        await messenger.edit_message(mine.message_id, "  ")
    tomb = await messenger.delete_for_everyone(mine.message_id)
    assert tomb.deleted and tomb.body == ""
    (frame,) = transport.sent_of(wire.DeleteFrame)
    assert (frame.message_id, frame.to) == (mine.message_id, "anna")
    with pytest.raises(RefusedError, match="deleted"):
        await messenger.edit_message(mine.message_id, "typo here")
    assert (await messenger.summary(chat_id)).chat.last_preview == "This message was deleted"


async def test_delete_for_me_sends_nothing_and_removes_the_message(messenger, transport) -> None:
    chat_id = await _chat(messenger, transport)
    events: list = []
    messenger.subscribe(events.append)
    await messenger.delete_for_me("a1")  # anyone's message, any time
    assert MessageRemoved(chat_id, "a1") in events
    assert [m.message_id for m in await messenger.latest_page(chat_id)] == []
    assert transport.sent_of(wire.DeleteFrame) == [] and messenger.action_repo.all() == []
    with pytest.raises(NotFoundError):
        await messenger.delete_for_me("a1")  # gone: a second time finds nothing
    transport.push(text("a1", "anna", "the gate is B12", at=T0))  # a re-sent duplicate
    await settle(messenger, transport)
    assert await messenger.latest_page(chat_id) == []


async def test_an_edit_of_a_pending_message_waits_for_its_sent(messenger, transport, clock) -> None:
    chat_id = await _chat(messenger, transport)
    transport.on_send = None  # the network does not answer yet
    pending = await messenger.send_text(chat_id, "meet at 5")
    await messenger.edit_message(pending.message_id, "meet at 6")
    await settle(messenger, transport)
    clock.advance(5)
    await settle(messenger, transport)
    assert transport.sent_of(wire.EditFrame) == []  # never before its message reached the network
    (sent,) = {f.id: f for f in transport.sent_of(wire.MessageFrame)}.values()
    assert sent.text is not None and sent.text.body == "meet at 5"  # the queued frame was not rewritten
    transport.push(status(pending.message_id, "sent", txn=pending.client_txn_id))
    await until(messenger, lambda: len(transport.sent_of(wire.EditFrame)) == 1)
    assert transport.sent_of(wire.EditFrame)[0].body == "meet at 6"


async def test_the_peer_edits_and_deletes_its_own_messages(messenger, transport, clock) -> None:
    chat_id = await _chat(messenger, transport)
    events: list = []
    messenger.subscribe(events.append)
    clock.advance(10 * MINUTE)
    transport.push(_edit_from("anna", "a1", "the gate is C3", at=T0 + 600_000))
    await settle(messenger, transport)
    message = await messenger.message("a1")
    assert message is not None and message.body == "the gate is C3" and message.edited_at is not None
    assert any(isinstance(e, MessageChanged) and e.message.body == "the gate is C3" for e in events)
    assert (await messenger.summary(chat_id)).chat.last_preview == "the gate is C3"
    acks = [i for f in transport.sent_of(wire.AckFrame) for i in f.ids]
    assert "pe1" in acks  # stored, so acked
    transport.push(_delete_from("anna", "a1", at=T0 + 601_000))
    await settle(messenger, transport)
    message = await messenger.message("a1")
    assert message is not None and message.deleted and message.body == ""
    assert messenger.messages.search(query="gate") == []


async def test_changes_from_others_or_too_late_are_dropped_but_acked(messenger, transport, clock) -> None:
    await _chat(messenger, transport)
    clock.advance(30 * MINUTE)
    transport.push(
        _edit_from("bob", "a1", "bob rewrites anna", at=T0 + 60_000, frame_id="x1"),
        _edit_from("anna", "a1", "half an hour later", at=T0 + 30 * 60_000, frame_id="x2"),
        _delete_from("anna", "a1", at=T0 + 30 * 60_000, frame_id="x3"),
        _edit_from("anna", "unknown", "an edit of nothing", at=T0 + 30 * 60_000, frame_id="x4"),
    )
    await settle(messenger, transport)
    message = await messenger.message("a1")
    assert message is not None and message.body == "the gate is B12" and not message.deleted
    acks = {i for f in transport.sent_of(wire.AckFrame) for i in f.ids}
    assert {"x1", "x2", "x3"} <= acks  # handled: the network need not send them again
    assert "x4" not in acks  # its message may still come: it waits, unacked (test_overtaking.py)


def test_the_deferred_messenger_forwards_edits_and_deletions() -> None:
    from tui_messenger.services.deferred import DeferredMessenger

    forwarded = {"allowed_actions", "edit_message", "delete_for_everyone", "delete_for_me"}
    assert all(callable(DeferredMessenger.__getattr__(object.__new__(DeferredMessenger), n))
               for n in forwarded)  # fmt: skip


async def test_airline_delay_gate_correction_reaches_the_store(db, tmp_path) -> None:
    from tui_messenger.domain.clock import ManualClock
    from tui_messenger.domain.models import MessageKind
    from tui_messenger.services.service import MessengerService
    from tui_messenger.store.database import open_database
    from tui_messenger.transport.fake import FakePeer

    clock = ManualClock()
    peer = FakePeer.for_scenario("airline-delay", clock=clock)
    service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    await service.start()
    try:
        await until(service, lambda: service.settings.sync_token() is not None and service.idle)
        chat_id = (await service.open_chat("skyways")).chat.id
        await service.send_text(chat_id, "Hi, is my flight SK 123 on time?")
        await service.jump_ahead(5)

        async def newest(kind: MessageKind | None = None, text: str = ""):
            page = await service.latest_page(chat_id)
            return [m for m in page if (kind is None or m.kind is kind) and text in m.body]

        await until(service, lambda: service.idle)
        notice = None
        for _ in range(50):
            found = await newest(MessageKind.LIST)
            if found:
                notice = found[-1]
                break
            await service.jump_ahead(1)
        assert notice is not None
        await service.send_choice(chat_id, notice, "sk125")
        gate = None
        for _ in range(100):
            await service.jump_ahead(2)
            await until(service, lambda: service.idle)
            found = await newest(text="boards at gate")
            if found and found[-1].edited_at is not None:
                gate = found[-1]
                break
        assert gate is not None and gate.body == "SK 125 boards at gate B20 from 13:35 (gate changed)."
        assert not (await newest(text="gate B18 from"))  # only the latest text is kept

        # The user's own edit is kept by the network: a second device's full sync shows it edited.
        mine = await service.send_text(chat_id, "thanks, on my way")
        await until(service, lambda: service.outbox_repo.all() == [])
        await service.edit_message(mine.message_id, "thanks, on my way to B20")
        await until(service, lambda: service.action_repo.all() == [])
    finally:
        await service.stop()
    other_db = open_database(tmp_path / "second-device.db")
    other = MessengerService(other_db, peer, clock=clock, user_id=peer.user_id)
    await other.start()
    try:
        await until(other, lambda: other.settings.sync_token() is not None and other.idle)
        copy = await other.message(mine.message_id)
        assert copy is not None and copy.body == "thanks, on my way to B20" and copy.edited_at is not None
    finally:
        await other.stop()
        other_db.close()


async def test_the_text_export_shows_edited_and_deleted(messenger, transport) -> None:
    from tui_messenger.services.export import export_text

    chat_id = await _chat(messenger, transport)
    kept = await messenger.send_text(chat_id, "meet at 5")
    gone = await messenger.send_text(chat_id, "secret plan")
    await settle(messenger, transport)
    await messenger.edit_message(kept.message_id, "meet at 6")
    await messenger.delete_for_everyone(gone.message_id)
    lines = [line async for line in export_text(messenger, chat_id, title="Anna")]
    assert lines[-2].endswith("me [sent]: meet at 6 (edited)")
    assert lines[-1].endswith("me [sent]: (This message was deleted)")
    assert not any("secret" in line or "meet at 5" in line for line in lines)


async def test_delete_for_me_of_the_newest_moves_the_preview_to_the_one_before(messenger, transport) -> None:
    chat_id = await _chat(messenger, transport)
    await messenger.send_text(chat_id, "before")
    last = await messenger.send_text(chat_id, "the newest")
    await settle(messenger, transport)
    assert (await messenger.summary(chat_id)).chat.last_preview == "the newest"
    await messenger.delete_for_me(last.message_id)
    assert (await messenger.summary(chat_id)).chat.last_preview == "before"
    transport.push(status(last.message_id, "sent"), status(last.message_id, "read", sender="anna"))
    await settle(messenger, transport)  # receipts for the hidden message change no preview
    assert (await messenger.summary(chat_id)).chat.last_preview == "before"
