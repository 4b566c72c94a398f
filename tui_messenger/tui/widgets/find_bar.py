"""The find bar above the composer: a query field, "n of m", and previous / next / close buttons.

It only displays and posts messages; the conversation's controller searches and moves the selection.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Static

from tui_messenger.domain.safe_text import clean_body


class FindInput(Input):
    """The query: pasted controls and hidden characters never reach the screen."""

    def validate_value(self, value: str) -> str:
        return clean_body(value).replace("\n", " ")


class FindBar(Horizontal):
    DEFAULT_CSS = """
    FindBar {
        height: auto;
        background: $boost;
        padding: 0 1;
    }
    FindBar FindInput {
        width: 1fr;
    }
    FindBar #find-status {
        width: auto;
        min-width: 12;
        padding: 1 1 0 1;
        color: $text-muted;
    }
    FindBar Button {
        min-width: 5;
        margin-left: 1;
    }
    """

    # Matches are counted in the chat's order ("2 of 5": the second oldest), and the walk starts at the
    # newest. ↑ goes to the previous match (up, older), ↓ to the next (down, newer), as the arrows point.
    # Enter in the field searches on upwards (Input.Submitted), from the newest back in time.
    BINDINGS = [
        Binding("up", "step(1)", "Previous match", id="find-previous"),
        Binding("shift+enter,down", "step(-1)", "Next match", id="find-next"),
        Binding("escape", "close", "Close find", id="find-close"),
    ]

    class QueryChanged(Message):
        def __init__(self, bar: FindBar, query: str) -> None:
            super().__init__()
            self.bar = bar
            self.query = query

        @property
        def control(self) -> FindBar:
            return self.bar

    class Stepped(Message):
        def __init__(self, bar: FindBar, step: int) -> None:
            super().__init__()
            self.bar = bar
            self.step = step

        @property
        def control(self) -> FindBar:
            return self.bar

    class Closed(Message):
        def __init__(self, bar: FindBar) -> None:
            super().__init__()
            self.bar = bar

        @property
        def control(self) -> FindBar:
            return self.bar

    def compose(self) -> ComposeResult:
        yield FindInput(placeholder="Find in this chat", id="find-input")
        yield Static(Content(""), id="find-status")
        yield Button(Content("↑"), id="find-up", tooltip="Previous (older) match: ↑ or enter")
        yield Button(Content("↓"), id="find-down", tooltip="Next (newer) match: ↓ or shift+enter")
        yield Button(Content("✕"), id="find-close", tooltip="Close (escape)")

    @property
    def input(self) -> FindInput:
        return self.query_one(FindInput)

    def open(self) -> None:
        self.display = True
        self.input.focus()
        self.input.select_all()

    def show_status(self, position: int | None, total: int, *, searching: bool = False) -> None:
        if searching:
            text = "…"
        elif not self.input.value.strip():
            text = ""
        elif total == 0:
            text = "no matches"
        else:
            text = f"{position or 0} of {total}"
        self.query_one("#find-status", Static).update(Content(text))

    @on(Input.Changed, "#find-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.QueryChanged(self, event.value))

    @on(Input.Submitted, "#find-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_step(1)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "find-close":
            self.action_close()
        else:
            self.action_step(-1 if event.button.id == "find-down" else 1)

    def action_step(self, step: int) -> None:
        self.post_message(self.Stepped(self, step))

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed(self))
