"""The palette's "Export this chat…" (mixed into MainScreen): ask the format and the file, then write
it through the service off the UI loop and say where it went."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui_messenger.domain.safe_text import clean_name
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from tui_messenger.domain.models import ChatSummary
    from tui_messenger.services.messenger import Messenger


class ExportActions:
    """Mixed into MainScreen, which provides `messenger`, `now`, `current`, `app` and `notify`."""

    if TYPE_CHECKING:
        messenger: Messenger
        app: Any
        now: Callable[[], datetime]
        current: ChatSummary | None

        def notify(self, message: str, **kwargs: Any) -> None: ...

    def action_export_chat(self) -> None:
        if self.current is None:
            self.notify("Open a chat first.", severity="warning", markup=False)
            return
        self._export_chat(self.current)

    @worker(group="dialog", exclusive=True)
    async def _export_chat(self, summary: ChatSummary) -> None:
        from tui_messenger.services.export_file import ExportError, default_name, export_chat, resolve_target
        from tui_messenger.tui.modals.export import ExportModal

        folder = await self.messenger.downloads_folder()
        title = summary.peer.display_name or summary.chat.title
        default = folder / default_name(title, "text", self.now())
        request = await self.app.push_screen_wait(ExportModal(title, str(default)))
        if request is None:
            return
        target = resolve_target(request.path, folder, default_name(title, request.fmt, self.now()))
        try:
            done = await export_chat(self.messenger, summary, target, fmt=request.fmt)
        except ExportError as exc:
            self.notify(clean_name(str(exc), 300), severity="error", markup=False)
            return
        what = "frames" if request.fmt == "json" else "messages"
        self.notify(
            f"Exported {done.lines:,} {what} to {clean_name(str(done.path), 300)}",
            title="Export",
            markup=False,
        )
