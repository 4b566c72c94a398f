"""Regenerate docs/screenshot.svg: `TZ=UTC python docs/make_screenshot.py docs` (the test app, seed 1)."""

import asyncio
import sys
import tempfile
from pathlib import Path

from tui_messenger.bootstrap import build_test_app


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = build_test_app(Path(tmp), seed=1)
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(6):
                await pilot.pause()
                await app.workers.wait_for_complete()
            app.clear_notifications()
            screen = app.screen
            chats = {s.peer.id: s for s in await app.messenger.chat_list()}
            screen.open_chat(chats["nordbank"].chat.id)
            for _ in range(6):
                await pilot.pause()
                await app.workers.wait_for_complete()
            app.clear_notifications()
            await pilot.pause()
            app.save_screenshot(filename="screenshot.svg", path=sys.argv[1])


asyncio.run(main())
