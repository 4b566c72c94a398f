"""Files: "Send a file…" opens the picker and sends through the service; `s` on a document saves it at
once, a click on its card asks first (showing the folder). Every outcome is one literal toast: the path
written, or the service's reason (FileRefused). In a browser tab (`tui-messenger serve`) the saved file is
also handed to the browser, which downloads it (`App.deliver_binary`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tui_messenger.domain.files import FileRefused
from tui_messenger.domain.safe_text import clean_body, clean_name
from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage, ChatSummary


def _shown_path(path: Path) -> str:
    return clean_body(str(path)).replace("\n", " ")[:300]


class Files(Controller):
    picker_start: Path | None = None  # where the picker opens (default: the working folder)

    # sending -----------------------------------------------------------------------------------------
    def send(self) -> None:
        if self.current is None:
            self.warn("Open a chat first.")
        elif self.current.blocked:
            self.warn("Unblock this contact to send files.")
        else:
            self._pick_and_send(self.current)

    @worker(group="send-file", exclusive=True)
    async def _pick_and_send(self, summary: ChatSummary) -> None:
        from tui_messenger.tui.modals.file_picker import FilePickerModal

        start = self.picker_start or Path.cwd()
        to = clean_name(summary.peer.display_name or summary.chat.title, 40)
        picked = await self.app.push_screen_wait(FilePickerModal(start, to=to))
        if picked is None:
            return
        pane = self.pane
        reply = pane.reply_to if pane.chat_id == summary.chat.id else None
        try:
            message = await self.messenger.send_file(
                summary.chat.id, picked.path, picked.caption, reply_to=reply.message_id if reply else None
            )
        except FileRefused as exc:
            self.notify(clean_name(str(exc), 300), title="Not sent", severity="error")
            return
        if reply is not None:
            pane.set_reply_to(None)
        if pane.chat_id == summary.chat.id:
            pane.view.append(message)

    # saving ------------------------------------------------------------------------------------------
    def save_selected(self) -> None:
        message = self.pane.view.selected_message
        if message is None or message.attachment is None:
            self.notify("Select a message with a file first (↑ in the history).")
            return
        self.save(message, ask=False)

    @worker(group="save-file", exclusive=True)
    async def save(self, message: ChatMessage, *, ask: bool) -> None:
        if ask:
            from tui_messenger.tui.modals.save_file import SaveFileModal

            folder = await self.messenger.downloads_folder()
            if not await self.app.push_screen_wait(SaveFileModal(message, folder)):
                return
        try:
            path = await self.messenger.save_attachment(message.message_id)
        except FileRefused as exc:
            self.notify(clean_name(str(exc), 300), title="Not saved", severity="error")
            return
        if self.app.is_web:  # served to a browser (`tui-messenger serve`): the browser downloads it too
            self.app.deliver_binary(path, save_filename=path.name, open_method="download")
            self.notify(f"Downloading {clean_name(path.name, 120)} in your browser", title="File saved")
            return
        self.notify(f"Saved to {_shown_path(path)}", title="File saved")
