"""Buttons drawn in a bubble (templates too: N0rdbank's "Verify now", MegaDeals' "Shop now" and "Stop
promotions") answer a click on them and, by keyboard, Enter or space on the message offers them in a
dialog of focusable buttons. From a fresh app: the chat opened by keys, nothing selected before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_helpers import SIZE, chat_id, open_chat_by_keyboard, real_service, settle, until_dialog, wait_for
from mouse_helpers import terminal_click
from textual.pilot import Pilot

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.models import MessageKind
from tui_messenger.tui.modals.choices import ChoicesModal
from tui_messenger.tui.widgets.message_view import MessageView

pytestmark = pytest.mark.usefixtures("utc")


async def world_at(pilot: Pilot[Any], minutes: int) -> None:
    """The demo world `minutes` on: N0rdbank's lure comes at 4, MegaDeals' flash sale at 20."""
    await settle(pilot)
    for _ in range(minutes // 10):
        await pilot.app.messenger.jump_ahead(600)  # type: ignore[attr-defined]
        await settle(pilot)


async def open_by_keys(pilot: Pilot[Any], account: str) -> MessageView:
    await open_chat_by_keyboard(pilot, await chat_id(pilot, account))
    return pilot.app.screen.query_one(MessageView)


def button_at(view: MessageView, title: str) -> tuple[int, int]:
    """Where `[ title ]` is drawn in the view (x, y within the view)."""
    for row in range(view.size.height):
        column = view.render_line(row).text.find(f"[ {title} ]")
        if column >= 0:
            return column + 3, row
    raise AssertionError(f"{title!r} is not on screen")


def replies(view: MessageView) -> list[str]:
    return [m.body for m in view.messages if m.outgoing and m.kind is MessageKind.INTERACTIVE_REPLY]


async def focus_history(pilot: Pilot[Any], view: MessageView) -> None:
    """From the composer, shift+tab back to the history, as a user would."""
    for _ in range(8):
        if view.has_focus:
            return
        await pilot.press("shift+tab")
    assert view.has_focus


async def test_click_on_verify_now_answers_the_template(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await world_at(pilot, 10)
        view = await open_by_keys(pilot, "nordbank-support")
        await terminal_click(pilot, view, button_at(view, "Verify now"))
        await settle(pilot)
        await wait_for(pilot, lambda: replies(view) == ["Verify now"])
        assert "answered" in "\n".join(view.render_line(y).text for y in range(view.size.height))


async def test_enter_on_a_template_offers_its_buttons(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await world_at(pilot, 10)
        view = await open_by_keys(pilot, "nordbank-support")
        await focus_history(pilot, view)
        await pilot.press("end")
        assert view.selected_message is not None and view.selected_message.kind is MessageKind.TEMPLATE
        await pilot.press("enter")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, ChoicesModal)
        await pilot.press("down", "enter")  # the second button: "This wasn't me"
        await settle(pilot)
        await wait_for(pilot, lambda: replies(view) == ["This wasn't me"])


async def test_space_then_reply_in_words(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await world_at(pilot, 10)
        view = await open_by_keys(pilot, "nordbank-support")
        await focus_history(pilot, view)
        await pilot.press("end", "space")
        await until_dialog(pilot)
        await pilot.click("#choice-reply")
        await settle(pilot)
        pane = pilot.app.screen.conversation
        assert pane.reply_to is not None and pane.reply_to.kind is MessageKind.TEMPLATE
        assert pane.composer.has_focus and not replies(view)


async def test_click_on_stop_promotions_stops_them(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await world_at(pilot, 30)
        view = await open_by_keys(pilot, "megadeals")
        service = await real_service(pilot)
        assert not (await service.consent("megadeals")).marketing_stopped
        await terminal_click(pilot, view, button_at(view, "Stop promotions"))
        await settle(pilot)
        await wait_for(pilot, lambda: replies(view) == ["Stop promotions"])
        await settle(pilot)
        assert (await service.consent("megadeals")).marketing_stopped
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#header-resume-promotions").display)
