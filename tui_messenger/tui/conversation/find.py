"""Find in chat: the bar above the composer asks the service for the open chat's matches (oldest first) and
walks them; a match already on screen is selected in place, any other is loaded with `page_around`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.widgets.find_bar import FindBar
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage
    from tui_messenger.services.port import Messenger
    from tui_messenger.tui.conversation.pane import ConversationPane

FIND_LIMIT = 500


class Find(Controller):
    def __init__(self, pane: ConversationPane, messenger: Messenger) -> None:
        super().__init__(pane, messenger)
        self._hits: list[ChatMessage] = []
        self._index = -1

    @property
    def bar(self) -> FindBar | None:
        found = self.pane.query(FindBar)
        return found.first() if found else None

    async def open(self) -> None:
        if self.current is None:
            return
        bar = self.bar
        if bar is None:
            bar = FindBar(id="find-bar")
            # Mounted on first use, above the panels and the composer (no change to the pane's layout).
            await self.pane.mount(bar, before=self.pane.query_one("#panel-slot"))
        self._hits, self._index = [], -1
        bar.open()

    def query_changed(self, event: FindBar.QueryChanged) -> None:
        event.bar.show_status(None, 0, searching=bool(event.query.strip()))
        self._find(event.query)

    @worker(group="find-in-chat", exclusive=True)
    async def _find(self, query: str) -> None:
        chat_id = self.pane.chat_id
        hits = await self.messenger.search_in_chat(chat_id, query, limit=FIND_LIMIT) if chat_id else []
        if self.pane.chat_id != chat_id:
            return
        self._hits = list(hits)
        self._index = len(hits)  # the first "next" or typing lands on the newest match
        if hits:
            self._go(len(hits) - 1)
        elif (bar := self.bar) is not None:
            bar.show_status(None, 0)

    def step(self, step: int) -> None:
        if self._hits:
            self._go((self._index - step) % len(self._hits))  # next (+1) is the older match

    def _go(self, index: int) -> None:
        self._index = index
        hit = self._hits[index]
        if (bar := self.bar) is not None:
            bar.show_status(index + 1, len(self._hits))
        pane = self.pane
        if not pane.view.select_message(hit.message_id) and pane.chat_id is not None:
            pane.open_chat(pane.chat_id, hit.message_id)

    def closed(self) -> None:
        self._hits, self._index = [], -1
        self.pane.view.focus()
