"""Issue 11, item 12: Textual's built-in themes colour the user's own bubbles and the other person's
differently, in a truecolor terminal and in a 256-colour one (tmux's default), where the fixed default
colours both became colour 23. Checked on the rendered lines of Anna's chat, opened by keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import chat_id, chat_index, settle
from rich.color import ColorSystem
from rich.style import Style
from textual.theme import BUILTIN_THEMES

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.themes import THEME_VARIABLE_DEFAULTS
from tui_messenger.tui.widgets.message_view import MessageView

pytestmark = pytest.mark.usefixtures("utc")

INCOMING = "Just yourself."  # Anna's
OUTGOING = "Of course!"  # the user's
THEMES = sorted(name for name in BUILTIN_THEMES if not name.startswith("ansi"))


def bubble_background(view: MessageView, body: str) -> Style:
    """The style under the first letters of `body` where the view draws it."""
    for y in range(view.size.height):
        strip = view.render_line(y)
        if body in strip.text:
            start, offset = strip.text.index(body), 0
            for segment in strip:
                if offset <= start < offset + len(segment.text):
                    assert segment.style is not None
                    return segment.style
                offset += len(segment.text)
    raise AssertionError(f"{body!r} is not on screen")


def cell_rgb(style: Style) -> tuple[int, int, int]:
    assert style.bgcolor is not None
    red, green, blue = style.bgcolor.downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    return red, green, blue


@pytest.mark.parametrize("theme", THEMES)
async def test_own_and_other_bubbles_differ_in_every_built_in_theme(tmp_path: Path, theme: str) -> None:
    async with build_test_app(tmp_path, theme=theme).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert pilot.app.theme == theme
        options = pilot.app.screen.query_one("#chat-options")
        target = chat_index(pilot, await chat_id(pilot, "anna"))
        await pilot.press("down")  # the first press highlights the first row
        await pilot.press(*["down"] * (target - (options.highlighted or 0)), "enter")
        await settle(pilot)
        view = pilot.app.screen.query_one(MessageView)
        assert options.highlighted == target and view.messages
        incoming, outgoing = bubble_background(view, INCOMING), bubble_background(view, OUTGOING)
        assert incoming.bgcolor != outgoing.bgcolor
        assert cell_rgb(incoming) != cell_rgb(outgoing), "one colour in a 256-colour terminal"
        # and the text on them is the theme's, not the fixed light grey meant for dark bubbles
        assert incoming.color is not None
        assert incoming.color.triplet is not None
        assert incoming.color.triplet.hex.lower() != THEME_VARIABLE_DEFAULTS["bubble-text"].lower()
