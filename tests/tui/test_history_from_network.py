"""Issue 14, point 3: a chat whose database holds less than a page (a new login's first sync brings only
the newest events of each chat) still asks for older messages when it opens; the service reads them from
the network (services/history.py) and they go on top; an empty answer ends the asking."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from app_helpers import SIZE, make_app, open_chat_by_keyboard, settle
from fake_messenger import FakeMessenger

from tui_messenger.domain.models import Account
from tui_messenger.tui.widgets.message_view import MessageView

NEWEST = 12  # what the first sync stored; the rest is "on the network"


def world() -> tuple[FakeMessenger, int, list[int]]:
    m = FakeMessenger()
    chat = m.add_chat(Account("anna", "Anna Becker"))
    m.bulk(chat.id, 40)
    asked: list[int] = []
    original = m.page_before

    async def latest(chat_id: int, *, limit: int = 50) -> Any:
        return (await FakeMessenger.latest_page(m, chat_id, limit=limit))[-NEWEST:]

    async def counted(chat_id: int, cursor: Any, *, limit: int = 50) -> Any:
        page = await original(chat_id, cursor, limit=limit)
        asked.append(len(page))
        return page

    m.latest_page = latest  # type: ignore[method-assign]
    m.page_before = counted  # type: ignore[method-assign]
    return m, chat.id, asked


async def test_a_short_chat_asks_for_older_messages_when_it_opens_and_shows_them_on_top() -> None:
    m, chat_id, asked = world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, chat_id)
        await settle(pilot)
        view = pilot.app.screen.query_one(MessageView)
        assert asked == [40 - NEWEST]  # asked as it opened, though the first page was short
        newest = [msg.message_id for msg in view.messages]
        assert len(newest) == NEWEST
        view.action_first()
        await settle(pilot)
        assert len(view.messages) == 40 and [msg.message_id for msg in view.messages[-NEWEST:]] == newest
        assert asked == [40 - NEWEST]  # a short answer: nothing older anywhere, no more asking
        view.action_first()
        await settle(pilot)
        assert asked == [40 - NEWEST]


async def test_a_chat_opened_at_its_oldest_message_gets_the_older_page_on_top_without_a_key() -> None:
    m, chat_id, asked = world()
    newest = await FakeMessenger.latest_page(m, chat_id, limit=NEWEST)
    unread = [msg for msg in newest if not msg.outgoing]
    assert unread[0] is newest[0]  # the oldest stored message is the first unread: the chat opens there
    m.chats[chat_id] = replace(m.chats[chat_id], unread_count=len(unread))

    async def around(chat_id: int, message_id: str, *, limit: int = 50) -> Any:
        return newest  # all the database holds around it

    m.page_around = around  # type: ignore[method-assign]
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, chat_id)
        await settle(pilot)
        view = pilot.app.screen.query_one(MessageView)
        assert asked == [40 - NEWEST]  # asked as it opened
        assert len(view.messages) == 40  # and put on top at once: the reader was at the top already
        assert [msg.message_id for msg in view.messages[-NEWEST:]] == [msg.message_id for msg in newest]
        assert view.selected_message is not None and view.selected_message.message_id == newest[0].message_id
