"""A paste is text, whatever it holds (tui/paste_guard.py). Textual's input parser read an ESC inside a
bracketed paste as a key sequence and, that sequence meaning nothing, handed its characters to the app
as keys: a pasted ESC [31m followed by a control character pressed that key (BEL opened "Find in
chat", ctrl+b the block dialog), and the text after the ESC was typed ahead of the text before it. Found
by pasting coloured terminal output into the composer in tmux."""

from __future__ import annotations

from typing import Any

from app_helpers import SIZE, chat_id, open_chat_by_keyboard, settle, wait_for
from textual import events
from textual._xterm_parser import XTermParser  # noqa: PLC2701 - the parser every driver reads input with

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.modals import BlockModal
from tui_messenger.tui.paste_guard import PASTE_END, PASTE_START, SHOWN_ESC, PasteGuard
from tui_messenger.tui.widgets.composer import Composer
from tui_messenger.tui.widgets.find_bar import FindBar
from tui_messenger.tui.widgets.textual_private import guard_pastes

PASTED = "hi \x1b[31mRED\x1b[0m \x02 [bold]x[/bold] \x07\x11 end"
AS_TEXT = PASTED.replace("\x1b", SHOWN_ESC)
TYPED = PASTE_START + PASTED + PASTE_END


def strip_controls(text: str) -> str:
    return "".join(c for c in text if c >= " ")


def parsed(*reads: str) -> list[Any]:
    guard_pastes()
    parser = XTermParser()
    return [token for data in reads if data for token in parser.feed(data)]  # ("" is the end of input)


def test_a_paste_is_one_paste_of_its_text_however_the_reads_cut_it() -> None:
    for cut in range(len(TYPED) + 1):
        tokens = parsed(TYPED[:cut], TYPED[cut:])
        assert [type(t) for t in tokens] == [events.Paste], (cut, tokens)
        assert tokens[0].text == AS_TEXT, cut


def test_keys_outside_a_paste_are_keys() -> None:
    tokens = parsed("a\x1b[A", TYPED, "b")
    assert [getattr(t, "key", None) for t in tokens] == ["a", "up", None, "b"]
    assert isinstance(tokens[2], events.Paste) and tokens[2].text == AS_TEXT


def test_an_escape_key_alone_is_not_held_back() -> None:
    assert PasteGuard().filter("\x1b") == "\x1b"  # the parser sends it on after its escape delay


async def test_pasting_coloured_text_into_the_composer_types_it_in_order_and_presses_nothing(
    tmp_path,
) -> None:
    app = build_test_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, await chat_id(pilot, "anna"))
        composer = app.screen.query_one(Composer)
        await wait_for(pilot, lambda: composer.has_focus)
        parser = XTermParser()  # as the terminal driver reads the user's input
        for token in parser.feed(TYPED):
            app._driver.process_message(token)  # type: ignore[union-attr]  # noqa: SLF001
        await wait_for(pilot, lambda: composer.text != "")
        await settle(pilot)
        assert strip_controls(composer.text) == strip_controls(AS_TEXT)  # (the composer may drop them)
        assert not isinstance(app.screen, BlockModal)
        assert not [bar for bar in app.screen.query(FindBar) if bar.display]
        assert app.is_running
