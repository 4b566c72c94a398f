"""Links in the real app in a pseudo-terminal: drawn with their real host, never as a terminal hyperlink
(no OSC 8 byte is written), and `o` shows where a link goes before anything opens."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pty_driver import run_app_in_pty  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

SCENARIO = HERE / "links.toml"
PALETTE, ENTER, ESCAPE, SHIFT_TAB, END = b"\x10", b"\r", b"\x1b", b"\x1b[Z", b"\x1b[F"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("pty-links") / "messenger.db"
    steps = [
        (PALETTE, 0.6),
        (b"Lena", 0.6),
        (ENTER, 2.0),  # the chat opens, the composer has focus
        (SHIFT_TAB, 0.6),  # the history
        (END, 0.6),  # the newest message: three links
        (b"o", 1.2),  # the chooser
        (ENTER, 1.2),  # the first link's dialog
        (ESCAPE, 0.6),
        (b"o", 1.2),
        (b"\x1b[B", 0.3),  # down: the user-name trick
        (ENTER, 1.2),
        (ESCAPE, 0.6),
    ]
    return run_app_in_pty(
        ["--db", str(db), "--scenario", str(SCENARIO), "--seed", "1"], ready=b"Lena", steps=steps
    )


@pytest.mark.slow
def test_links_are_drawn_with_their_real_host_and_no_hyperlink_escape(run) -> None:
    assert run.returncode == 0 and b"Traceback" not in run.output, run.output[-3000:]
    assert b"\x1b]8;" not in run.output  # no terminal hyperlink, ours or the sender's
    assert b"evil.example/osc" not in run.output  # the sender's OSC 8 target
    text = run.output.decode("utf-8", errors="replace")
    assert "harmless" in text  # the OSC 8 text is shown as plain text
    assert "xn--bcher-kva.example" in text
    assert "goes to evil.example" in text
    assert "U+200B" in text and "\u200b" not in text


@pytest.mark.slow
def test_o_shows_where_the_link_goes_before_opening(run) -> None:
    text = run.output.decode("utf-8", errors="replace")
    assert "Which link?" in text
    assert "Open this link?" in text and "(in Unicode)" in text
    assert "This link will not open" in text
