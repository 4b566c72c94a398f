"""The real messenger in a pseudo-terminal, on a world where every stranger-controlled text is hostile.

Only a pty shows the bytes a terminal would obey: an OSC 2 retitles the window, OSC 52 writes the
clipboard, OSC 8 makes a link, ESC c resets the terminal, 8-bit C1 CSI/OSC work on 8-bit terminals.
None of the attacker's bytes may be in what the app wrote; the markup must be drawn literally.

The second run covers text the user types: a search query and a report note pasted into the real app
(bracketed paste, the way escape bytes really get into a text field) with the same kinds of sequences.
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
SEARCH, REPORT, TAB = b"\x06", b"\x12", b"\t"  # ctrl+f, ctrl+r

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


# Pasted by the user into the search query and the report note. A paste keeps C1 controls, bidi and
# invisible characters (SafeInput must clean them: each C1 payload marker vanishes with its sequence).
# An ESC ends Textual's bracketed paste and what follows arrives as typed keys (ESC as a literal "^"),
# so the ESC-based sequences cannot get into a field; their introducers must still never be written.
QUERY = "csi [@click=app.quit]q[/] \u009b31mC1 \u009d0;PWNED-QC1\u009c \u202eq\u200b end"
QUERY_ESC = " \x1b]2;PWNED-QUERY\x07 \x1b]52;c;UVVFUlk=\x07"
NOTE = "note [b]bold[/b] \u009d0;PWNED-NC1\u009c \u0090PWNED-NDCS\u009c \u009f_apc\u009c \u2066iso\u2069 end"
NOTE_ESC = " \x1bPESC-DCS\x1b\\ \x1b]8;;http://evil.example/n\x07n\x1b]8;;\x07 \x1bc"
TYPED_FORBIDDEN = [
    b"PWNED-QC1",
    b"PWNED-NC1",
    b"PWNED-NDCS",
    b"\x1b]52",
    b"\x1b]2;",
    b"\x1bc",
    b"\x1bP",
    b"\x1b]8;;http",
    "\u009b".encode(),
    "\u009d".encode(),
    "\u009c".encode(),
    "\u0090".encode(),
    "\u009f".encode(),
    "\u202e".encode(),
    "\u2066".encode(),
    "\u200b".encode(),
]


def paste(text: str) -> bytes:
    return b"\x1b[200~" + text.encode() + b"\x1b[201~"


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


@pytest.fixture(scope="module")
def typed_run(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("pty-typed") / "messenger.db"
    steps = [
        (SEARCH, 1.0),
        (paste(QUERY), 1.0),  # the query field shows it, the search runs on it
        (paste(QUERY_ESC), 1.5),
        (ESCAPE, 0.6),
        (SEARCH, 1.0),
        (b"osc", 1.5),  # typed: hits from Eve's history, OSC sequences in their snippets
        (ESCAPE, 0.6),
        (PALETTE, 0.6),
        (b"Evil Eve", 0.6),
        (ENTER, 2.0),
        (REPORT, 1.2),
        (TAB, 0.5),  # from the reasons to the note
        (paste(NOTE), 1.0),
        (paste(NOTE_ESC), 1.5),
        (b" typed", 0.8),
        (ESCAPE, 0.6),
    ]
    return run_app_in_pty(
        ["--db", str(db), "--scenario", str(SCENARIO), "--seed", "1"], ready=b"Evil", steps=steps
    )


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


@pytest.mark.slow
@pytest.mark.parametrize("payload", TYPED_FORBIDDEN, ids=repr)
def test_no_byte_of_a_pasted_query_or_report_note_reaches_the_terminal(typed_run, payload: bytes) -> None:
    at = typed_run.output.find(payload)
    assert at < 0, f"{payload!r} reached the terminal: {typed_run.output[max(0, at - 80) : at + 80]!r}"


@pytest.mark.slow
def test_the_pasted_query_and_note_were_drawn_literally(typed_run) -> None:
    assert typed_run.returncode == 0 and b"Traceback" not in typed_run.output, typed_run.output[-3000:]
    text = typed_run.output.decode("utf-8", errors="replace")
    assert "[@click=app.quit]q[/]" in text  # the query, in the search field
    assert "U+202E" in text and "U+200B" in text  # its bidi override and zero-width space, shown
    assert "U+2066" in text  # the note's isolate, shown
    assert "osc0" in text or "osc2" in text  # the typed search found Eve's messages and drew their hits
    assert "[b]bold[/b]" in text and "typed" in text  # the note, in the report dialog
