"""One browser tab's app process, and the guarantee that none outlives its tab or the server.

textual-serve's `AppService` starts the app through a shell and, when the tab closes, asks it to quit and
waits for ever; when the server stops, the apps go on running. `AppSession` starts the app itself (no
shell) as the leader of its own process group, with the kernel told to send it SIGTERM if the server dies
(`PR_SET_PDEATHSIG`), and `stop()` asks it to quit, then ends its whole group: SIGTERM after `QUIT_S`,
SIGKILL after `KILL_S` more. A `--demo` tab's world is a temporary folder, removed once its app has ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

QUIT_S = 1.0
"""How long an app has to quit by itself when its tab closes, before its process group gets SIGTERM."""
KILL_S = 0.6
"""How long after SIGTERM before SIGKILL."""

_PR_SET_PDEATHSIG = 1
_FOLDERS = ("DATA_DIR", "CONFIG_DIR", "CACHE_DIR")


def _prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up in the server (a forked child must not load libraries), or None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl
    except (OSError, AttributeError):  # not Linux
        return None


_PRCTL = _prctl()


def _die_with(parent: int) -> Callable[[], None]:
    """The child's last step before exec: SIGTERM when the server goes, or exit now if it already has."""

    def preexec() -> None:
        if _PRCTL is not None:
            _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


DEMO_PREFIX = "tui-messenger-demo-"


def demo_folder() -> Path:
    """A fresh folder for one `--demo` tab's world, named after this server's process id (see
    `remove_stale_demo_folders`); its config.toml keeps saved files in it too (they reach the person
    through the browser's download)."""
    folder = Path(tempfile.mkdtemp(prefix=f"{DEMO_PREFIX}{os.getpid()}-"))
    config = folder / "config_dir"
    config.mkdir(mode=0o700)
    downloads = json.dumps(str(folder / "downloads"))  # a TOML basic string
    (config / "config.toml").write_text(f"[files]\ndownloads = {downloads}\n", encoding="utf-8")
    return folder


def remove_stale_demo_folders() -> list[Path]:
    """Remove the demo folders of servers that no longer run: a killed server (SIGKILL) could not remove
    its tabs' folders itself. A folder whose server's process id is alive is kept. The folders removed."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{DEMO_PREFIX}*-*"):
        pid = folder.name[len(DEMO_PREFIX) :].partition("-")[0]
        if not pid.isdigit() or not folder.is_dir() or folder.is_symlink() or _running(int(pid)):
            continue
        if folder.stat().st_uid != os.getuid():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def demo_environment(folder: Path) -> dict[str, str]:
    """Everything a demo app writes (database, settings, downloads, cache) goes under `folder`."""
    env = {"TUI_MESSENGER_DB": str(folder / "messenger.db")}
    env.update({f"TUI_MESSENGER_{name}": str(folder / name.lower()) for name in _FOLDERS})
    return env


class AppSession(AppService):
    """textual-serve's per-tab app service, with the app started and ended as described above."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        write_bytes: Callable[[bytes], Awaitable[None]],
        write_str: Callable[[str], Awaitable[None]],
        close: Callable[[], Awaitable[None]],
        download_manager: DownloadManager,
        folder: Path | None = None,
    ) -> None:
        super().__init__(
            " ".join(argv),
            write_bytes=write_bytes,
            write_str=write_str,
            close=close,
            download_manager=download_manager,
        )
        self.argv = list(argv)
        self.folder = folder
        self.ended = asyncio.Event()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        env = super()._build_environment(width, height)
        if self.folder is not None:
            env.update(demo_environment(self.folder))
        return env

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width, height),
            start_new_session=True,  # its own group: ended as one, and the server's Ctrl-C is not its own
            preexec_fn=_die_with(os.getpid()),
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """Relay the app's output to the tab; when the app has ended (ctrl+q, or refused to start: a
        database another messenger holds), close the tab's websocket, so the page says it has closed, and
        write what the app said on stderr (its one-line refusal) once on the server's stderr.
        (textual-serve's own `run` prints it twice, after a log line, and leaves the tab open.)"""
        assert self._process is not None
        stdout, stderr = self._process.stdout, self._process.stderr
        assert stdout is not None and stderr is not None
        said = asyncio.create_task(stderr.read())
        try:
            if await _started(stdout):
                await self._relay(stdout)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                await self.remote_close()
            try:
                text = await asyncio.wait_for(said, KILL_S)
            except (TimeoutError, asyncio.CancelledError):
                said.cancel()
                text = b""
            _tell(text)

    async def _relay(self, stdout: asyncio.StreamReader) -> None:
        """textual-serve's packets: D (screen output), M (meta: open_url, a download, exit), P (a chunk)."""
        handlers = {b"D": self.on_data, b"M": self.on_meta, b"P": self.on_packed}
        while True:
            kind = await stdout.readexactly(1)
            size = int.from_bytes(await stdout.readexactly(4), "big")
            payload = await stdout.readexactly(size)
            handler = handlers.get(kind)
            if handler is not None:
                await handler(payload)

    async def stop(self) -> None:
        """Ask the app to quit; end its process group if it has not within `QUIT_S`; remove its folder."""
        try:
            if self._task is not None:
                await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
                with contextlib.suppress(Exception):
                    await self.send_meta({"type": "quit"})
            await self._end_process()
            if self._task is not None:
                with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(self._task, KILL_S)
                self._task = None
        finally:
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
            self.ended.set()

    async def _end_process(self) -> None:
        process = self._process
        if process is None:
            return
        for signum, wait in ((None, QUIT_S), (signal.SIGTERM, KILL_S), (signal.SIGKILL, KILL_S)):
            if signum is not None:
                kill_group(process.pid, signum)
            try:
                await asyncio.wait_for(process.wait(), wait)
            except TimeoutError:
                continue
            if signum is None:  # quit by itself; anything it left in its group goes too
                kill_group(process.pid, signal.SIGKILL)
            return


async def _started(stdout: asyncio.StreamReader) -> bool:
    """Whether the app began Textual's web protocol (its `__GANGLION__` line) within its first lines."""
    for _ in range(10):
        line = await stdout.readline()
        if not line:
            return False
        if line == b"__GANGLION__\n":
            return True
    return False


def _tell(said: bytes) -> None:
    """The app's stderr, as printable text, on the server's stderr."""
    text = said.decode("utf-8", "replace")
    lines = ["".join(ch for ch in line if ch.isprintable()) for line in text.splitlines()]
    for line in filter(None, lines):
        print(line, file=sys.stderr, flush=True)


def kill_group(pid: int, signum: int) -> None:
    """Signal the process group that `pid` leads; nothing if it has gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)
