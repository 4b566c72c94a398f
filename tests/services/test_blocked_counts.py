"""A blocked chat stays in the list but is counted nowhere: no "mark unread", no tab count, no Unread row."""

from __future__ import annotations

from service_helpers import business, directory, person, settle, text

from tui_messenger.domain.models import BlockReason, ChatFilter


async def test_mark_unread_on_a_blocked_chat_counts_nothing(messenger, transport) -> None:
    transport.push(
        directory(business("shop"), person("anna")), text("s1", "shop", "hi"), text("a1", "anna", "yo")
    )
    await settle(messenger, transport)
    shop = await messenger.chat_for_account("shop")
    for summary in await messenger.chat_list():
        await messenger.mark_read(summary.chat.id)
    await messenger.block("shop", BlockReason.SPAM)
    before = await messenger.filter_counts()
    await messenger.set_unread(shop.chat.id)
    assert (await messenger.summary(shop.chat.id)).chat.unread_count == 0
    counts = await messenger.filter_counts()
    assert counts == before
    assert counts[ChatFilter.UNREAD] == 0 and counts[ChatFilter.BUSINESS] == 0
    assert counts[ChatFilter.PERSONAL] == 1
    assert sorted(s.peer.id for s in await messenger.chat_list()) == ["anna", "shop"]  # still listed


async def test_a_blocked_chat_with_unread_messages_is_not_in_unread(messenger, transport) -> None:
    transport.push(directory(business("shop")), text("s1", "shop", "hi"), text("s2", "shop", "there"))
    await settle(messenger, transport)
    assert (await messenger.filter_counts())[ChatFilter.UNREAD] == 1
    await messenger.block("shop", BlockReason.SPAM)
    counts = await messenger.filter_counts()
    assert counts[ChatFilter.UNREAD] == 0 and counts[ChatFilter.BUSINESS] == 0
    assert await messenger.chat_list(filter=ChatFilter.UNREAD) == []
    assert [s.peer.id for s in await messenger.chat_list()] == ["shop"]  # still in the list
