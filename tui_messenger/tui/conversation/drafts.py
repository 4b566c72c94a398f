"""The composer's drafts: saved a moment after the last change, given back when the chat is opened again;
and the text of a send that could not be stored, which goes back into the composer, or into its chat's
draft if the user has left that chat. Nothing the user wrote is lost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.workers import report, start, worker

if TYPE_CHECKING:
    from textual.timer import Timer

    from tui_messenger.services.port import Messenger
    from tui_messenger.tui.conversation.pane import ConversationPane

DRAFT_DELAY = 0.6


def joined(first: str, then: str) -> str:
    """Two texts for one composer, neither lost: `first`, a newline, `then` (either may be empty)."""
    return "\n".join(part for part in (first, then) if part.strip())


class Drafts(Controller):
    def __init__(self, pane: ConversationPane, messenger: Messenger) -> None:
        super().__init__(pane, messenger)
        self._restoring = False  # the composer's text is being set by us, not typed: no draft to save
        self._timer: Timer | None = None
        self._unsent: dict[int, str] = {}  # chat id -> text not sent, after the user left the chat
        self._unsaved: dict[int, str] = {}  # chat id -> a draft that could not be stored on leaving
        self.last_put: str | None = None  # the text the app last put in the composer (not typed)

    def put(self, text: str) -> None:
        """Set the composer's text without saving it as a draft (a chat's draft shown, an edit loaded),
        the cursor at its end: what is typed next goes on from there."""
        composer = self.pane.composer
        self._restoring = True
        self.last_put = composer.text = text
        composer.move_cursor(composer.document.end)
        self._restoring = False

    def draft_for(self, chat_id: int, draft: str) -> str:
        """What the composer shows on opening a chat: a send that failed there, then the draft (the one
        that could not be stored when the user left, else the saved one)."""
        return joined(self._unsent.pop(chat_id, ""), self._unsaved.pop(chat_id, draft))

    async def leave(self) -> None:
        """Leaving the chat: its draft is saved. If it cannot be (the database is busy), that is said,
        the draft is kept here to come back with the chat, and the user still gets where they were going."""
        try:
            await self._save_now()
        except Exception as error:  # noqa: BLE001 - reported, and the draft is kept
            if self.current is not None:
                self._unsaved[self.current.chat.id] = self.pane.composer.text
            report(self.host, error, "Draft not saved")

    def changed(self) -> None:
        """The composer's text changed: saved a moment after the last change."""
        if self._restoring or self.current is None or self.pane.editing.message is not None:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.pane.set_timer(DRAFT_DELAY, self._save_later)

    def _save_later(self) -> None:
        start(self.host, self._save_now, group="draft", exclusive=True, failed="Draft not saved")

    async def _save_now(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        summary, text = self.current, self.pane.composer.text
        if summary is None or summary.chat.draft == text or self.pane.editing.message is not None:
            return  # nothing new, or the text of a message being edited (no draft)
        await self.messenger.save_draft(summary.chat.id, text)

    def give_back(self, chat_id: int, text: str) -> None:
        """A send that was not stored: the text goes back into the composer (before anything typed
        since), or, if the user has left the chat, into that chat's draft."""
        composer = self.pane.composer
        if self.pane.chat_id == chat_id and self.pane.editing.message is None:
            composer.text = joined(text, composer.text)
            composer.move_cursor(composer.document.end)
            return
        self._unsent[chat_id] = joined(self._unsent.get(chat_id, ""), text)
        self._keep_unsent(chat_id)

    @worker(group="unsent", failed="Draft not saved")
    async def _keep_unsent(self, chat_id: int) -> None:
        text = self._unsent.get(chat_id)
        if text:  # kept in memory until stored: reopening the chat shows it either way
            draft = (await self.messenger.summary(chat_id)).chat.draft
            await self.messenger.save_draft(chat_id, joined(text, draft))
            if self._unsent.get(chat_id) == text:
                del self._unsent[chat_id]
