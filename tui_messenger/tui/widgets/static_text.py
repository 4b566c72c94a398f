"""Text for a `Static` that is drawn again only when it changed.

`Static.update` lays out the whole screen again (the new text may need another size), and the conversation's
header and banners are given the open chat's summary again on every message that comes: unchanged text
would cost a full layout of the screen each time. The text is compared with its styles, not only its
letters (`Content.__eq__` compares the letters only)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


def show_text(widget: Static, content: Content) -> None:
    shown = widget.content
    if isinstance(shown, Content) and shown.plain == content.plain and shown.spans == content.spans:
        return
    widget.update(content)
