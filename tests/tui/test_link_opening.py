"""Links in the history: shown as the real address, opened only after the dialog, by key and by mouse.

`webbrowser.open` is patched: the tests assert exactly what would reach the browser, and that nothing does
for a refused link, a cancelled dialog or a click that runs no action from text; with no browser, the
toast and the offer to copy the link.
"""

from __future__ import annotations

from typing import Any

import pytest
from app_helpers import (
    SIZE,
    footer,
    make_app,
    open_chat_by_keyboard,
    settle,
    text,
    toasts,
    until_dialog,
    view_text,
)
from fake_messenger import FakeMessenger
from textual.pilot import Pilot
from textual.widgets import Button, OptionList

from tui_messenger.domain.models import Account
from tui_messenger.tui.modals.link import LinkChooserModal, LinkModal
from tui_messenger.tui.widgets.link_marks import link_index_at
from tui_messenger.tui.widgets.message_view import MessageView

IDN = "Your order: https://bücher.example/orders/42 — thanks!"
SEVERAL = "Pay at https://bank.com@evil.example/pay or javascript:alert(1) or mailto:help@nordbank.example"


def world(*bodies: str) -> FakeMessenger:
    m = FakeMessenger()
    chat = m.add_chat(Account("anna", "Anna Becker"))
    for body in bodies:
        m.put(m.make(chat.id, body), unread=False)
    return m


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    import webbrowser

    calls: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *args, **kw: calls.append(url) or True)
    return calls


async def select_last(pilot: Pilot[Any]) -> MessageView:
    view = pilot.app.screen.query_one(MessageView)
    view.focus()
    await pilot.press("end")
    return view


def flat(pilot: Pilot[Any]) -> str:
    """The screen's words on one line: dialogs wrap long lines."""
    return " ".join(text(pilot).replace("│", " ").split())


def link_cell(view: MessageView, index: int = 0) -> tuple[int, int]:
    """Screen offset (x, y) inside `view` of the first cell of link `index`."""
    for y in range(view.size.height):
        line = y + int(view.scroll_y)
        if line >= len(view._lines):  # noqa: SLF001 - a test may look inside
            break
        strip = view._lines[line]
        for x in range(strip.cell_length):
            if link_index_at(strip, x) == index:
                return x + 1, y  # the gutter column
    raise AssertionError(f"link {index} not on screen")


async def test_idn_link_is_shown_with_its_punycode_host(opened: list[str]) -> None:
    async with make_app(world(IDN)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        shown = view_text(pilot)
        assert "https://bücher.example/orders/42" in shown
        assert "(xn--bcher-kva.example)" in shown


async def test_o_opens_the_dialog_and_open_calls_the_browser_with_the_punycode_url(
    opened: list[str],
) -> None:
    async with make_app(world(IDN)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        await select_last(pilot)
        await pilot.press("o")
        await until_dialog(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, LinkModal)
        screen = text(pilot)
        assert "Open this link?" in screen
        assert (
            "https" in screen
            and "xn--bcher-kva.example" in screen
            and "bücher.example (in Unicode)" in screen
        )
        assert "https://xn--bcher-kva.example/orders/42" in screen
        assert opened == []
        assert pilot.app.focused is modal.query_one("#link-cancel")  # a stray Enter opens nothing
        await pilot.press("shift+tab")
        await pilot.press("enter")
        await settle(pilot)
        assert opened == ["https://xn--bcher-kva.example/orders/42"]


async def test_escape_and_cancel_open_nothing(opened: list[str]) -> None:
    async with make_app(world(IDN)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        await select_last(pilot)
        await pilot.press("o")
        await until_dialog(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, LinkModal)
        await pilot.press("o")
        await until_dialog(pilot)
        await pilot.press("enter")  # focus starts on Cancel
        await settle(pilot)
        assert opened == []


async def test_several_links_ask_which_then_refuse_the_hostile_ones(opened: list[str]) -> None:
    async with make_app(world(SEVERAL)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        shown = view_text(pilot)
        assert "(goes to evil.example · won't open)" in shown.replace("\n", " ").replace("  ", " ") or (
            "goes to" in shown and "evil.example" in shown
        )
        await select_last(pilot)
        await pilot.press("o")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, LinkChooserModal)
        choices = pilot.app.screen.query_one(OptionList)
        assert choices.option_count == 3
        await pilot.press("enter")  # the first: the user-name trick
        await until_dialog(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, LinkModal)
        screen = text(pilot)
        assert "This link will not open" in screen and "evil.example" in screen
        assert "user name" in screen
        assert not modal.query("#link-open")
        await pilot.press("enter")  # Close
        await settle(pilot)
        await pilot.press("o")
        await until_dialog(pilot)
        await pilot.press("down", "enter")  # javascript:
        await until_dialog(pilot)
        screen = text(pilot)
        assert "This link will not open" in screen
        assert "Only web (http, https) and e-mail (mailto) links open" in flat(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert opened == []


async def test_mailto_opens_after_choosing(opened: list[str]) -> None:
    async with make_app(world(SEVERAL)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        await select_last(pilot)
        await pilot.press("o")
        await until_dialog(pilot)
        await pilot.press("down", "down", "enter")
        await until_dialog(pilot)
        await pilot.click("#link-open")
        await settle(pilot)
        assert opened == ["mailto:help@nordbank.example"]


async def test_clicking_a_link_asks_then_opens(opened: list[str]) -> None:
    async with make_app(world("hello", IDN)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        view = pilot.app.screen.query_one(MessageView)
        x, y = link_cell(view)
        await pilot.click(view, offset=(x + 3, y))
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, LinkModal)
        assert opened == []
        await pilot.click("#link-open")
        await settle(pilot)
        assert opened == ["https://xn--bcher-kva.example/orders/42"]
        assert view.selected_message is not None and view.selected_message.body == IDN


async def test_clicking_the_text_beside_a_link_opens_nothing(opened: list[str]) -> None:
    async with make_app(world(IDN)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        view = pilot.app.screen.query_one(MessageView)
        x, y = link_cell(view)
        await pilot.click(view, offset=(x - 3, y))  # "order: "
        await settle(pilot)
        assert not isinstance(pilot.app.screen, LinkModal)
        assert opened == []


async def test_clicking_a_hostile_link_shows_the_refusal_and_cancel_by_mouse(opened: list[str]) -> None:
    async with make_app(world("see data:text/html,<script>alert(1)</script> now")).run_test(
        size=SIZE
    ) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        view = pilot.app.screen.query_one(MessageView)
        x, y = link_cell(view)
        await pilot.click(view, offset=(x, y))
        await until_dialog(pilot)
        assert "This link will not open" in text(pilot) and "data: link" in text(pilot)
        await pilot.click("#link-cancel")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, LinkModal) and opened == []


async def test_markup_and_actions_in_a_link_stay_text(opened: list[str]) -> None:
    quits: list[str] = []
    body = "https://x.example/[@click=app.quit]boom[/] and [b]not bold[/b]"
    async with make_app(world(body)).run_test(size=SIZE) as pilot:
        pilot.app.action_quit = lambda: quits.append("quit")  # type: ignore[method-assign]
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        view = pilot.app.screen.query_one(MessageView)
        assert "[@click=app.quit]boom[/]" in view_text(pilot)
        x, y = link_cell(view)
        await pilot.click(view, offset=(x + 20, y))
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, LinkModal)
        assert "[@click=app.quit]boom[/]" in text(pilot)
        await pilot.click("#link-cancel")
        await settle(pilot)
        assert quits == [] and opened == []


async def test_open_link_is_offered_only_on_a_message_with_a_link(opened: list[str]) -> None:
    async with make_app(world(IDN, "just words")).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        pilot.app.screen.query_one(MessageView).focus()
        await settle(pilot)
        assert "Reply" not in footer(pilot)  # none of a message's keys before one is selected
        assert "Jump to quoted" not in footer(pilot)
        assert "React" not in footer(pilot) and "Open link" not in footer(pilot)
        view = await select_last(pilot)
        await settle(pilot)
        assert "React" in footer(pilot) and "Open link" not in footer(pilot)
        assert "Jump to quoted" not in footer(pilot)  # it quotes nothing
        await pilot.press("o")  # the key does nothing here: no dialog, no toast
        await settle(pilot)
        assert not isinstance(pilot.app.screen, LinkModal) and opened == []
        assert [n.message for n in pilot.app.shown_toasts] == []
        await pilot.press("up")  # the message with a link
        await settle(pilot)
        assert view.selected == 0 and "Open link" in footer(pilot)
        await pilot.press("o")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, LinkModal)


async def test_chooser_by_mouse(opened: list[str]) -> None:
    async with make_app(world(SEVERAL)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        await select_last(pilot)
        await pilot.press("o")
        await until_dialog(pilot)
        choices = pilot.app.screen.query_one(OptionList)
        row = next(y for y in range(choices.size.height) if "mailto:" in choices.render_line(y).text)
        top = choices.content_region.y - choices.region.y  # the list's border
        await pilot.click(choices, offset=(3, row + top))
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, LinkModal)
        assert pilot.app.screen.link.scheme == "mailto"
        await pilot.click(pilot.app.screen.query_one("#link-open", Button))
        await settle(pilot)
        assert opened == ["mailto:help@nordbank.example"]


def test_laid_out_links_carry_only_their_index() -> None:
    """No `@click` meta (Textual would run it) and no `Style(link=...)` (an OSC 8 hyperlink)."""
    from datetime import UTC, datetime

    from tui_messenger.domain.models import ChatMessage, Direction, MessageKind
    from tui_messenger.tui.widgets.link_marks import LINK_META
    from tui_messenger.tui.widgets.message_layout import Context, Palette, layout_message

    body = SEVERAL + " https://x.example/[@click=app.quit]q " + IDN
    message = ChatMessage(
        "m1", 1, "anna", Direction.INBOUND, MessageKind.TEXT, body, datetime(2026, 1, 5, tzinfo=UTC)
    )
    lines, _ = layout_message(message, Context(), 50, Palette())
    marked = set()
    for strip in lines:
        for segment in strip:
            style = segment.style
            assert style is None or style.link is None
            meta = style.meta if style is not None else {}
            assert not any(key.startswith("@") for key in meta)
            if LINK_META in meta:
                marked.add(meta[LINK_META])
    assert marked == {0, 1, 2, 3, 4}


async def test_a_documents_links_are_its_captions(opened: list[str]) -> None:
    """The file's name (on the card) is not a link: `o` and a click agree on the caption's links."""
    from tui_messenger.domain.models import MessageKind

    m = world()
    body = "📄 www.trap.example.pdf\nDetails: https://good.example/info"
    m.put(m.make(1, body, kind=MessageKind.DOCUMENT), unread=False)
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        await select_last(pilot)
        await pilot.press("o")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, LinkModal)  # one link: no chooser
        assert pilot.app.screen.link.host == "good.example"
        await pilot.press("escape")
        await settle(pilot)
        view = pilot.app.screen.query_one(MessageView)
        x, y = link_cell(view)
        await pilot.click(view, offset=(x + 2, y))
        await until_dialog(pilot)
        assert pilot.app.screen.link.host == "good.example"
        await pilot.click("#link-open")
        await settle(pilot)
        assert opened == ["https://good.example/info"]


async def test_a_link_hiding_a_zero_width_character_is_shown_and_refused(opened: list[str]) -> None:
    async with make_app(world("Log in at https://paypa\u200bl.example/login now")).run_test(
        size=SIZE
    ) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        assert "https://paypa⟨U+200B⟩l.example/login (won't open)" in view_text(pilot)
        view = pilot.app.screen.query_one(MessageView)
        x, y = link_cell(view)
        await pilot.click(view, offset=(x + 10, y))
        await until_dialog(pilot)
        assert "This link will not open" in text(pilot) and "U+200B" in flat(pilot)
        assert not pilot.app.screen.query("#link-open")
        await pilot.press("enter")
        await settle(pilot)
        assert opened == []


def test_a_note_never_lands_inside_an_escape_sequence() -> None:
    """An OSC 8 hyperlink's target is not a link of the message: its text stays whole, with no note."""
    from tui_messenger.tui.widgets.link_marks import annotate

    body = "link \x1b]8;;http://evil.example/x\x07click me\x1b]8;;\x07 and https://bücher.example/"
    shown, links = annotate(body)
    assert [link.text for link in links] == ["https://bücher.example/"]
    assert "click me and https://bücher.example/ (xn--bcher-kva.example)" in shown
    assert "\x1b" not in shown


@pytest.mark.parametrize("failure", ["returns False", "raises"])
async def test_no_browser_says_so_and_offers_the_clipboard(
    monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """Issue 12: with no browser (`webbrowser.open` False or an error) the app said nothing. Now a toast
    says so and a dialog offers to copy the address; Copy puts exactly that address on the clipboard."""
    import webbrowser

    from tui_messenger.tui.app import MessengerApp
    from tui_messenger.tui.modals.confirm import ConfirmModal

    tried: list[str] = []

    def no_browser(url: str, *args: Any, **kw: Any) -> bool:
        tried.append(url)
        if failure == "raises":
            raise webbrowser.Error("could not locate runnable browser")
        return False

    copied: list[str] = []
    monkeypatch.setattr(webbrowser, "open", no_browser)
    monkeypatch.setattr(MessengerApp, "copy_to_clipboard", lambda self, text: copied.append(text))
    async with make_app(world(IDN)).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        url = "https://xn--bcher-kva.example/orders/42"
        for choice, expected in (("confirm-no", []), ("confirm-yes", [url])):
            await select_last(pilot)
            await pilot.press("o")
            await until_dialog(pilot)
            await pilot.click("#link-open")
            for _ in range(300):  # the browser is tried in a thread
                if isinstance(pilot.app.screen, ConfirmModal):
                    break
                await pilot.pause(0.01)
            assert isinstance(pilot.app.screen, ConfirmModal)
            assert "No web browser could open this link." in toasts(pilot)
            assert url in flat(pilot)
            await pilot.click(f"#{choice}")
            await settle(pilot)
            assert not isinstance(pilot.app.screen, ConfirmModal | LinkModal)
            assert copied == expected
        assert tried == [url, url]
        assert "Link copied to the clipboard." in toasts(pilot)
