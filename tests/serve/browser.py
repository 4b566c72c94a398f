"""Drive `tui-messenger serve` from headless Chromium, as a person with a browser does.

The page's terminal is xterm.js drawing into a canvas, so its text is not in the DOM. `Tab` taps the
page's websocket (Playwright's `framereceived`): the bytes the app sends are exactly what xterm.js draws,
and a pyte screen of the same size replays them, so a test reads the screen the person sees. Keys go to
the page as keystrokes (Playwright's keyboard), so they pass through xterm.js and the websocket as typed.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyte

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
URL = re.compile(rb"(http://\S+/\?token=\S+)")


class Server:
    """`tui-messenger ARGS --port 0` (ARGS end with `serve ...`): a free port, its own process group."""

    def __init__(self, home: Path, *args: str, env: dict[str, str]) -> None:
        script = Path(sys.executable).with_name("tui-messenger")
        self.process = subprocess.Popen(
            [str(script), *args, "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=home,
            start_new_session=True,
        )
        self.url = ""
        deadline = time.monotonic() + 20
        assert self.process.stdout is not None
        while not self.url:
            line = self.process.stdout.readline()
            if not line or time.monotonic() > deadline:
                raise AssertionError(f"serve printed no URL: {line!r} {self.process.stderr.read()!r}")
            found = URL.search(line)
            if found:
                self.url = found.group(1).decode()
        self.output: list[bytes] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    @property
    def base(self) -> str:
        return self.url.split("/?", 1)[0]

    def children(self) -> list[int]:
        """The app processes the server runs now (an ended one not yet reaped does not count)."""
        return [pid for pid in descendants(self.process.pid) if alive(pid)]

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 10) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.process.wait(timeout)


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, read from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def started_under(home: Path) -> list[int]:
    """Every running process whose environment has HOME=`home`: whatever a test started, however far down."""
    marker = f"HOME={home}".encode() + b"\0"
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                environ = Path(f"/proc/{entry}/environ").read_bytes()
            except OSError:
                continue
            if marker in environ and alive(int(entry)):
                found.append(int(entry))
    return found


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    pairs = (item.decode(errors="replace").partition("=") for item in raw if b"=" in item)
    return {key: value for key, _, value in pairs}


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


class Tab:
    """One browser page on the server, with a pyte screen fed by its websocket."""

    def __init__(self, page: Any, columns: int = 120, lines: int = 36) -> None:
        self.page = page
        self.lock = threading.Lock()
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.frames = 0
        self.loaded: float | None = None
        self.first_seen: dict[str, float] = {}
        self.watch: tuple[str, ...] = ()
        self.sockets: list[Any] = []
        page.on("websocket", self._on_websocket)
        page.on("load", self._on_load)

    def _on_load(self, _page: Any) -> None:
        self.loaded = time.monotonic()

    def _on_websocket(self, websocket: Any) -> None:
        self.sockets.append(websocket)
        query = parse_qs(urlsplit(websocket.url).query)
        if "width" in query and "height" in query:
            self._resize(int(query["width"][0]), int(query["height"][0]))
        websocket.on("framereceived", self._on_frame)
        websocket.on("framesent", self._on_sent)

    def _on_sent(self, payload: bytes | str) -> None:
        """The page tells the app its terminal's size (`["resize", {width, height}]`): the screen follows."""
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            self._resize(int(size["width"]), int(size["height"]))

    def _resize(self, columns: int, lines: int) -> None:
        with self.lock:
            self.screen.resize(lines, columns)

    def _on_frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):  # textual-serve's own messages (pong, open_url): not screen output
            return
        with self.lock:
            self.frames += 1
            self.stream.feed(payload)
        if self.watch:
            now, screen = time.monotonic(), self.text()
            for text in self.watch:
                if text not in self.first_seen and text in screen:
                    self.first_seen[text] = now

    def text(self) -> str:
        with self.lock:
            screen = self.screen
            return "\n".join(
                "".join(screen.buffer[y][x].data for x in range(screen.columns)).rstrip()
                for y in range(screen.lines)
            )

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """Wait (letting Playwright deliver frames) until `text` is on the screen; the screen."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not show within {timeout} s; the screen:\n{screen}")
            self.page.wait_for_timeout(30)

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until the app has drawn nothing for `quiet` seconds (an opening dialog has finished)."""
        deadline = time.monotonic() + timeout
        frames, since = self.frames, time.monotonic()
        while time.monotonic() - since < quiet and time.monotonic() < deadline:
            self.page.wait_for_timeout(30)
            if self.frames != frames:
                frames, since = self.frames, time.monotonic()

    def wait_for_any(self, texts: tuple[str, ...], timeout: float = 20.0) -> str:
        """Wait until one of `texts` is on the screen; the screen."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.text()
            if any(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"none of {texts!r} showed within {timeout} s; the screen:\n{screen}")
            self.page.wait_for_timeout(30)

    def find_line(self, text: str) -> str:
        """The first screen line with `text` and the next one (a chat row's preview), or ''."""
        lines = self.text().splitlines()
        for y, line in enumerate(lines):
            if text in line:
                return "\n".join(lines[y : y + 2])
        return ""

    def find(self, text: str, line_with: str = "") -> tuple[int, int] | None:
        """(column, row) of the first place `text` is on screen (on a line that also has `line_with`)."""
        for y, line in enumerate(self.text().splitlines()):
            if text in line and line_with in line:
                return line.index(text), y
        return None

    def click_text(self, text: str, line_with: str = "") -> None:
        """A mouse click on the middle of `text` on the terminal, as a person does it."""
        found = self.find(text, line_with)
        assert found is not None, f"{text!r} is not on the screen:\n{self.text()}"
        box = self.page.locator(".xterm-screen").bounding_box()
        with self.lock:
            columns, lines = self.screen.columns, self.screen.lines
        x = box["x"] + (found[0] + len(text) / 2) * box["width"] / columns
        y = box["y"] + (found[1] + 0.5) * box["height"] / lines
        self.page.mouse.click(x, y)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Debian's), through Playwright; closed at the end."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
