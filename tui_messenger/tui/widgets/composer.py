"""The composer: a TextArea where Enter sends and shift+enter / ctrl+j insert a newline."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from tui_messenger.tui.widgets.emoji import replace_shortcodes


class Composer(TextArea):
    """Posts `Composer.Submitted` with the text (shortcodes replaced) and clears itself."""

    BINDINGS = [
        # Priority: TextArea would otherwise take Enter as a newline before any binding sees it.
        Binding("enter", "submit", "Send", priority=True, id="composer-send"),
        Binding("shift+enter,ctrl+j", "newline", "Newline", priority=True, id="composer-newline"),
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

    def action_submit(self) -> None:
        text = replace_shortcodes(self.text).strip()
        if not text:
            return
        self.clear()
        self.post_message(self.Submitted(self, text))

    def action_newline(self) -> None:
        self.insert("\n")
