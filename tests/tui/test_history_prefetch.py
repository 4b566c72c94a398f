"""Scrolling back is instant: the page before the first message is fetched ahead (when a chat opens and
after each page goes on top) and put on top in the same turn that reaches the top (issue 5, scroll_back)."""

from __future__ import annotations

from typing import Any

from app_helpers import SIZE, make_app, open_chat_by_keyboard, settle
from fake_messenger import FakeMessenger

from tui_messenger.domain.models import Account
from tui_messenger.tui.widgets.message_view import MessageView


def world(n: int) -> tuple[FakeMessenger, int, list[str]]:
    m = FakeMessenger()
    chat = m.add_chat(Account("anna", "Anna Becker"))
    m.bulk(chat.id, n)
    asked: list[str] = []
    original = m.page_before

    async def counted(chat_id: int, cursor: Any, *, limit: int = 50) -> Any:
        page = await original(chat_id, cursor, limit=limit)
        asked.append(page[-1].message_id if page else "")
        return page

    m.page_before = counted  # type: ignore[method-assign]
    return m, chat.id, asked


async def test_home_puts_the_prefetched_page_on_top_at_once_and_fetches_the_next() -> None:
    m, chat_id, asked = world(1_000)
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, chat_id)
        await settle(pilot)
        view = pilot.app.screen.query_one(MessageView)
        assert len(asked) == 1  # the page before the newest, fetched when the chat opened
        for page in range(1, 4):
            first = view.messages[0].message_id
            view.action_first()  # what Home does; no await: the page must be on top within this call
            assert view.messages[0].message_id != first  # it was on hand: no store round trip
            assert view.messages[50].message_id == first  # a page of 50 went on top, in order
            await settle(pilot)
            assert len(asked) == page + 1  # and the next one is fetched ahead again
        texts = [m.body for m in view.messages]
        assert texts == [m.body for m in (await FakeMessenger.latest_page(m, chat_id, limit=200))]


async def test_without_a_prefetched_page_reaching_the_top_asks_and_shows_it() -> None:
    m, chat_id, asked = world(1_000)
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, chat_id)
        await settle(pilot)
        view = pilot.app.screen.query_one(MessageView)
        view._staged = None  # noqa: SLF001 - as if the prefetch had not come back yet
        view._loading_older = False  # noqa: SLF001
        first = view.messages[0].message_id
        view.scroll_to(y=0, animate=False, force=True)
        await settle(pilot)
        assert view.messages[50].message_id == first


async def test_a_page_for_a_window_that_changed_meanwhile_is_dropped() -> None:
    m, chat_id, _ = world(300)
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, chat_id)
        await settle(pilot)
        view = pilot.app.screen.query_one(MessageView)
        stale = list(view.messages[:10])
        view.receive_older("not-the-first-message", stale, has_older=True)
        assert len(view.messages) == 50  # nothing was put on top
        await settle(pilot)


async def test_the_prefetched_page_is_laid_out_ahead_and_looks_the_same(monkeypatch: Any) -> None:
    from tui_messenger.tui.widgets import history_view, history_window, message_layout, message_view

    m, chat_id, _ = world(500)
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, chat_id)
        await settle(pilot)
        view = pilot.app.screen.query_one(MessageView)
        laid_out: list[str] = []
        original = message_layout.layout_message

        def counting(message: Any, *args: Any) -> Any:
            laid_out.append(message.message_id)
            return original(message, *args)

        for module in (history_view, history_window, message_view):  # each lays out with it
            monkeypatch.setattr(module, "layout_message", counting)
        first = view.messages[0].message_id
        view.action_first()
        assert view.messages[50].message_id == first
        assert laid_out == [first]  # only the old first message again (its day separator may change)
        ahead = list(view._lines)  # noqa: SLF001
        view._blocks = [None] * len(view.messages)  # noqa: SLF001 - lay the same window out from scratch
        view._relayout()  # noqa: SLF001
        assert [s.text for s in view._lines] == [s.text for s in ahead]  # noqa: SLF001
        await settle(pilot)
