"""Another chat opened while one is on screen: what is read or comes for either meanwhile lands in its own
chat. A read of the chat left never names the one opened; what comes for the chat being opened (its name,
a message) after its page was read is shown once it is."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from app_helpers import SIZE, make_app, open_chat_by_keyboard, settle, view_text
from fake_messenger import FakeMessenger

from tui_messenger.domain import events as ev
from tui_messenger.domain.models import Account, BlockReason, ChatSummary
from tui_messenger.tui.conversation.pane import ConversationPane
from tui_messenger.tui.widgets.conversation_header import HeaderTitle


class Gated(FakeMessenger):
    """A messenger whose `summary` of one chat waits until let go: a read still on its way while the user
    opens another chat (a store thread busy with a sync's batch)."""

    def __init__(self) -> None:
        super().__init__()
        self.gated: int | None = None
        self.gate = asyncio.Event()

    async def summary(self, chat_id: int) -> ChatSummary:
        if chat_id == self.gated:
            await self.gate.wait()
        return await super().summary(chat_id)


@asynccontextmanager
async def annas_chat_open(m: FakeMessenger, ben_id: str = "ben") -> AsyncIterator[tuple[Any, int]]:
    """Anna's chat open (as a person opens it) and Ben's chat beside it: the pilot and Ben's chat id."""
    anna = m.add_chat(Account("anna", "Anna Becker"))
    ben = m.add_chat(Account(ben_id, "Ben Ortiz" if ben_id == "ben" else ben_id))
    m.put(m.make(ben.id, "an older one"), unread=False)
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, anna.id)
        assert header_text(pilot) == "Anna Becker"
        yield pilot, ben.id


def header_text(pilot: Any) -> str:
    return pilot.app.screen.query_one(HeaderTitle).render_line(0).text.strip()


async def test_a_state_read_of_the_chat_left_never_names_the_chat_opened_meanwhile() -> None:
    """The directory changed (a new chat's name told just as it opens) while Anna's chat was open: her
    chat's state is read again; the user opens Ben's before that read ends. The header stays Ben's."""
    m = Gated()
    async with annas_chat_open(m) as (pilot, ben):
        pane = pilot.app.screen.query_one(ConversationPane)
        m.gated = pane.chat_id
        pane = pilot.app.screen.query_one(ConversationPane)
        pane.refresh_state()  # as a directory change does
        await pilot.pause()
        pilot.app.screen.open_chat(ben)  # type: ignore[attr-defined]
        await pilot.pause(0.05)
        m.gate.set()
        await settle(pilot)
        assert pane.chat_id == ben
        assert header_text(pilot) == "Ben Ortiz"


async def test_a_name_told_while_its_chat_opens_is_shown() -> None:
    """A chat's summary changed after its opening read it, before it was shown: read again once open."""
    m = FakeMessenger()
    async with annas_chat_open(m, "@ben:example.org") as (pilot, ben):
        original_page = m.latest_page
        renamed = asyncio.Event()

        async def slow_page(chat_id: int, *, limit: int = 50) -> Any:
            if chat_id == ben:  # the summary is read; the name changes before the chat is shown
                m.accounts["@ben:example.org"] = Account("@ben:example.org", "Ben Ortiz")
                m.chats[ben] = replace(m.chats[ben], title="Ben Ortiz")
                m.emit(ev.ChatChanged(m._summary(ben)))  # noqa: SLF001
                renamed.set()
                await asyncio.sleep(0.05)  # the screen hears of it before the chat is shown
            return await original_page(chat_id, limit=limit)

        m.latest_page = slow_page  # type: ignore[method-assign]
        pilot.app.screen.open_chat(ben)  # type: ignore[attr-defined]
        await settle(pilot)
        assert renamed.is_set()
        assert header_text(pilot) == "Ben Ortiz"


async def test_a_message_that_comes_while_its_chat_opens_is_shown() -> None:
    """Ben's newest page is read; his message comes before the chat is on screen: it is shown with it."""
    m = FakeMessenger()
    async with annas_chat_open(m) as (pilot, ben):
        original_page = m.latest_page
        came = asyncio.Event()

        async def page_then_message(chat_id: int, *, limit: int = 50) -> Any:
            page = await original_page(chat_id, limit=limit)
            if chat_id == ben and not came.is_set():
                m.put(m.make(ben, "just in time"), emit=True)
                came.set()
                await asyncio.sleep(0.05)  # the screen hears of it before the chat is shown
            return page

        m.latest_page = page_then_message  # type: ignore[method-assign]
        pilot.app.screen.open_chat(ben)  # type: ignore[attr-defined]
        await settle(pilot)
        assert came.is_set()
        shown = view_text(pilot)
        assert "an older one" in shown and "just in time" in shown


async def test_a_chat_blocked_while_it_opens_shows_as_blocked() -> None:
    """Ben is blocked (from another device: the server's ignore list) just as his chat opens: once open,
    the chat shows as blocked, with no composer, not as it was when its page was read."""
    m = FakeMessenger()
    async with annas_chat_open(m) as (pilot, ben):
        original_page = m.latest_page

        async def page_then_block(chat_id: int, *, limit: int = 50) -> Any:
            page = await original_page(chat_id, limit=limit)
            if chat_id == ben and "ben" not in m.blocks:
                await m.block("ben", BlockReason.SPAM)
                await asyncio.sleep(0.05)  # the screen hears of it before the chat is shown
            return page

        m.latest_page = page_then_block  # type: ignore[method-assign]
        pilot.app.screen.open_chat(ben)  # type: ignore[attr-defined]
        await settle(pilot)
        pane = pilot.app.screen.query_one(ConversationPane)
        assert pane.chat_id == ben and pane.blocked
        assert pilot.app.screen.query_one("#blocked-bar").display
        assert not pane.composer.display
