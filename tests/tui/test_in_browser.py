"""The app served to a browser tab (`tui-messenger serve`, Textual's web driver: `App.is_web`), issue 15:
a line above the footer and the help screen say what differs; saving a file hands it to the browser
(`App.deliver_binary`) besides the downloads folder. Links: test_link_opening (`open_url`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_helpers import SIZE, make_app, open_chat_by_keyboard, settle, text, until_dialog, wait_for
from test_files_ui import boarding_pass, toasts
from textual.widgets import Footer

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.app import MessengerApp
from tui_messenger.tui.modals.help import HelpModal
from tui_messenger.tui.widgets.web_note import WEB_NOTE


@pytest.fixture
def in_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MessengerApp, "is_web", property(lambda self: True))


async def test_the_footer_and_the_help_say_it_runs_in_a_browser(tmp_path: Path, in_browser: None) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        note = pilot.app.screen.query_one("#web-note")
        assert WEB_NOTE in note.render_line(0).text
        assert note.region.bottom == pilot.app.screen.query_one(Footer).region.y  # just above the footer
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpModal))
        await settle(pilot)
        assert "a saved file downloads through it" in " ".join(text(pilot).split())


async def test_in_a_terminal_there_is_no_browser_line(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "In a browser" not in text(pilot)
        assert not pilot.app.screen.query("#web-note")


async def test_a_saved_file_is_downloaded_by_the_browser(tmp_path: Path, in_browser: None) -> None:
    delivered: list[tuple[Path, dict[str, Any]]] = []
    app = build_test_app(tmp_path)
    app.deliver_binary = lambda path, **kw: delivered.append((Path(path), kw))  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await boarding_pass(pilot)
        view.focus()
        await pilot.press("end", "s")
        await wait_for(pilot, lambda: bool(delivered), rounds=500)
        path, options = delivered[0]
        assert path == tmp_path / "downloads" / "boarding-pass-SK123.pdf"
        assert path.read_bytes().startswith(b"%PDF-1.4")
        assert options == {"save_filename": "boarding-pass-SK123.pdf", "open_method": "download"}
        await wait_for(pilot, lambda: bool(toasts(pilot)), rounds=500)
        assert toasts(pilot) == ["Downloading boarding-pass-SK123.pdf in your browser"]


async def test_a_link_opens_in_the_browser_after_the_dialog(in_browser: None, monkeypatch) -> None:
    """In a browser tab the checked address goes to `App.open_url` (textual-serve opens a new tab of that
    browser), never to the server's own web browser."""
    import webbrowser

    from test_link_opening import IDN, select_last, world

    from tui_messenger.tui.modals.link import LinkModal

    server_side: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **kw: server_side.append(url) or True)
    app = make_app(world(IDN))
    opened: list[tuple[str, bool]] = []
    app.open_url = lambda url, *, new_tab=True: opened.append((url, new_tab))  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        await select_last(pilot)
        await pilot.press("o")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, LinkModal)
        assert opened == []
        await pilot.press("shift+tab", "enter")  # Open
        await settle(pilot)
        assert opened == [("https://xn--bcher-kva.example/orders/42", True)]
        assert server_side == []
