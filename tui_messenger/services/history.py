"""Older history from the network, when a chat's page finds the database holds no more.

A network that keeps history (Matrix) gives a new login only the newest events of each room; the rest is
read back when the user opens a chat or scrolls up past what the database holds: a short page asks the
transport for older events (`Transport.older`), which come through the normal receive path (stored once,
deduplicated, in the server's order; never unread or notified), and the page is read again. A chat whose
start the network has reached stops asking. The fake peer keeps no history: nothing is asked of it twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from tui_messenger.domain.models import ChatMessage
from tui_messenger.services.receive import Receiver
from tui_messenger.store.chats import ChatRepository
from tui_messenger.transport.base import Transport, TransportClosed

log = logging.getLogger(__name__)

EVENTS = 100  # events asked of the network per request (some are not messages: state, reactions)
REQUESTS = 10  # at most this many requests for one page: a page comes back short rather than late


class NetworkHistory:
    def __init__(self, *, transport: Transport, chats: ChatRepository, receiver: Receiver) -> None:
        self._transport = transport
        self._chats = chats
        self._receiver = receiver
        self._complete: set[int] = set()  # chats the network has nothing older of (this run)
        self._locks: dict[int, asyncio.Lock] = {}

    async def page(
        self, chat_id: int, read: Callable[[], Awaitable[list[ChatMessage]]], *, limit: int
    ) -> list[ChatMessage]:
        """`read()` (a page of the database before some cursor); while it is short, older history from
        the network is stored and the page read again."""
        page = await read()
        if len(page) >= limit or chat_id in self._complete:
            return page
        async with self._locks.setdefault(chat_id, asyncio.Lock()):  # one chat's pages one at a time
            for _ in range(REQUESTS):
                if len(page) >= limit or chat_id in self._complete:
                    break
                if not await self._fetch(chat_id, page[0].message_id if page else None):
                    break
                page = await read()
        return page

    async def _fetch(self, chat_id: int, before: str | None) -> bool:
        """One request for older events of the chat, stored; False when nothing more can come now."""
        summary = await asyncio.to_thread(self._chats.get, chat_id=chat_id)
        if summary.blocked:
            return False
        try:
            frames, more = await self._transport.older(summary.peer.id, before, EVENTS)
        except TransportClosed as exc:
            log.info("older messages of chat %d not read: %s", chat_id, exc)
            return False
        if frames:
            await self._receiver.handle(frames, history=True)
        if not more:
            self._complete.add(chat_id)
        return True
