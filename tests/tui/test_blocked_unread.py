"""Item 9: a blocked chat counts nowhere. "Mark as unread" on it changes no count and says why."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import SIZE, chat_id, palette, settle, text, wait_for

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.models import BlockReason

pytestmark = pytest.mark.usefixtures("utc")


def _tabs(screen: str) -> str:
    return next(line for line in screen.splitlines() if "Business " in line).split("▕")[0]


async def test_mark_unread_on_a_blocked_chat(tmp_path: Path) -> None:
    app = build_test_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await palette(pilot, "open chat: megadeals")
        await app.messenger.block("megadeals", BlockReason.SPAM)  # type: ignore[attr-defined]
        await settle(pilot)
        before = _tabs(text(pilot))
        assert "Business 3" in before  # the blocked chat is not counted
        await palette(pilot, "Mark as unread")
        toasts = pilot.app.shown_toasts
        await wait_for(pilot, lambda: any("never marked unread" in n.message for n in toasts))
        assert _tabs(text(pilot)) == before
        summary = await app.messenger.summary(await chat_id(pilot, "megadeals"))  # type: ignore[attr-defined]
        assert summary.chat.unread_count == 0
