"""A connection that breaks and comes back many times a second (`--disconnect 1.0`) must not restyle the
screen each time (issue 12, item 12): the restyles' garbage grew RSS to 428 MB. The offline line follows
the latest state, at most once per CONNECTION_SHOWN_EVERY."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app_helpers import SIZE

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui import messages as msg
from tui_messenger.tui.screens.main import CONNECTION_SHOWN_EVERY


async def test_a_flapping_connection_restyles_the_screen_a_few_times_only(tmp_path: Path) -> None:
    app = build_test_app(tmp_path, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        toggles: list[bool] = []
        set_class = screen.set_class

        def counting(add: bool, *names: str, **kw) -> object:
            if "-offline" in names:
                toggles.append(add)
            return set_class(add, *names, **kw)

        screen.set_class = counting  # type: ignore[method-assign]
        for n in range(400):  # 200 breaks and reconnects, as fast as they come
            screen.post_message(msg.ConnectionChanged(online=n % 2 == 1))
            if n % 50 == 0:
                await asyncio.sleep(0)
        screen.post_message(msg.ConnectionChanged(online=False))  # and then it stays down
        await pilot.pause()
        await asyncio.sleep(CONNECTION_SHOWN_EVERY * 3)
        await pilot.pause()
        assert 1 <= len(toggles) <= 4, len(toggles)
        line = screen.query_one("#offline-line")
        assert screen.has_class("-offline") and line.display and "Offline" in str(line.render())
        screen.post_message(msg.ConnectionChanged(online=True))
        await asyncio.sleep(CONNECTION_SHOWN_EVERY * 3)
        await pilot.pause()
        assert not screen.has_class("-offline") and not line.display
