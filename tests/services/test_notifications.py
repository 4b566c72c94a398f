"""Toasts: never for a history sync, and a flood from one account is rate-limited."""

from __future__ import annotations

from service_helpers import T0, directory, person, settle, text

from tui_messenger.domain.events import MessageAdded, Notified
from tui_messenger.services.receive import NOTIFY_AT_ONCE, NOTIFY_PER_CHAT, NOTIFY_SHOWN


def record(messenger) -> list:
    events: list = []
    messenger.subscribe(events.append)
    return events


async def test_old_messages_from_a_history_sync_arrive_silently(messenger, transport) -> None:
    events = record(messenger)
    day = 24 * 3600 * 1000
    transport.push(
        directory(person("anna")), *(text(f"h{i}", "anna", f"old {i}", at=T0 - day + i) for i in range(5))
    )
    await settle(messenger, transport)
    assert len([e for e in events if isinstance(e, MessageAdded)]) == 5
    assert not [e for e in events if isinstance(e, Notified)]


async def test_a_flood_from_one_account_is_rate_limited(messenger, transport, clock) -> None:
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    events = record(messenger)
    for i in range(100):  # one message per batch, all within the same minute
        transport.push(text(f"f{i}", "anna", f"buy now {i}", at=T0 + i))
        await settle(messenger, transport)
    added = [e for e in events if isinstance(e, MessageAdded)]
    toasts = [e for e in events if isinstance(e, Notified)]
    assert len(added) == 100
    assert 1 <= len(toasts) <= NOTIFY_PER_CHAT
    clock.advance(120)  # a minute later the chat may notify again
    transport.push(text("late", "anna", "still there?", at=T0 + 121_000))
    await settle(messenger, transport)
    assert len([e for e in events if isinstance(e, Notified)]) == len(toasts) + 1


async def test_several_chats_at_once_toast_no_more_than_fit_on_screen(messenger, transport, clock) -> None:
    """Five people write at the same moment, twice: three toasts (the list's unread counts tell the rest);
    once those are gone, toasts come again."""
    people = [f"p{i}" for i in range(5)]
    transport.push(directory(*(person(p) for p in people)))
    await settle(messenger, transport)
    events = record(messenger)
    for round_ in range(2):
        for p in people:
            transport.push(text(f"{p}-{round_}", p, f"hi from {p}", at=T0 + round_))
            await settle(messenger, transport)
    assert len([e for e in events if isinstance(e, MessageAdded)]) == 10
    assert len([e for e in events if isinstance(e, Notified)]) == NOTIFY_AT_ONCE
    clock.advance(NOTIFY_SHOWN + 1)
    transport.push(text("later", "p4", "still there?", at=T0 + 7_000))
    await settle(messenger, transport)
    assert len([e for e in events if isinstance(e, Notified)]) == NOTIFY_AT_ONCE + 1


async def test_a_conversation_in_the_chat_on_screen_does_not_hide_someone_else_writing(
    messenger, transport
) -> None:
    """The user chats with Anna (her chat on screen): her quick messages take none of the places on
    screen, so Ben's first message still gets its toast."""
    transport.push(directory(person("anna"), person("ben")), text("a0", "anna", "hi"))
    await settle(messenger, transport)
    anna = await messenger.chat_for_account("anna")
    messenger.reading(anna.chat.id)
    events = record(messenger)
    for i in range(NOTIFY_AT_ONCE):
        transport.push(text(f"a{i + 1}", "anna", f"and {i}", at=T0 + 100 + i))
        await settle(messenger, transport)
    transport.push(text("b0", "ben", "are you free tonight?", at=T0 + 200))
    await settle(messenger, transport)
    ben = await messenger.chat_for_account("ben")
    assert [e.chat_id for e in events if isinstance(e, Notified)][-1] == ben.chat.id
