"""The user's actions go out in the order they were made, however fast: a reaction or an edit made while
the one before it is still being stored is sent after it, and the newest is what both sides keep (as
messages: test_outbox_order.py)."""

from __future__ import annotations

import asyncio

from service_helpers import directory, person, settle, text

from tui_messenger.domain.models import ReactionCount
from tui_messenger.transport import wire

EMOJIS = ["👍", "❤️", "😂", "🔥", "🎉", "😮", "😢", "🙏", "👏", "🤔", "👀", "🙌"]


def in_order(sent: list[str], made: list[str]) -> bool:
    """`sent` is `made` with some left out (replaced by a newer one before it went), in the same order."""
    rest = iter(made)
    return all(item in rest for item in sent)


async def test_reactions_in_quick_succession_go_out_in_the_order_made(messenger, transport) -> None:
    transport.push(directory(person("anna")))
    transport.push(text("m1", "anna", "hello"))
    await settle(messenger, transport)
    made = EMOJIS  # each once: the order sent says which came first
    await asyncio.gather(*(asyncio.create_task(messenger.react("m1", emoji)) for emoji in made))
    await settle(messenger, transport)
    sent = [f.emoji for f in transport.sent_of(wire.ReactionFrame)]
    assert in_order(sent, made) and sent[-1] == made[-1]
    assert (await messenger.message("m1")).reactions == (ReactionCount(made[-1], 1, mine=True),)


async def test_edits_in_quick_succession_go_out_in_the_order_made(messenger, transport) -> None:
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    chat = (await messenger.open_chat("anna")).chat.id
    message = await messenger.send_text(chat, "on my way")
    await settle(messenger, transport)
    bodies = [f"on my way, {n} min late" for n in range(30)]
    await asyncio.gather(
        *(asyncio.create_task(messenger.edit_message(message.message_id, body)) for body in bodies)
    )
    await settle(messenger, transport)
    sent = [f.body for f in transport.sent_of(wire.EditFrame)]
    assert in_order(sent, bodies) and sent[-1] == bodies[-1]
    assert (await messenger.message(message.message_id)).body == bodies[-1]  # type: ignore[union-attr]
