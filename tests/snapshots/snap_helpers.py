"""What the snapshot tests share: the terminal size, the built-in themes, and waiting until the real app
is quiet before the frame is taken."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

SIZE = (120, 40)
THEMES = ["tui-dark", "tui-light", "tui-high-contrast"]


async def settle(pilot: Pilot[Any], rounds: int = 4) -> None:
    """Let the peer answer and the screen catch up: a worker's result often starts more work."""
    for _ in range(rounds):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
