"""Starts that must not open the messenger, in a real terminal and with none: a theme that does not exist,
a database that is not one, and no terminal at all. Each ends within seconds with one clear line and exit
code 2, no traceback, nothing left running, nothing written where it should not be."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
    pytest.mark.slow,  # a real process per test: deselect with -m "not slow" while editing
]

if sys.platform != "win32":
    from driver import TRACEBACK, executable, group_alive, isolated_env, start

ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
ENDS_WITHIN = 10.0  # seconds: a refused start is a check and one line, not a session


def text_lines(output: bytes) -> list[str]:
    """The lines a person would read: escape sequences removed, blank lines dropped."""
    text = ESCAPES.sub(b"", output).decode("utf-8", errors="replace")
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def assert_refused(output: bytes, code: int | None, *, names: tuple[str, ...]) -> str:
    """Exit 2 and one line that names one of `names`; no traceback, no screen."""
    assert TRACEBACK not in output and b"Traceback" not in output, output[-3000:]
    lines = text_lines(output)
    assert code == 2, (code, lines[-5:])
    assert len(lines) == 1, lines
    assert any(name.lower() in lines[0].lower() for name in names), lines
    assert b"\x1b[?1049h" not in output, "the alternate screen was entered for a start that was refused"
    return lines[0]


def refused_in_pty(tmp_path: Path, *args: str, db: Path | None = None) -> tuple[bytes, int | None]:
    term = start((120, 40), home=tmp_path, db=db, args=args)
    try:
        result = term.wait_exit(ENDS_WITHIN)
        term.assert_terminal_restored()
        return result.output, result.code
    finally:
        term.close()


def test_an_unknown_theme_is_refused_in_one_line_and_not_saved(tmp_path: Path) -> None:
    output, code = refused_in_pty(tmp_path, "--theme", "nosuchtheme")
    assert_refused(output, code, names=("nosuchtheme",))
    state = tmp_path / "config" / "tui-messenger" / "state.json"
    assert not state.exists() or "nosuchtheme" not in state.read_text(encoding="utf-8")


def foreign_sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        db.execute("INSERT INTO notes (body) VALUES ('not a messenger')")
    return path


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: (p.mkdir(), p)[1], id="a-directory"),
        pytest.param(foreign_sqlite, id="another-programs-sqlite"),
        pytest.param(lambda p: (p.write_bytes(b"hello, not a database\n" * 50), p)[1], id="a-text-file"),
    ],
)
def test_a_bad_db_is_refused_in_one_line_and_left_untouched(tmp_path: Path, make) -> None:
    bad = make(tmp_path / "bad.db")
    before = bad.read_bytes() if bad.is_file() else None
    output, code = refused_in_pty(tmp_path, "--db", str(bad), db=bad)
    assert_refused(output, code, names=(bad.name,))
    if before is not None:
        assert bad.read_bytes() == before  # not migrated, not "repaired"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(bad.name)) == [bad.name]  # no -wal


NOT_A_TERMINAL = ("terminal", "tty")  # what the one line must be about


def test_no_terminal_at_all_exits_2_in_one_line_and_leaves_nothing_running(tmp_path: Path) -> None:
    """Started from a script, cron or a pipe: no terminal to read keys from or to draw on."""
    began = time.monotonic()
    process = subprocess.Popen(
        executable(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=isolated_env(tmp_path, TUI_MESSENGER_DB=str(tmp_path / "messenger.db")),
        cwd=tmp_path,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=ENDS_WITHIN)
    except subprocess.TimeoutExpired:
        out, err = b"", b""
    finally:
        left = group_alive(process.pid)
        if left:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=5)
    assert not left, f"still running {time.monotonic() - began:.1f} s after it started with no terminal"
    assert out == b"", out[:500]  # no screen drawn into a pipe
    assert b"\x1b" not in err, err[:500]
    assert_refused(err, process.returncode, names=NOT_A_TERMINAL)


def test_input_that_is_not_a_terminal_exits_2_with_one_line_on_the_terminal(tmp_path: Path) -> None:
    """`tui-messenger < file` typed in a terminal: the screen is there, the keys are not."""
    term = start((120, 40), home=tmp_path, stdin=subprocess.DEVNULL)
    try:
        result = term.wait_exit(ENDS_WITHIN)  # fails if it runs on
        assert_refused(result.output, result.code, names=NOT_A_TERMINAL)
        term.assert_terminal_restored()
        term.assert_nothing_left_running()
    finally:
        term.close()
