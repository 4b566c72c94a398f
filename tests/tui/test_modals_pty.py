"""Dialogs in a real pseudo-terminal: what reaches the terminal holds none of the hostile sequences.

A headless Pilot test sees rendered text; only a pty shows the bytes a terminal would obey (an OSC 2
retitles the window, an OSC 8 makes a link, a C1 CSI changes colours on 8-bit terminals).
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def run_in_pty(kind: str, *, until: bytes, timeout: float = 15.0) -> bytes:
    """Run the dialog until `until` was written (a whole frame: Textual writes frames at once), then quit."""
    import pty  # POSIX only: imported here so collection works everywhere

    leader, follower = pty.openpty()
    os.set_blocking(leader, False)
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "120",
        "LINES": "40",
        "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO)]),
    }
    env.pop("TEXTUAL", None)
    process = subprocess.Popen(
        [sys.executable, str(HERE / "pty_dialog.py"), kind],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=REPO,
        start_new_session=True,
    )
    os.close(follower)
    output = bytearray()
    deadline = time.monotonic() + timeout
    quit_sent = False
    try:
        while True:
            now = time.monotonic()
            if not quit_sent and (until in output or now > deadline):
                os.write(leader, b"\x11")  # ctrl+q: quit
                quit_sent = True
                deadline = now + 5
            elif now > deadline:
                break
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:
                    break  # the child closed the terminal
                if not chunk:
                    break
                output += chunk
            if quit_sent and process.poll() is not None:
                break
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=5)
        os.close(leader)
    return bytes(output)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "drawn"), [("report", b"will not be notified"), ("profile", b"Close"), ("search", b"1 message")]
)
def test_no_hostile_sequence_reaches_the_terminal(kind: str, drawn: bytes) -> None:
    output = run_in_pty(kind, until=drawn)
    assert drawn in output
    text = output.decode("utf-8", errors="replace")
    assert "[@click=app.quit]x[/]" in text, text[-2000:]  # the dialog was drawn, markup shown literally
    assert b"pwned" not in output  # the OSC 2 payload went with its sequence
    assert b"\x1b]2;" not in output
    assert b"evil.example" not in output and b"\x1b]8;;" not in output
    assert "\u202e" not in text and "\u009b" not in text
