"""The line above the footer when the messenger runs in a browser tab (`tui-messenger serve`)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

WEB_NOTE = "In a browser: links open in new tabs · files download · ctrl+n/t/w are the browser's"
"""The line above the footer."""
WEB_HELP = (
    "In a browser: links open in a new tab, a saved file downloads through it. "
    "ctrl+n, ctrl+t and ctrl+w belong to the browser: ctrl+p finds those commands."
)
"""The help screen's (F1) line."""


class WebNote(Static):
    DEFAULT_CSS = """
    WebNote {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        color: $text-muted;
        background: $panel;
    }
    """

    def __init__(self) -> None:
        super().__init__(Content(WEB_NOTE), id="web-note")
