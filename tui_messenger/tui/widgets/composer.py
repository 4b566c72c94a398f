"""The composer: a TextArea where Enter sends and shift+enter / ctrl+j insert a newline."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from tui_messenger.tui.widgets.emoji import replace_shortcodes


class Composer(TextArea):
    """Posts `Composer.Submitted` with the text (shortcodes replaced) and clears itself."""

    # Shown in the footer; the keys themselves are handled in `_on_key`, in order with the typed text.
    # (A priority binding would run at the App before earlier keys of the same burst reach the TextArea,
    # and send a half-typed message when a terminal delivers "text\r" in one read.)
    BINDINGS = [
        Binding("enter", "submit", "Send", id="composer-send"),
        Binding("shift+enter,ctrl+j", "newline", "Newline", id="composer-newline"),
    ]

    class Submitted(Message):
        def __init__(self, composer: Composer, text: str) -> None:
            super().__init__()
            self.composer = composer
            self.text = text

        @property
        def control(self) -> Composer:
            return self.composer

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        self.placeholder = "Type a message"

    async def _on_key(self, event: events.Key) -> None:
        # The documented way to change TextArea's keys (see "TextArea" in Textual's widget guide).
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_submit()
            return
        if event.key in ("shift+enter", "ctrl+j"):
            event.stop()
            event.prevent_default()
            self.action_newline()
            return
        await super()._on_key(event)

    def action_submit(self) -> None:
        text = replace_shortcodes(self.text).strip()
        if not text:
            return
        self.clear()
        self.post_message(self.Submitted(self, text))

    def action_newline(self) -> None:
        self.insert("\n")
