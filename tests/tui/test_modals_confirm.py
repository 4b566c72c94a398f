"""The generic yes/no dialog and the blocked list (which uses it to confirm an unblock)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from modal_host import HOSTILE, HOSTILE_VISIBLE, ModalHost, assert_no_controls, screen_text, tab_to

from tui_messenger.domain.models import Account, AccountKind, Block, BlockReason
from tui_messenger.tui.modals import BlockedListModal, ConfirmModal

SIZE = (120, 40)
WHEN = datetime(2026, 1, 4, 18, 30, tzinfo=UTC)


async def test_confirm_yes_by_keyboard_no_by_mouse_escape_is_no() -> None:
    app = ModalHost(ConfirmModal("Open link?", "https://example.org"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "https://example.org" in screen_text(app.screen)
        await pilot.press("enter")  # focus starts on Yes for a harmless question
        await pilot.pause()
        app.push_screen(ConfirmModal("Again?"), app.results.append)
        await pilot.pause()
        await pilot.click("#confirm-no")
        await pilot.pause()
        app.push_screen(ConfirmModal("Again?"), app.results.append)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [True, False, False]


async def test_destructive_confirm_starts_on_cancel() -> None:
    app = ModalHost(ConfirmModal("Delete?", destructive=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [False]


async def test_confirm_hostile_title_and_body_are_literal() -> None:
    app = ModalHost(ConfirmModal(HOSTILE, HOSTILE))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app.screen)
        for piece in HOSTILE_VISIBLE:
            assert piece in text
        assert "⟨U+202E⟩" in text  # the bidi override is shown in the body, not obeyed
        assert_no_controls(app.screen)


def blocked_items():
    return [
        (
            Block("biz.megadeals", BlockReason.SPAM, WHEN),
            Account("biz.megadeals", "MegaDeals 24", AccountKind.BUSINESS),
        ),
        (Block("u.stranger", BlockReason.NO_REASON, WHEN), Account("u.stranger", HOSTILE)),
    ]


async def test_blocked_list_unblock_by_mouse_calls_back() -> None:
    unblocked: list[str] = []

    async def on_unblock(account_id: str) -> None:
        unblocked.append(account_id)

    app = ModalHost(BlockedListModal(blocked_items(), on_unblock=on_unblock))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app.screen)
        assert "MegaDeals 24" in text and "blocked 2026-01-04 18:30 · Spam" in text
        for piece in HOSTILE_VISIBLE:
            assert piece in text
        assert_no_controls(app.screen)
        await pilot.click("#unblock-0")
        await pilot.pause()
        assert "Unblock MegaDeals 24?" in screen_text(app.screen)
        await pilot.click("#confirm-yes")
        await pilot.pause()
        assert unblocked == ["biz.megadeals"]
        assert not app.screen.query("#blocked-row-0")
        await pilot.click("#blocked-close")
        await pilot.pause()
    assert app.results == [("biz.megadeals",)]


async def confirm_closed(pilot: Any) -> None:
    """The confirm dialog is gone (under load it takes more than one turn of the loop)."""
    for _ in range(250):
        if not pilot.app.screen.query("#confirm-yes"):
            return
        await pilot.pause(0.02)
    raise AssertionError("the confirm dialog did not close")


async def test_blocked_list_by_keyboard_and_declined_confirm() -> None:
    app = ModalHost(BlockedListModal(blocked_items()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await tab_to(pilot, "unblock-1")
        await pilot.press("enter")  # asks
        await pilot.pause()
        await pilot.press("escape")  # declines: nothing changes
        await pilot.pause()
        assert app.screen.query("#blocked-row-1")
        await tab_to(pilot, "unblock-1")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # "Unblock" has focus in the confirm dialog
        await confirm_closed(pilot)
        await tab_to(pilot, "unblock-0")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "You have not blocked anyone." in screen_text(app.screen)
        await pilot.press("escape")  # Escape closes and still reports what was unblocked
        await pilot.pause()
    assert app.results == [("u.stranger", "biz.megadeals")]


async def test_blocked_list_empty() -> None:
    app = ModalHost(BlockedListModal([]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "You have not blocked anyone." in screen_text(app.screen)
        assert app.focused is not None and app.focused.id == "blocked-close"
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [()]
