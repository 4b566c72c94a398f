"""The composer's drafts (mixed into ConversationPane): saved a moment after the last change, given back
when the chat is opened again; and the text of a send that could not be stored, which goes back into the
composer, or into its chat's draft if the user has left that chat. Nothing the user wrote is lost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.tui.workers import report, start, worker

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.timer import Timer

    from tui_messenger.domain.models import ChatMessage, ChatSummary
    from tui_messenger.services.messenger import Messenger
    from tui_messenger.tui.widgets.composer import Composer

DRAFT_DELAY = 0.6


def joined(first: str, then: str) -> str:
    """Two texts for one composer, neither lost: `first`, a newline, `then` (either may be empty)."""
    return "\n".join(part for part in (first, then) if part.strip())


class Drafts:
    """Needs the pane's `messenger`, `summary`, `chat_id`, `composer`, `editing` and `set_timer`."""

    if TYPE_CHECKING:
        messenger: Messenger
        summary: ChatSummary | None
        composer: Composer
        editing: ChatMessage | None

        @property
        def chat_id(self) -> int | None: ...

        def set_timer(self, delay: float, callback: Callable[[], object]) -> Timer: ...

    _restoring_draft = False
    _draft_timer: Timer | None = None

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._unsent: dict[int, str] = {}  # chat id -> text not sent, after the user left the chat
        self._unsaved: dict[int, str] = {}  # chat id -> a draft that could not be stored on leaving

    def draft_for(self, chat_id: int, draft: str) -> str:
        """What the composer shows on opening a chat: a send that failed there, then the draft (the one
        that could not be stored when the user left, else the saved one)."""
        return joined(self._unsent.pop(chat_id, ""), self._unsaved.pop(chat_id, draft))

    async def leave_draft(self) -> None:
        """Leaving the chat: its draft is saved. If it cannot be (the database is busy), that is said,
        the draft is kept here to come back with the chat, and the user still gets where they were going."""
        try:
            await self._save_draft_now()
        except Exception as error:  # noqa: BLE001 - reported, and the draft is kept
            if self.summary is not None:
                self._unsaved[self.summary.chat.id] = self.composer.text
            report(self, error, "Draft not saved")  # type: ignore[arg-type]

    def draft_changed(self) -> None:
        if self._restoring_draft or self.summary is None or self.editing is not None:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._save_draft_later)

    def _save_draft_later(self) -> None:
        start(self, self._save_draft_now, group="draft", exclusive=True, failed="Draft not saved")  # type: ignore[arg-type]

    async def _save_draft_now(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        unsaved = self.summary is not None and self.summary.chat.draft != self.composer.text
        if unsaved and self.editing is None:  # the text of a message being edited is no draft
            await self.messenger.save_draft(self.summary.chat.id, self.composer.text)  # type: ignore[union-attr]

    def give_back(self, chat_id: int, text: str) -> None:
        """A send that was not stored: the text goes back into the composer (before anything typed
        since), or, if the user has left the chat, into that chat's draft."""
        if self.chat_id == chat_id and self.editing is None:
            self.composer.text = joined(text, self.composer.text)
            self.composer.move_cursor(self.composer.document.end)
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
