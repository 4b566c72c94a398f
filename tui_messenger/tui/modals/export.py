"""Export the open chat into a file: the format (text or JSON frames) and where to write it.

The path starts as a new file in the downloads folder; the file is never written over (the service
adds " (1)" and so on). Enter in the path field exports, Escape cancels.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from tui_messenger.tui.modals.base import DialogModal, SafeInput, as_content
from tui_messenger.tui.safe import safe_name

EXTENSIONS = {"text": ".txt", "json": ".jsonl"}


@dataclass(frozen=True)
class ExportRequest:
    fmt: str  # "text" or "json"
    path: str


class ExportModal(DialogModal[ExportRequest]):
    DEFAULT_CSS = """
    ExportModal RadioSet {
        width: 100%;
        margin-bottom: 1;
    }
    """

    def __init__(self, name: str, default_path: str) -> None:
        super().__init__()
        self._chat_name = name
        self._default = default_path

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            title = Content.assemble("Export the chat with ", safe_name(self._chat_name))
            yield Static(title, id="dialog-title")
            with RadioSet(id="export-format"):
                yield RadioButton(as_content("Text (one line per message)"), value=True, id="export-text")
                yield RadioButton(as_content("JSON (wire frames, one per line)"), id="export-json")
            yield Static(as_content("Save as"), classes="hint")
            yield SafeInput(self._default, id="export-path")
            yield Static(as_content("An existing file is never replaced: a number is added."), classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(as_content("Export"), variant="primary", id="export-go")
                yield Button(as_content("Cancel"), id="export-cancel")

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    @property
    def fmt(self) -> str:
        return "json" if self.query_one("#export-json", RadioButton).value else "text"

    @on(RadioSet.Changed)
    def _format_changed(self) -> None:
        path = self.query_one("#export-path", Input)
        for ext in EXTENSIONS.values():
            if path.value.endswith(ext):
                path.value = path.value[: -len(ext)] + EXTENSIONS[self.fmt]
                break

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def _export(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        if path:
            self.dismiss(ExportRequest(self.fmt, path))

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
