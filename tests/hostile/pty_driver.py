"""Run the real messenger in a pseudo-terminal and collect every byte it writes."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class PtyRun:
    output: bytes
    returncode: int | None


def _drain(leader: int, output: bytearray, seconds: float) -> bool:
    """Read for `seconds`; False once the child closed the terminal."""
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return True
        ready, _, _ = select.select([leader], [], [], min(left, 0.05))
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                return False
            if not chunk:
                return False
            output += chunk


def run_app_in_pty(
    args: Sequence[str],
    *,
    ready: bytes,
    steps: Sequence[tuple[bytes, float]],
    timeout: float = 30.0,
) -> PtyRun:
    """Start `python -m tui_messenger ARGS`, wait until `ready` was written, send each step's keys and
    read for its seconds, then press ctrl+q and wait for the exit."""
    import pty  # POSIX only

    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    env.pop("TEXTUAL", None)
    # Its own settings, cache and data folders: never the user's config.toml, state.json or cache.
    folders = Path(tempfile.mkdtemp(prefix="pty-app-"))
    for name in ("CONFIG", "CACHE", "DATA"):
        env[f"TUI_MESSENGER_{name}_DIR"] = str(folders / name.lower())
    process = subprocess.Popen(
        [sys.executable, "-m", "tui_messenger", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=REPO,
        start_new_session=True,
    )
    os.close(follower)
    output = bytearray()
    try:
        deadline = time.monotonic() + timeout
        while ready not in output and time.monotonic() < deadline:
            if not _drain(leader, output, 0.1):
                break
        for keys, seconds in steps:
            if process.poll() is not None:
                break
            os.write(leader, keys)
            _drain(leader, output, seconds)
        if process.poll() is None:
            os.write(leader, b"\x11")  # ctrl+q
        deadline = time.monotonic() + 10
        while process.poll() is None and time.monotonic() < deadline:
            if not _drain(leader, output, 0.1):
                break
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        _drain(leader, output, 0.1)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=5)
        os.close(leader)
        shutil.rmtree(folders, ignore_errors=True)
    return PtyRun(bytes(output), process.returncode)
