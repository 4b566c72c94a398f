"""The App: thin. It holds the Messenger, turns its events into Textual messages for the main screen,
starts and stops it (ctrl+q, SIGTERM, SIGHUP), registers themes and shows the settings' problems. Worker
errors are reported in one place, `tui.workers`."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar, cast

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from tui_messenger.domain.events import MessengerEvent, Notified
from tui_messenger.services.port import Messenger
from tui_messenger.tui import workers
from tui_messenger.tui.commands import NEW_CHAT_HINT, MessengerCommands
from tui_messenger.tui.config import problems_text
from tui_messenger.tui.messages import to_message
from tui_messenger.tui.modals.help import HelpModal, key_display
from tui_messenger.tui.quiet_gc import CHECK_EVERY_S, QuietCollector
from tui_messenger.tui.screens.main import MainScreen
from tui_messenger.tui.themes import DEFAULT_THEME, theme_variable_defaults
from tui_messenger.tui.widgets.textual_private import guard_pastes, start_with_theme

QUIT_KEY = "ctrl+q"
# Not on Windows (no SIGHUP there): the ones this platform has.
TERMINAL_CHECK_S = 1.0  # how often the app looks whether its terminal is still there
QUIT_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def clock_of(messenger: Messenger) -> Callable[[], datetime]:
    """The messenger's notion of now (the fake network's clock in tests and demos), else the wall clock."""
    clock = getattr(messenger, "clock", None)
    now = getattr(clock, "now", None)
    if callable(now):
        return cast("Callable[[], datetime]", now)
    return lambda: datetime.now(UTC)


SYSTEM_COMMANDS_LEFT_OUT = frozenset({"Keys", "Theme", "Maximize", "Minimize"})


class MessengerApp(App[None]):
    TITLE = "tui-messenger"
    CSS_PATH = "app.tcss"
    COMMANDS = {MessengerCommands}  # Textual's own (Quit, Screenshot) come through it, after ours
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(QUIT_KEY, "quit", "Quit", id="quit", priority=True),
        # Not a priority binding: a `?` typed into the composer or a search field stays text.
        Binding("f1,question_mark", "help", "Help", id="help"),
    ]

    def __init__(
        self,
        messenger: Messenger,
        *,
        theme: str | None = None,
        on_theme_changed: Callable[[str], None] | None = None,
        register_themes: Callable[[App[Any]], Any] | None = None,
        keymap: Mapping[str, str] | None = None,
        bell: bool = False,
        config_problems: Sequence[str] = (),
        defer_conversation: bool = False,
    ) -> None:
        super().__init__()
        guard_pastes()  # what the user pastes is text, never keys (tui/paste_guard.py)
        self.keymap: dict[str, str] = dict(keymap or {})
        self.bell_on_notify = bell
        self._config_problems = list(config_problems)
        self.messenger = messenger
        self.now = clock_of(messenger)
        self._on_theme_changed = on_theme_changed
        self._unsubscribe: Callable[[], None] | None = None
        self._main: MainScreen | None = None
        self._defer_conversation = defer_conversation  # see MainScreen: the pane after the first frame
        self._quiet_gc = QuietCollector()
        self._signals: list[signal.Signals] = []
        problems = register_themes(self) if register_themes is not None else None
        self._theme_problems = (
            [p for p in problems if isinstance(p, str)] if isinstance(problems, list) else []
        )
        for name in (theme, DEFAULT_THEME):
            if name and name in self.available_themes:
                start_with_theme(self, name)  # (setting `theme` would parse all the CSS twice)
                break
        else:
            if theme:
                self._theme_problems.append(f"Unknown theme {theme!r}; using {self.theme}.")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette commands, less those that doubled ours ("Keys" showed Textual's side
        panel beside our "Keys", "Theme" beside "Switch theme") and "Maximize" (one pane over the
        whole screen, the composer or the history, with nothing to say how to get back)."""
        for command in super().get_system_commands(screen):
            if command.title not in SYSTEM_COMMANDS_LEFT_OUT:
                yield command

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults(self.current_theme)

    def get_default_screen(self) -> MainScreen:
        """The main screen is the bottom of the stack: no blank screen first, styled, then covered."""
        self._main = MainScreen(self.messenger, now=self.now, defer_conversation=self._defer_conversation)
        return self._main

    def on_mount(self) -> None:
        self._quit_on_signals()
        self._apply_keymap()
        if self.is_web:  # `tui-messenger serve`: a line above the footer says what differs in a browser
            self.call_after_refresh(self._note_browser)
        self._unsubscribe = self.messenger.subscribe(self._on_event)
        workers.start(self, self.messenger.start, group="messenger", failed="Could not start")
        self.set_interval(CHECK_EVERY_S, self._quiet_gc.tick)
        if not self.is_headless and not self.is_web:
            self.set_interval(TERMINAL_CHECK_S, self._check_terminal)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        problems = [*self._theme_problems, *self._config_problems]
        if problems:  # one toast, each line cleaned: it quotes file names and the user's own text
            self.notify(problems_text(problems), severity="warning", markup=False, timeout=10)

    def _note_browser(self) -> None:
        from tui_messenger.tui.widgets.web_note import WebNote

        if self._main is not None:
            self._main.mount(WebNote(), after=self._main.query_one("#panes"))

    def _apply_keymap(self) -> None:
        """The user's `[keys]` remapping by binding id; an id the app does not have is a problem."""
        if not self.keymap:
            return  # nothing remapped: keys.py (it imports every screen and widget) waits for F1
        from tui_messenger.tui.keys import known_ids  # keys.py imports the screens

        known = known_ids(type(self))
        unknown = sorted(set(self.keymap) - known)
        if unknown:
            self._config_problems.append(f"config.toml [keys]: no binding {', '.join(unknown)}; ignored.")
        self.keymap = {k: v for k, v in self.keymap.items() if k in known}
        quit_keys = set(self.keymap.get("quit", QUIT_KEY).split(","))
        taking = sorted(k for k, v in self.keymap.items() if k != "quit" and quit_keys & set(v.split(",")))
        if taking:  # Textual would drop quit's own binding for the clash: the app could not be left
            self._config_problems.append(
                f"config.toml [keys]: {', '.join(taking)} would take quit's key; ignored."
            )
            self.keymap = {k: v for k, v in self.keymap.items() if k not in taking}
        if self.keymap:
            self.set_keymap(self.keymap)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpModal):
            return
        from tui_messenger.tui.keys import key_rows

        self.push_screen(HelpModal(key_rows(type(self), self.keymap), key_display(self.get_key_display)))

    def action_new_chat(self) -> None:
        """Write to someone new: the palette, which finds contacts by name and takes a Matrix ID."""
        from textual.command import CommandPalette

        if not isinstance(self.screen, CommandPalette):
            self.push_screen(CommandPalette(placeholder=NEW_CHAT_HINT, id="--command-palette"))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown):
            self._quiet_gc.busy()
        await super().on_event(event)

    def _on_event(self, event: MessengerEvent) -> None:
        self._quiet_gc.busy()
        message = to_message(event)
        if message is not None and self._main is not None:
            self._main.post_event(message)
            if isinstance(event, Notified) and self.bell_on_notify:
                if not (event.chat_id == self._main.open_chat_id and self.app_focus):
                    self.bell()  # with the toast; same rule: not for the chat being read

    def _theme_changed(self, theme: Any) -> None:
        if self._on_theme_changed is not None:
            self._on_theme_changed(theme.name)

    def _check_terminal(self) -> None:
        """A terminal that went away without a SIGHUP (the window's process killed, a session that is not
        the terminal's) leaves stdin at end of file: Textual's input thread then reads nothing in a loop,
        a whole core, for good. Gone, the app quits as on SIGHUP: the messenger stops, nothing is lost."""
        stdin = sys.__stdin__
        try:
            alive = stdin is not None and os.isatty(stdin.fileno())
        except (OSError, ValueError):
            alive = False
        if not alive:
            self.exit()

    def _quit_on_signals(self) -> None:
        """SIGTERM (kill, shutdown) and SIGHUP (the terminal closed) quit as ctrl+q does: the messenger
        stops and the terminal is given back (normal screen, mouse reporting off, cursor shown). Their
        default action ends the process at once and leaves the terminal in the app's modes."""
        if self.is_headless:
            return  # Pilot tests: the test runner's signals are its own
        loop = asyncio.get_running_loop()
        for signum in QUIT_SIGNALS:
            try:
                loop.add_signal_handler(signum, self.exit)
            except (NotImplementedError, RuntimeError, ValueError):  # no such signal, or not the main thread
                continue
            self._signals.append(signum)

    async def on_unmount(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in self._signals:
            loop.remove_signal_handler(signum)
        self._signals.clear()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        await self.messenger.stop()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker not started through `tui.workers` (Textual's own) that failed: reported the same way."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            workers.report(self, event.worker.error)
