"""The palette's "Export this chat…": ask the format and the file, then write it through the service
off the UI loop and say where it went."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.domain.safe_text import clean_name
from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatSummary


class Export(Controller):
    def export_open_chat(self) -> None:
        if (summary := self.need_chat()) is not None:
            self._export(summary)

    @worker(group="dialog", exclusive=True)
    async def _export(self, summary: ChatSummary) -> None:
        from tui_messenger.services.export_file import ExportError, default_name, export_chat, resolve_target
        from tui_messenger.tui.modals.export import ExportModal

        now = self.pane.now
        folder = await self.messenger.downloads_folder()
        title = summary.peer.display_name or summary.chat.title
        default = folder / default_name(title, "text", now())
        request = await self.app.push_screen_wait(ExportModal(title, str(default)))
        if request is None:
            return
        target = resolve_target(request.path, folder, default_name(title, request.fmt, now()))
        try:
            done = await export_chat(self.messenger, summary, target, fmt=request.fmt)
        except ExportError as exc:
            self.notify(clean_name(str(exc), 300), severity="error")
            return
        what = "frames" if request.fmt == "json" else "messages"
        self.notify(f"Exported {done.lines:,} {what} to {clean_name(str(done.path), 300)}", title="Export")
