"""A message arriving in the open chat costs one repaint of what changed, never a layout of the screen.

Each incoming message used to lay out the whole screen (the history's virtual size is a layout reactive),
then paint it all again (the chat list row's change dirtied the whole list, the header was redrawn on
every summary): most of the app's CPU per message, and it competed with the network for the machine."""

from __future__ import annotations

from typing import Any

from app_helpers import SIZE, make_app, open_chat_by_keyboard, settle
from fake_messenger import FakeMessenger
from textual.screen import Screen
from textual.widget import Widget

from tui_messenger.domain.models import Account, MessageStatus
from tui_messenger.tui.widgets.conversation_header import HeaderTitle
from tui_messenger.tui.widgets.message_view import MessageView


def world() -> tuple[FakeMessenger, int]:
    m = FakeMessenger()
    anna = m.add_chat(Account("anna", "Anna Becker"))
    m.add_chat(Account("ben", "Ben Okafor"))
    m.bulk(anna.id, 120)  # more than the screen shows: the history scrolls and has its scrollbar
    return m, anna.id


def spy(monkeypatch: Any) -> tuple[list[str], list[tuple[str, Any]]]:
    """Layouts asked for (by which widget) and regions made dirty (by which widget)."""
    layouts: list[str] = []
    dirty: list[tuple[str, Any]] = []
    refresh, set_dirty = Widget.refresh, Widget._set_dirty

    def refreshed(self: Widget, *regions: Any, **kwargs: Any) -> Any:
        if kwargs.get("layout") or kwargs.get("recompose"):
            layouts.append(type(self).__name__)
        return refresh(self, *regions, **kwargs)

    def dirtied(self: Widget, *regions: Any) -> None:
        dirty.append((type(self).__name__, regions))
        set_dirty(self, *regions)

    monkeypatch.setattr(Widget, "refresh", refreshed)
    monkeypatch.setattr(Widget, "_set_dirty", dirtied)
    return layouts, dirty


async def test_an_incoming_message_lays_out_nothing_and_repaints_only_what_changed(monkeypatch) -> None:
    m, anna = world()
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, anna)
        view = pilot.app.screen.query_one(MessageView)
        assert view.show_vertical_scrollbar and view.scroll_y == view.max_scroll_y
        height_before = view.virtual_size.height
        layouts, dirty = spy(monkeypatch)
        for n in range(3):
            message = m.put(
                m.make(anna, f"new message {n}", status=MessageStatus.READ), emit=True, unread=False
            )
            await settle(pilot)
        assert layouts == []
        assert view.virtual_size.height > height_before
        assert view.scroll_y == view.max_scroll_y  # followed to the newest, which is on screen
        assert view.messages[-1].message_id == message.message_id
        assert view.vertical_scrollbar.window_virtual_size == view.virtual_size.height
        whole = {name for name, regions in dirty if not regions}
        assert "ChatOptions" not in whole  # its row only
        assert HeaderTitle.__name__ not in {name for name, _ in dirty}  # the title did not change
        assert "new message 2" in "\n".join(
            "".join(s.text for s in view.render_line(y)) for y in range(view.size.height)
        )


async def test_a_growing_history_still_gets_its_scrollbar_when_it_first_overflows(monkeypatch) -> None:
    m = FakeMessenger()
    anna = m.add_chat(Account("anna", "Anna Becker")).id
    m.put(m.make(anna, "only one"), unread=False)
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, anna)
        view = pilot.app.screen.query_one(MessageView)
        assert not view.show_vertical_scrollbar
        for n in range(40):
            m.put(m.make(anna, f"line {n}", status=MessageStatus.READ), emit=True, unread=False)
            await settle(pilot)
        assert view.show_vertical_scrollbar and view.scroll_y == view.max_scroll_y > 0
        screen: Screen[Any] = pilot.app.screen
        assert screen.find_widget(view.vertical_scrollbar).region.height > 0  # laid out, on screen
