"""The history view on its own: paging, the viewport kept still, the cap on held messages, and speed
on a 100,000-message chat (only pages are ever asked for)."""

from __future__ import annotations

import gc
import time
from dataclasses import replace
from typing import Any

from app_helpers import SIZE, make_app, open_chat_by_keyboard, settle
from fake_messenger import FakeMessenger
from textual.app import App, ComposeResult

from tui_messenger.domain.models import Account, MessageStatus, PageCursor
from tui_messenger.tui.themes import THEME_VARIABLE_DEFAULTS
from tui_messenger.tui.widgets.history_window import MAX_MESSAGES
from tui_messenger.tui.widgets.message_view import MessageView


def big_world(n: int = 100_000) -> FakeMessenger:
    m = FakeMessenger()
    chat = m.add_chat(Account("anna", "Anna Becker"))
    m.bulk(chat.id, n)
    return m


class ViewHost(App[None]):
    CSS_PATH = "../../tui_messenger/tui/app.tcss"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield MessageView(now=lambda: FakeMessenger().clock.now())


def top_message(view: MessageView) -> str:
    """The first message whose bubble is on screen, and the row it is on."""
    for y in range(view.size.height):
        line = y + int(view.scroll_y)
        if line < len(view._owners) and view._owners[line] >= 0:  # noqa: SLF001 - a test may look inside
            return f"{view.messages[view._owners[line]].message_id}@{y}"
    return ""


async def test_opening_a_100k_chat_paints_fast_and_loads_one_page() -> None:
    m = big_world()
    calls: list[str] = []
    original = m.latest_page

    async def counted(chat_id: int, *, limit: int = 50) -> Any:
        calls.append("latest")
        return await original(chat_id, limit=limit)

    m.latest_page = counted  # type: ignore[method-assign]
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 1)
        assert calls == ["latest"]
        view = pilot.app.screen.query_one(MessageView)
        assert len(view.messages) == 50
        page = await original(1)
        # The fake's 100,000 messages live in this process (the app's live in SQLite): a full collection
        # walking them (~0.4 s, seen once in CI) is the test's, not the view's.
        gc.collect()
        gc.freeze()
        try:
            started = time.perf_counter()
            view.set_messages(page, has_older=True)  # laid out from scratch, as when the chat opens
            lines = [view.render_line(y) for y in range(view.size.height)]
            elapsed = time.perf_counter() - started
        finally:
            gc.unfreeze()
        assert len(lines) > 20 and elapsed < 0.1, f"first paint took {elapsed * 1000:.1f} ms"
        assert "message 99999" in "\n".join(view.render_line(y).text for y in range(view.size.height))


async def test_scrolling_back_prepends_a_page_fast_keeping_the_viewport() -> None:
    m = big_world(5_000)
    async with ViewHost().run_test(size=(80, 30)) as pilot:
        view = pilot.app.query_one(MessageView)
        view.set_messages(await m.latest_page(1), has_older=True)
        await pilot.pause()
        view.scroll_to(y=3, animate=False, force=True)
        await pilot.pause()
        before = top_message(view)
        oldest = view.messages[0]
        older = await m.page_before(1, PageCursor(oldest.position, oldest.id or 0))
        # A full collection of the test process's heap (the fake's messages, the tests before this one in
        # the worker: 351 ms, seen once in CI) is not the view's: the app's own collector waits for quiet.
        gc.collect()
        gc.freeze()
        try:
            started = time.perf_counter()
            view.prepend(older, has_older=True)
            for y in range(view.size.height):
                view.render_line(y)
            elapsed = time.perf_counter() - started
        finally:
            gc.unfreeze()
        assert elapsed < 0.03, f"prepend took {elapsed * 1000:.1f} ms"
        assert top_message(view) == before
        assert len(view.messages) == 100


async def test_reaching_the_top_asks_for_older_pages_and_the_far_end_is_dropped() -> None:
    m = FakeMessenger()
    chat = m.add_chat(Account("anna", "Anna Becker"))
    m.bulk(chat.id, 2_000)
    requested: list[str] = []
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, chat.id)
        view = pilot.app.screen.query_one(MessageView)
        original = view.post_message

        def spy(message: Any) -> bool:
            if isinstance(message, MessageView.OlderRequested):
                requested.append(message.oldest.message_id)
            return original(message)

        view.post_message = spy  # type: ignore[method-assign]
        for _ in range(15):
            view.scroll_to(y=0, animate=False, force=True)
            await settle(pilot)
        assert len(requested) >= 10
        assert len(view.messages) <= MAX_MESSAGES
        assert view.has_newer  # the newest end was dropped; End brings it back
        view.focus()
        await pilot.press("end")
        await settle(pilot)
        assert view.messages[-1].message_id == m.messages[chat.id][-1].message_id


async def test_ticks_and_status_changes() -> None:
    m = FakeMessenger()
    chat = m.add_chat(Account("anna", "Anna Becker"))
    pending = m.put(m.make(chat.id, "on its way", outgoing=True, status=MessageStatus.PENDING))
    async with ViewHost().run_test(size=(80, 20)) as pilot:
        view = pilot.app.query_one(MessageView)
        view.set_messages(await m.latest_page(chat.id), has_older=False)
        await pilot.pause()

        def shown() -> str:
            return "\n".join(view.render_line(y).text for y in range(view.size.height))

        assert "🕓" in shown()
        for status, tick in (
            (MessageStatus.SENT, "✓"),
            (MessageStatus.READ, "✓✓"),
            (MessageStatus.FAILED, "✗"),
        ):
            from dataclasses import replace

            view.update(replace(pending, status=status))
            await pilot.pause()
            assert tick in shown()


async def test_lines_built_on_from_the_last_layout_are_those_a_whole_layout_gives() -> None:
    """After an append only the new blocks are laid out and added (the rest keep their lines and their
    paint): through appends, a change in the middle, a removal, a prepend and the 500-message cap, the
    lines, their owners and each message's first line are what laying everything out again gives."""
    m = big_world(700)
    messages = m.messages[1]
    async with ViewHost().run_test(size=(80, 30)) as pilot:
        view = pilot.app.query_one(MessageView)
        view.set_messages(messages[100:150], has_older=True)
        await pilot.pause()

        def whole() -> tuple[list[str], list[int], list[int]]:
            return [s.text for s in view._lines], list(view._owners), list(view._first_line)  # noqa: SLF001

        async def same_as_a_whole_layout() -> None:
            await pilot.pause()
            built = whole()
            view._laid = []  # noqa: SLF001 - forget the last layout: everything is laid out again
            view._relayout()  # noqa: SLF001
            assert whole() == built

        for n in range(150, 160):
            view.append_many([messages[n]])
            await same_as_a_whole_layout()
        view.append_many(messages[160:170])
        await same_as_a_whole_layout()
        view.update(replace(messages[120], body="changed in the middle " * 5))
        await same_as_a_whole_layout()
        view.remove_message(messages[130].message_id)
        await same_as_a_whole_layout()
        view.prepend(messages[50:100], has_older=True)
        await same_as_a_whole_layout()
        view.append_many(messages[170:690])  # over the cap: the oldest are dropped
        await same_as_a_whole_layout()
        assert view.messages[-1].message_id == messages[689].message_id
