"""Issue 11, item 12, on the real app from a fresh start at three terminal sizes, by keys: the help screen
lists the chat list's keys; Escape in the chat filter clears it, a second Escape leaves it; the palette
reaches a contact who has no chat ("Chat with Anna" after her history was deleted) and opens one."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from app_helpers import (
    chat_id,
    choose_command,
    highlighted_command,
    palette,
    palette_entries,
    settle,
    text,
    toasts,
    wait_for,
)

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.modals.help import HelpModal
from tui_messenger.tui.screens.main import MainScreen
from tui_messenger.tui.widgets.chat_list import ChatList
from tui_messenger.tui.widgets.composer import Composer
from tui_messenger.tui.widgets.conversation_header import HeaderTitle

pytestmark = pytest.mark.usefixtures("utc")

SIZES = [(120, 40), (80, 24), (60, 20)]


@pytest.mark.parametrize("size", SIZES)
async def test_help_lists_the_chat_list_keys(tmp_path: Path, size: tuple[int, int]) -> None:
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpModal)
        rows = [str(row.render()) for row in pilot.app.screen.query(".help-row")]
        listed = "\n".join(rows)
        for binding_id, words in [
            ("chat-open", "Open chat"),
            ("chat-pin", "Pin"),
            ("chat-mute", "Mute"),
            ("chat-archive", "Archive"),
            ("chat-unread", "Unread"),
            ("chat-filter-clear", "Clear or leave the filter"),
            ("chat-menu", "Chat menu"),
        ]:
            row = next((r for r in rows if r.rstrip().endswith(binding_id)), None)
            assert row is not None and words in row, (binding_id, listed)
        assert "Chat list" in text(pilot)  # the group's heading


@pytest.mark.parametrize("size", SIZES)
async def test_escape_clears_the_chat_filter_then_leaves_it(tmp_path: Path, size: tuple[int, int]) -> None:
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        field = screen.query_one("#chat-filter-input")
        await pilot.press("shift+tab")  # from the rows (focused at start) back to the filter box
        assert field.has_focus
        await pilot.press(*"anna")
        await settle(pilot)
        chats = screen.query_one(ChatList)
        assert [s.peer.id for s in chats.summaries] == ["anna"]
        await pilot.press("escape")
        await settle(pilot)
        assert field.value == "" and field.has_focus  # cleared, still typing there
        assert len(chats.summaries) > 1 and "Mia Schneider" in text(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.focused is screen.query_one("#chat-options")  # and out


def delete_history(db: Path, account_id: str) -> None:
    """What the tester did: Anna's chat and its messages removed from the database."""
    with sqlite3.connect(db) as con:
        (chat,) = con.execute("SELECT id FROM chats WHERE peer_id = ?", (account_id,)).fetchone()
        con.execute("DELETE FROM messages WHERE chat_id = ?", (chat,))
        con.execute("DELETE FROM chats WHERE id = ?", (chat,))
    con.close()


@pytest.mark.parametrize("size", SIZES)
async def test_the_palette_reaches_a_contact_with_no_chat(tmp_path: Path, size: tuple[int, int]) -> None:
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await settle(pilot)  # first run: the demo world, Anna's chat with it
    delete_history(tmp_path / "messenger.db", "anna")
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await settle(pilot)
        messenger = pilot.app.messenger  # type: ignore[attr-defined]
        assert await messenger.chat_for_account("anna") is None
        assert "Anna Becker" not in text(pilot)
        await choose_command(pilot, "chat with anna", shown="Chat with Anna Becker")
        await settle(pilot)
        anna = await chat_id(pilot, "anna")
        await wait_for(pilot, lambda: pilot.app.screen.open_chat_id == anna)
        title = pilot.app.screen.query_one(HeaderTitle)
        assert title.render_line(0).text.strip() == "Anna Becker"
        assert isinstance(pilot.app.focused, Composer)
        if size[0] >= 100:  # two panes: the new chat is in the list too
            await wait_for(pilot, lambda: "Anna Becker" in text(pilot))
            assert anna in [s.chat.id for s in pilot.app.screen.query_one(ChatList).summaries]


def signed_in(pilot: Any) -> None:
    """The app's messenger as a signed-in Matrix account's says it is (the demo world's store makes the
    chat; the Matrix service's own new chat is tested against Synapse in tests/matrix)."""

    async def account() -> tuple[str, str]:
        return "https://matrix.example.org", "@me:example.org"

    pilot.app.messenger.signed_in_as = account


@pytest.mark.parametrize("typed", ["@zoe:example.org", "@bob.smith:matrix.example.org:8448"])
async def test_a_matrix_id_typed_in_the_palette_starts_a_chat(tmp_path: Path, typed: str) -> None:
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        signed_in(pilot)
        await choose_command(pilot, typed, shown=f"New chat with {typed}")
        await settle(pilot)
        await wait_for(pilot, lambda: pilot.app.screen.open_chat_id is not None)
        summary = await pilot.app.messenger.summary(pilot.app.screen.open_chat_id)  # type: ignore[attr-defined]
        assert summary.peer.id == typed
        assert isinstance(pilot.app.focused, Composer)


@pytest.mark.parametrize("size", SIZES)
async def test_the_demo_world_says_a_matrix_id_needs_a_sign_in(tmp_path: Path, size: tuple[int, int]) -> None:
    """Found in a real terminal: the demo world offered "New chat with @zed:example.org", made a chat with
    nobody behind it, and its first message failed. Now it says where that person can be reached."""
    from textual.command import CommandInput, CommandPalette

    from tui_messenger.tui.commands import NEW_CHAT_HINT

    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await settle(pilot)  # a fresh start: the chat list's rows have the focus
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
        assert pilot.app.screen.query_one(CommandInput).placeholder == NEW_CHAT_HINT
        await pilot.press(*"@zoe:example.org")
        await wait_for(pilot, lambda: "@zoe:example.org is not in the demo world" in text(pilot))
        assert "New chat with" not in text(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
        await settle(pilot)
        said = [t for t in pilot.app.shown_toasts if "@zoe:example.org" in t.message]  # type: ignore[attr-defined]
        assert len(said) == 1 and "tui-messenger login" in said[0].message and not said[0].markup
        assert await pilot.app.messenger.chat_for_account("@zoe:example.org") is None  # type: ignore[attr-defined]
        assert pilot.app.screen.open_chat_id is None


@pytest.mark.parametrize("typed", ["zoe", "@zoe", "@Zoe:example.org", "@zoe:exa mple.org", "@[b]x[/b]:e.org"])
async def test_what_is_no_matrix_id_offers_no_new_chat(tmp_path: Path, typed: str) -> None:
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*typed)
        await settle(pilot)
        await pilot.pause(0.3)
        assert "New chat with" not in text(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_n_in_the_chat_list_asks_whom_to_write_to(tmp_path: Path, size: tuple[int, int]) -> None:
    from textual.command import CommandInput, CommandPalette

    from tui_messenger.tui.commands import NEW_CHAT_HINT

    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await settle(pilot)  # a fresh start: the chat list's rows have the focus
        signed_in(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
        assert pilot.app.screen.query_one(CommandInput).placeholder == NEW_CHAT_HINT
        await pilot.press(*"@zoe:example.org")
        await wait_for(pilot, lambda: "New chat with @zoe:example.org" in text(pilot))
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen.open_chat_id is not None)
        summary = await pilot.app.messenger.summary(pilot.app.screen.open_chat_id)  # type: ignore[attr-defined]
        assert summary.peer.id == "@zoe:example.org"


async def test_n_in_the_chat_filter_is_a_letter(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("shift+tab", "n")  # into the filter box
        await settle(pilot)
        assert pilot.app.screen.query_one("#chat-filter-input").value == "n"  # type: ignore[attr-defined]
        assert isinstance(pilot.app.screen, MainScreen)


async def test_what_is_typed_before_the_palette_read_the_chats_is_searched(tmp_path: Path) -> None:
    """A fast typist on a loaded machine: the palette is still reading the chats when the query arrives.
    Textual awaits a provider's startup from its first search, which the first key cancels; the results
    must still come once the chats are read (in a serve CI run, none ever came: the palette stayed empty)."""
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        messenger = pilot.app.messenger  # type: ignore[attr-defined]
        read, released = messenger.chat_list, asyncio.Event()

        async def slow_chat_list(**kwargs: object) -> object:
            await released.wait()
            return await read(**kwargs)

        messenger.chat_list = slow_chat_list
        await pilot.press("ctrl+p")
        await pilot.press(*"search messages")  # at once, while the chats are being read
        assert "Find messages in all chats" not in text(pilot)
        released.set()
        await wait_for(pilot, lambda: "Find messages in all chats" in text(pilot))
        await pilot.press(*["backspace"] * len("search messages"), *"anna")
        await wait_for(pilot, lambda: "Open chat: Anna Becker" in text(pilot))  # the chats are listed too


@pytest.mark.parametrize("size", SIZES)
async def test_enter_on_a_fresh_start_opens_the_top_chat(tmp_path: Path, size: tuple[int, int]) -> None:
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await settle(pilot)  # no arrow key yet: no row is highlighted
        top = pilot.app.screen.query_one(ChatList).summaries[0].chat.id
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen.open_chat_id == top)


async def test_a_matrix_account_is_not_offered_the_clock_jump(tmp_path: Path) -> None:
    """'Jump ahead 24 hours' (a tester's tool of the demo world) would date a Matrix account's messages a
    day ahead, and stay stored: it is not offered there, and refused if run."""
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await palette(pilot, "open chat: anna")  # (the mute commands need an open chat)
        assert "Jump ahead 24 hours" in await palette_entries(pilot, "hours")
        signed_in(pilot)
        entries = await palette_entries(pilot, "hours")
        assert "Mute for 8 hours" in entries and "Jump ahead 24 hours" not in entries
        before = pilot.app.messenger.clock.now()
        await pilot.app.screen.run_action("jump_ahead")
        await wait_for(pilot, lambda: any("The clock did not move" in toast for toast in toasts(pilot)))
        assert pilot.app.messenger.clock.now() - before < timedelta(hours=1)


async def test_the_palette_offers_one_command_per_thing(tmp_path: Path) -> None:
    """Textual's own "Keys" (its side panel) and "Theme" stood beside ours ("Keys", "Switch theme"), two
    entries for one thing; its "Maximize" put one pane over the whole screen. Ours stay, and Quit."""
    app = build_test_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keys = await palette_entries(pilot, "keys")
        assert keys.count("Keys") == 1, keys
        await pilot.press("ctrl+p", "k", "e", "y", "s")
        await wait_for(pilot, lambda: "Every key binding" in text(pilot))
        await pilot.press("escape")
        await settle(pilot)
        themes = await palette_entries(pilot, "theme")
        assert "Switch theme" in themes and "Theme" not in themes, themes
        assert "Maximize" not in await palette_entries(pilot, "maximize")
        assert "Quit" in await palette_entries(pilot, "quit")
        assert await palette_entries(pilot, "zqxj") == []  # "No matches found" is no entry


async def test_the_palette_opens_on_the_messengers_commands_and_quit_comes_last(tmp_path: Path) -> None:
    """Textual's own commands answered first from a provider of their own: "Quit" headed the list, so
    ctrl+p then Enter quit the app (found by a random walk of keys in tmux). Ours come first now."""
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        entries = await palette_entries(pilot, "")
        assert entries[0] == "New chat…", entries
        assert entries[-2:] == ["Quit", "Screenshot"], entries
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: highlighted_command(pilot) != "")
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.is_running and pilot.app.return_code is None
        await pilot.press("escape")  # (the new chat dialog the Enter opened)
        await settle(pilot)
        await pilot.press("ctrl+p", *"quit")
        await wait_for(pilot, lambda: highlighted_command(pilot).split("\n")[0] == "Quit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not pilot.app.is_running)
