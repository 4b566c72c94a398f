"""Save a received (or sent) file: what it is, where it goes, Save or Cancel. Dismisses True to save."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from tui_messenger.domain.files import display_name, file_facts, message_file
from tui_messenger.domain.models import ChatMessage
from tui_messenger.domain.safe_text import clean_body
from tui_messenger.tui.modals.base import DialogModal, as_content


class SaveFileModal(DialogModal[bool]):
    DEFAULT_CSS = """
    SaveFileModal #save-warning {
        color: $error;
        margin-top: 1;
    }
    SaveFileModal #save-folder {
        margin-top: 1;
    }
    """

    def __init__(self, message: ChatMessage, folder: Path) -> None:
        super().__init__()
        self._message = message
        self._folder = folder

    def compose(self) -> ComposeResult:
        checked = message_file(self._message)
        info = self._message.attachment
        with Vertical(id="dialog"):
            yield Static(as_content("Save file"), id="dialog-title")
            if checked is not None and info is not None:
                facts = file_facts(info, checked.true_type)
                yield Static(Content(f"📄 {display_name(info.file_name, 70)}"), id="save-name")
                yield Static(Content(facts), id="save-facts", classes="hint")
                if info.remote:  # still on the network (Matrix): fetched and checked when saved
                    yield Static(Content("Downloaded from the server when you save"), id="save-fetch")
                if checked.warning:
                    yield Static(Content(checked.warning), id="save-warning")
            folder = clean_body(str(self._folder)).replace("\n", " ")
            yield Static(Content(f"Into {folder}  (never over a file already there)"), id="save-folder")
            with Horizontal(classes="buttons"):
                yield Button(as_content("Save"), id="save-yes", variant="primary")
                yield Button(as_content("Cancel"), id="save-no")

    def on_mount(self) -> None:
        self.query_one("#save-yes", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#save-yes")
    def _save(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#save-no")
    def _no(self) -> None:
        self.dismiss(False)
