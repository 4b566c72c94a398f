"""A terminal that goes away without a SIGHUP (its window's process killed, a session the app does not
lead) leaves the app reading end of file. It must quit, its database whole, not spin a core for good."""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
    pytest.mark.slow,
]

if sys.platform != "win32":
    from driver import start

GONE_WITHIN = 5.0  # seconds: the app looks at its terminal every second


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks of 1/100 s


def test_the_app_quits_when_its_terminal_goes_away_without_a_signal(tmp_path: Path) -> None:
    db = tmp_path / "messenger.db"
    term = start((120, 40), home=tmp_path, db=db)
    try:
        term.wait_for("Jonas Weber", timeout=30)
        term.settle()
        term.hang_up()
        deadline = time.monotonic() + GONE_WITHIN
        while term.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if term.process.poll() is None:  # say how much it burns meanwhile, then fail
            before = cpu_seconds(term.process.pid)
            time.sleep(1)
            pytest.fail(
                f"still running {GONE_WITHIN} s after its terminal went away, "
                f"{cpu_seconds(term.process.pid) - before:.2f} s of CPU in the last second"
            )
        assert term.process.returncode == 0
    finally:
        term.close()
    with sqlite3.connect(db) as check:
        assert check.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert check.execute("SELECT count(*) FROM messages").fetchone()[0] > 0
