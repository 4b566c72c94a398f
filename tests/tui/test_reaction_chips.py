"""Reaction chips: laid out by cell width, wrapped, never in the last column, only real emoji drawn;
the React binding in help, remappable; the palette command."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from app_helpers import (
    SIZE,
    highlighted_command,
    make_app,
    open_account_chat,
    open_chat_by_keyboard,
    settle,
    text,
    until_dialog,
    view_text,
    wait_for,
)
from fake_messenger import demo_world
from rich.cells import cell_len
from rich.style import Style

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain import events as ev
from tui_messenger.domain.models import MessageStatus, ReactionCount
from tui_messenger.tui.app import MessengerApp
from tui_messenger.tui.keys import binding_groups, known_ids
from tui_messenger.tui.modals.help import HelpModal
from tui_messenger.tui.modals.reaction_picker import ReactionPickerModal
from tui_messenger.tui.widgets.reaction_chips import chip_lines

pytestmark = pytest.mark.usefixtures("utc")
MINE = Style(bold=True)
CHIP = Style(italic=True)

MANY = (
    ReactionCount("👍", 12, mine=True),
    ReactionCount("❤️", 3),
    ReactionCount("👨\u200d👩\u200d👧\u200d👦", 2),
    ReactionCount("🇩🇪", 1),
    ReactionCount("1️⃣", 1),
    ReactionCount("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", 1),
    ReactionCount("😂", 5000),
)


def lay(reactions, *, width: int, left: int = 1, right: int | None = None, align_right: bool = False):
    return chip_lines(
        reactions, left=left, right=right if right is not None else width, align_right=align_right,
        width=width, base=Style(), chip=CHIP, mine=MINE,
    )  # fmt: skip


@pytest.mark.parametrize("width", [12, 20, 33, 80])
@pytest.mark.parametrize("align_right", [False, True])
def test_chips_wrap_within_the_width_and_keep_the_last_column_free(width: int, align_right: bool) -> None:
    strips, spans = lay(MANY, width=width, align_right=align_right)
    assert len({s.emoji for s in spans}) == len(MANY)  # every chip is drawn once
    for strip in strips:
        assert strip.cell_length == width
        assert strip.text[-1] == " "  # the last column: nothing a terminal could push off the line
    for span in spans:
        assert span.end <= width - 1
        line = strips[span.row]
        assert cell_len(line.crop(span.start, span.end).text) == span.end - span.start
        assert span.emoji in line.crop(span.start, span.end).text
    if width <= 20:
        assert len(strips) > 1


def test_the_user_s_own_chip_has_its_style_and_big_counts_are_capped() -> None:
    strips, spans = lay(MANY, width=120)
    assert len(strips) == 1
    segments = {seg.text: seg.style for seg in strips[0]}
    assert segments[" 👍 12 "] == MINE
    assert segments[" ❤️ 3 "] == CHIP
    assert " 😂 999+ " in segments


def test_right_aligned_chips_end_at_the_bubble_edge() -> None:
    strips, spans = lay((ReactionCount("👍", 1),), width=60, left=30, right=50, align_right=True)
    assert spans[0].end == 50 and strips[0].text.rstrip().endswith("👍 1")


@pytest.mark.parametrize("bad", ["[b]x[/b]", "\x1b]2;pwned\x07", "ok", "👍👍", "👍\u202e"])
def test_anything_but_one_emoji_is_never_drawn(bad: str) -> None:
    strips, spans = lay((ReactionCount(bad, 1), ReactionCount("👍", 1)), width=40)
    assert [s.emoji for s in spans] == ["👍"]
    assert bad not in strips[0].text


def test_the_react_binding_and_the_picker_keys_are_in_the_keymap() -> None:
    groups = dict(binding_groups(MessengerApp))
    assert "history-react" in {b.id for b in groups["History (when it has focus)"]}
    assert {"picker-shortcode", "picker-previous", "picker-next"} <= known_ids(MessengerApp)


async def test_react_is_remappable_and_listed_in_help(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('[keys]\nhistory-react = "r"\n')
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        view = await open_account_chat(pilot, "anna", focus=True)
        await pilot.press("up", "plus")  # no longer bound
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ReactionPickerModal)
        await pilot.press("r")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, ReactionPickerModal)
        await pilot.press("escape")
        await settle(pilot)
        view.focus()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpModal)
        assert "history-react" in text(pilot)


async def test_palette_react_to_message(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        view = await open_account_chat(pilot, "anna", focus=True)
        newest = view.messages[-1]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"react to")
        await wait_for(pilot, lambda: "React to message" in highlighted_command(pilot))
        await pilot.press("enter")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, ReactionPickerModal)
        await pilot.click("#react-6")  # 🎉
        await settle(pilot)
        assert view.get(newest.message_id).reactions == (ReactionCount("🎉", 1, mine=True),)


async def test_chips_survive_a_status_change_and_go_with_the_last_reaction() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        await pilot.press(*"lunch at 1?", "enter")
        await settle(pilot)
        mine = next(msg for msg in reversed(m.messages[1]) if msg.outgoing)
        chips = (ReactionCount("👍", 1),)
        m.emit(ev.ReactionsChanged(1, mine.message_id, chips))
        await settle(pilot)
        assert " 👍 1 " in view_text(pilot)
        m.emit(ev.MessageChanged(1, replace(mine, status=MessageStatus.READ)))  # carries no chips
        await settle(pilot)
        view = pilot.app.screen.query_one("#message-view")
        assert view.get(mine.message_id).status is MessageStatus.READ
        assert view.get(mine.message_id).reactions == chips and " 👍 1 " in view_text(pilot)
        m.emit(ev.ReactionsChanged(1, mine.message_id, ()))
        await settle(pilot)
        assert view.get(mine.message_id).reactions == () and "👍 1" not in view_text(pilot)
