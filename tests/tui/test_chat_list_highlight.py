"""The chat list highlights the open chat's row: opened from the list, the palette or by mouse, and still
after a refetch (a new message, in place or reordered) and a tab switch. While the user moves the cursor in
the focused list, a refetch leaves the cursor where they put it."""

from __future__ import annotations

from typing import Any

from app_helpers import SIZE, make_app, open_chat_by_keyboard, settle
from fake_messenger import demo_world
from test_journeys_real import palette
from textual.pilot import Pilot
from textual.widgets import Tab

from tui_messenger.domain.models import ChatFilter
from tui_messenger.tui.widgets.chat_list import ChatOptions

ANNA, BANK, AIR, DEALS, FAKE = 1, 2, 3, 4, 5


def drawn_highlight(pilot: Pilot[Any]) -> set[str]:
    """The ids of the rows drawn with the highlight's background (what the user sees, not the index)."""
    options = pilot.app.screen.query_one(ChatOptions)
    style = options.get_visual_style("option-list--option", "option-list--option-highlighted")
    background = style.rich_style.bgcolor
    plain = options.get_visual_style("option-list--option").rich_style.bgcolor
    assert background != plain
    rows: set[str] = set()
    for y in range(options.size.height):
        line = options.scroll_offset.y + y
        if line >= len(options._lines):  # noqa: SLF001
            break
        index = options._lines[line][0]  # noqa: SLF001
        if any(s.style is not None and s.style.bgcolor == background for s in options.render_line(y)):
            rows.add(options.get_option_at_index(index).id or "")
    return rows


def assert_open_row_highlighted(pilot: Pilot[Any], chat_id: int) -> None:
    options = pilot.app.screen.query_one(ChatOptions)
    assert pilot.app.screen.conversation.chat_id == chat_id
    assert options.highlighted_option is not None and options.highlighted_option.id == str(chat_id)
    assert drawn_highlight(pilot) == {str(chat_id)}


async def test_the_open_chats_row_is_highlighted_from_the_palette_after_refetches_and_tab_switches() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "open chat: anna")
        assert_open_row_highlighted(pilot, ANNA)
        await palette(pilot, "open chat: skyways")  # the highlight was on Anna: it moves
        assert_open_row_highlighted(pilot, AIR)

        m.put(m.make(AIR, "Your gate changed"), emit=True)  # the row changes in place
        await settle(pilot)
        assert_open_row_highlighted(pilot, AIR)
        m.put(m.make(BANK, "Was this you?"), emit=True)  # another chat moves to the top
        await settle(pilot)
        options = pilot.app.screen.query_one(ChatOptions)
        assert options.get_option_at_index(0).id == str(BANK)
        assert_open_row_highlighted(pilot, AIR)

        await pilot.press("ctrl+l")  # the cursor moved by the user stays where they put it
        await pilot.press("down")
        moved = options.highlighted_option
        assert moved is not None and moved.id != str(AIR)
        m.put(m.make(BANK, "Still there?"), emit=True)
        await settle(pilot)
        assert options.highlighted_option is moved

        await open_chat_by_keyboard(pilot, DEALS)
        assert_open_row_highlighted(pilot, DEALS)
        pilot.app.screen.chat_list.select_filter(ChatFilter.PERSONAL)
        await settle(pilot)
        assert str(DEALS) not in drawn_highlight(pilot)  # not in this tab: no other row claims to be open
        pilot.app.screen.chat_list.select_filter(ChatFilter.ALL)
        await settle(pilot)
        assert_open_row_highlighted(pilot, DEALS)


async def test_the_open_chats_row_is_highlighted_by_mouse_and_across_tab_clicks() -> None:
    m = demo_world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = pilot.app.screen.query_one(ChatOptions)
        index = options.get_option_index(str(AIR))
        await pilot.click(options, offset=(5, options._index_to_line[index]))  # noqa: SLF001
        await settle(pilot)
        assert_open_row_highlighted(pilot, AIR)
        business = pilot.app.screen.query_one("#filter-business", Tab)
        await pilot.click(business)
        await settle(pilot)
        assert pilot.app.screen.chat_list.filter is ChatFilter.BUSINESS
        assert_open_row_highlighted(pilot, AIR)
        await pilot.click(pilot.app.screen.query_one("#filter-all", Tab))
        await settle(pilot)
        assert_open_row_highlighted(pilot, AIR)
