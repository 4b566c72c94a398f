"""The unknown-sender banner's "Add to contacts" (button and F2) on the real app: the request is
accepted and the contact stored through the service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_helpers import SIZE, chat_id, settle, text, wait_for
from textual.pilot import Pilot
from textual.screen import ModalScreen

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.widgets.banners import RequestBanner


async def open_request(pilot: Pilot[Any], account_id: str) -> Any:
    await settle(pilot)
    pilot.app.screen.open_chat(await chat_id(pilot, account_id))
    await settle(pilot)
    banner = pilot.app.screen.query_one(RequestBanner)
    assert banner.display and "Add contact" in text(pilot)
    return pilot.app.messenger


def footer_keys(pilot: Pilot[Any]) -> set[str]:
    return {b.binding.action for b in pilot.app.screen.active_bindings.values() if b.enabled}


async def test_add_to_contacts_by_mouse(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        messenger = await open_request(pilot, "megadeals")
        assert not messenger.contacts.is_contact(account_id="megadeals")
        await pilot.click("#request-add_contact")
        # wait_for, not settle: the accept reopens the chat, and a reopen may cancel an earlier one
        await wait_for(pilot, lambda: not pilot.app.screen.query_one(RequestBanner).display)
        assert messenger.contacts.is_contact(account_id="megadeals")
        summary = await messenger.summary(await chat_id(pilot, "megadeals"))
        assert not summary.chat.is_request
        assert not pilot.app.screen.query_one(RequestBanner).display
        assert any("is now in your contacts" in n.message for n in pilot.app.shown_toasts)


async def test_add_to_contacts_by_key_only_while_a_request_is_open(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.open_chat(await chat_id(pilot, "anna"))
        await settle(pilot)
        assert "add_contact" not in footer_keys(pilot)
        messenger = await open_request(pilot, "megadeals")
        assert "add_contact" in footer_keys(pilot)
        await pilot.press("f2")
        await wait_for(pilot, lambda: not pilot.app.screen.query_one(RequestBanner).display)
        assert messenger.contacts.is_contact(account_id="megadeals")
        assert not pilot.app.screen.query_one(RequestBanner).display
        assert "add_contact" not in footer_keys(pilot)


async def test_continue_accepts_without_adding_a_contact(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        messenger = await open_request(pilot, "megadeals")
        await pilot.click("#request-continue")
        await wait_for(pilot, lambda: not pilot.app.screen.query_one(RequestBanner).display)
        assert not (await messenger.summary(await chat_id(pilot, "megadeals"))).chat.is_request
        assert not messenger.contacts.is_contact(account_id="megadeals")


async def test_after_accepting_by_mouse_the_keys_are_the_reply(tmp_path: Path) -> None:
    """The banner and its clicked button go: what is typed next is the reply, in the composer (focus had
    fallen on the hidden banner's Block button, and the reply's first space pressed it: "Block …?")."""
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await open_request(pilot, "megadeals")
        await pilot.click("#request-continue")
        await wait_for(pilot, lambda: not pilot.app.screen.query_one(RequestBanner).display)
        await settle(pilot)
        await pilot.press(*"ok thanks", "enter")
        await wait_for(pilot, lambda: "ok thanks" in text(pilot))
        assert not isinstance(pilot.app.screen, ModalScreen)


async def test_after_blocking_from_the_banner_the_keys_go_to_what_is_shown(tmp_path: Path) -> None:
    """Blocked from the banner's button: the banner and the composer are hidden, and the focus is on a
    part still shown (the history), so no key presses a hidden button."""
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await open_request(pilot, "megadeals")
        await pilot.click("#request-block")
        await wait_for(pilot, lambda: bool(pilot.app.screen.query("#block-confirm")))
        await pilot.click("#block-confirm")
        await wait_for(pilot, lambda: not pilot.app.screen.query_one(RequestBanner).display)
        await settle(pilot)
        focused = pilot.app.focused
        assert focused is not None and all(node.display for node in (focused, *focused.ancestors))
        await pilot.press("space")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ModalScreen)


async def test_the_banner_names_the_account_beside_the_name_anyone_can_choose(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await open_request(pilot, "megadeals")
        banner = str(pilot.app.screen.query_one("#request-text").render())
        assert "Unknown business: MegaDeals 24 (megadeals) is not in your contacts" in banner
