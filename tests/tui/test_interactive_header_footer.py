"""An interactive message's header and footer are drawn in its bubble (header above the text, footer
below it, before the buttons or the list): "Flight SK 123 delayed" and "Rebooking is free of charge" were
parsed and never shown. Both are network text: drawn literally, without controls, and a row of the list
still answers a click where it is drawn."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui_messenger.domain.models import ChatMessage, Direction, MessageKind
from tui_messenger.tui.widgets.message_layout import Context, Palette, layout_message

ROWS = {"sections": [{"title": "Flights", "rows": [{"id": "sk125", "title": "SK 125 today 14:05"}]}]}
BUTTONS = [{"id": "yes", "title": "Yes"}]


def message(kind: MessageKind, header: str, footer: str) -> ChatMessage:
    shape = (
        {"button_label": "Rebooking options", **ROWS} if kind is MessageKind.LIST else {"buttons": BUTTONS}
    )
    payload = {"interactive": {"header": header, "footer": footer, **shape}}
    return ChatMessage(
        "m1", 1, "skyways", Direction.INBOUND, kind, "SK 123 is delayed by 4 hours.",
        datetime(2026, 1, 5, tzinfo=UTC), payload=payload,
    )  # fmt: skip


def drawn(message: ChatMessage, ctx: Context) -> list[str]:
    lines, _ = layout_message(message, ctx, 70, Palette())
    return [strip.text.strip() for strip in lines if strip.text.strip()]


@pytest.mark.parametrize("kind", [MessageKind.LIST, MessageKind.BUTTONS])
def test_header_above_the_text_and_footer_below_it(kind: MessageKind) -> None:
    ctx = Context()
    lines = drawn(message(kind, "Flight SK 123 delayed", "Rebooking is free of charge"), ctx)
    header, body, footer = (lines.index(t) for t in ("Flight SK 123 delayed",
                            "SK 123 is delayed by 4 hours.", "Rebooking is free of charge"))  # fmt: skip
    assert header < body < footer
    first_choice = next(i for i, t in enumerate(lines) if "SK 125" in t or "[ Yes ]" in t)
    assert footer < first_choice
    assert ctx.choices and ctx.choices[0].choice_id in ("sk125", "yes")  # where the choice is drawn
    row = lines.index(lines[first_choice])
    assert ctx.choices[0].row == row  # (the bubble starts on the first non-empty line here)


def test_hostile_header_and_footer_are_literal_text() -> None:
    lines = drawn(message(MessageKind.LIST, "[b]Bank[/b]\x1b[31m\u202eevil", "[@click=app.quit]x"), Context())
    text = "\n".join(lines)
    assert "[b]Bank[/b]" in text and "[@click=app.quit]x" in text
    assert "\x1b" not in text and "\u202e" not in text
