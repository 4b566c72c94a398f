"""The one place that builds the real app and the test app from settings.

Everything is injected from here: the database, the clock, the fake network and the services.
Nothing here runs at import time; folders are created only when first needed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tui_messenger.bootstrap_matrix import matrix_service, quiet_network_logs
from tui_messenger.folders import cache_dir, default_db_path, in_browser
from tui_messenger.settings import AppSettings, Resolved, resolve
from tui_messenger.ui_state import UiState

if TYPE_CHECKING:
    from tui_messenger.domain.clock import Clock, VirtualClock
    from tui_messenger.services.deferred import FirstScreen
    from tui_messenger.services.port import Messenger
    from tui_messenger.services.service import MessengerService
    from tui_messenger.store.database import Database
    from tui_messenger.store.preflight import Preflight
    from tui_messenger.transport.fake import World
    from tui_messenger.transport.matrix.early_sync import EarlySync
    from tui_messenger.tui.app import MessengerApp


class BootError(Exception):
    """A problem that stops the app before its first frame: one clear line, an exit code."""

    def __init__(self, message: str, *, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def tell(notices: list[str]) -> None:
    """Notices that do not stop the app (permissions tightened), one line each on stderr."""
    for notice in notices:
        print(notice, file=sys.stderr)


def private_folders(settings: AppSettings) -> list[str]:
    """The config and cache folders, where they exist, tightened to 0700 (the data folder is the
    database's, tightened by its checks): the notices. Created 0700 when first needed."""
    from tui_messenger.domain.private import tighten

    notices = []
    for folder in (settings.folder, cache_dir()):
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
    show_refusals: bool = True,
) -> MessengerService:
    from tui_messenger.services.service import MessengerService
    from tui_messenger.store.messages import MessageRepository
    from tui_messenger.transport.fake import FakePeer, FaultPlan
    from tui_messenger.transport.fake.seed import once_ids

    plan = None
    if faults and any(faults.values()):
        plan = FaultPlan(**{name: rate for name, rate in faults.items() if rate}, seed=seed)
    # What the world sends once and this database already holds is not sent again by a restarted network.
    delivered = MessageRepository(db).existing(message_ids=once_ids(world))
    peer = FakePeer(world, clock=clock, seed=seed, faults=plan, delivered=delivered)
    return MessengerService(
        db, peer, clock=clock, user_id=peer.user_id, downloads=downloads, show_refusals=show_refusals
    )


def _ui_theme(settings: AppSettings) -> tuple[str | None, Callable[[str], None]]:
    """The theme to start with (a `--theme` is remembered) and how to remember a later choice."""
    state = UiState(settings.folder)
    theme = settings.theme or state.load().get("theme")
    if settings.theme:
        state.save(theme=settings.theme)
    return theme, lambda name: state.save(theme=name)


@dataclass
class Deferred:
    """What `run_app` checked before the first frame; the service is built from it after that frame."""

    checked: Preflight
    first: FirstScreen | None
    world: World | None  # a tester's scenario file, already loaded; None: a built-in, loaded with the service
    opened: list[Database] = field(default_factory=list)

    def service(self, settings: AppSettings, run: Resolved, clock: Clock) -> MessengerService:
        # The history's integrity check in its own thread (sqlite3 releases the GIL) while this one
        # imports SQLAlchemy and pydantic; the database is opened, and so written, only once it passed.
        from tui_messenger.services.early_sync import early_sync  # (the standard library only)

        early = early_sync(self.checked.path)  # a Matrix account's first sync: the server works meanwhile
        with ThreadPoolExecutor(max_workers=1) as verifier:
            verified = verifier.submit(self.checked.verify)
            import tui_messenger.services.service  # noqa: F401 - imported while it checks
            from tui_messenger.store.database import open_database

            verified.result()
        db = open_database(self.checked.path, checked=self.checked)
        self.opened.append(db)
        world = self.world
        service = _service(db, lambda: world or load_world(settings.scenario), settings, run, clock, early)
        from tui_messenger.tui.quiet_gc import tune_gc  # imported with the screens already

        tune_gc()  # everything imported and built: what exists now lives as long as the app
        return service

    def close(self) -> None:
        for db in self.opened:
            db.close()
        self.checked.release()


def _service(
    db: Database,
    world: Callable[[], World],
    settings: AppSettings,
    run: Resolved,
    clock: Clock,
    early: EarlySync | None = None,
) -> MessengerService:
    """The service on `db`: over Matrix when the database belongs to a Matrix account, else over the fake
    network running `world` (loaded only then)."""
    matrix = matrix_service(db, clock=clock, downloads=run.downloads, early=early)
    if matrix is not None:
        quiet_network_logs()
        return matrix
    return build_messenger(
        db,
        world(),
        clock=clock,
        seed=settings.seed,
        faults=settings.faults,
        downloads=run.downloads,
        show_refusals=run.show_refusals,
    )


def build_app(
    settings: AppSettings, *, db: Database | None = None, deferred: Deferred | None = None
) -> MessengerApp:
    """The app, the one way it is built (by `run_app`, the tests and the benchmark): on an open database
    `db` with the service built now, or `deferred`: the first frame from the file and the service built
    after it, as people run it."""
    from tui_messenger.tui.app import MessengerApp
    from tui_messenger.tui.themes import register_themes, theme_dirs

    run = resolve(settings)
    messenger: Messenger
    if deferred is not None:
        from tui_messenger.services.deferred import DeferredMessenger
        from tui_messenger.store.chat_rows import QuickChatList

        path = deferred.checked.path
        clock = settings.clock or resumed_clock(path, speed=settings.speed)
        messenger = late = DeferredMessenger(
            lambda: deferred.service(settings, run, clock),
            quick=QuickChatList(path),
            user_id="me",
            clock=clock,
            first=deferred.first,
        )
    elif db is not None:
        clock = settings.clock or resumed_clock(db.path, speed=settings.speed)
        messenger = _service(db, lambda: load_world(settings.scenario), settings, run, clock)
    else:
        raise ValueError("build_app needs an open database or a deferred start")
    theme, remember = _ui_theme(settings)
    dirs = theme_dirs(user_dir=settings.folder / "themes")
    app = MessengerApp(
        messenger,
        theme=theme,
        on_theme_changed=remember,
        register_themes=lambda app: register_themes(app, dirs),
        defer_conversation=deferred is not None,
        keymap=run.keymap,
        bell=run.bell,
        config_problems=list(run.problems),
    )
    if deferred is not None:
        late.on_refused = lambda _: app.exit(return_code=2)
    return app


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
    """`build_app` for tests: its own database and settings folder (`tmp_path/config`, whose config.toml
    is read if a test wrote one), a fixed clock (`StepClock`: a retry waits until a test moves the time), a
    zero-delay peer. Unlike a person's run, refusals are hidden unless the file or `refusals` shows them,
    and saved files go to `tmp_path/downloads` unless the file or `downloads` says otherwise."""
    from tui_messenger.domain.clock import StepClock
    from tui_messenger.store.database import open_database
    from tui_messenger.tui.config import load_config

    folder = tmp_path / "config"
    file = load_config(folder)
    settings = AppSettings(
        db_path=tmp_path / "messenger.db",
        scenario=scenario,
        seed=seed,
        theme=theme,
        config_dir=folder,
        downloads=downloads or file.downloads or tmp_path / "downloads",
        clock=clock or StepClock(),
        show_refusals=bool(file.show_refusals) if refusals is None else refusals,
        keymap=keymap,
        bell=bell,
    )
    return build_app(settings, db=open_database(tmp_path / "messenger.db"))


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
        from tui_messenger.services.deferred import read_first_screen
        from tui_messenger.store.chat_rows import QuickChatList

        # Then, in the same thread, what the first frame shows (read-only, from the tables just checked).
        reading = pool.submit(lambda: read_first_screen(QuickChatList(checking.result().path)))
        import tui_messenger.tui.app  # noqa: F401 - the screens import while the file is checked

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
            checked.abandon()  # a database this start made, still empty, goes again
            raise
        try:
            first = reading.result()
        except Exception:  # read again by the screen, where a failure is one literal line, not a traceback
            first = None
    deferred = Deferred(checked, first, world)
    try:
        app = build_app(settings, deferred=deferred)
        app.run()
        from tui_messenger.services.deferred import DeferredMessenger

        late = app.messenger
        if isinstance(late, DeferredMessenger) and late.refused is not None:
            raise BootError(str(late.refused))  # damage found after the first frame: nothing was written
        return app.return_code or 0
    finally:
        deferred.close()
