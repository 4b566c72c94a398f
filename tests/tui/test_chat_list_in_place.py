"""The chat list under a burst: a refetch that moves nothing replaces only the rows that changed, and a
row's new text never costs measuring every row again (issue 5: chat_list, ingest)."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from typing import Any

from app_helpers import SIZE, make_app, settle
from fake_messenger import FakeMessenger

from tui_messenger.domain import events as ev
from tui_messenger.domain.models import Account
from tui_messenger.tui.widgets.chat_list import ChatOptions

_seconds = count()


def at(m: FakeMessenger) -> Any:
    """Each message a second after the one before, all in the last hour (the list shows HH:MM)."""
    return m.clock.now() - timedelta(hours=1) + timedelta(seconds=next(_seconds))


def rows_text(options: ChatOptions) -> str:
    return "\n".join(options.render_line(y).text for y in range(options.size.height))


async def test_a_new_message_in_the_top_chat_updates_its_row_in_place() -> None:
    m = FakeMessenger()
    chats = [m.add_chat(Account(f"p{i}", f"Person {i}")) for i in range(30)]
    for n, chat in enumerate(reversed(chats)):  # Person 0 has the newest message: first in the list
        m.put(m.make(chat.id, f"hello {n}", at=at(m)), unread=False)
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = pilot.app.screen.query_one(ChatOptions)
        assert options.get_option_at_index(0).id == str(chats[0].id)
        set_calls: list[int] = []
        measured: list[int] = []
        original_set, original_clear = options.set_options, options._clear_caches  # noqa: SLF001

        def spy_set(items: Any) -> Any:
            set_calls.append(1)
            return original_set(items)

        def spy_clear() -> None:
            measured.append(1)
            original_clear()

        options.set_options = spy_set  # type: ignore[method-assign]
        options._clear_caches = spy_clear  # type: ignore[method-assign]  # noqa: SLF001
        for n in range(5):  # a burst into the chat at the top: it stays at the top
            m.put(m.make(chats[0].id, f"burst {n}", at=at(m)), emit=True)
            await settle(pilot)
        assert "burst 4" in rows_text(options)
        assert set_calls == [] and measured == []  # rows replaced in place, none measured again

        # the order changes: the rows are set again
        m.put(m.make(chats[5].id, "jumps to the top", at=at(m)), emit=True)
        await settle(pilot)
        assert set_calls
        assert options.get_option_at_index(0).id == str(chats[5].id)
        assert "jumps to the top" in rows_text(options)


async def test_a_row_that_grows_moves_the_rows_below() -> None:
    m = FakeMessenger()
    chats = [m.add_chat(Account(f"p{i}", f"Person {i}")) for i in range(5)]
    for n, chat in enumerate(reversed(chats)):
        m.put(m.make(chat.id, f"hello {n}", at=at(m)), unread=False)
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        options = pilot.app.screen.query_one(ChatOptions)
        lines_before = len(options._lines)  # noqa: SLF001
        m.looks["p0"] = "Nordbank"  # the top row gains a "looks like" line
        m.emit(ev.ChatChanged(m._summary(chats[0].id)))  # noqa: SLF001
        await settle(pilot)
        text = rows_text(options)
        assert "looks like Nordbank" in text
        assert len(options._lines) == lines_before + 1  # noqa: SLF001
        for chat in chats:  # every row still whole, none drawn over
            assert f"Person {chat.id - 1}" in text


async def test_a_tab_shows_its_last_rows_at_once_and_the_refetch_corrects_them() -> None:
    import asyncio

    from tui_messenger.domain.models import AccountKind, ChatFilter
    from tui_messenger.tui.widgets.chat_list import ChatList

    m = FakeMessenger()
    people = [m.add_chat(Account(f"p{i}", f"Person {i}")) for i in range(6)]
    shops = [m.add_chat(Account(f"b{i}", f"Shop {i}", AccountKind.BUSINESS)) for i in range(2)]
    for n, chat in enumerate([*people, *shops]):
        m.put(m.make(chat.id, f"hello {n}", at=at(m)), unread=False)
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        chat_list = pilot.app.screen.query_one(ChatList)
        options = pilot.app.screen.query_one(ChatOptions)
        assert options.option_count == 8
        chat_list.select_filter(ChatFilter.BUSINESS)
        await settle(pilot)
        assert options.option_count == 2

        gate = asyncio.Event()
        original = m.chat_list

        async def slow(**kwargs: Any) -> Any:
            await gate.wait()  # the store is slow: the refetch has not come back
            return await original(**kwargs)

        m.chat_list = slow  # type: ignore[method-assign]
        m.put(m.make(people[0].id, "news while away", at=at(m)), unread=False)
        chat_list.select_filter(ChatFilter.ALL)
        for _ in range(5):
            await pilot.pause()
        assert options.option_count == 8  # the rows last shown on this tab, at once
        assert options.get_option_at_index(0).id == str(shops[-1].id)
        gate.set()
        await settle(pilot)
        assert options.get_option_at_index(0).id == str(people[0].id)  # then corrected by the refetch
        assert "news while away" in rows_text(options)


def test_row_lines_counts_the_lines_chat_row_draws() -> None:
    from dataclasses import replace

    from tui_messenger.domain.models import ChatSummary
    from tui_messenger.tui.widgets.chat_list import row_lines
    from tui_messenger.tui.widgets.chat_row import chat_row

    m = FakeMessenger()
    chat = m.add_chat(Account("p1", "Person 1"))
    base = m._summary(chat.id)  # noqa: SLF001
    scam = replace(base.peer, scam=True)
    for summary in (
        base,
        ChatSummary(base.chat, base.peer, looks_like="Nordbank"),
        ChatSummary(base.chat, scam),
        ChatSummary(base.chat, scam, blocked=True, looks_like="Nordbank"),
    ):
        content = chat_row(summary, 40, m.clock.now())
        assert row_lines(summary) == content.plain.count("\n") + 1
