"""The one place that builds the real app and the test app from settings.

Everything is injected from here: the database, the clock, the fake network and the services.
Nothing here runs at import time; folders are created only when first needed.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui_messenger.folders import cache_dir, config_dir, default_db_path, in_browser
from tui_messenger.ui_state import UiState

if TYPE_CHECKING:
    from tui_messenger.domain.clock import Clock, VirtualClock
    from tui_messenger.services.messenger_service import MessengerService
    from tui_messenger.store.database import Database
    from tui_messenger.transport.fake import World
    from tui_messenger.tui.app import MessengerApp


class BootError(Exception):
    """A problem that stops the app before its first frame: one clear line, an exit code."""

    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class AppSettings:
    db_path: Path | None = None
    scenario: str = "default"
    seed: int = 0
    speed: float = 1.0
    theme: str | None = None
    faults: dict[str, float] = field(default_factory=dict)
    config_dir: Path | None = None
    downloads: Path | None = None  # where saved files go; else config.toml [files], else the system's


def tell(notices: list[str]) -> None:
    """Notices that do not stop the app (permissions tightened), one line each on stderr."""
    for notice in notices:
        print(notice, file=sys.stderr)


def private_folders(settings: AppSettings) -> list[str]:
    """The config and cache folders, where they exist, tightened to 0700 (the data folder is the
    database's, tightened by its checks): the notices. Created 0700 when first needed."""
    from tui_messenger.domain.private import tighten

    notices = []
    for folder in (settings.config_dir or config_dir(), cache_dir()):
        notice = tighten(folder, mode=0o700, what="folder")
        if notice:
            notices.append(notice)
    return notices


def needs_terminal() -> None:
    """Refuse to open the messenger without a terminal on stdin and stdout (started from a script, a pipe
    or a service): BootError, exit 2, at once. Textual would wait for input that never comes. A browser
    tab's app (`tui-messenger serve`) has pipes to the server instead, and Textual's web driver on them."""
    if in_browser():
        return
    if not (sys.stdin is not None and sys.stdin.isatty() and sys.stdout is not None and sys.stdout.isatty()):
        raise BootError(
            "needs a terminal: run it in one (subcommands such as report, export and scenario work without)"
        )


def open_store(path: Path | None, *, exclusive: bool = True) -> Database:
    """Open the database or raise BootError (exit 2) with the store's one-line reason. The default
    database's folder (the app's data folder) is kept 0700; any permission tightened is told on stderr."""
    from tui_messenger.store.database import open_database
    from tui_messenger.store.preflight import StoreError

    try:
        db = open_database(path or default_db_path(), exclusive=exclusive, own_folder=path is None)
    except StoreError as exc:
        raise BootError(str(exc)) from exc
    tell(db.notices)
    return db


def load_world(scenario: str) -> World:
    """The scenario's world, or BootError (exit 2) naming the file, the line and the field."""
    from tui_messenger.transport.fake import ScenarioError
    from tui_messenger.transport.fake import load_world as _load

    try:
        return _load(scenario)
    except ScenarioError as exc:
        first = exc.issues[0] if exc.issues else exc
        more = f" (and {len(exc.issues) - 1} more)" if len(exc.issues) > 1 else ""
        raise BootError(f"{first}{more}") from exc
    except OSError as exc:
        raise BootError(f"{scenario}: cannot read scenario: {exc.strerror}") from exc


def _builtin_scenario(name: str) -> bool:
    """A built-in scenario's name (its file ships in the package), told without importing the loader
    and pydantic, which the first frame does not need."""
    from importlib import resources

    if not name or any(c in name for c in "/\\") or name.startswith("."):
        return False
    return (resources.files("tui_messenger") / "transport" / "fake" / "scenarios" / f"{name}.toml").is_file()


def resumed_clock(path: Path, *, speed: float) -> VirtualClock:
    """The tester's virtual clock, going on from where the database's last run left it: its stored jumps
    again, and never before the newest activity on record (one "Today" per chat, nothing in the future)."""
    from tui_messenger.domain.clock import VirtualClock
    from tui_messenger.store.chat_rows import QuickChatList

    clock = VirtualClock(speed=speed)
    jumped, newest = QuickChatList(path).clock_state()
    clock.resume(jumped=jumped, not_before=newest)
    return clock


def build_messenger(
    db: Database,
    world: World,
    *,
    clock: Clock,
    seed: int = 0,
    faults: dict[str, float] | None = None,
    downloads: Path | None = None,
) -> MessengerService:
    from tui_messenger.services.messenger_service import MessengerService
    from tui_messenger.store.messages import MessageRepository
    from tui_messenger.transport.fake import FakePeer, FaultPlan
    from tui_messenger.transport.fake.seed import once_ids

    plan = None
    if faults and any(faults.values()):
        plan = FaultPlan(**{name: rate for name, rate in faults.items() if rate}, seed=seed)
    # What the world sends once and this database already holds is not sent again by a restarted network.
    delivered = MessageRepository(db).existing(message_ids=once_ids(world))
    peer = FakePeer(world, clock=clock, seed=seed, faults=plan, delivered=delivered)
    return MessengerService(db, peer, clock=clock, user_id=peer.user_id, downloads=downloads)


def _ui_theme(settings: AppSettings) -> tuple[str | None, Callable[[str], None]]:
    """The theme to start with (a `--theme` is remembered) and how to remember a later choice."""
    state = UiState(settings.config_dir or config_dir())
    theme = settings.theme or state.load().get("theme")
    if settings.theme:
        state.save(theme=settings.theme)
    return theme, lambda name: state.save(theme=name)


def _ui_config(folder: Path) -> dict[str, Any]:
    """The App's keyword arguments from `config.toml` (keys, bell) and what was wrong with the file."""
    from tui_messenger.tui.config import load_config

    config = load_config(folder)
    return {"keymap": config.keymap, "bell": config.bell, "config_problems": config.problems}


def _downloads(settings: AppSettings) -> Path | None:
    """The folder saved files go to: `settings.downloads`, else config.toml's [files] downloads, else
    None (the service asks platformdirs when a file is first saved)."""
    if settings.downloads is not None:
        return settings.downloads
    from tui_messenger.tui.config import load_config

    return load_config(settings.config_dir or config_dir()).downloads


def show_refusals(settings: AppSettings) -> bool:
    """config.toml's [testers] show_refusals; on by default: the app always runs a scenario (the demo world
    is one) on the fake network, which tells testers what it refused."""
    from tui_messenger.tui.config import load_config

    chosen = load_config(settings.config_dir or config_dir()).show_refusals
    return True if chosen is None else chosen


def build_app(settings: AppSettings, db: Database) -> MessengerApp:
    """The real app on an open database: the fake network on a running virtual clock."""
    from tui_messenger.tui.app import MessengerApp
    from tui_messenger.tui.themes import register_themes

    world = load_world(settings.scenario)
    clock = resumed_clock(db.path, speed=settings.speed)
    messenger = build_messenger(
        db, world, clock=clock, seed=settings.seed, faults=settings.faults, downloads=_downloads(settings)
    )
    messenger.show_refusals = show_refusals(settings)
    theme, remember = _ui_theme(settings)
    return MessengerApp(
        messenger,
        theme=theme,
        on_theme_changed=remember,
        register_themes=register_themes,
        **_ui_config(settings.config_dir or config_dir()),
    )


def build_test_app(
    tmp_path: Path,
    *,
    seed: int = 1,
    scenario: str = "default",
    clock: Clock | None = None,
    theme: str | None = None,
    keymap: dict[str, str] | None = None,
    bell: bool | None = None,
    downloads: Path | None = None,
    refusals: bool | None = None,
) -> MessengerApp:
    """The app for tests: its own database and settings folder (`tmp_path/config`, whose config.toml is
    read if a test wrote one), a fixed clock, a zero-delay peer. `keymap` and `bell` override the file.
    Saved files go to `downloads`, else the file's [files] downloads, else `tmp_path/downloads`."""
    from tui_messenger.domain.clock import ManualClock
    from tui_messenger.store.database import open_database
    from tui_messenger.tui.app import MessengerApp
    from tui_messenger.tui.config import load_config
    from tui_messenger.tui.themes import packaged_theme_dirs, register_themes

    db = open_database(tmp_path / "messenger.db")
    folder = downloads or _downloads(AppSettings(config_dir=tmp_path / "config")) or tmp_path / "downloads"
    messenger = build_messenger(
        db, load_world(scenario), clock=clock or ManualClock(), seed=seed, downloads=folder
    )
    # Tests start quiet: the file's setting, else off (`refusals` overrides both).
    chosen = load_config(tmp_path / "config").show_refusals if refusals is None else refusals
    messenger.show_refusals = bool(chosen)
    state = UiState(tmp_path / "config")
    config = _ui_config(tmp_path / "config")
    if keymap is not None:
        config["keymap"] = keymap
    if bell is not None:
        config["bell"] = bell
    return MessengerApp(
        messenger,
        theme=theme,
        on_theme_changed=lambda name: state.save(theme=name),
        register_themes=lambda app: register_themes(app, packaged_theme_dirs()),
        **config,
    )


@asynccontextmanager
async def headless_messenger(settings: AppSettings) -> AsyncIterator[MessengerService]:
    """The service without a screen, for subcommands. A fresh database first takes in the demo world
    (or the chosen scenario) from the fake network, as the first run of the app would."""
    from tui_messenger.domain.clock import ManualClock

    db = open_store(settings.db_path, exclusive=False)
    try:
        now = resumed_clock(db.path, speed=1.0).now()  # the tester's clock, its stored jumps included
        service = build_messenger(db, load_world(settings.scenario), clock=ManualClock(now))
        if service.settings.sync_token() is None:
            await service.start()
            try:
                await _until_synced(service)
            finally:
                await service.stop()
        yield service
    finally:
        db.close()


async def _until_synced(service: MessengerService, *, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (service.settings.sync_token() is not None and service.idle):
        if loop.time() > deadline:
            raise BootError("the fake network did not finish its first sync", exit_code=1)
        service.progress.clear()
        try:
            await asyncio.wait_for(service.progress.wait(), timeout=0.5)
        except TimeoutError:
            pass


def run_app(settings: AppSettings) -> int:
    """Check the database while the screens import, show the chat list, then build the service.

    A bad database or scenario file fails before any screen is drawn, except damage in the message history
    itself: its check (a full `quick_check`, about 0.5 s for a million messages) runs in a thread after
    the first frame, before anything writes to the file, and a failure closes the app with the same one
    line and exit code (see store/preflight.py for why this is safe). The first frame needs only Textual
    and plain sqlite3; SQLAlchemy, pydantic and the network are imported in a thread after it.

    The cyclic collector is off from here until the service is built (`tune_gc`, after the first frame):
    the imports and the first frame allocate a few hundred thousand objects that all live as long as the
    app, and the collections they set off (each walking all of them again) took about a tenth of the time
    to the first frame. The few cycles of garbage made meanwhile are frozen with the rest.
    """
    import gc

    gc.disable()
    try:
        return _run_app(settings)
    finally:
        gc.enable()


def _run_app(settings: AppSettings) -> int:
    from tui_messenger.store.preflight import StoreError, preflight

    path = settings.db_path or default_db_path()
    with ThreadPoolExecutor(max_workers=1) as pool:
        own = settings.db_path is None  # the app's data folder: kept 0700
        checking = pool.submit(preflight, path, exclusive=True, defer_history=True, own_folder=own)
        from tui_messenger.services.deferred import DeferredMessenger, read_first_screen
        from tui_messenger.store.chat_rows import QuickChatList

        # Then, in the same thread, what the first frame shows (read-only, from the tables just checked).
        reading = pool.submit(lambda: read_first_screen(QuickChatList(checking.result().path)))
        from tui_messenger.tui.app import MessengerApp
        from tui_messenger.tui.themes import register_themes

        try:
            checked = checking.result()
        except StoreError as exc:
            reading.cancel()
            raise BootError(str(exc)) from exc
        tell(checked.notices + private_folders(settings))
        try:
            # A tester's own file (or a name that is no built-in) is checked now; a built-in is known good
            # and loads with the service.
            world = None if _builtin_scenario(settings.scenario) else load_world(settings.scenario)
            needs_terminal()  # after the database's and the scenario's checks (bad input is told first)
        except BootError:
            checked.release()
            raise
        try:
            first = reading.result()
        except Exception:  # read again by the screen, where a failure is one literal line, not a traceback
            first = None
    opened: list[Database] = []
    try:
        clock = resumed_clock(checked.path, speed=settings.speed)

        def build() -> MessengerService:
            # The history's integrity check in its own thread (sqlite3 releases the GIL) while this one
            # imports SQLAlchemy and pydantic; the database is opened, and so written, only once it passed.
            with ThreadPoolExecutor(max_workers=1) as verifier:
                verified = verifier.submit(checked.verify)
                import tui_messenger.services.messenger_service  # noqa: F401 - imported while it checks
                from tui_messenger.store.database import open_database

                verified.result()
            db = open_database(checked.path, checked=checked)
            opened.append(db)
            service = build_messenger(
                db,
                world or load_world(settings.scenario),
                clock=clock,
                seed=settings.seed,
                faults=settings.faults,
                downloads=downloads,
            )
            service.show_refusals = refusals
            from tui_messenger.tui.quiet_gc import tune_gc  # imported with the screens already

            tune_gc()  # everything imported and built: what exists now lives as long as the app
            return service

        downloads = _downloads(settings)
        refusals = show_refusals(settings)
        messenger = DeferredMessenger(
            build, quick=QuickChatList(checked.path), user_id="me", clock=clock, first=first
        )
        theme, remember = _ui_theme(settings)
        app = MessengerApp(
            messenger,
            theme=theme,
            on_theme_changed=remember,
            register_themes=register_themes,
            defer_conversation=True,
            **_ui_config(settings.config_dir or config_dir()),
        )
        messenger.on_refused = lambda _: app.exit(return_code=2)
        app.run()
        if messenger.refused is not None:  # damage found after the first frame: nothing was written
            raise BootError(str(messenger.refused))
        return app.return_code or 0
    finally:
        for db in opened:
            db.close()
        checked.release()
