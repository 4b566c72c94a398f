"""Snapshots of the main screen on the test world (bootstrap.build_test_app: own database, fixed
clock, zero-delay fake peer) in each built-in theme: the chat list, a business chat, the impersonator's
request, and a blocked chat.

Update after an intended change with `pytest tests/snapshots --snapshot-update`, then look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from snap_helpers import SIZE, THEMES, settle
from textual.pilot import Pilot

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.models import BlockReason

pytestmark = pytest.mark.usefixtures("utc")


def steady_cursors(pilot: Pilot[Any]) -> None:
    """Make the frame still: toasts from the start-up sync are transient and cover the conversation,
    and a blinking cursor is caught on or off at random, so clear the one and hold the other on."""
    pilot.app.clear_notifications()
    for field in pilot.app.screen.query("Input, TextArea"):
        field.cursor_blink = False  # type: ignore[attr-defined]


def opening(account_id: str | None, *, block: bool = False) -> Callable[[Pilot[Any]], Any]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()  # without it the first frame is not laid out and clicks or reads miss
        await settle(pilot)
        if account_id is None:
            steady_cursors(pilot)
            return
        app: Any = pilot.app
        summary = await app.messenger.chat_for_account(account_id)
        assert summary is not None, account_id
        if block:
            await app.messenger.block(account_id, BlockReason.SPAM)
            app.screen.refresh_chat_list()  # a worker: `settle` waits for it
        app.screen.open_chat(summary.chat.id)
        await settle(pilot)
        steady_cursors(pilot)

    return run_before


@pytest.mark.parametrize("theme", THEMES)
def test_main_screen(snap_compare, tmp_path: Path, theme: str) -> None:
    app = build_test_app(tmp_path, theme=theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=opening(None))


@pytest.mark.parametrize("theme", THEMES)
def test_business_chat(snap_compare, tmp_path: Path, theme: str) -> None:
    app = build_test_app(tmp_path, theme=theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=opening("nordbank"))


@pytest.mark.parametrize("theme", THEMES)
def test_impersonator_request(snap_compare, tmp_path: Path, theme: str) -> None:
    app = build_test_app(tmp_path, theme=theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=opening("nordbank-support"))


@pytest.mark.parametrize("theme", THEMES)
def test_blocked_chat(snap_compare, tmp_path: Path, theme: str) -> None:
    app = build_test_app(tmp_path, theme=theme)
    assert snap_compare(app, terminal_size=SIZE, run_before=opening("megadeals", block=True))
