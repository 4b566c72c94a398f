"""The demo world (the fake peer) has no end-to-end encryption to show: its chats' header has no lock and
its people's profile lists no devices (the lock and the devices come from the network, never the UI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import SIZE, open_account_chat, text, until_dialog, wait_for

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.modals.profile import ProfileModal
from tui_messenger.tui.widgets.conversation_header import HeaderTitle

pytestmark = pytest.mark.usefixtures("utc")


async def test_a_demo_chat_has_no_lock_and_its_profile_no_devices(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await open_account_chat(pilot, "anna")
        title = pilot.app.screen.query_one(HeaderTitle)
        assert title.summary is not None and not title.summary.peer.encrypted
        assert "Anna" in title.render().plain and "🔒" not in title.render().plain  # type: ignore[union-attr]
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ProfileModal))
        await until_dialog(pilot)
        shown = text(pilot)
        assert "Contact:" in shown and "Devices" not in shown and "not verified" not in shown
        assert "In your contacts" in shown  # she is one (the profile said "Unknown" of everyone before)
