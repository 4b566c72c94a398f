"""A message whose key has not come is drawn as a quiet note in its bubble (dim italic), so it never
reads as something the other person wrote; once opened, its text is drawn as any message's."""

from __future__ import annotations

from datetime import UTC, datetime

from tui_messenger.domain.models import LOCKED_TEXT, ChatMessage, Direction, MessageKind
from tui_messenger.tui.widgets.message_layout import Context, Palette, layout_message


def _styles_of(kind: MessageKind, body: str) -> list[object]:
    message = ChatMessage("m1", 1, "anna", Direction.INBOUND, kind, body, datetime(2026, 1, 5, tzinfo=UTC))
    lines, _ = layout_message(message, Context(), 60, Palette())
    return [s.style for strip in lines for s in strip if "Waiting" in s.text or "secret" in s.text]


def test_a_locked_message_is_a_dim_italic_note_and_an_opened_one_is_not() -> None:
    locked = _styles_of(MessageKind.LOCKED, LOCKED_TEXT)
    assert locked and all(style is not None and style.italic for style in locked)  # type: ignore[attr-defined]
    opened = _styles_of(MessageKind.TEXT, "the secret")
    assert opened and not any(style is not None and style.italic for style in opened)  # type: ignore[attr-defined]
