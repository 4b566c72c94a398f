"""Files on the main screen (mixed into MainScreen): "Send a file…" opens the picker and sends through
the service; `s` on a document saves it at once, a click on its card asks first (showing the folder).
Every outcome is one literal toast: the path written, or the service's reason (FileRefused)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui_messenger.domain.files import FileRefused
from tui_messenger.domain.safe_text import clean_body, clean_name
from tui_messenger.tui.main_screen_mixin import MainScreenMixin
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage, ChatSummary
    from tui_messenger.tui.widgets.message_view import MessageView  # annotations only: not at startup


def _shown_path(path: Path) -> str:
    return clean_body(str(path)).replace("\n", " ")[:300]


class FileActions(MainScreenMixin):
    file_picker_start: Path | None = None  # where the picker opens (default: the working folder)

    # sending -----------------------------------------------------------------------------------------
    def action_send_file(self) -> None:
        if self.current is None:
            self._warn("Open a chat first.")
        elif self.current.blocked:
            self._warn("Unblock this contact to send files.")
        else:
            self._pick_and_send(self.current)

    @worker(group="send-file", exclusive=True)
    async def _pick_and_send(self, summary: ChatSummary) -> None:
        from tui_messenger.tui.modals.file_picker import FilePickerModal

        start = self.file_picker_start or Path.cwd()
        to = clean_name(summary.peer.display_name or summary.chat.title, 40)
        picked = await self.app.push_screen_wait(FilePickerModal(start, to=to))
        if picked is None:
            return
        reply = self.conversation.reply_to if self.conversation.chat_id == summary.chat.id else None
        try:
            message = await self.messenger.send_file(
                summary.chat.id, picked.path, picked.caption, reply_to=reply.message_id if reply else None
            )
        except FileRefused as exc:
            self.notify(clean_name(str(exc), 300), title="Not sent", severity="error", markup=False)
            return
        if reply is not None:
            self.conversation.set_reply_to(None)
        if self.conversation.chat_id == summary.chat.id:
            self.conversation.view.append(message)

    # saving ------------------------------------------------------------------------------------------
    def action_save_file(self) -> None:
        message = self.conversation.view.selected_message
        if message is None or message.attachment is None:
            self.notify("Select a message with a file first (↑ in the history).", markup=False)
            return
        self._save(message, ask=False)

    def on_message_view_file_requested(self, event: MessageView.FileRequested) -> None:
        event.stop()
        self._save(event.message, ask=event.ask)

    @worker(group="save-file", exclusive=True)
    async def _save(self, message: ChatMessage, *, ask: bool) -> None:
        if ask:
            from tui_messenger.tui.modals.save_file import SaveFileModal

            folder = await self.messenger.downloads_folder()
            if not await self.app.push_screen_wait(SaveFileModal(message, folder)):
                return
        try:
            path = await self.messenger.save_attachment(message.message_id)
        except FileRefused as exc:
            self.notify(clean_name(str(exc), 300), title="Not saved", severity="error", markup=False)
            return
        self.notify(f"Saved to {_shown_path(path)}", title="File saved", markup=False)
