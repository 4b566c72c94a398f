"""The strip above the composer while the user edits a message: what is being edited, Save (as Enter
does) and ✕ to cancel (as Escape does), so the mouse can finish an edit too."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from tui_messenger.domain.models import ChatMessage
from tui_messenger.domain.safe_text import clean_name


class EditStrip(Horizontal):
    DEFAULT_CSS = """
    EditStrip {
        display: none;
        height: auto;
        padding: 0 1;
        background: $boost;
    }
    EditStrip #edit-text {
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    EditStrip Button {
        width: auto;
        min-width: 0;
        padding: 0 1;
        margin-left: 1;
    }
    """

    class Cancelled(Message):
        """✕ pressed: leave editing without saving."""

    class Saved(Message):
        """Save pressed: save the composer's text."""

    def compose(self) -> ComposeResult:
        yield Static(id="edit-text", markup=False)
        yield Button(Content("Save"), id="edit-save", variant="primary", compact=True)
        yield Button(Content("✕"), id="edit-cancel", compact=True)

    def show(self, message: ChatMessage) -> None:
        body = clean_name(message.body.replace("\n", " "), max_len=80)
        self.query_one("#edit-text", Static).update(
            Content.assemble(
                ("✎ Editing ", "bold"), ("(Enter saves, Esc cancels): ", "dim"), (body, "$text-muted")
            )
        )

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Saved() if event.button.id == "edit-save" else self.Cancelled())
