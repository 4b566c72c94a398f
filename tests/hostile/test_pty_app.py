"""The real messenger in a pseudo-terminal, on a world where every stranger-controlled text is hostile.

Only a pty shows the bytes a terminal would obey: an OSC 2 retitles the window, OSC 52 writes the
clipboard, OSC 8 makes a link, ESC c resets the terminal, 8-bit C1 CSI/OSC work on 8-bit terminals.
None of the attacker's bytes may be in what the app wrote; the markup must be drawn literally.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pty_driver import run_app_in_pty  # noqa: E402
from screen import screen_text  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

SCENARIO = HERE / "hostile.toml"
PALETTE, ENTER, ESCAPE, PROFILE = b"\x10", b"\r", b"\x1b", b"\x0f"

FORBIDDEN = [
    b"PWNED-TITLE",
    b"PWNED-C1",
    b"PWNED-OPEN",
    b"PWNED-DCS",
    b"PWNED-APC",
    b"UFdORUQ=",  # the OSC 52 clipboard payload
    b"\x1b]52",
    b"\x1b]0;",
    b"\x1b]2;",
    b"\x1bc",
    b"\x1bP",
    b"\x1b_",
    "\u009b".encode(),
    "\u009d".encode(),
    "\u009c".encode(),
    b"\x1b]8;;http",
    b"evil.example/x",
    "\u202e".encode(),
    "\u200b".encode(),
]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("pty") / "messenger.db"
    steps = [
        (PALETTE, 0.6),
        (b"Evil Eve", 0.6),
        (ENTER, 2.0),  # the person chat: every escape in its history
        (PALETTE, 0.6),
        (b"EvilBiz", 0.6),
        (ENTER, 2.0),  # the business: template, buttons, list
        (PROFILE, 1.5),
        (ESCAPE, 0.5),  # the business profile fields
    ]
    result = run_app_in_pty(
        ["--db", str(db), "--scenario", str(SCENARIO), "--seed", "1"], ready=b"Evil", steps=steps
    )
    return result, screen_text_from(result.output)


def screen_text_from(output: bytes) -> str:
    return "\n".join(screen_text(output))


@pytest.mark.slow
def test_the_app_exits_cleanly(run) -> None:
    result, _ = run
    assert result.returncode == 0, result.output[-3000:]
    assert b"Traceback" not in result.output


@pytest.mark.slow
@pytest.mark.parametrize("payload", FORBIDDEN, ids=repr)
def test_no_attacker_byte_reaches_the_terminal(run, payload: bytes) -> None:
    result, _ = run
    at = result.output.find(payload)
    assert at < 0, f"{payload!r} reached the terminal: {result.output[max(0, at - 80) : at + 80]!r}"


@pytest.mark.slow
def test_the_hostile_chats_were_drawn_with_markup_literal(run) -> None:
    _, everything = run
    text = run[0].output.decode("utf-8", errors="replace")
    # the history of the person chat was on screen (so its escapes really went through the renderer)
    for seen in ("csi", "RED", "click me", "C1RED", "reset", "who are you?"):
        assert seen in text, seen
    # markup is shown as text, bidi and zero-width shown visibly in bodies
    assert "[@click=app.quit]x[/]" in text
    assert "[link=http://x]y[/link]" in text
    assert "$accent" in text
    assert "U+202E" in text and "U+200B" in text
    # the business chat, its interactive list and its profile were drawn too
    assert "Pick" in text and "About" in text and "Hours" in text
    assert "Evil Eve [/]" in everything  # the name, without its bidi override and zero-width space
