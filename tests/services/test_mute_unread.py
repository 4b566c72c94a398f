"""Timed mutes (8 hours, a week, always), the first unread message and search within one chat."""

from __future__ import annotations

from datetime import timedelta

from service_helpers import T0, directory, person, settle, text

from tui_messenger.domain.events import Notified


def record(messenger) -> list:
    events: list = []
    messenger.subscribe(events.append)
    return events


async def anna(messenger, transport) -> int:
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    transport.push(text("a0", "anna", "hello", at=T0))
    await settle(messenger, transport)
    summary = await messenger.chat_for_account("anna")
    assert summary is not None
    return summary.chat.id


async def test_a_timed_mute_is_stored_and_runs_out_on_the_service_clock(messenger, transport, clock) -> None:
    chat_id = await anna(messenger, transport)
    await messenger.set_muted(chat_id, True, until=clock.now() + timedelta(hours=8))
    summary = await messenger.summary(chat_id)
    assert summary.chat.muted and summary.chat.muted_until == clock.now() + timedelta(hours=8)
    events = record(messenger)
    transport.push(text("m1", "anna", "while muted", at=T0 + 1000))
    await settle(messenger, transport)
    assert not [e for e in events if isinstance(e, Notified)]
    clock.advance(8 * 3600 + 1)
    assert not (await messenger.summary(chat_id)).chat.muted  # read as unmuted once past
    transport.push(text("m2", "anna", "after the mute", at=T0 + (8 * 3600 + 2) * 1000))
    await settle(messenger, transport)
    assert [e for e in events if isinstance(e, Notified)]


async def test_mute_always_and_unmute(messenger, transport, clock) -> None:
    chat_id = await anna(messenger, transport)
    await messenger.set_muted(chat_id, True)
    clock.advance(400 * 24 * 3600)
    summary = await messenger.summary(chat_id)
    assert summary.chat.muted and summary.chat.muted_until is None
    await messenger.set_muted(chat_id, False)
    summary = await messenger.summary(chat_id)
    assert not summary.chat.muted and summary.chat.muted_until is None


async def test_first_unread_is_the_oldest_of_the_unread_incoming(messenger, transport) -> None:
    chat_id = await anna(messenger, transport)
    await messenger.mark_read(chat_id)
    assert await messenger.first_unread(chat_id) is None
    await messenger.send_text(chat_id, "mine")
    for i in range(1, 4):
        transport.push(text(f"u{i}", "anna", f"unread {i}", at=T0 + i * 1000))
    await settle(messenger, transport)
    assert (await messenger.summary(chat_id)).chat.unread_count == 3
    assert await messenger.first_unread(chat_id) == "u1"


async def test_search_in_chat_finds_this_chat_only_and_never_raises(messenger, transport) -> None:
    chat_id = await anna(messenger, transport)
    transport.push(directory(person("bob")))
    transport.push(text("b1", "bob", "boarding pass", at=T0 + 1))
    transport.push(text("a1", "anna", "your boarding pass", at=T0 + 2))
    transport.push(text("a2", "anna", "boarding pass again", at=T0 + 3))
    await settle(messenger, transport)
    found = await messenger.search_in_chat(chat_id, "boarding")
    assert [m.message_id for m in found] == ["a1", "a2"]
    for hostile in ['"', "NEAR(", "*", "a OR", "\x00", "-", "((", "' OR 1=1 --", ""]:
        assert isinstance(await messenger.search_in_chat(chat_id, hostile), list)
