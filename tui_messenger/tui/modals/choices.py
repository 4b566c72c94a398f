"""The buttons or list rows of a message, for the keyboard: Enter on a message whose choices are still
open offers them here as focusable buttons (arrow keys or Tab move, Enter presses), with "Reply" to
answer in words instead. Dismisses with the chosen id, `REPLY`, or None (Cancel, Escape)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Static

from tui_messenger.domain.models import ChatMessage
from tui_messenger.tui.modals.base import DialogModal, as_content
from tui_messenger.tui.safe import safe_label, safe_name
from tui_messenger.tui.widgets import interactive_model as im

REPLY = "\x00reply"  # not an id a business can send: ids are printable


class ChoicesModal(DialogModal[str]):
    DEFAULT_CSS = """
    ChoicesModal #choices-text {
        color: $text-muted;
        margin-bottom: 1;
    }
    ChoicesModal #choices {
        height: auto;
        max-height: 14;
        overflow-y: auto;
    }
    ChoicesModal #choices Button {
        width: 100%;
    }
    """
    BINDINGS = [
        Binding("up", "app.focus_previous", "Previous", show=False),
        Binding("down", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, message: ChatMessage) -> None:
        super().__init__()
        self._message = message
        self._choices = im.choices(message)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(as_content("Answer with a button"), id="dialog-title")
            if self._message.body:
                yield Static(safe_name(self._message.body.replace("\n", " "), 200), id="choices-text")
            with Vertical(id="choices"):
                for index, choice in enumerate(self._choices):
                    yield Button(safe_label(choice.title), id=f"choice-{index}", compact=True)
                yield Button(as_content("Reply with a message"), id="choice-reply", compact=True)
                yield Button(as_content("Cancel"), id="choice-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#choices Button").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        name = (event.button.id or "").removeprefix("choice-")
        if name == "cancel":
            self.dismiss(None)
        elif name == "reply":
            self.dismiss(REPLY)
        else:
            self.dismiss(self._choices[int(name)].id)
