"""From a fresh start, by keyboard: open MegaDeals, jump ahead 24 hours, type STOP in the composer. The
chat says promotions stopped, "Why am I getting this?" does not turn into an opt-in, the request stays,
and the marketer's next promotion shows as refused by the platform (131050) for testers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_helpers import SIZE, chat_id, palette, settle, text, view_text, wait_for
from textual.pilot import Pilot

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.widgets.composer import Composer

pytestmark = pytest.mark.usefixtures("utc")

STOPPED = "You stopped promotions from MegaDeals 24."


async def _stop_megadeals(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await palette(pilot, "open chat: megadeals")
    assert pilot.app.screen.conversation.chat_id == await chat_id(pilot, "megadeals")
    await palette(pilot, "Jump ahead 24 hours")
    assert isinstance(pilot.app.focused, Composer)  # as a person finds it: no focus set by the test
    await pilot.press(*"STOP", "enter")
    await settle(pilot)


async def test_typing_stop_stops_promotions_and_shows_the_refusal(tmp_path: Path) -> None:
    app = build_test_app(tmp_path, refusals=True)
    async with app.run_test(size=SIZE) as pilot:
        await _stop_megadeals(pilot)
        await wait_for(pilot, lambda: STOPPED in view_text(pilot))
        assert "service messages." in view_text(pilot)  # (the line wraps at this width)
        screen = text(pilot)
        assert "writing to them first" not in screen  # STOP is no opt-in
        assert "You have not opted in to this business" in screen
        assert "Promotions stopped." in screen  # (said of a business the user never opted in to too)
        assert "Unknown business" in screen  # and no answer that accepts the request
        consent = await app.messenger.consent("megadeals")  # type: ignore[attr-defined]
        assert consent.marketing_stopped
        await app.messenger.jump_ahead(60)  # type: ignore[attr-defined]  # the marketer tries again
        await settle(pilot)
        await wait_for(pilot, lambda: "Refused by the platform (131050)" in view_text(pilot))


async def test_refusals_stay_hidden_outside_scenario_mode(tmp_path: Path) -> None:
    app = build_test_app(tmp_path, refusals=False)
    async with app.run_test(size=SIZE) as pilot:
        await _stop_megadeals(pilot)
        await wait_for(pilot, lambda: STOPPED in view_text(pilot))
        await app.messenger.jump_ahead(60)  # type: ignore[attr-defined]
        await settle(pilot)
        service = app.messenger
        chat = await service.chat_for_account("megadeals")  # type: ignore[attr-defined]
        service.show_refusals = True  # type: ignore[attr-defined]
        stored = await service.latest_page(chat.chat.id)  # type: ignore[attr-defined]
        assert any(m.error_code == 131050 for m in stored)  # refused, stored for the report...
        assert "Refused by the platform" not in view_text(pilot)  # ...but not shown
