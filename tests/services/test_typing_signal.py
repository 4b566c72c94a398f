"""The user's typing, told to the other side: in the order made, never to a blocked account or to a
request not accepted yet (it would tell an unknown sender their message was seen), and nothing when the
connection is down (best effort, no error)."""

from __future__ import annotations

import asyncio

from service_helpers import T0, directory, person, settle, text

from tui_messenger.domain.models import BlockReason
from tui_messenger.transport import wire


async def _chat(messenger, transport, account: str = "anna", *, contact: bool = True) -> int:
    transport.push(directory(person(account, contact=contact)))
    transport.push(text(f"{account}-1", account, "hi", at=T0))
    await settle(messenger, transport)
    return (await messenger.chat_for_account(account)).chat.id


def _told(transport) -> list[tuple[str, str, bool]]:
    return [(f.sender, f.to, f.typing) for f in transport.sent_of(wire.TypingFrame)]


async def test_typing_goes_to_the_chat_peer_in_the_order_made(messenger, transport) -> None:
    chat_id = await _chat(messenger, transport)
    made = [n % 3 != 2 for n in range(12)]
    await asyncio.gather(*(messenger.set_typing(chat_id, on) for on in made))
    assert _told(transport) == [("me", "anna", on) for on in made]


async def test_no_typing_to_a_blocked_account(messenger, transport) -> None:
    chat_id = await _chat(messenger, transport)
    await messenger.block("anna", BlockReason.SPAM)
    await messenger.set_typing(chat_id, True)
    assert _told(transport) == []


async def test_no_typing_to_a_request_until_it_is_accepted(messenger, transport) -> None:
    chat_id = await _chat(messenger, transport, "stranger", contact=False)
    assert (await messenger.summary(chat_id)).chat.is_request
    await messenger.set_typing(chat_id, True)
    assert _told(transport) == []
    await messenger.accept_request(chat_id)
    await messenger.set_typing(chat_id, True)
    assert _told(transport) == [("me", "stranger", True)]


async def test_typing_while_offline_is_dropped_quietly(messenger, transport) -> None:
    chat_id = await _chat(messenger, transport)
    transport.refuse_connect = 1_000  # down, and it stays down
    transport.disconnect()
    await messenger.set_typing(chat_id, True)  # no error: best effort
    assert _told(transport) == []
