"""The one path from untrusted text to the screen (DESIGN.md section 3, rule 1).

`Static`, `Label`, `Button` and `notify()` parse a `str` as markup (`[@click=app.quit]` runs an action,
`[/]` crashes), and neither markup escaping nor `Content` strips ESC sequences or bidi overrides. So every
network- or scenario-supplied string goes through `tui_messenger.domain.safe_text` and then into a
literal `Content(...)`: widgets take a `Content` as it is, without parsing it.
"""

from __future__ import annotations

from textual.content import Content

from tui_messenger.domain.safe_text import clean_body, clean_name, preview

__all__ = ["safe_body", "safe_label", "safe_name", "safe_preview"]

# WhatsApp caps reply-button titles at 20 characters and list rows at 24; leave room for translations.
LABEL_MAX_LEN = 40


def safe_body(text: str) -> Content:
    """A message body (multi-line); hidden characters appear as `⟨U+XXXX⟩`."""
    return Content(clean_body(text))


def safe_name(text: str, max_len: int = 64) -> Content:
    """A display name, chat title or profile field shown on one line; hidden characters removed."""
    return Content(clean_name(text, max_len))


def safe_label(text: str, max_len: int = LABEL_MAX_LEN) -> Content:
    """A button or list-row label from a business message."""
    return Content(clean_name(text, max_len))


def safe_preview(text: str, width: int) -> Content:
    """The one-line last-message preview of a chat-list row, at most `width` cells."""
    return Content(preview(text, width))
