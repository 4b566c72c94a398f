"""Drive the installed `tui-messenger` in a pseudo-terminal, the way a person at a real terminal does.

The app runs as its own process on a pty of a fixed size; everything it writes is kept (`raw`) and fed to
a terminal emulator (pyte) so a test reads the screen a person would see. Input is the bytes a terminal
sends: keys (`KEYS`) and SGR mouse reports (`ESC [ < b ; x ; y M` for a press, `m` for the release).

Screen coordinates in this module are 0-based (column x, row y of `screen_lines()`); `click` turns them
into the 1-based coordinates of the SGR report.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pyte

KEYS = {
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "enter": "\r",
    "tab": "\t",
    "shift+tab": "\x1b[Z",
    "escape": "\x1b",
    "backspace": "\x7f",
    "delete": "\x1b[3~",
    "space": " ",
    **{f"ctrl+{c}": chr(ord(c) - ord("a") + 1) for c in "abcdefghjklnopqrstuvwxyz"},
}
"""Named keys as a terminal (xterm) sends them. ctrl+m is Enter and ctrl+i is Tab, so they are left out."""

TRACEBACK = b"Traceback (most recent call last)"


def executable() -> list[str]:
    """The installed console script, next to the Python running the tests (a venv's bin folder)."""
    script = Path(sys.executable).with_name("tui-messenger")
    if script.exists():
        return [str(script)]
    found = shutil.which("tui-messenger")
    if found:
        return [found]
    raise RuntimeError("tui-messenger is not installed (pip install -e '.[test]')")


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment whose every folder the app may use is under `home`: no test reads or writes the
    user's own database, settings or cache, and no test sees another's."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TUI_MESSENGER_", "TEXTUAL", "XDG_")) and key not in ("COLUMNS", "LINES")
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"),
        TUI_MESSENGER_DATA_DIR=str(home / "data" / "tui-messenger"),
        TUI_MESSENGER_CONFIG_DIR=str(home / "config" / "tui-messenger"),
        TUI_MESSENGER_CACHE_DIR=str(home / "cache" / "tui-messenger"),
        TERM="xterm-256color",
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        PYTHONFAULTHANDLER="1",
    )
    env.pop("BROWSER", None)
    env.update(extra)
    return env


@dataclass
class Exit:
    code: int | None
    output: bytes


class Term:
    """One run of the app in a pty. Use `start()` to make one."""

    def __init__(self, process: subprocess.Popen[bytes], leader: int, follower: int, size: tuple[int, int]):
        self.process = process
        self.size = size
        self._leader = leader
        self._follower = follower  # kept open: the pty's modes can be read after the app has gone
        self._lock = threading.Lock()
        self._raw = bytearray()
        self._screen = pyte.Screen(*size)
        self._stream = pyte.ByteStream(self._screen)
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()

    # --- output ---------------------------------------------------------------------------------------

    def _read(self) -> None:
        import select

        while True:
            try:
                ready, _, _ = select.select([self._leader], [], [], 0.05)
                if not ready:
                    if self.process.poll() is not None and not self._pending():
                        return
                    continue
                chunk = os.read(self._leader, 65536)
            except (OSError, ValueError):
                return
            if not chunk:
                return
            with self._lock:
                self._raw += chunk
                self._stream.feed(chunk)

    def _pending(self) -> bool:
        import select

        try:
            return bool(select.select([self._leader], [], [], 0)[0])
        except (OSError, ValueError):
            return False

    @property
    def raw(self) -> bytes:
        """Every byte the app wrote to the terminal so far."""
        with self._lock:
            return bytes(self._raw)

    def screen_lines(self) -> list[str]:
        with self._lock:
            try:
                return [line.rstrip() for line in self._screen.display]
            except IndexError:
                # pyte keeps an empty cell when a zero-width character (a variation selector after an
                # emoji) lands at the start of a cell, and its `display` then fails on it; a terminal
                # draws nothing there. Read the cells ourselves, an empty one as nothing.
                screen = self._screen
                return [
                    "".join(screen.buffer[y][x].data for x in range(screen.columns)).rstrip()
                    for y in range(screen.lines)
                ]

    def screen_text(self) -> str:
        return "\n".join(self.screen_lines())

    def find_all(self, text: str, rows: range | None = None) -> list[tuple[int, int]]:
        """(x, y) of the first cell of each place `text` is on screen, top to bottom (only in `rows`)."""
        with self._lock:
            lines = list(self._screen.display)
        found = []
        for y in rows if rows is not None else range(len(lines)):
            at = lines[y].find(text)
            while at >= 0:
                found.append((_width(lines[y][:at]), y))
                at = lines[y].find(text, at + len(text))
        return found

    def find(self, text: str, rows: range | None = None, *, last: bool = False) -> tuple[int, int] | None:
        """(x, y) of the first (or `last`) place `text` is on screen, or None."""
        found = self.find_all(text, rows)
        return (found[-1] if last else found[0]) if found else None

    def background(self, x: int, y: int) -> str:
        """The background colour of screen cell (x, y), as pyte names it ("default", a name or hex)."""
        with self._lock:
            return self._screen.buffer[y][x].bg

    def wait_for(self, text: str, timeout: float = 15.0, *, gone: bool = False) -> str:
        """Poll the screen until `text` is on it (or, with `gone`, no longer on it); the screen. Fails with
        the screen (and the app's end, if it ended) when the time is up."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen_text()
            if (text in screen) != gone:
                return screen
            if self.process.poll() is not None:
                time.sleep(0.1)  # the last bytes
                screen = self.screen_text()
                if (text in screen) != gone:
                    return screen
                self.fail(f"the app ended (exit {self.process.returncode}) while waiting for {text!r}")
            if time.monotonic() > deadline:
                self.fail(f"{text!r} did not {'go' if gone else 'show'} within {timeout} s")
            time.sleep(0.03)

    def wait_until(self, done: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
        """Poll until `done()`; fails with the screen, saying `what` was awaited."""
        deadline = time.monotonic() + timeout
        while not done():
            if self.process.poll() is not None:
                self.fail(f"the app ended (exit {self.process.returncode}) while waiting until {what}")
            if time.monotonic() > deadline:
                self.fail(f"not {what} within {timeout} s")
            time.sleep(0.03)

    def assert_running(self) -> None:
        if self.process.poll() is not None:
            self.fail(f"the app ended (exit {self.process.returncode})")

    def fail(self, why: str) -> NoReturn:
        """An AssertionError that shows the screen and, if the app ended, its last output."""
        end = f"\n--- last output ---\n{_tail(self.raw)}" if self.process.poll() is not None else ""
        raise AssertionError(f"{why}:\n{self.screen_text()}{end}")

    def settle(self, quiet: float = 0.2, timeout: float = 5.0) -> None:
        """Wait until the app has written nothing for `quiet` seconds (or `timeout` passed)."""
        deadline = time.monotonic() + timeout
        last, since = len(self.raw), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.03)
            now = len(self.raw)
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    # --- input ----------------------------------------------------------------------------------------

    def write(self, data: bytes | str) -> None:
        os.write(self._leader, data.encode() if isinstance(data, str) else data)

    def send_keys(self, *keys: str, pause: float = 0.05) -> None:
        """Each argument a named key (`KEYS`: "enter", "down", "ctrl+q"...) or literal text to type."""
        for key in keys:
            self.write(KEYS.get(key, key))
            time.sleep(pause)

    def type(self, text: str) -> None:
        """Text typed key by key, as a person types (a paste would arrive in one read)."""
        for char in text:
            self.write(char)
            time.sleep(0.01)

    def click(self, x: int, y: int, *, button: int = 0, hold: float = 0.0) -> None:
        """A mouse click at screen cell (x, y), 0-based: the SGR press, then the release, `hold` seconds
        later; with no hold both reach the app in one read, as a quick tap on a touchpad does."""
        assert 0 <= x < self.size[0] and 0 <= y < self.size[1], (x, y, self.size)
        press, release = f"\x1b[<{button};{x + 1};{y + 1}M", f"\x1b[<{button};{x + 1};{y + 1}m"
        if hold:
            self.write(press)
            time.sleep(hold)
            self.write(release)
        else:
            self.write(press + release)

    def click_text(
        self,
        text: str,
        *,
        rows: range | None = None,
        last: bool = False,
        timeout: float = 15.0,
        button: int = 0,
        hold: float = 0.0,
    ) -> tuple[int, int]:
        """Wait for `text` on screen (in `rows`, if given) and click the middle of its first (or `last`)
        place; the cell clicked."""
        deadline = time.monotonic() + timeout
        while (where := self.find(text, rows, last=last)) is None:
            if self.process.poll() is not None:
                self.fail(f"the app ended (exit {self.process.returncode}) before {text!r} could be clicked")
            if time.monotonic() > deadline:
                self.fail(
                    f"{text!r} was not on screen{f' in rows {rows}' if rows else ''} within {timeout} s"
                )
            time.sleep(0.03)
        x, y = where[0] + (_width(text) - 1) // 2, where[1]
        self.click(x, y, button=button, hold=hold)
        return x, y

    # --- the end --------------------------------------------------------------------------------------

    def wait_exit(self, timeout: float = 15.0) -> Exit:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.fail(f"the app did not end within {timeout} s")
        self._reader.join(timeout=5)
        return Exit(self.process.returncode, self.raw)

    def quit(self, timeout: float = 15.0) -> Exit:
        """ctrl+q, the exit; asserts exit 0, no traceback and a terminal left as it was found."""
        self.send_keys("ctrl+q")
        result = self.wait_exit(timeout)
        if result.code != 0:
            self.fail(f"exit {result.code} after ctrl+q")
        assert_no_traceback(result.output)
        self.assert_terminal_restored()
        self.assert_nothing_left_running()
        return result

    def assert_nothing_left_running(self, timeout: float = 3.0) -> None:
        """No process of the app's session (its process group) outlives it."""
        deadline = time.monotonic() + timeout
        while group_alive(self.process.pid):
            if time.monotonic() > deadline:
                self.fail("a process of the app was left running after it ended")
            time.sleep(0.05)

    def assert_terminal_restored(self) -> None:
        """The alternate screen left, mouse and paste reporting off, the cursor shown, the line modes
        (echo, canonical input) back."""
        import termios

        output = self.raw
        for mode in (b"1049", b"1000", b"1003", b"1006", b"2004"):
            on, off = output.rfind(b"\x1b[?" + mode + b"h"), output.rfind(b"\x1b[?" + mode + b"l")
            assert on < 0 or off > on, f"mode ?{mode.decode()} left on"
        hidden = output.rfind(b"\x1b[?25l")
        assert hidden < 0 or output.rfind(b"\x1b[?25h") > hidden, "cursor left hidden"
        lflag = termios.tcgetattr(self._follower)[3]
        assert lflag & termios.ECHO and lflag & termios.ICANON, "the terminal was left in raw mode"

    def hang_up(self) -> None:
        """The terminal goes away without a signal (its window's process killed): the pty's other end
        closes, and the app reads end of file."""
        os.close(self._leader)
        self._leader = -1

    def close(self) -> None:
        """End the app and its session if they still run (SIGKILL after a grace period); free the pty."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if group_alive(self.process.pid):  # whatever it started in its session
            os.killpg(self.process.pid, signal.SIGKILL)
        self._reader.join(timeout=5)
        for fd in (self._leader, self._follower):
            if fd < 0:
                continue
            try:
                os.close(fd)
            except OSError:
                pass


def start(
    size: tuple[int, int] = (120, 40),
    *,
    home: Path,
    db: Path | None = None,
    args: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    stdin: int | None = None,
) -> Term:
    """Start the installed app in a new pty of `size` (columns, rows), its folders under `home`, on `db`
    (TUI_MESSENGER_DB; default `home/messenger.db`). `stdin` replaces the pty as its input (for example
    subprocess.DEVNULL: started from a terminal, with no keys to read)."""
    import fcntl
    import pty
    import struct
    import termios

    columns, rows = size
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environment = isolated_env(home, TUI_MESSENGER_DB=str(db or home / "messenger.db"))
    environment.update(env or {})
    process = subprocess.Popen(
        [*executable(), *args],
        stdin=follower if stdin is None else stdin,
        stdout=follower,
        stderr=follower,
        env=environment,
        cwd=home,
        start_new_session=True,  # its own process group: `close` ends it whole, `quit` checks it is gone
        close_fds=True,
    )
    return Term(process, leader, follower, size)


def group_alive(pgid: int) -> bool:
    """Whether any process of process group `pgid` is still there."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def assert_no_traceback(output: bytes) -> None:
    assert TRACEBACK not in output, f"a traceback reached the terminal:\n{_tail(output)}"


def _tail(output: bytes, size: int = 3000) -> str:
    return output[-size:].decode("utf-8", errors="replace")


def _width(text: str) -> int:
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)
