"""The conversation header's title beside its buttons: a long business name is cut with '…' before the
' · business' label is, and the label goes only when the name would keep too little room."""

from __future__ import annotations

from pathlib import Path

from app_helpers import SIZE, open_account_chat, settle
from rich.cells import cell_len

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.models import Account, AccountKind, Chat, ChatKind, ChatSummary
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
