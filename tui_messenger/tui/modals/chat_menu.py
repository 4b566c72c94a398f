"""The "⋯" menu of the conversation header (click it, or F9): the chat's actions, those that did not fit
in the header first. It dismisses with the action chosen, or None."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class ChatMenuModal(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Close menu", id="menu-close")]

    DEFAULT_CSS = """
    ChatMenuModal {
        align: right top;
        background: $background 30%;
    }
    ChatMenuModal > #chat-menu {
        width: auto;
        min-width: 20;
        height: auto;
        margin: 1 1 0 0;
        border: round $primary;
        background: $surface;
    }
    """

    def __init__(self, actions: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._actions = list(actions)

    def compose(self) -> ComposeResult:
        # Labels are ours (the header's button labels), shown as literal Content all the same.
        options = [Option(Content(label), id=action) for action, label in self._actions]
        yield OptionList(*options, id="chat-menu")

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        menu.highlighted = 0 if self._actions else None
        menu.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_click(self, event: object) -> None:
        """A click outside the menu closes it."""
        widget = getattr(event, "widget", None)
        if widget is self:
            self.dismiss(None)
