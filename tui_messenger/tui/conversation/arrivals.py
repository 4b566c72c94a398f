"""What arrives in the open chat, and what of it is read.

A message that comes alone is shown at once; what comes after it in the same turn of the loop waits for
the next, so a burst of thousands is shown with one more layout, not one per message. The open chat is
read only while it is on screen (in one-pane mode, not while the list takes its place,
`screens/pane_layout.py`): the service is told (`Messenger.reading`), and stores what arrives in it read,
with a read receipt; what arrives while it is not on screen counts unread until it is shown again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.domain.models import ChatMessage, Direction, MessageStatus
from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.services.port import Messenger
    from tui_messenger.tui.conversation.pane import ConversationPane


class Arrivals(Controller):
    def __init__(self, pane: ConversationPane, messenger: Messenger) -> None:
        super().__init__(pane, messenger)
        self._pending: list[ChatMessage] = []  # added messages waiting for the next turn of the loop
        self._burst = False  # a message was shown at once in this turn of the loop: the next ones wait
        self.shown = True  # the open chat is on screen

    def added(self, message: ChatMessage) -> None:
        self._pending.append(message)
        if len(self._pending) > 1:
            return  # a flush is asked for already
        if self._burst:
            self.pane.call_later(self.flush)
        else:
            self._burst = True
            self.pane.call_later(setattr, self, "_burst", False)
            self.flush()

    def flush(self) -> None:
        """Show what waits (before a change to a message that may be among it)."""
        pane, (batch, self._pending) = self.pane, (self._pending, [])
        batch = [m for m in batch if m.chat_id == pane.chat_id]
        if not batch:
            return
        pane.view.append_many(batch)
        inbound = [m for m in batch if m.direction is Direction.INBOUND]
        if inbound:
            pane.chrome.show_typing(False)
            if any(m.status is not MessageStatus.READ for m in inbound):  # (most come read: `reading`)
                self.read(batch[0].chat_id)
        pane.refresh_panels_later()

    def opening(self, chat_id: int) -> None:
        """A chat is being opened: told before its unread count is read, so what comes after arrives read."""
        self.messenger.reading(chat_id if self.shown else None)

    def set_shown(self, shown: bool) -> None:
        """The chat came back on screen (read now), or the list took its place (what comes counts unread).
        Only a change counts: a chat the user marked unread stays so while it stays on screen."""
        if shown == self.shown:
            return
        self.shown, summary = shown, self.pane.summary
        self.messenger.reading(summary.chat.id if shown and summary else None)
        if shown and summary is not None and summary.chat.unread_count:
            self.read(summary.chat.id)

    def read(self, chat_id: int) -> None:
        """Mark the chat read, if it is on screen and not blocked."""
        if self.shown and not self.pane.blocked:
            self._mark_read(chat_id)

    @worker(group="mark-read", exclusive=True, failed="Not marked as read")
    async def _mark_read(self, chat_id: int) -> None:
        await self.messenger.mark_read(chat_id)
