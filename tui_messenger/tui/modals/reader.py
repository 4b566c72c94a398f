"""The reader: a message too long to expand in the history (a 1 MB body, 100,000 lines), a part at a time.

The body is cleaned once (`clean_body`, linear) and cut into parts of at most PART_LINES lines and
PART_CHARS characters; only the part on screen is in the read-only `TextArea`, so no more than one part
is ever laid out, and its text is data (a TextArea parses no markup). Mouse: the Previous / Next / Close
buttons; keys: n and p (or the buttons with Tab), Escape closes.
"""

from __future__ import annotations

import unicodedata

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static, TextArea

from tui_messenger.domain.models import ChatMessage
from tui_messenger.domain.safe_text import clean_body
from tui_messenger.tui.modals.base import DialogModal, as_content

PART_LINES = 200
PART_CHARS = 8_000
_BREAK_BACK = 200  # how far back a long line's cut may move to fall on a space


def _cut(text: str, start: int, end: int) -> int:
    """Where to end a part inside a long line: at a space if one is near, never inside a character's
    marks (a combining mark, a joiner or a selector stays with what it modifies)."""
    space = text.rfind(" ", max(start + 1, end - _BREAK_BACK), end)
    if space > start:
        return space + 1
    cut = end
    while cut > start + 1 and (
        unicodedata.combining(text[cut]) or unicodedata.category(text[cut]) in ("Mn", "Me", "Cf")
    ):
        cut -= 1
    return cut


def split_parts(
    text: str, *, max_lines: int = PART_LINES, max_chars: int = PART_CHARS
) -> list[tuple[int, int]]:
    """(start, end) offsets of consecutive parts that cover `text`. Linear: one `str.find` per line."""
    parts: list[tuple[int, int]] = []
    start, size = 0, len(text)
    while start < size:
        end, lines = start, 0
        while lines < max_lines and end < size:
            newline = text.find("\n", end, start + max_chars)
            if newline < 0:
                end = min(start + max_chars, size)
                if end < size:
                    end = _cut(text, start, end)
                break
            end, lines = newline + 1, lines + 1
        parts.append((start, end))
        start = end
    return parts or [(0, 0)]


class MessageReaderModal(DialogModal[None]):
    """The whole of one long message, a part at a time."""

    BINDINGS = [
        Binding("n", "part(1)", "Next part", id="reader-next"),
        Binding("p", "part(-1)", "Previous part", id="reader-previous"),
    ]

    DEFAULT_CSS = """
    MessageReaderModal > #dialog {
        width: 95%;
        height: 90%;
    }
    MessageReaderModal #reader-text {
        height: 1fr;
    }
    """

    def __init__(self, message: ChatMessage) -> None:
        super().__init__()
        self._text = clean_body(message.body)
        self._parts = split_parts(self._text)
        self._lines_before = [0]  # line breaks before each part, for the "lines a–b" label
        for start, end in self._parts:
            self._lines_before.append(self._lines_before[-1] + self._text.count("\n", start, end))
        self._total_lines = self._lines_before[-1] + 1
        self.part = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(as_content("Long message"), id="dialog-title")
            yield Static(id="reader-position", classes="hint")
            yield TextArea(read_only=True, soft_wrap=True, show_line_numbers=False, id="reader-text")
            with Horizontal(classes="buttons"):
                yield Button(as_content("◀ Previous"), id="reader-previous-button")
                yield Button(as_content("Next ▶"), id="reader-next-button")
                yield Button(as_content("Close"), id="reader-close", variant="primary")

    def on_mount(self) -> None:
        self._show()
        self.query_one(TextArea).focus()

    @property
    def parts(self) -> int:
        return len(self._parts)

    def shown_text(self) -> str:
        return self.query_one(TextArea).text

    def _show(self) -> None:
        start, end = self._parts[self.part]
        area = self.query_one(TextArea)
        area.load_text(self._text[start:end])
        area.scroll_home(animate=False)
        first = self._lines_before[self.part] + 1
        last = self._lines_before[self.part + 1] + (0 if self._text[start:end].endswith("\n") else 1)
        where = f"Part {self.part + 1:,} of {len(self._parts):,} · lines {first:,}–{last:,}"
        where += f" of {self._total_lines:,}"
        self.query_one("#reader-position", Static).update(Content(f"{where} · n next, p previous"))
        self.query_one("#reader-previous-button", Button).disabled = self.part == 0
        self.query_one("#reader-next-button", Button).disabled = self.part == len(self._parts) - 1

    def action_part(self, step: int) -> None:
        target = min(max(self.part + step, 0), len(self._parts) - 1)
        if target != self.part:
            self.part = target
            self._show()

    @on(Button.Pressed, "#reader-previous-button")
    def _previous(self) -> None:
        self.action_part(-1)

    @on(Button.Pressed, "#reader-next-button")
    def _next(self) -> None:
        self.action_part(1)

    @on(Button.Pressed, "#reader-close")
    def _close(self) -> None:
        self.dismiss(None)
