"""A message's body as the lines of its bubble: wrapped to the bubble's width (ASCII by a fast path with
Textual's own breaks), blank lines around the text left out, and a long body collapsed to its first lines
with a "Show more" control. Pure: text in, lines out (message_layout.py draws them)."""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.content import Content

from tui_messenger.domain.models import ChatMessage
from tui_messenger.domain.safe_text import clean_body

MAX_BODY_CHARS = 4000  # a system notice longer than this is cut
# A long body is shown collapsed: its first lines and a "Show more" control. Only a bounded prefix is
# cleaned and wrapped, so a 1 MB body costs what a short one does. "Show more" expands a body of up to
# INLINE_MAX_CHARS characters and INLINE_MAX_LINES lines in place; a larger one opens the reader
# (`modals/reader.py`), which shows it a part at a time.
COLLAPSED_LINES = 12
COLLAPSED_CHARS = 4000
_HEAD_CHARS = (1000, COLLAPSED_CHARS)  # 1,000 characters fill 12 lines unless marks or wide characters
INLINE_MAX_CHARS = 16_000
INLINE_MAX_LINES = 400


def wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        # Most lines fit: skip the word wrapper (and its Content) for them.
        if len(paragraph) <= width and (paragraph.isascii() or cell_len(paragraph) <= width):
            lines.append(paragraph.rstrip())
            continue
        if paragraph.isascii() and "\t" not in paragraph:
            lines.extend(_wrap_ascii(paragraph, width))
        else:
            lines.extend(line.plain.rstrip() for line in Content(paragraph).wrap(width))
    return lines


_WORD = re.compile(r"\s*\S+\s*")


def _ascii_breaks(text: str, width: int) -> list[int]:
    """Where `Content(text).wrap(width)` breaks ASCII text without tabs (one cell a character): a word
    (with the spaces after it) goes to the next line when it does not fit, and a word longer than a line
    is folded. The same rule as the wrapping Content uses, on plain strings."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # folded across lines
            chunks = [word[i : i + width] for i in range(0, len(word), width)]
            for chunk in chunks[:-1]:
                if start:
                    breaks.append(start)
                start += len(chunk)
            if start:
                breaks.append(start)
            offset = len(chunks[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _wrap_ascii(text: str, width: int) -> list[str]:
    """`Content(text).wrap(width)` for ASCII without tabs: the same breaks, without building Content lines
    and spans; long messages are common."""
    bounds = [0, *_ascii_breaks(text, width), len(text)]
    return [text[a:b].rstrip() for a, b in zip(bounds, bounds[1:], strict=False)]


def body_text(message: ChatMessage) -> str:
    body = message.body
    if len(body) > MAX_BODY_CHARS:
        body = body[:MAX_BODY_CHARS] + f"\n… ({len(message.body) - MAX_BODY_CHARS:,} more characters)"
    return clean_body(body)


def without_blank_edges(text: str) -> str:
    """The body as shown: blank lines before its first line of text and after its last are left out (a
    body of 5,000 newlines and then a line must not show a screen of nothing above "Show more"). The
    first line keeps its own indentation; a body of nothing but blanks is kept as it is. Linear."""
    if not text or not (text[0].isspace() or text[-1].isspace()):
        return text  # nearly every message: no copy of it
    end = len(text.rstrip())
    if not end:
        return text
    lead = len(text) - len(text.lstrip())
    start = text.rfind("\n", 0, lead) + 1
    return text[start:end] if start or end < len(text) else text


def opens_inline(body: str) -> bool:
    """Whether "Show more" expands this body in place (else it opens the reader)."""
    return len(body) <= INLINE_MAX_CHARS and body.count("\n") < INLINE_MAX_LINES


def body_lines(body: str, expanded: bool, inner: int) -> tuple[list[str], str | None]:
    """The body's lines as shown, and the label of its show-more control (None for a short body)."""
    if expanded and opens_inline(body):
        lines = wrap(clean_body(body), inner)
        return lines, ("▴ Show less" if len(lines) > COLLAPSED_LINES or len(body) > COLLAPSED_CHARS else None)
    for cut in _HEAD_CHARS:  # cut first (cleaning and wrapping are linear), a longer head only if needed
        lines = wrap(clean_body(body[:cut]), inner)
        if len(lines) > COLLAPSED_LINES or len(body) <= cut:
            break
    if len(lines) <= COLLAPSED_LINES and len(body) <= COLLAPSED_CHARS:
        return lines, None
    if opens_inline(body):
        return lines[:COLLAPSED_LINES], "▾ Show more"
    size = f"{body.count(chr(10)) + 1:,} lines, {len(body):,} characters"
    return lines[:COLLAPSED_LINES], f"▾ Show more ({size})"
