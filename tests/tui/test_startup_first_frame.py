"""The real app's start (`run_app`): the first frame has the chat list and, on the right, the words of the
conversation pane's empty state; the pane itself is mounted just after it, and nothing on screen changes
when it is swapped in. A chat chosen and messenger events that come before the pane are not lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_helpers import SIZE, make_app, settle, wait_for
from textual.widgets import OptionList

from tui_messenger.bootstrap import build_messenger, load_world
from tui_messenger.domain.clock import ManualClock
from tui_messenger.services.deferred import DeferredMessenger, read_first_screen
from tui_messenger.store.chat_rows import QuickChatList
from tui_messenger.store.database import open_database
from tui_messenger.tui import messages as msg
from tui_messenger.tui.screens.main import MainScreen
from tui_messenger.tui.widgets.conversation_placeholder import EMPTY_STATE, ConversationPlaceholder


async def _seeded(path: Path) -> None:
    db = open_database(path)
    service = build_messenger(db, load_world("default"), clock=ManualClock(), seed=1)
    await service.start()
    await wait_for_service(service)
    await service.stop()
    db.close()


async def wait_for_service(service: Any) -> None:
    import asyncio

    for _ in range(500):
        if service.settings.sync_token() is not None and service.idle:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the first sync did not finish")


def _deferred_app(path: Path, opened: list[Any]) -> Any:
    """The app as run_app builds it: the list read ahead, the service built after the first frame."""
    clock = ManualClock()

    def build() -> Any:
        db = open_database(path)
        opened.append(db)
        return build_messenger(db, load_world("default"), clock=clock, seed=1)

    quick = QuickChatList(path)
    messenger = DeferredMessenger(
        build, quick=quick, user_id="me", clock=clock, first=read_first_screen(quick)
    )
    return make_app(messenger, defer_conversation=True)


def right_pane(screen: Any) -> str:
    """The screen right of the chat list and above the footer, cell by cell with styles, as the terminal
    gets it. (The footer's own first frame lacks its palette key, with or without the deferred pane.)"""
    width = screen.query_one("#chat-list").outer_size.width
    panes = screen.query_one("#panes").region
    update = screen._compositor.render_update(full=True)
    cells = []
    for line in update.strips[panes.y : panes.bottom]:
        segments = [seg for strip in line for seg in strip]
        x = 0
        for seg in segments:
            for ch in seg.text:
                if x >= width:
                    cells.append(f"{ch}{seg.style}\x00")
                x += 1
        cells.append("\n")
    return "".join(cells)


class Frames:
    """What each painted frame showed: the placeholder or the pane, the rows, the screen as text."""

    def __init__(self, app: Any) -> None:
        self.seen: list[tuple[bool, int, str]] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None or not isinstance(screen, MainScreen):
                return
            placeholder = bool(screen.query(ConversationPlaceholder))
            rows = screen.query_one("#chat-options", OptionList).option_count
            self.seen.append((placeholder, rows, right_pane(screen)))

        app._display = display


async def test_first_frame_has_the_rows_and_the_pane_comes_after_without_a_change(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    await _seeded(path)
    opened: list[Any] = []
    app = _deferred_app(path, opened)
    frames = Frames(app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            await wait_for(pilot, lambda: screen.query("#conversation") and screen.open_chat_id is None)
            await settle(pilot)
            assert frames.seen, "no frame painted"
            placeholder, rows, first = frames.seen[0]
            assert placeholder and rows > 0, "the first frame has the chat list and the placeholder"
            assert EMPTY_STATE in "".join(cell[:1] for cell in first.split("\x00"))
            after = [shot for has_placeholder, _, shot in frames.seen if not has_placeholder]
            assert after, "the pane was swapped in"
            assert after[0] == [shot for has_placeholder, _, shot in frames.seen if has_placeholder][-1]
            assert not screen.query(ConversationPlaceholder)
            pane = screen.query_one("#conversation")
            assert pane.has_class("-empty") and pane.query_one("#empty-state").render().plain == EMPTY_STATE
    finally:
        for db in opened:
            db.close()


async def test_the_main_screen_is_the_bottom_of_the_stack_and_the_first_painted(tmp_path: Path) -> None:
    """No blank screen is styled and painted first, then covered by the main one (it cost the start about
    a tenth of its time)."""
    path = tmp_path / "m.db"
    await _seeded(path)
    opened: list[Any] = []
    app = _deferred_app(path, opened)
    painted: list[str] = []
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is not None:
            painted.append(type(screen).__name__)

    app._display = display
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.screen.query("#conversation"))
            assert isinstance(app.screen, MainScreen) and app.screen_stack == [app.screen]
            assert painted and set(painted) == {"MainScreen"}
    finally:
        for db in opened:
            db.close()


async def test_a_chat_chosen_and_events_before_the_pane_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "m.db"
    await _seeded(path)
    opened: list[Any] = []
    app = _deferred_app(path, opened)
    done: list[bool] = []
    first_rows = read_first_screen(QuickChatList(path)).lists
    anna = next(r for r in next(iter(first_rows.values())) if r.peer.id == "anna")
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is not None and isinstance(screen, MainScreen) and not done:
            done.append(True)
            assert screen.open_chat_id is None and screen.current is None
            screen.post_event(msg.NotificationRaised(anna.chat.id, "Early Title", "early body"))
            screen.open_chat(anna.chat.id)  # what Enter on a row does, before the pane is there

    app._display = display
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.screen
            await wait_for(pilot, lambda: screen.open_chat_id == anna.chat.id)
            await settle(pilot)
            assert done
            assert screen.current is not None and screen.current.peer.id == "anna"
            assert any("early body" in str(n.message) for n in app.shown_toasts)
    finally:
        for db in opened:
            db.close()


async def test_quitting_at_the_first_frame_is_clean(tmp_path: Path) -> None:
    """Quit before the pane is mounted: no error (the pane's mount finds the screen closing)."""
    path = tmp_path / "m.db"
    await _seeded(path)
    opened: list[Any] = []
    app = _deferred_app(path, opened)
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if renderable is not None and isinstance(screen, MainScreen):
            app.exit()

    app._display = display
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause(0.2)
        assert app.return_code == 0 and app._exception is None
    finally:
        for db in opened:
            db.close()


def test_the_first_frame_imports_neither_the_pane_nor_the_history_view() -> None:
    """What run_app imports before the first frame leaves out the conversation pane and the message view
    (they come with the pane, after the frame) and the look-alike library's loader (urllib)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from tui_messenger.services.deferred import DeferredMessenger, read_first_screen\n"
        "from tui_messenger.tui.app import MessengerApp\n"
        "from tui_messenger.tui.themes import register_themes\n"
        "loaded = [m for m in ('tui_messenger.tui.conversation.pane',"
        " 'tui_messenger.tui.widgets.message_view', 'tui_messenger.tui.widgets.composer',"
        " 'sqlalchemy', 'sqlmodel', 'pydantic', 'urllib.request')"
        " if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


FIRST_FRAME_PROBE = """
import asyncio, sys
from pathlib import Path
from tui_messenger.domain.clock import ManualClock
from tui_messenger.services.deferred import DeferredMessenger, read_first_screen
from tui_messenger.store.chat_rows import QuickChatList
from tui_messenger.tui.app import MessengerApp
from tui_messenger.tui.screens.main import MainScreen
from tui_messenger.tui.themes import packaged_theme_dirs, register_themes

HEAVY = ("tui_messenger.tui.keys", "tui_messenger.tui.conversation.pane",
         "tui_messenger.tui.widgets.message_view", "tui_messenger.tui.widgets.composer", "sqlalchemy")

def build():
    raise RuntimeError("not built in this probe")

async def main():
    quick = QuickChatList(Path({db!r}))
    messenger = DeferredMessenger(build, quick=quick, user_id="me", clock=ManualClock(),
                                  first=read_first_screen(quick))
    app = MessengerApp(messenger, register_themes=lambda a: register_themes(a, packaged_theme_dirs()),
                       defer_conversation=True)
    seen = []
    original = app._display

    def display(screen, renderable):
        original(screen, renderable)
        if renderable is not None and isinstance(screen, MainScreen) and not seen:
            seen.append(sorted(m for m in HEAVY if m in sys.modules))
            app.exit()

    app._display = display
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.05)
    assert seen == [[]], seen

asyncio.run(main())
"""


async def test_the_first_frame_path_imports_nothing_it_does_not_draw(tmp_path: Path) -> None:
    """Up to the first frame of the deferred app (a fresh interpreter): no keys table (it imports every
    screen), no conversation pane, message view or composer, no SQLAlchemy."""
    import subprocess
    import sys

    path = tmp_path / "m.db"
    await _seeded(path)
    code = FIRST_FRAME_PROBE.format(db=str(path))
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


BUILD_PROBE = """
import sys
from pathlib import Path
from tui_messenger.bootstrap import Deferred, build_app
from tui_messenger.services.deferred import read_first_screen
from tui_messenger.settings import AppSettings
from tui_messenger.store.chat_rows import QuickChatList
from tui_messenger.store.preflight import preflight

path = Path({db!r})
checked = preflight(path, exclusive=True, defer_history=True)
first = read_first_screen(QuickChatList(checked.path))
settings = AppSettings(db_path=path, config_dir=path.parent / "config")
app = build_app(settings, deferred=Deferred(checked, first, None))
loaded = [m for m in ("sqlalchemy", "sqlmodel", "pydantic") if m in sys.modules]
assert not loaded, loaded
checked.release()
"""


async def test_run_apps_path_to_the_first_frame_imports_no_sqlalchemy(tmp_path: Path) -> None:
    """`run_app`'s own steps up to `app.run()` (preflight, the first screen's rows, `build_app` with the
    virtual clock resumed from the file) use plain sqlite3 alone. The clock's stored jumps were once read
    with a key imported from the settings repository, which brought SQLAlchemy and sqlmodel (~0.35 s
    here) before the first frame."""
    import subprocess
    import sys

    path = tmp_path / "m.db"
    await _seeded(path)
    subprocess.run([sys.executable, "-c", BUILD_PROBE.format(db=str(path))], check=True, timeout=120)
