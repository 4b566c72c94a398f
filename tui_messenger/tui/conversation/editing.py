"""Editing a message in the composer: `e` (or the menu's Edit) loads the message's text into the
composer; Enter saves it through the service, Escape or ✕ cancels. The draft the composer held comes back
afterwards, and the edited text is never saved as a draft. The service decides what may be edited; a
refusal is one toast."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.domain.models import MessageKind
from tui_messenger.services.errors import MessengerError
from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.widgets.edit_strip import EditStrip
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage
    from tui_messenger.services.port import Messenger
    from tui_messenger.tui.conversation.pane import ConversationPane

CANNOT_EDIT = "Only your own text messages can be edited, for 15 minutes after sending."


class Editing(Controller):
    def __init__(self, pane: ConversationPane, messenger: Messenger) -> None:
        super().__init__(pane, messenger)
        self.message: ChatMessage | None = None  # the message being edited
        self._draft_before = ""

    def edit_selected(self) -> None:
        """The palette's "Edit message": the selected message."""
        if (message := self.target()) is not None:
            self.begin(message)

    @worker(group="dialog", exclusive=True)
    async def begin(self, message: ChatMessage) -> None:
        """Edit `message`, if the service allows it (else one toast)."""
        if message.kind is MessageKind.SYSTEM or (self.current is not None and self.current.blocked):
            self.warn(CANNOT_EDIT)
            return
        try:
            allowed = await self.messenger.allowed_actions(message.message_id)
        except MessengerError as exc:
            self.warn(str(exc))
            return
        if not allowed.edit:
            self.warn(CANNOT_EDIT)
            return
        self.set(self.fresh(message))

    def set(self, message: ChatMessage | None) -> None:
        """Start editing `message` in the composer, or (None) stop and give the draft back."""
        pane, strip = self.pane, self.pane.query_one(EditStrip)
        composer = pane.composer
        if message is None:
            if self.message is None:
                return
            self.message = None
            pane.drafts.put(self._draft_before)
            strip.display = False
            return
        if self.message is None:
            self._draft_before = composer.text
        pane.set_reply_to(None)
        self.message = message
        pane.drafts.put(message.body)
        strip.show(message)
        strip.display = True
        composer.focus()

    def stop(self) -> None:
        """Escape, ✕, or after saving: back to the history, on the message that was edited."""
        message = self.message
        self.set(None)
        view = self.pane.view
        if message is not None and view.select_message(message.message_id):
            view.focus()

    def finish(self, text: str) -> None:
        """Enter in the composer (or the strip's Save) while editing: save the new text."""
        message = self.message
        self.stop()
        if message is not None and text != message.body:
            self._save(message, text)

    @worker(group="edit", failed="Not edited")
    async def _save(self, message: ChatMessage, text: str) -> None:
        try:
            await self.messenger.edit_message(message.message_id, text)  # MessageChanged repaints it
        except MessengerError as exc:
            self.warn(str(exc))
        except Exception:  # not stored (the disk is full): the new text goes back into the composer
            if self.message is None and self.pane.chat_id == message.chat_id:
                self.set(message)
                self.pane.drafts.put(text)
            raise

    def removed(self, message_id: str) -> None:
        """A message left the chat (deleted for me): an edit of it ends."""
        if self.message is not None and self.message.message_id == message_id:
            self.set(None)
