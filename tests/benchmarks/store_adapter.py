"""A stand-in `Messenger` over the store's repositories, used only while `MessengerService` has not landed.

It does what the screen measures need (chat list, pages, mark read) the way the service's contract says:
store work in a thread, never on the UI loop. Results measured through it are labelled as such.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tui_messenger.domain.events import MessengerEvent
from tui_messenger.domain.models import ChatFilter, ChatMessage, ChatSummary, PageCursor
from tui_messenger.store.chats import ChatRepository
from tui_messenger.store.database import Database
from tui_messenger.store.messages import MessageRepository


class StoreMessenger:
    user_id = "me"

    def __init__(self, db: Database) -> None:
        self.db = db
        self.chats = ChatRepository(db)
        self.messages = MessageRepository(db)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def subscribe(self, listener: Callable[[MessengerEvent], None]) -> Callable[[], None]:
        return lambda: None

    async def chat_list(
        self, *, filter: ChatFilter = ChatFilter.ALL, query: str = "", archived: bool = False
    ) -> list[ChatSummary]:
        rows = await asyncio.to_thread(lambda: self.chats.list(filter=filter, archived=archived))
        folded = query.casefold()
        return [r for r in rows if folded in r.chat.title.casefold()] if folded else rows

    async def filter_counts(self) -> dict[ChatFilter, int]:
        return await asyncio.to_thread(self.chats.counts)

    async def summary(self, chat_id: int) -> ChatSummary:
        return await asyncio.to_thread(lambda: self.chats.get(chat_id=chat_id))

    async def latest_page(self, chat_id: int, *, limit: int = 50) -> list[ChatMessage]:
        return await asyncio.to_thread(lambda: self.messages.latest_page(chat_id=chat_id, limit=limit))

    async def page_before(self, chat_id: int, cursor: PageCursor, *, limit: int = 50) -> list[ChatMessage]:
        return await asyncio.to_thread(
            lambda: self.messages.page_before(chat_id=chat_id, cursor=cursor, limit=limit)
        )

    async def mark_read(self, chat_id: int) -> None:
        await asyncio.to_thread(lambda: self.messages.mark_read(chat_id=chat_id))

    async def save_draft(self, chat_id: int, text: str) -> None:
        return None

    async def feedback_for(self, message_ids: Any) -> dict[str, Any]:
        return {}

    def now(self) -> datetime:
        return datetime.now(UTC)
