"""The safe path as Textual draws it: literal `Content`, no markup, no actions, no control characters."""

from __future__ import annotations

import re

import pytest
from textual.app import App, ComposeResult
from textual.content import Content
from textual.widgets import Button, Label, Static

from tui_messenger.tui.safe import safe_body, safe_label, safe_name, safe_preview

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # within one rendered line, not even \n or \t
MARKUP = [
    "[/]",
    "[@click=app.quit]Click to win[/]",
    "[ @click=app.quit]x[/]",
    "$accent and $text-muted",
    "[link=https://evil.example]bank[/link]",
    "[b]not bold[/b] [red]not red[/]",
    "[[nested]] \\[escaped]",
]
HOSTILE = (
    "Hi \x1b]2;pwned\x07there \x1b[31mred\x1b[0m \x9b31mc1 \x1b]8;;https://x\x1b\\link\x1b]8;;\x1b\\ "
    "\u202eevil \u200bzw [@click=app.quit]quit[/]"
)


@pytest.mark.parametrize("text", MARKUP)
def test_content_is_literal(text: str) -> None:
    for content in (safe_body(text), safe_name(text), safe_label(text), safe_preview(text, 80)):
        assert isinstance(content, Content)
        assert content.plain == text
        assert not content.spans  # no style, no link, no action parsed out of the text


def test_content_of_hostile_text_has_no_controls() -> None:
    body = safe_body(HOSTILE)
    assert not CONTROL.search(body.plain)
    assert "⟨U+202E⟩evil" in body.plain and "⟨U+200B⟩zw" in body.plain
    assert body.plain.startswith("Hi there red c1 link")
    name = safe_name(HOSTILE)
    assert "\u202e" not in name.plain and "⟨" not in name.plain and "\n" not in name.plain


class Board(App[None]):
    """One of each widget that would parse a `str` as markup, given safe `Content` instead."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(safe_body(self.text), id="body")
        yield Label(safe_name(self.text), id="name")
        yield Button(safe_label(self.text, max_len=70), id="button")


def _lines(app: App[None], selector: str) -> list[str]:
    widget = app.query_one(selector)
    return [widget.render_line(y).text for y in range(widget.size.height)]


@pytest.mark.parametrize("text", MARKUP + [HOSTILE])
async def test_widgets_render_content_literally(text: str) -> None:
    app = Board(text)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for selector in ("#body", "#name", "#button"):
            lines = _lines(app, selector)
            assert not any(CONTROL.search(line) for line in lines), selector
            rendered = " ".join(line.strip() for line in lines)
            if text in MARKUP:
                assert text in rendered, (selector, rendered)
        if text is HOSTILE:
            body = " ".join(_lines(app, "#body"))
            assert "⟨U+202E⟩evil" in body and "[@click=app.quit]quit[/]" in body


class ClickMe(App[None]):
    def __init__(self, message: str | Content) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield Static(self.message, id="message")


async def test_clicking_an_action_in_a_message_does_nothing() -> None:
    app = ClickMe(safe_body("[@click=app.quit]Click to win a prize[/]"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for x in (0, 5, 20):
            await pilot.click("#message", offset=(x, 0))
            await pilot.pause()
        assert app.is_running
        assert app.return_code is None


async def test_the_same_click_on_a_raw_string_does_quit() -> None:
    # The hazard the safe path exists for (DESIGN.md section 8), kept as proof the click above lands.
    app = ClickMe("[@click=app.quit]Click to win a prize[/]")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#message", offset=(5, 0))
        await pilot.pause()
    assert app.return_code == 0
