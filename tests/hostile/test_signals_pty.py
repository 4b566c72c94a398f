"""SIGTERM and SIGHUP quit the real app in a pseudo-terminal as ctrl+q does (issue 12, item 9): exit 0, and
the last bytes it writes give the terminal back: the normal screen, mouse reporting off, the cursor shown.
Their default action killed the process in the app's modes (alternate screen, mouse on, cursor hidden)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pty_driver import REPO, _drain  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty and signals")

ALT_ON, ALT_OFF = b"\x1b[?1049h", b"\x1b[?1049l"
MOUSE_ON, MOUSE_OFF = b"\x1b[?1000h", b"\x1b[?1000l"
SGR_MOUSE_ON, SGR_MOUSE_OFF = b"\x1b[?1006h", b"\x1b[?1006l"
CURSOR_HIDDEN, CURSOR_SHOWN = b"\x1b[?25l", b"\x1b[?25h"


def run_and_signal(db: Path, signum: int) -> tuple[bytes, int | None]:
    """Start the app on `db` in a pty, wait for the chat list, send `signum`, read until it exits."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    env.pop("TEXTUAL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tui_messenger", "--db", str(db), "--seed", "1"],
        stdin=follower, stdout=follower, stderr=follower, env=env, cwd=REPO, start_new_session=True,
    )  # fmt: skip
    os.close(follower)
    output = bytearray()
    try:
        deadline = time.monotonic() + 60
        while b"Anna" not in output and time.monotonic() < deadline and _drain(leader, output, 0.1):
            pass
        assert b"Anna" in output, output[-2000:]
        _drain(leader, output, 0.5)  # the first frames are written
        process.send_signal(signum)
        deadline = time.monotonic() + 15
        while process.poll() is None and time.monotonic() < deadline:
            if not _drain(leader, output, 0.1):
                break
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        _drain(leader, output, 0.2)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
        os.close(leader)
    return bytes(output), process.returncode


def given_back(output: bytes, on: bytes, off: bytes) -> bool:
    """The mode was switched on, and the last word on it was "off"."""
    return on in output and output.rfind(off) > output.rfind(on)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_quit_signal_gives_the_terminal_back(tmp_path: Path, signum: int) -> None:
    output, returncode = run_and_signal(tmp_path / "messenger.db", signum)
    assert returncode == 0, (returncode, output[-2000:])
    assert b"Traceback" not in output
    assert given_back(output, ALT_ON, ALT_OFF)  # back on the normal screen
    assert given_back(output, MOUSE_ON, MOUSE_OFF) and given_back(output, SGR_MOUSE_ON, SGR_MOUSE_OFF)
    assert given_back(output, CURSOR_HIDDEN, CURSOR_SHOWN)
