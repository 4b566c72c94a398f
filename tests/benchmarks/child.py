"""The benchmark's child processes (startup and memory are measured in a fresh interpreter).

child.py startup DB OUT     the messenger on DB in this terminal; writes the monotonic time of the first
                            frame painted after the chat list got its rows, then quits
child.py minimal OUT        a Textual app showing one label; the same, for its first frame
child.py memory DB OUT      headless: open the chat with most messages, scroll back 10 pages, write the
                            peak RSS (KiB)
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def peak_rss_kib() -> int:
    """This process's peak RSS. Not `ru_maxrss`: Linux carries it over from the parent across fork and
    exec, so a child of a big benchmark process reports the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _write(out: str, data: dict[str, Any]) -> None:
    Path(out).write_text(json.dumps(data))


def startup(db: str, out: str) -> None:
    import app_under_test as aut
    from probe import PaintProbe  # imports textual.app, which the first frame needs anyway

    under = aut.make_app(Path(db))
    from tui_messenger.tui.widgets.chat_list import ChatList

    shown = {"rows": False}
    original = ChatList.show

    def show(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        shown["rows"] = True

    ChatList.show = show  # type: ignore[method-assign]
    app = under.app
    probe = PaintProbe(app, build_output=False)

    def frame(stamp: float) -> None:
        if shown["rows"] and not done:
            done.append(time.monotonic())
            _write(out, {"shown": done[0], "rss_kib": peak_rss_kib()})
            app.exit()

    done: list[float] = []
    probe.on_frame(frame)
    try:
        app.run()
    finally:
        under.close()


def minimal(out: str) -> None:
    from probe import PaintProbe
    from textual.app import App, ComposeResult
    from textual.widgets import Label

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Label("tui-messenger")

    app = Minimal()
    probe = PaintProbe(app, build_output=False)
    done: list[float] = []

    def frame(stamp: float) -> None:
        if not done:
            done.append(time.monotonic())
            _write(out, {"shown": done[0], "rss_kib": peak_rss_kib()})
            app.exit()

    probe.on_frame(frame)
    app.run()


async def _memory(db: str, out: str) -> None:
    import app_under_test as aut
    from screen_measures import settle, until

    under = aut.make_app(Path(db))
    app = under.app
    pages = 0
    try:
        async with app.run_test(size=aut.SIZE) as pilot:
            await until(pilot, lambda: aut.chat_options(app).option_count > 0)
            await settle(app, pilot)
            biggest = await asyncio.to_thread(_biggest_chat, under)
            view = aut.message_view(app)
            if biggest is not None:
                aut.choose_chat(app, biggest)
                await until(pilot, lambda: bool(view.messages))
                await settle(app, pilot)
                view.action_last()  # End: the first chat opened after start may not sit at its end
                await settle(app, pilot)
                for _ in range(10):
                    if not view.has_older:
                        break
                    first = view.messages[0].message_id
                    view.action_first()
                    try:  # a chat shorter than the screen does not scroll: nothing older is asked for
                        await until(
                            pilot, lambda first=first: view.messages[0].message_id != first, timeout=5
                        )
                    except TimeoutError:
                        break
                    await settle(app, pilot)
                    pages += 1
            _write(out, {"rss_kib": peak_rss_kib(), "pages": pages})
    finally:
        under.close()


def _biggest_chat(under: Any) -> int | None:
    with under.messenger.db.read() as session:
        conn = session.connection().connection.dbapi_connection
        # The benchmark's big chat by its peer; else (the empty store's demo chats, a few hundred
        # messages) the longest chat. Never a scan of a big store: it would fill the page cache.
        row = (
            conn.execute("SELECT id FROM chats WHERE peer_id = 'p0000'").fetchone()
            or conn.execute(
                "SELECT chat_id FROM messages GROUP BY chat_id ORDER BY count(*) DESC LIMIT 1"
            ).fetchone()
        )
    return None if row is None else row[0]


def main() -> None:
    mode, *args = sys.argv[1:]
    if mode == "startup":
        startup(*args)
    elif mode == "minimal":
        minimal(*args)
    elif mode == "memory":
        asyncio.run(_memory(*args))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
