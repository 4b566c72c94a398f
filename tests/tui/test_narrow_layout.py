"""Narrow and low terminals (issue 11, item 10 and Deliver 5), on the real app from a fresh start, by keys
and clicks as a user would: one pane at a time below 100 columns, a one-line header with the buttons
that fit and a "⋯" menu for the rest, the status and consent lines folded into one, a request banner
that never becomes a column of letters, a chat list whose width follows the screen, and at 60x20 room
for at least 8 lines of messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_helpers import chat_id, chat_index, footer, palette_entries, settle, text, until_dialog, wait_for
from textual.pilot import Pilot
from textual.widget import Widget

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.modals import BlockModal
from tui_messenger.tui.modals.profile import ProfileModal
from tui_messenger.tui.widgets.chat_list import ChatList
from tui_messenger.tui.widgets.composer import Composer
from tui_messenger.tui.widgets.conversation_header import ConversationHeader, HeaderTitle
from tui_messenger.tui.widgets.message_view import MessageView

pytestmark = pytest.mark.usefixtures("utc")

SIZES = [(120, 40), (80, 24), (60, 20)]
MIN_MESSAGE_LINES = 8  # what issue 11 asks of a 60x20 terminal


def shown(widget: Widget) -> bool:
    """On screen: displayed itself and all its ancestors, with a size."""
    node: Any = widget
    while node is not None and isinstance(node, Widget):
        if not node.display:
            return False
        node = node.parent
    return widget.size.width > 0 and widget.size.height > 0


def line(widget: Widget, y: int = 0) -> str:
    return widget.render_line(y).text.rstrip()


async def open_by_keys(pilot: Pilot[Any], account: str) -> None:
    """From a fresh start: the list has the focus; arrow down to the chat and press Enter."""
    await settle(pilot)
    target = chat_index(pilot, await chat_id(pilot, account))
    options = pilot.app.screen.query_one("#chat-options")
    assert options.has_focus
    await pilot.press("down")  # the first press highlights the first row
    for _ in range(target - (options.highlighted or 0)):
        await pilot.press("down")
    assert options.highlighted == target
    await pilot.press("enter")
    await settle(pilot)
    assert pilot.app.screen.open_chat_id == await chat_id(pilot, account)


# one pane at a time below 100 columns ------------------------------------------------------------------
@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_below_100_columns_list_or_chat_fills_the_screen(tmp_path: Path, size: tuple[int, int]) -> None:
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        chats = screen.query_one(ChatList)
        assert shown(chats) and chats.size.width == size[0]  # the list, full width, alone
        assert "Anna Becker" in text(pilot)
        await open_by_keys(pilot, "anna")
        pane = screen.query_one("#conversation")
        assert not shown(chats) and shown(pane) and pane.size.width == size[0]
        assert isinstance(pilot.app.focused, Composer)
        await pilot.press("escape")  # back to the list, focused on the open chat's row
        await settle(pilot)
        assert shown(chats) and not shown(pane)
        assert pilot.app.focused is screen.query_one("#chat-options")
        await pilot.press("ctrl+l")  # ctrl+l toggles: the open chat again, then the list again
        await settle(pilot)
        assert shown(pane) and not shown(chats) and isinstance(pilot.app.focused, Composer)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert shown(chats) and not shown(pane)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_below_100_columns_the_header_back_button_returns_to_the_list(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        await pilot.click("#chat-options", offset=(4, 0))  # by mouse: the first row opens
        await settle(pilot)
        pane, chats = screen.query_one("#conversation"), screen.query_one(ChatList)
        assert screen.open_chat_id is not None and shown(pane) and not shown(chats)
        back = screen.query_one("#header-back")
        assert shown(back) and back.region.y == screen.query_one(HeaderTitle).region.y
        await pilot.click("#header-back")
        await settle(pilot)
        assert shown(chats) and not shown(pane)


async def test_from_100_columns_both_panes_and_ctrl_l_hides_the_list(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await open_by_keys(pilot, "anna")
        screen = pilot.app.screen
        chats, pane = screen.query_one(ChatList), screen.query_one("#conversation")
        assert shown(chats) and shown(pane) and not shown(screen.query_one("#header-back"))
        await pilot.press("ctrl+l")  # from the composer: to the list
        assert pilot.app.focused is screen.query_one("#chat-options")
        await pilot.press("ctrl+l")  # in the list: hides it, the chat takes the width
        await settle(pilot)
        assert not shown(chats) and pane.size.width == 120
        assert isinstance(pilot.app.focused, Composer)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert shown(chats) and pilot.app.focused is screen.query_one("#chat-options")


async def test_the_chat_list_width_follows_the_screen(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        chats = pilot.app.screen.query_one(ChatList)
        widths = {}
        for width in (100, 120, 140):
            await pilot.resize_terminal(width, 40)
            await settle(pilot)
            widths[width] = chats.size.width
        assert widths[100] < widths[120] < widths[140], widths
        assert widths[140] < 140 - widths[140]  # the conversation keeps most of the room


async def test_shrinking_with_a_chat_open_keeps_the_chat(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await open_by_keys(pilot, "anna")
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        screen = pilot.app.screen
        assert shown(screen.query_one("#conversation")) and not shown(screen.query_one(ChatList))


# the header at 80x24 and 60x20 ---------------------------------------------------------------------------
@pytest.mark.parametrize("size", SIZES)
async def test_header_is_one_line_with_name_mark_block_report_and_menu(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await open_by_keys(pilot, "nordbank-support")
        screen = pilot.app.screen
        title = screen.query_one(HeaderTitle)
        assert line(title) == "N0rdbank Support · business"  # the whole name and the business mark
        row = screen.query_one("#header-row")
        assert row.size.height == 1
        for button in ("#header-block", "#header-report"):
            widget = screen.query_one(button)
            assert shown(widget) and widget.region.y == title.region.y
            assert widget.region.right <= row.region.right
        header = screen.query_one(ConversationHeader)
        if header.hidden_actions:  # what did not fit is behind "⋯", on the same line
            menu = screen.query_one("#header-menu")
            assert shown(menu) and menu.region.y == title.region.y
        if size == (60, 20):
            assert header.hidden_actions, "at this width not every button fits"


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_window_and_consent_share_one_line(tmp_path: Path, size: tuple[int, int]) -> None:
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await open_by_keys(pilot, "skyways")
        screen = pilot.app.screen
        status, folded = screen.query_one("#header-status"), screen.query_one("#header-consent")
        assert not shown(screen.query_one("#consent-line"))
        assert shown(status) and shown(folded) and status.region.y == folded.region.y
        assert status.size.height == folded.size.height == 1
        assert "Window open" in line(status)
        assert line(folded).startswith("Why am I")  # as much as fits beside the window
        assert screen.query_one(ConversationHeader).size.height == 2  # title row + that line


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_click_on_a_cut_line_shows_all_of_it(tmp_path: Path, size: tuple[int, int]) -> None:
    """The consent and notice lines are cut with "…" here; a user reads the rest by clicking the line
    (and folds it again with a second click, or by opening another chat)."""
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await open_by_keys(pilot, "skyways")
        screen = pilot.app.screen
        folded, notice = screen.query_one("#header-consent"), screen.query_one("#system-notice")
        assert folded.size.height == notice.size.height == 1
        assert line(folded).endswith("…") and line(notice).endswith("…")
        for widget, start, end in (
            (folded, "Why am I getting this? You opted in", "."),
            (notice, "This chat is with the business account SkyWays", "confirms who runs it."),
        ):
            await pilot.click(widget)
            await settle(pilot)
            whole = " ".join(line(widget, y).strip() for y in range(widget.size.height))
            assert widget.size.height > 1 and "…" not in whole
            assert whole.startswith(start) and whole.endswith(end), whole
        await pilot.click(folded)  # folded again
        await settle(pilot)
        assert folded.size.height == 1 and line(folded).endswith("…")
        await pilot.press("escape")
        await open_by_keys(pilot, "nordbank")
        assert notice.size.height == 1 and line(notice).endswith("…")  # another chat: folded


async def test_at_120x40_the_consent_line_stays_whole_below(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
        await open_by_keys(pilot, "skyways")
        screen = pilot.app.screen
        assert shown(screen.query_one("#consent-line")) and not shown(screen.query_one("#header-consent"))
        assert "You opted in" in text(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_the_request_banner_keeps_its_words_on_lines(tmp_path: Path, size: tuple[int, int]) -> None:
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await open_by_keys(pilot, "nordbank-support")
        banner_text = pilot.app.screen.query_one("#request-text")
        assert shown(banner_text)
        assert banner_text.size.width >= 40 and banner_text.size.height <= 2
        words = " ".join(line(banner_text, y) for y in range(banner_text.size.height))
        assert "N0rdbank Support (nordbank-support) is not in your" in words  # the name, and whose it is
        for button in ("#request-block", "#request-report", "#request-add_contact", "#request-continue"):
            assert shown(pilot.app.screen.query_one(button))


async def test_the_menu_button_and_f9_reach_what_did_not_fit(tmp_path: Path) -> None:
    from tui_messenger.tui.modals.chat_menu import ChatMenuModal

    async with build_test_app(tmp_path).run_test(size=(60, 20)) as pilot:
        await open_by_keys(pilot, "skyways")
        header = pilot.app.screen.query_one(ConversationHeader)
        assert "profile" in header.hidden_actions
        await pilot.click("#header-menu")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, ChatMenuModal)
        assert "Profile" in text(pilot) and "Stop promotions" in text(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, ChatMenuModal))
        await pilot.press("f9")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, ChatMenuModal)
        menu = pilot.app.screen.query_one("#chat-menu")
        labels = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        await pilot.press(*["down"] * labels.index("Profile"), "enter")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, ProfileModal)


# room for the messages -------------------------------------------------------------------------------------
@pytest.mark.parametrize("account", ["mia", "nordbank-support", "skyways", "megadeals"])
async def test_at_60x20_an_open_chat_shows_8_lines_of_messages(tmp_path: Path, account: str) -> None:
    async with build_test_app(tmp_path).run_test(size=(60, 20)) as pilot:
        await open_by_keys(pilot, account)
        view = pilot.app.screen.query_one(MessageView)
        assert shown(view)
        assert view.scrollable_content_region.height >= MIN_MESSAGE_LINES, view.scrollable_content_region


async def test_at_60x20_a_list_message_leaves_8_lines_of_messages(tmp_path: Path) -> None:
    from tui_messenger.tui.widgets.interactive_panel import InteractivePanel

    async with build_test_app(tmp_path, scenario="airline-delay").run_test(size=(60, 20)) as pilot:
        await open_by_keys(pilot, "skyways")
        await pilot.press(*"delayed?", "enter")
        await settle(pilot)
        await pilot.app.messenger.jump_ahead(10)  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: bool(pilot.app.screen.query(InteractivePanel)))
        await settle(pilot)
        panel = pilot.app.screen.query_one(InteractivePanel)
        assert shown(panel) and "Rebooking options" in text(pilot)
        assert panel.query_one("#choice-list").size.height >= 3  # three rows of the list show
        view = pilot.app.screen.query_one(MessageView)
        assert view.scrollable_content_region.height >= MIN_MESSAGE_LINES, view.scrollable_content_region


async def test_with_the_list_in_the_chats_place_its_keys_are_not_offered(tmp_path: Path) -> None:
    """Back on the list below 100 columns, ctrl+b still blocked the chat behind it (maybe not the row
    highlighted), and the footer offered it. The open chat's keys and palette commands follow it on
    screen: gone with the list, back with the chat."""
    async with build_test_app(tmp_path).run_test(size=(80, 24)) as pilot:
        await open_by_keys(pilot, "anna")
        assert "Block" in footer(pilot)
        await pilot.press("escape")  # the list takes the chat's place
        await settle(pilot)
        assert not any(k in footer(pilot) for k in ("Block", "Report", "Profile")), footer(pilot)
        assert "Block contact" not in await palette_entries(pilot, "block contact")
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, BlockModal)
        await pilot.press("ctrl+l")  # the chat again
        await wait_for(pilot, lambda: "Block" in footer(pilot))
        assert "Block contact" in await palette_entries(pilot, "block contact")
