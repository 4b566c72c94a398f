"""Receiving through the service: batches, acks, dedupe, events, notifications, typing, reconnects."""

from __future__ import annotations

from service_helpers import T0, buttons, directory, person, settle, status, text, typing, until

from tui_messenger.domain.events import (
    ChatChanged,
    ConnectionChanged,
    MessageAdded,
    MessageChanged,
    Notified,
    TypingChanged,
)
from tui_messenger.domain.models import ChatFilter, MessageKind, MessageStatus
from tui_messenger.services.receive import NOTIFY_SHOWN
from tui_messenger.transport import wire


def record(messenger) -> list:
    events: list = []
    messenger.subscribe(events.append)
    return events


async def test_messages_are_stored_acked_and_announced(messenger, transport) -> None:
    events = record(messenger)
    transport.push(
        directory(person("anna")), text("m1", "anna", "hi", at=T0), text("m2", "anna", "there", at=T0 + 1)
    )
    transport.push(wire.SyncFrame(token="tok-1"))
    await settle(messenger, transport)
    (chat,) = await messenger.chat_list()
    assert (chat.chat.title, chat.chat.unread_count, chat.chat.last_preview) == ("Anna", 2, "there")
    acked = [key for frame in transport.sent_of(wire.AckFrame) for key in frame.ids]
    assert {"m1", "m2"} <= set(acked)
    assert [e.message.message_id for e in events if isinstance(e, MessageAdded)] == ["m1", "m2"]
    assert [e.body for e in events if isinstance(e, Notified)] == ["there"]  # one toast per chat and batch
    assert any(isinstance(e, ChatChanged) for e in events)
    delivered = [f for f in transport.sent_of(wire.StatusFrame) if f.status == "delivered"]
    assert {f.message_id for f in delivered} == {"m1", "m2"}
    assert messenger.settings.sync_token() == "tok-1"


async def test_duplicates_show_once_and_are_acked_again(messenger, transport) -> None:
    events = record(messenger)
    transport.push(directory(person("anna")), text("m1", "anna", "hi"))
    await settle(messenger, transport)
    transport.push(text("m1", "anna", "hi"), text("m1", "anna", "hi"))
    await settle(messenger, transport)
    assert len([e for e in events if isinstance(e, MessageAdded)]) == 1
    assert len(await messenger.latest_page((await messenger.chat_list())[0].chat.id)) == 1
    acked = [key for frame in transport.sent_of(wire.AckFrame) for key in frame.ids]
    assert acked.count("m1") == 2


async def test_malformed_frames_are_counted_and_dropped(messenger, transport) -> None:
    transport.push(b"not json", b'{"v":1,"frame":{"type":"message"}}', b"x" * (wire.MAX_FRAME_BYTES + 1))
    transport.push(directory(person("anna")), text("ok", "anna", "fine"))
    await settle(messenger, transport)
    assert messenger.receiver.stats.malformed == 2 and messenger.receiver.stats.oversize == 1
    assert len(await messenger.chat_list()) == 1


async def test_status_only_moves_forward(messenger, transport) -> None:
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    chat = await messenger.open_chat("anna")
    events = record(messenger)
    sent = await messenger.send_text(chat.chat.id, "hello")
    await settle(messenger, transport)
    transport.push(
        status(sent.message_id, "read", sender="anna"), status(sent.message_id, "delivered", sender="anna")
    )
    await settle(messenger, transport)
    assert (await messenger.message(sent.message_id)).status is MessageStatus.READ
    changes = [e.message.status for e in events if isinstance(e, MessageChanged)]
    assert changes == [MessageStatus.SENT, MessageStatus.READ]


async def test_requests_are_never_notified(messenger, transport) -> None:
    events = record(messenger)
    transport.push(text("x1", "stranger", "hello dear"))
    await settle(messenger, transport)
    (summary,) = await messenger.chat_list()
    assert summary.chat.is_request and summary.chat.unread_count == 1
    assert not [e for e in events if isinstance(e, Notified)]
    await messenger.accept_request(summary.chat.id, add_contact=True)
    assert not (await messenger.summary(summary.chat.id)).chat.is_request
    assert messenger.contacts.is_contact(account_id="stranger")


async def test_muted_chats_count_but_do_not_notify(messenger, transport) -> None:
    transport.push(directory(person("anna")), text("m1", "anna", "hi"))
    await settle(messenger, transport)
    (summary,) = await messenger.chat_list()
    await messenger.set_muted(summary.chat.id, True)
    events = record(messenger)
    transport.push(text("m2", "anna", "again", at=T0 + 5))
    await settle(messenger, transport)
    assert not [e for e in events if isinstance(e, Notified)]
    assert (await messenger.summary(summary.chat.id)).chat.unread_count == 2


async def test_typing_shown_for_known_chats(messenger, transport) -> None:
    transport.push(directory(person("anna")), text("m1", "anna", "hi"))
    await settle(messenger, transport)
    events = record(messenger)
    transport.push(typing("anna"), typing("nobody"))
    await settle(messenger, transport)
    assert [e.typing for e in events if isinstance(e, TypingChanged)] == [True]


async def test_mark_read_sends_read_receipts(messenger, transport) -> None:
    transport.push(directory(person("anna")), text("m1", "anna", "a"), text("m2", "anna", "b", at=T0 + 1))
    await settle(messenger, transport)
    (summary,) = await messenger.chat_list()
    await messenger.mark_read(summary.chat.id)
    reads = [f for f in transport.sent_of(wire.StatusFrame) if f.status == "read"]
    assert [(f.message_id, f.to) for f in reads] == [("m1", "anna"), ("m2", "anna")]
    assert (await messenger.filter_counts())[ChatFilter.UNREAD] == 0
    await messenger.mark_read(summary.chat.id)
    assert len([f for f in transport.sent_of(wire.StatusFrame) if f.status == "read"]) == 2


async def test_what_comes_into_the_chat_on_screen_arrives_read(messenger, transport, clock) -> None:
    """The chat the user reads is never counted unread, not even for a moment (the Unread tab flickered
    and the screen was laid out twice per message); its sender gets a read receipt, not a delivered one;
    the toast is still the screen's to drop. Other chats count as before, and a chat left counts again."""
    transport.push(directory(person("anna"), person("ben")), text("m1", "anna", "a"), text("b1", "ben", "b"))
    await settle(messenger, transport)
    anna, ben = (await messenger.open_chat("anna")).chat.id, (await messenger.open_chat("ben")).chat.id
    await messenger.mark_read(anna)
    clock.advance(NOTIFY_SHOWN)  # the first two toasts are gone from the screen
    events = record(messenger)
    messenger.reading(anna)
    transport.push(text("m2", "anna", "c", at=T0 + 1), text("b2", "ben", "d", at=T0 + 1))
    await settle(messenger, transport)
    assert (await messenger.summary(anna)).chat.unread_count == 0
    assert (await messenger.summary(ben)).chat.unread_count == 2
    assert (await messenger.message("m2")).status is MessageStatus.READ
    assert [
        e.summary.chat.unread_count
        for e in events
        if isinstance(e, ChatChanged) and e.summary.chat.id == anna
    ] == [0]
    receipts = {
        (f.message_id, f.status) for f in transport.sent_of(wire.StatusFrame) if f.message_id in ("m2", "b2")
    }
    assert receipts == {("m2", "read"), ("b2", "delivered")}
    assert {e.chat_id for e in events if isinstance(e, Notified)} == {anna, ben}
    messenger.reading(None)
    transport.push(text("m3", "anna", "e", at=T0 + 2))
    await settle(messenger, transport)
    assert (await messenger.summary(anna)).chat.unread_count == 1


async def test_reconnect_resumes_from_the_stored_sync_token(messenger, transport, clock) -> None:
    events = record(messenger)
    transport.push(directory(person("anna")), text("m1", "anna", "hi"), wire.SyncFrame(token="tok-7"))
    await settle(messenger, transport)
    transport.disconnect()
    await until(messenger, lambda: len(transport.connects) == 2)
    assert transport.connects == [None, "tok-7"]
    states = [e.online for e in events if isinstance(e, ConnectionChanged)]
    assert states == [False, True]


async def test_reconnect_backs_off_on_the_clock(messenger, transport, clock) -> None:
    transport.refuse_connect = 2
    transport.disconnect()
    await until(messenger, lambda: transport.refuse_connect == 1 and clock.sleeping == 1)
    assert len(transport.connects) == 1  # the immediate retry was refused; now waiting on the clock
    clock.advance(1)
    await until(messenger, lambda: transport.refuse_connect == 0 and clock.sleeping == 1)
    assert len(transport.connects) == 1
    clock.advance(2)
    await until(messenger, lambda: messenger.online)
    assert len(transport.connects) == 2


async def test_interactive_message_and_choice(messenger, transport) -> None:
    from service_helpers import business

    transport.push(directory(business("bank")))
    await settle(messenger, transport)
    chat = await messenger.open_chat("bank")
    await messenger.send_text(chat.chat.id, "hello")  # opens the window for free-form
    transport.push(buttons("q1", "bank", at=T0 + 1000))
    await settle(messenger, transport)
    question = await messenger.message("q1")
    assert (
        question.kind is MessageKind.BUTTONS and question.payload["interactive"]["buttons"][0]["id"] == "yes"
    )
    reply = await messenger.send_choice(chat.chat.id, question, "no")
    assert reply.kind is MessageKind.INTERACTIVE_REPLY and reply.body == "No" and reply.reply_to == "q1"
    await settle(messenger, transport)
    frame = transport.sent_of(wire.MessageFrame)[-1]
    assert frame.interactive_reply.id == "no" and frame.interactive_reply.context_id == "q1"


def _receipts(transport, status: str) -> list[tuple[str, str]]:
    return [(f.message_id, f.to) for f in transport.sent_of(wire.StatusFrame) if f.status == status]


async def test_a_request_is_told_nothing_of_reading_until_accepted(messenger, transport) -> None:
    """An unknown sender (a spammer, maybe) learns only that the message arrived: not that it was
    opened or read, in the chat on screen or by marking it read, until the user accepts."""
    transport.push(text("x1", "stranger", "hello dear"))
    await settle(messenger, transport)
    (summary,) = await messenger.chat_list()
    chat_id = summary.chat.id
    await messenger.mark_read(chat_id)
    messenger.reading(chat_id)
    transport.push(text("x2", "stranger", "are you there?", at=T0 + 1))
    await settle(messenger, transport)
    assert (await messenger.message("x2")).status is MessageStatus.READ
    assert _receipts(transport, "delivered") == [("x1", "stranger"), ("x2", "stranger")]
    assert _receipts(transport, "read") == []
    await messenger.accept_request(chat_id)
    assert _receipts(transport, "read") == [("x1", "stranger"), ("x2", "stranger")]
    await messenger.accept_request(chat_id)  # accepted already: nothing owed
    transport.push(text("x3", "stranger", "thanks", at=T0 + 2))
    await settle(messenger, transport)
    assert _receipts(transport, "read")[-1] == ("x3", "stranger")  # a chat now: read as it comes
    assert len(_receipts(transport, "read")) == 3


async def test_answering_a_request_accepts_it_and_sends_its_read_receipts(messenger, transport) -> None:
    transport.push(text("x1", "stranger", "hello dear"))
    await settle(messenger, transport)
    (summary,) = await messenger.chat_list()
    await messenger.mark_read(summary.chat.id)
    assert _receipts(transport, "read") == []
    await messenger.send_text(summary.chat.id, "who is this?")
    assert not (await messenger.summary(summary.chat.id)).chat.is_request
    assert _receipts(transport, "read") == [("x1", "stranger")]
    await messenger.send_text(summary.chat.id, "hello?")
    assert _receipts(transport, "read") == [("x1", "stranger")]  # once


async def test_a_file_answering_a_request_sends_its_read_receipts(messenger, transport, tmp_path) -> None:
    transport.push(text("x1", "stranger", "send me the invoice"))
    await settle(messenger, transport)
    (summary,) = await messenger.chat_list()
    await messenger.mark_read(summary.chat.id)
    assert _receipts(transport, "read") == []
    (tmp_path / "invoice.txt").write_text("total: 12")
    await messenger.send_file(summary.chat.id, tmp_path / "invoice.txt")
    assert _receipts(transport, "read") == [("x1", "stranger")]


async def test_mark_read_after_messages_that_came_read(messenger, transport) -> None:
    """Opening a chat tells the service first (`reading`) and marks it read after: what arrives in between
    comes read and must not hide the older unread ones (m1 stayed unread, its sender never told)."""
    transport.push(directory(person("anna")), text("m1", "anna", "a"))
    await settle(messenger, transport)
    (summary,) = await messenger.chat_list()
    messenger.reading(summary.chat.id)
    transport.push(text("m2", "anna", "b", at=T0 + 1), text("m3", "anna", "c", at=T0 + 2))
    await settle(messenger, transport)
    await messenger.mark_read(summary.chat.id)
    assert (await messenger.message("m1")).status is MessageStatus.READ
    assert _receipts(transport, "read") == [("m2", "anna"), ("m3", "anna"), ("m1", "anna")]
    assert (await messenger.summary(summary.chat.id)).chat.unread_count == 0


async def test_an_impersonators_row_carries_its_warning_from_its_first_event(messenger, transport) -> None:
    """A verified business and a look-alike come in one directory, with the look-alike's message: every
    row event of its chat already says "looks like Nordbank". The verified names were read again in a
    task of their own while the batch's rows were announced with the old ones: a list drawn at once from
    that event (a first run on a busy machine) showed the impersonator without its warning. (Without
    the fix this fails about one run in three: whether the task ran first depends on the batch's awaits;
    tests/terminal's first-run journey showed it 3 times in 10 on a loaded machine.)"""
    from service_helpers import business

    events = record(messenger)
    batch = [  # one batch, as a first sync brings them (frames pushed one by one may be two)
        directory(business("nordbank", "Nordbank"), business("n0rdbank", "N0rdbank", verified=False)),
        text("m1", "n0rdbank", "Your account is locked"),
    ]
    await messenger.receiver.handle([wire.encode(frame) for frame in batch])
    await settle(messenger, transport)
    rows = [e.summary for e in events if isinstance(e, ChatChanged) and e.summary.peer.id == "n0rdbank"]
    assert rows and [row.looks_like for row in rows] == ["Nordbank"] * len(rows)
