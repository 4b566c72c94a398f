"""A message the network refused says why in its bubble ("✗ Not sent: too large"): before,
every refusal read "Not sent · Enter to retry", and the reason (a Matrix server's 413, a 403 for a room
the user is not in) was only in the log. One that ran out of attempts has no code and no reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui_messenger.domain.models import ChatMessage, Direction, MessageKind, MessageStatus
from tui_messenger.domain.not_sent import not_sent_reason
from tui_messenger.tui.widgets.message_layout import Context, Palette, layout_message


def failed(code: int | None) -> ChatMessage:
    return ChatMessage(
        "m1", 1, "me", Direction.OUTBOUND, MessageKind.TEXT, "a very long text",
        datetime(2026, 1, 5, 9, 30, tzinfo=UTC), status=MessageStatus.FAILED, error_code=code,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("code", "line"),
    [
        (413, "✗ Not sent: too large · Enter to retry"),
        (403, "✗ Not sent: not allowed here · Enter to retry"),
        (418, "✗ Not sent: refused (418) · Enter to retry"),
        (None, "✗ Not sent · Enter to retry"),
    ],
)
def test_the_bubble_says_why_a_message_was_not_sent(code: int | None, line: str) -> None:
    lines, _ = layout_message(failed(code), Context(), 70, Palette())
    drawn = [strip.text.strip() for strip in lines if strip.text.strip()]
    assert any(text.endswith(line) for text in drawn), drawn


def test_no_code_no_reason() -> None:
    assert not_sent_reason(None) == "" and not_sent_reason(131026) == ": no such recipient"
