"""Reactions through the service: the user's own (stored with its frame, sent reliably, removed by the
ack), the network's (one batch item each, events for the open chat), blocks, and pages with chips."""

from __future__ import annotations

import pytest
from service_helpers import T0, directory, person, settle, text, until

from tui_messenger.domain.events import ReactionsChanged
from tui_messenger.domain.models import BlockReason, ReactionCount
from tui_messenger.services.errors import BlockedError, InvalidMessageError, NotFoundError
from tui_messenger.transport import wire


def reaction(
    frame_id: str, sender: str, message_id: str, emoji: str, at: int = T0 + 10
) -> wire.ReactionFrame:
    return wire.ReactionFrame(
        id=frame_id, sender=sender, to="me", message_id=message_id, emoji=emoji, timestamp=at
    )  # type: ignore[call-arg]


@pytest.fixture
async def chat(messenger, transport) -> int:
    transport.push(directory(person("anna"), person("bob")))
    transport.push(text("m1", "anna", "hello"), text("b1", "bob", "yo"))
    await settle(messenger, transport)
    return (await messenger.chat_for_account("anna")).chat.id


def events_of(messenger) -> list[ReactionsChanged]:
    seen: list[ReactionsChanged] = []
    messenger.subscribe(lambda e: seen.append(e) if isinstance(e, ReactionsChanged) else None)
    return seen


async def test_react_stores_sends_and_the_ack_clears_the_outbox(messenger, transport, chat) -> None:
    seen = events_of(messenger)
    chips = await messenger.react("m1", ":heart:")
    assert chips == (ReactionCount("❤️", 1, mine=True),)
    assert seen == [ReactionsChanged(chat, "m1", chips)]
    (frame,) = transport.sent_of(wire.ReactionFrame)
    assert (frame.sender, frame.to, frame.message_id, frame.emoji) == ("me", "anna", "m1", "❤️")
    (entry,) = messenger.action_repo.all()
    assert entry.frame_id == frame.id
    transport.push(wire.AckFrame(ids=[frame.id]))
    await until(messenger, lambda: messenger.action_repo.all() == [])
    (page,) = await messenger.latest_page(chat)
    assert page.reactions == chips


async def test_a_new_reaction_replaces_and_supersedes_the_unsent_one(messenger, transport, chat) -> None:
    await messenger.react("m1", "👍")
    await messenger.react("m1", "🔥")
    assert [e.kind for e in messenger.action_repo.all()] == ["reaction"]  # the 👍 frame is pointless now
    assert (await messenger.message("m1")).reactions == (ReactionCount("🔥", 1, mine=True),)
    assert await messenger.unreact("m1") == ()
    sent = transport.sent_of(wire.ReactionFrame)
    assert [f.emoji for f in sent] == ["👍", "🔥", ""]


@pytest.mark.parametrize("emoji", ["hello", "[b]x[/b]", "👍👍", "\x1b[2J", ":nope:"])
async def test_react_refuses_anything_but_one_emoji(messenger, transport, chat, emoji) -> None:
    with pytest.raises(InvalidMessageError):
        await messenger.react("m1", emoji)
    assert transport.sent_of(wire.ReactionFrame) == []
    assert messenger.action_repo.all() == []


async def test_react_to_unknown_message_or_blocked_contact_is_refused(messenger, transport, chat) -> None:
    with pytest.raises(NotFoundError):
        await messenger.react("nope", "👍")
    await messenger.block("anna", BlockReason.SPAM)
    with pytest.raises(BlockedError):
        await messenger.react("m1", "👍")
    assert transport.sent_of(wire.ReactionFrame) == []


async def test_peer_reactions_arrive_acked_and_tell_the_screen(messenger, transport, chat) -> None:
    seen = events_of(messenger)
    await messenger.react("m1", "👍")
    transport.push(reaction("r1", "anna", "m1", "👍"), reaction("r2", "bob", "m1", "😂"))
    await settle(messenger, transport)
    assert seen[-1] == ReactionsChanged(chat, "m1", (ReactionCount("👍", 2, mine=True),))  # bob's dropped
    acks = {i for f in transport.sent_of(wire.AckFrame) for i in f.ids}
    assert {"r1", "r2"} <= acks  # both handled: the network stops re-sending them
    transport.push(reaction("r3", "anna", "m1", "", at=T0 + 20))
    await settle(messenger, transport)
    assert seen[-1].reactions == (ReactionCount("👍", 1, mine=True),)


async def test_a_reaction_in_the_same_batch_as_its_message_counts(messenger, transport, chat) -> None:
    transport.push(text("m2", "anna", "new"), reaction("r1", "anna", "m2", "🎉", at=T0 + 20))
    await settle(messenger, transport)
    page = await messenger.latest_page(chat)
    assert page[-1].message_id == "m2" and page[-1].reactions == (ReactionCount("🎉", 1),)


async def test_a_blocked_account_s_reactions_leave_no_trace(messenger, transport, chat) -> None:
    await messenger.block("anna", BlockReason.SPAM)
    seen = events_of(messenger)
    transport.push(reaction("r1", "anna", "m1", "❤️"))
    await settle(messenger, transport)
    assert seen == []
    assert messenger.reaction_repo.all_for(message_id="m1") == []
    assert "r1" in {i for f in transport.sent_of(wire.AckFrame) for i in f.ids}
    ((blocked, _),) = await messenger.blocked()
    assert blocked.dropped_count >= 1


async def test_pages_of_every_kind_carry_the_chips(messenger, transport, chat) -> None:
    transport.push(*[text(f"p{i}", "anna", f"n{i}", at=T0 + 100 + i) for i in range(8)])
    transport.push(*[reaction(f"r{i}", "anna", f"p{i}", "👍", at=T0 + 200 + i) for i in range(8)])
    await settle(messenger, transport)
    newest = await messenger.latest_page(chat, limit=3)
    assert [m.reactions for m in newest] == [(ReactionCount("👍", 1),)] * 3
    oldest = newest[0]
    from tui_messenger.domain.models import PageCursor

    before = await messenger.page_before(chat, PageCursor(oldest.position, oldest.id), limit=3)
    assert [m.message_id for m in before] == ["p2", "p3", "p4"]
    assert all(m.reactions for m in before)
    around = await messenger.page_around(chat, "p3", limit=4)
    assert all(m.reactions for m in around if m.message_id.startswith("p"))


def test_the_deferred_messenger_forwards_reactions() -> None:
    from tui_messenger.services.deferred import _SERVICE_CALLS

    assert {"react", "unreact"} <= _SERVICE_CALLS


async def test_the_text_export_lists_each_message_s_reactions(messenger, transport, chat) -> None:
    from tui_messenger.services.export import export_text

    await messenger.react("m1", "👍")
    transport.push(reaction("r1", "anna", "m1", "👍"))
    await settle(messenger, transport)
    lines = [line async for line in export_text(messenger, chat, title="Anna")]
    assert lines[-1] == "    👍 2"
    assert lines[-2].endswith("Anna: hello")
