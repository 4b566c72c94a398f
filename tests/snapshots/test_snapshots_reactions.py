"""Snapshots of reactions in each built-in theme: chips under the bubbles in Anna's chat (the user's own
highlighted, Anna's plain), and the reaction picker with the user's current reaction marked.

Update after an intended change with `pytest tests/snapshots --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dialog_host import T0, DialogHost
from snap_helpers import SIZE, THEMES, settle
from textual.pilot import Pilot

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.models import ChatMessage, Direction, MessageKind, ReactionCount
from tui_messenger.tui.modals.reaction_picker import ReactionPickerModal
from tui_messenger.tui.widgets.message_view import MessageView

pytestmark = pytest.mark.usefixtures("utc")


@pytest.mark.parametrize("theme", THEMES)
def test_chips_under_the_bubbles(snap_compare, theme: str, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await settle(pilot)
        app: Any = pilot.app
        summary = await app.messenger.chat_for_account("anna")
        app.screen.open_chat(summary.chat.id)
        await settle(pilot)
        view = app.screen.query_one(MessageView)
        first, mine = view.messages[0], next(m for m in reversed(view.messages) if m.outgoing)
        await app.messenger.react(first.message_id, ":heart:")
        real = await app.messenger.service() if hasattr(app.messenger, "service") else app.messenger
        real.transport.react("anna", mine.message_id, "😂")
        real.transport.react("anna", first.message_id, "❤️")
        real.transport.pump()
        for _ in range(250):  # both of Anna's reactions in (up to 5 s: CI may be loaded)
            hearts = sum(r.count for r in view.get(first.message_id).reactions)
            if view.get(mine.message_id).reactions and hearts >= 2:
                break
            await pilot.pause(0.02)
        view.focus()
        await settle(pilot)

    app = build_test_app(tmp_path, theme=theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", THEMES)
def test_reaction_picker(snap_compare, theme: str) -> None:
    message = ChatMessage(
        message_id="m1", chat_id=1, sender_id="anna", direction=Direction.INBOUND, kind=MessageKind.TEXT,
        body="Are you coming to my birthday on Saturday? 🎂", sent_at=T0,
        reactions=(ReactionCount("❤️", 2, mine=True),),
    )  # fmt: skip
    app = DialogHost(ReactionPickerModal(message, mine="❤️"), theme=theme)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
