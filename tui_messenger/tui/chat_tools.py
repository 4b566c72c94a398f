"""The main screen's mute-for and find-in-chat actions (mixed into MainScreen).

Find in chat: the bar above the composer asks the service for the open chat's matches (oldest first) and
walks them; a match already on screen is selected in place, any other is loaded with `page_around`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tui_messenger.domain.models import ChatMessage, ChatSummary
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.tui.modals.mute import MUTE_CHOICES, MuteModal
from tui_messenger.tui.widgets.find_bar import FindBar
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from tui_messenger.services.messenger import Messenger
    from tui_messenger.tui.conversation_pane import ConversationPane

FIND_LIMIT = 500


class ChatTools:
    """Mixed into MainScreen, which provides `messenger`, `now`, `current`, `conversation`, `app`."""

    if TYPE_CHECKING:
        messenger: Messenger
        app: Any
        now: Callable[[], datetime]
        current: ChatSummary | None
        conversation: ConversationPane

        def refresh_chat_list(self) -> Any: ...

    _find_hits: list[ChatMessage]
    _find_index: int = -1

    # mute ------------------------------------------------------------------------------------------
    def action_mute_for(self, choice: str = "") -> None:
        """With a choice ("8h", "1w", "always", "unmute") from the palette, or the dialog without one."""
        current = self.current
        if current is None:
            return
        if choice in MUTE_CHOICES:
            self.mute_chat(current.chat.id, choice)
            return
        name = clean_name(current.peer.display_name or current.chat.title)

        def chosen(result: str | None) -> None:
            if result is not None:
                self.mute_chat(current.chat.id, result)

        self.app.push_screen(MuteModal(name, muted=current.chat.muted), chosen)

    @worker(group="flags")
    async def mute_chat(self, chat_id: int, choice: str) -> None:
        label, seconds = MUTE_CHOICES[choice]
        if seconds == 0:
            await self.messenger.set_muted(chat_id, False)
            self.app.notify("Notifications on for this chat.", markup=False)
        else:
            until = self.now() + timedelta(seconds=seconds) if seconds is not None else None
            await self.messenger.set_muted(chat_id, True, until=until)
            self.app.notify(f"Muted: {label.lower()}.", markup=False)
        self.refresh_chat_list()

    # find in chat ----------------------------------------------------------------------------------
    @property
    def find_bar(self) -> FindBar | None:
        found = self.conversation.query(FindBar)
        return found.first() if found else None

    async def action_find(self) -> None:
        if self.current is None:
            return
        bar = self.find_bar
        if bar is None:
            bar = FindBar(id="find-bar")
            # Mounted on first use, above the panels and the composer (no change to the pane's layout).
            await self.conversation.mount(bar, before=self.conversation.query_one("#panel-slot"))
        self._find_hits, self._find_index = [], -1
        bar.open()

    def on_find_bar_query_changed(self, event: FindBar.QueryChanged) -> None:
        event.stop()
        event.bar.show_status(None, 0, searching=bool(event.query.strip()))
        self._find(event.query)

    @worker(group="find-in-chat", exclusive=True)
    async def _find(self, query: str) -> None:
        chat_id = self.conversation.chat_id
        hits = await self.messenger.search_in_chat(chat_id, query, limit=FIND_LIMIT) if chat_id else []
        if self.conversation.chat_id != chat_id:
            return
        self._find_hits = list(hits)
        self._find_index = len(hits)  # the first "next" or typing lands on the newest match
        if hits:
            self._go(len(hits) - 1)
        elif (bar := self.find_bar) is not None:
            bar.show_status(None, 0)

    def on_find_bar_stepped(self, event: FindBar.Stepped) -> None:
        event.stop()
        hits = getattr(self, "_find_hits", [])
        if not hits:
            return
        self._go((self._find_index - event.step) % len(hits))  # next (+1) is the older match

    def _go(self, index: int) -> None:
        self._find_index = index
        hit = self._find_hits[index]
        if (bar := self.find_bar) is not None:
            bar.show_status(index + 1, len(self._find_hits))
        view = self.conversation.view
        if not view.select_message(hit.message_id) and self.conversation.chat_id is not None:
            self.conversation.open_chat(self.conversation.chat_id, hit.message_id)

    def on_find_bar_closed(self, event: FindBar.Closed) -> None:
        event.stop()
        self._find_hits, self._find_index = [], -1
        self.conversation.view.focus()
