"""Editing a message in the composer (mixed into ConversationPane): `e` (or the dialog's Edit) loads the
message's text into the composer; Enter saves it through the service, Escape or ✕ cancels. The draft
the composer held comes back afterwards, and the edited text is never saved as a draft."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui_messenger.services.errors import MessengerError
from tui_messenger.tui.widgets.edit_strip import EditStrip
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage
    from tui_messenger.services.messenger import Messenger
    from tui_messenger.tui.widgets.composer import Composer
    from tui_messenger.tui.widgets.message_view import MessageView


class MessageEditing:
    """Needs `messenger`, `composer`, `view`, `set_reply_to` and `_restoring_draft` of the pane."""

    if TYPE_CHECKING:
        app: Any
        messenger: Messenger
        composer: Composer
        view: MessageView
        chat_id: int | None
        _restoring_draft: bool

        def query_one(self, selector: type[EditStrip]) -> EditStrip: ...

        def set_reply_to(self, message: ChatMessage | None) -> None: ...

    editing: ChatMessage | None = None
    _draft_before_edit: str = ""

    def set_editing(self, message: ChatMessage | None) -> None:
        """Start editing `message` in the composer, or (None) stop and give the draft back."""
        strip = self.query_one(EditStrip)
        if message is None:
            if self.editing is None:
                return
            self.editing = None
            self._set_composer(self._draft_before_edit)
            strip.display = False
            return
        if self.editing is None:
            self._draft_before_edit = self.composer.text
        self.set_reply_to(None)
        self.editing = message
        self._set_composer(message.body)
        self.composer.move_cursor(self.composer.document.end)
        strip.show(message)
        strip.display = True
        self.composer.focus()

    def _set_composer(self, text: str) -> None:
        self._restoring_draft = True
        self.composer.text = text
        self._restoring_draft = False

    def stop_editing(self) -> None:
        """Escape, ✕, or after saving: back to the history, on the message that was edited."""
        message = self.editing
        self.set_editing(None)
        if message is not None and self.view.select_message(message.message_id):
            self.view.focus()

    def finish_editing(self, text: str) -> None:
        """Enter in the composer while editing: save the new text."""
        message = self.editing
        self.stop_editing()
        if message is not None and text != message.body:
            self._save_edit(message, text)

    @worker(group="edit", failed="Not edited")
    async def _save_edit(self, message: ChatMessage, text: str) -> None:
        try:
            await self.messenger.edit_message(message.message_id, text)  # MessageChanged repaints it
        except MessengerError as exc:
            self.app.notify(str(exc), severity="warning", markup=False)
        except Exception:  # not stored (the disk is full): the new text goes back into the composer
            if self.editing is None and self.chat_id == message.chat_id:
                self.set_editing(message)
                self._set_composer(text)
            raise

    def message_removed(self, message_id: str) -> None:
        if self.editing is not None and self.editing.message_id == message_id:
            self.set_editing(None)
        self.view.remove(message_id)

    # by name, not `@on`: Textual collects decorated handlers only from the widget classes themselves
    def on_edit_strip_cancelled(self, event: EditStrip.Cancelled) -> None:
        event.stop()
        self.stop_editing()

    def on_edit_strip_saved(self, event: EditStrip.Saved) -> None:
        event.stop()
        text = self.composer.text.strip()
        if text:  # an empty edit is refused by the service anyway; keep editing
            self.finish_editing(text)
