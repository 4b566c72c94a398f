"""A tiny host App for dialog tests: pushes one modal, records what it dismissed with, and reads back
what is on screen as plain text."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from tui_messenger.domain.models import ChatMessage, Direction, MessageKind, TemplateCategory
from tui_messenger.tui.themes import (
    DEFAULT_THEME,
    THEME_VARIABLE_DEFAULTS,
    packaged_theme_dirs,
    register_themes,
)

# Every terminal control a rendered line must never hold: C0 (there are no newlines inside a line),
# DEL and C1 (U+0080-U+009F, which 8-bit terminals obey like ESC sequences).
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# Text that must show literally: markup, an action link, a theme variable, OSC 2 (retitles the
# terminal), an 8-bit CSI, a bidi override.
HOSTILE = "[/] [@click=app.quit]x[/] $accent \x1b]2;pwned\x07 \x9b31mred \u202eevil"
HOSTILE_VISIBLE = ("[/]", "[@click=app.quit]x[/]", "$accent")

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class ModalHost(App[None]):
    """Pushes `modal` on mount; each dismissal result is appended to `results`."""

    def __init__(self, modal: Screen[Any], *, theme: str = DEFAULT_THEME) -> None:
        super().__init__()
        self.modal = modal
        self.results: list[Any] = []
        register_themes(self, packaged_theme_dirs())
        self.theme = theme

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_VARIABLE_DEFAULTS)

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.results.append)


def screen_lines(screen: Screen[Any]) -> list[str]:
    """Every rendered line of every visible widget on `screen` (what a terminal would get as text)."""
    lines: list[str] = []
    for widget in screen.query("*"):
        if not widget.display or not widget.size.height:
            continue
        lines.extend(widget.render_line(y).text for y in range(widget.size.height))
    return lines


def screen_text(screen: Screen[Any]) -> str:
    return "\n".join(screen_lines(screen))


def assert_no_controls(screen: Screen[Any]) -> None:
    bad = [line for line in screen_lines(screen) if CONTROL.search(line)]
    assert not bad, f"control characters on screen: {bad!r}"


async def tab_to(pilot: Pilot[Any], widget_id: str, *, limit: int = 20) -> None:
    """Press Tab until the widget with `widget_id` has focus: proves it is reachable by keyboard."""
    for _ in range(limit):
        focused = pilot.app.focused
        if focused is not None and focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"#{widget_id} not reachable by Tab (focus on {pilot.app.focused!r})")


def message(
    index: int,
    body: str,
    *,
    kind: MessageKind = MessageKind.TEXT,
    category: TemplateCategory | None = None,
    chat_id: int = 1,
    sender: str = "biz.nordbank-fake",
) -> ChatMessage:
    return ChatMessage(
        message_id=f"wamid.{index:04d}",
        chat_id=chat_id,
        sender_id=sender,
        direction=Direction.INBOUND,
        kind=kind,
        body=body,
        sent_at=T0 + timedelta(minutes=index),
        template_category=category,
    )
