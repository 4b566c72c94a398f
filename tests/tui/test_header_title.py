"""The conversation header's title beside its buttons: a long business name is cut with '…' before the
' · business' label is, and the label goes only when the name would keep too little room."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

from app_helpers import SIZE, make_app, open_account_chat, open_chat_by_keyboard, settle
from fake_messenger import FakeMessenger
from rich.cells import cell_len

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain import events as ev
from tui_messenger.domain.models import Account, AccountKind, Chat, ChatKind, ChatSummary
from tui_messenger.tui.conversation.pane import ConversationPane
from tui_messenger.tui.widgets.conversation_header import ConversationHeader, HeaderTitle, header_title


def summary(name: str, *, business: bool = True, verified: bool = True) -> ChatSummary:
    kind = AccountKind.BUSINESS if business else AccountKind.PERSON
    peer = Account("acc", name, kind, verified=verified, verified_name=name if verified else None)
    chat_kind = ChatKind.BUSINESS if business else ChatKind.PERSONAL
    return ChatSummary(Chat(id=1, peer_id="acc", kind=chat_kind, title=name), peer)


def test_the_name_is_cut_before_the_kind_label() -> None:
    airline = summary("SkyWays Airlines")
    assert header_title(airline).plain == "✔ SkyWays Airlines · business"
    assert header_title(airline, 40).plain == "✔ SkyWays Airlines · business"
    assert header_title(airline, 26).plain == "✔ SkyWays Airl… · business"
    assert cell_len(header_title(airline, 26).plain) == 26


def test_the_kind_label_goes_when_the_name_would_keep_too_little() -> None:
    airline = summary("SkyWays Airlines")
    assert header_title(airline, 20).plain == "✔ SkyWays Airlines"  # 13 cells left for the name: not enough
    assert header_title(airline, 10).plain == "✔ SkyWays…"
    assert header_title(summary("Shop"), 17).plain == "✔ Shop · business"  # a short name keeps it whole
    assert header_title(airline, 0).plain == "✔ "


def test_a_person_has_no_kind_label_and_a_hostile_name_stays_text() -> None:
    person = summary("[b]Anna[/b] Becker", business=False, verified=False)
    assert header_title(person, 12).plain == "[b]Anna[/b]…"
    assert header_title(person).plain == "[b]Anna[/b] Becker"


async def test_the_header_fits_the_title_beside_the_buttons_and_again_on_a_resize(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await open_account_chat(pilot, "skyways")
        title = pilot.app.screen.query_one(HeaderTitle)

        def shown() -> str:
            return title.render_line(0).text.rstrip()

        header = pilot.app.screen.query_one(ConversationHeader)
        # 80 columns of pane: the whole title, and the button that does not fit beside it is in "⋯"
        assert shown() == "✔ SkyWays Airlines · business"
        assert header.hidden_actions == ["profile"]
        assert pilot.app.screen.query_one("#header-menu").display
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        assert shown() == "✔ SkyWays Airlines · business"
        assert header.hidden_actions == [] and not pilot.app.screen.query_one("#header-menu").display
        assert pilot.app.screen.query_one("#header-profile").display


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


def header_text(pilot: Any) -> str:
    return pilot.app.screen.query_one(HeaderTitle).render_line(0).text.strip()


async def test_a_state_read_of_the_chat_left_never_names_the_chat_opened_meanwhile() -> None:
    """The directory changed (a new chat's name told just as it opens) while Anna's chat was open: her
    chat's state is read again; the user opens Ben's before that read ends. The header stays Ben's."""
    m = Gated()
    anna = m.add_chat(Account("anna", "Anna Becker"))
    ben = m.add_chat(Account("ben", "Ben Ortiz"))
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, anna.id)
        assert header_text(pilot) == "Anna Becker"
        m.gated = anna.id
        pane = pilot.app.screen.query_one(ConversationPane)
        pane.refresh_state()  # as a directory change does
        await pilot.pause()
        pilot.app.screen.open_chat(ben.id)  # type: ignore[attr-defined]
        await pilot.pause(0.05)
        m.gate.set()
        await settle(pilot)
        assert pane.chat_id == ben.id
        assert header_text(pilot) == "Ben Ortiz"


async def test_a_name_told_while_its_chat_opens_is_shown() -> None:
    """A chat's summary changed after its opening read it, before it was shown: read again once open."""
    m = FakeMessenger()
    anna = m.add_chat(Account("anna", "Anna Becker"))
    ben = m.add_chat(Account("@ben:example.org", "@ben:example.org"))
    async with make_app(m).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, anna.id)
        original_page = m.latest_page
        renamed = asyncio.Event()

        async def slow_page(chat_id: int, *, limit: int = 50) -> Any:
            if chat_id == ben.id:  # the summary is read; the name changes before the chat is shown
                m.accounts["@ben:example.org"] = Account("@ben:example.org", "Ben Ortiz")
                m.chats[ben.id] = replace(m.chats[ben.id], title="Ben Ortiz")
                m.emit(ev.ChatChanged(m._summary(ben.id)))  # noqa: SLF001
                renamed.set()
                await asyncio.sleep(0.05)  # the screen hears of it before the chat is shown
            return await original_page(chat_id, limit=limit)

        m.latest_page = slow_page  # type: ignore[method-assign]
        pilot.app.screen.open_chat(ben.id)  # type: ignore[attr-defined]
        await settle(pilot)
        assert renamed.is_set()
        assert header_text(pilot) == "Ben Ortiz"
