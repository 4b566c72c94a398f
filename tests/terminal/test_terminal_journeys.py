"""The journeys of issue 11 in a real terminal: the installed `tui-messenger` in a pseudo-terminal, read
through a terminal emulator, driven by the bytes a keyboard and a mouse send (see driver.py).

Pilot tests start from states a person never reaches (a message already selected, a widget already
focused); these start from a fresh database and go only by what is on the screen, at 120x40 and at
80x24. Every run ends with ctrl+q: exit 0, no traceback, the terminal left as it was found.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
    pytest.mark.slow,  # a real process per test: deselect with -m "not slow" while editing
]

if sys.platform != "win32":
    from driver import Term, executable, isolated_env, start

WIDE, NARROW = (120, 40), (80, 24)
NAMES = ("Mia Schneider", "N0rdbank Support", "SkyWays Airlines", "MegaDeals 24", "Anna Becker", "✔ Nordbank")
TIME = re.compile(r"\b\d\d:\d\d\b")


def sizes(*, narrow_fails: str | None = None, both_fail: str | None = None) -> list:
    marks = [pytest.mark.xfail(reason=both_fail, strict=False)] if both_fail else []
    narrow_marks = [pytest.mark.xfail(reason=narrow_fails, strict=False)] if narrow_fails else marks
    return [
        pytest.param(WIDE, id="120x40", marks=marks),
        pytest.param(NARROW, id="80x24", marks=narrow_marks),
    ]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Callable[..., Term]]:
    """Starts the app on a fresh database and fresh folders in tmp_path; ends whatever is left."""
    started: list[Term] = []

    def run(size: tuple[int, int], *args: str) -> Term:
        term = start(size, home=tmp_path, args=args)
        started.append(term)
        term.wait_for("Jonas Weber", timeout=30)  # the demo world's chat list, drawn
        return term

    yield run
    for term in started:
        term.close()


def open_by_click(term: Term, name: str) -> None:
    """Click the chat's row in the list; the composer shows once a chat is open (when one already was,
    the top row, the open chat's header, changes first)."""
    top = term.screen_lines()[0]
    another_open = "Type a message" in term.screen_text()
    term.click_text(name)
    if another_open:
        term.wait_until(lambda: term.screen_lines()[0] != top, f"the header changed from {top.strip()!r}")
    term.wait_for("Type a message")
    term.settle()


def assert_bubble(term: Term, text: str) -> None:
    """`text` is drawn in a bubble: a line with the time (and ticks) follows it on screen."""
    lines = term.screen_lines()
    for _, y in term.find_all(text):
        if y + 1 < len(lines) and TIME.search(lines[y + 1]):
            return
    term.fail(f"no bubble with {text!r} and its time")


def click_header_action(term: Term, label: str) -> None:
    """A button of the chat's header; on a narrow screen it may be in the "⋯" menu."""
    header = range(0, 3)  # drawn with the composer: no long wait for it
    if term.find(label, header) is None and term.find("⋯", header) is not None:
        term.click_text("⋯", rows=header, timeout=5)
        term.settle()
        term.click_text(label, rows=range(1, term.size[1] - 1), timeout=5)
    else:
        term.click_text(label, rows=header, timeout=5)


def highlighted_name(term: Term) -> str | None:
    """The chat list row with the cursor: the one name whose background differs from the others'."""
    shown = {name: where for name in NAMES if (where := term.find(name)) is not None}
    colours = {name: term.background(x, y) for name, (x, y) in shown.items()}
    for name, colour in colours.items():
        if sum(other == colour for other in colours.values()) == 1 and len(colours) > 2:
            return name
    return None


# --- first run and quit ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", sizes())
def test_first_run_shows_the_demo_world_and_ctrl_q_restores_the_terminal(app, size, tmp_path) -> None:
    term = app(size)
    screen = term.wait_for("Anna Becker")
    for name in ("Mia Schneider", "Nordbank", "MegaDeals 24"):
        assert name in screen
    assert "looks like Nordbank" in screen  # the impersonator's warning, on the first screen already
    assert b"\x1b[?1049h" in term.raw and b"\x1b[?1006h" in term.raw  # alt screen, SGR mouse reports
    term.quit()  # exit 0, no traceback; alt screen left, mouse and paste reporting off, echo back
    assert (tmp_path / "messenger.db").exists()  # TUI_MESSENGER_DB: the test's own database


# --- chat with Anna by keyboard -------------------------------------------------------------------------


@pytest.mark.parametrize("size", sizes())
def test_chat_with_anna_by_keyboard(app, size) -> None:
    term = app(size)
    open_anna_by_keyboard(term)
    term.type("keyboard hello")  # the focus is in the composer: the letters are text, not commands
    term.wait_for("keyboard hello")
    term.send_keys("enter")
    term.wait_for("Type a message")  # the composer is empty again
    term.settle()
    assert_bubble(term, "keyboard hello")
    term.quit()


def open_anna_by_keyboard(term: Term) -> None:
    """Arrow keys down the chat list until Anna's row has the cursor, then Enter."""
    term.settle()
    for _ in range(len(NAMES) + 4):
        if highlighted_name(term) == "Anna Becker":
            break
        term.send_keys("down")
        term.settle(0.1)
    assert highlighted_name(term) == "Anna Becker", term.screen_text()
    term.send_keys("enter")
    term.wait_for("Type a message")  # the chat is open
    term.settle()


@pytest.mark.parametrize("size", sizes())
def test_clicks_on_a_message_right_after_opening_by_keyboard(app, size) -> None:
    """Item 1 as found: open by arrows and Enter, then click a bubble before moving the message cursor;
    then a double click, and press and release of one click arriving together."""
    term = app(size)
    open_anna_by_keyboard(term)
    term.click_text("Of course! Should I bring")  # press and release in one read (a quick tap)
    term.settle()
    term.assert_running()
    x, y = term.click_text("Just yourself.", last=True, hold=0.05)
    term.click(x, y)  # the second click of a double click
    term.settle()
    term.assert_running()
    term.quit()


# --- chat with Anna by mouse only -----------------------------------------------------------------------


@pytest.mark.parametrize("size", sizes())
def test_chat_with_anna_by_mouse_only(app, size) -> None:
    term = app(size)
    open_by_click(term, "Anna Becker")
    term.click_text("Of course! Should I bring")  # the first click on a message (crashed: item 1)
    term.settle()
    term.click_text("+ React")  # the footer's React, for the message the click selected
    term.wait_for("React to message")
    term.click_text("🎉")
    term.wait_for("React to message", gone=True)
    term.wait_for("🎉 1")  # the chip under the message
    term.settle()
    term.click_text("🎉 1")  # a click on the chip takes the reaction back
    term.wait_for("🎉 1", gone=True)
    term.click_text("Type a message")
    term.settle()
    term.type("mouse hello")
    term.wait_for("mouse hello")
    term.click_text("⏎ Send")  # the footer's Send
    term.wait_for("Type a message")
    term.settle()
    assert_bubble(term, "mouse hello")
    term.quit()


# --- a business flow answered by clicking buttons -------------------------------------------------------


def ask(term: Term, text: str) -> None:
    """Click in the composer and send `text` (the keywords that start a business's flow)."""
    term.click_text("Type a message", last=True)
    term.settle(0.2)
    term.type(text)
    term.wait_for(text)
    term.send_keys("enter")


@pytest.mark.parametrize("size", sizes())
def test_a_template_is_answered_by_clicking_its_button(app, size) -> None:
    term = app(size, "--speed", "4")
    open_by_click(term, "✔ Nordbank")  # not the impersonator's "looks like Nordbank"
    ask(term, "fraud")
    term.wait_for("ELECTRO-WORLD")  # the fraud alert: a utility template with two buttons
    term.settle()
    term.click_text("Yes, it was me", last=True)
    term.wait_for("confirming")  # "Thanks for confirming. Your card stays active."
    term.quit()


@pytest.mark.parametrize("size", sizes())
def test_a_list_and_reply_buttons_are_answered_by_clicks(app, size) -> None:
    term = app(size, "--speed", "4")
    open_by_click(term, "SkyWays Airlines")
    ask(term, "delay")
    term.wait_for("SK 127 tomorrow 07:30")  # the rebooking list, its rows clickable
    term.settle()
    term.click_text("SK 125 today 14:05", last=True)
    term.wait_for("rebooked")  # "You are rebooked on SK 125 today at 14:05 …"
    term.settle()
    term.send_keys("escape")  # back to the chat list (one pane at a time on a narrow screen)
    term.settle()
    open_by_click(term, "✔ Nordbank")  # not the impersonator's "looks like Nordbank"
    ask(term, "lost card")
    term.wait_for("I found it")
    term.settle()  # the message and its buttons drawn
    term.click_text("I found it", last=True)  # the reply button (the bubble only draws its label)
    term.wait_for("news!")  # "Good news! Your card stays active."
    term.quit()


# --- block and report by mouse --------------------------------------------------------------------------


@pytest.mark.parametrize("size", sizes())
def test_block_and_report_by_mouse(app, size, tmp_path) -> None:
    term = app(size)
    open_by_click(term, "MegaDeals 24")
    click_header_action(term, "Block")
    term.wait_for("Also report")  # the block dialog
    term.settle()
    dialog = range(2, term.size[1] - 1)
    term.click_text("Spam", rows=dialog)
    term.settle(0.2)
    term.click_text("Also report")  # on by default: off, then on again, by the mouse
    term.settle(0.2)
    term.click_text("Also report")
    term.settle(0.2)
    _, also = term.find("Also report")
    term.click_text("Block", rows=range(also + 1, term.size[1] - 1), timeout=5)  # the dialog's button
    term.wait_for("reported")  # "Blocked and reported."
    term.wait_for("Also report", gone=True)
    term.quit()
    report = subprocess.run(
        [*executable(), "report", "--json"],
        env=isolated_env(tmp_path, TUI_MESSENGER_DB=str(tmp_path / "messenger.db")),
        capture_output=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert report.returncode == 0, report.stderr
    megadeals = next(b for b in json.loads(report.stdout)["businesses"] if b["name"] == "MegaDeals 24")
    assert megadeals["blocks"] == 1 and megadeals["reports"] == 1, megadeals
    assert {k.lower(): n for k, n in megadeals["block_reasons"].items()} == {"spam": 1}, megadeals


@pytest.mark.parametrize("size", sizes())
def test_report_an_impersonator_by_mouse(app, size) -> None:
    term = app(size)
    open_by_click(term, "N0rdbank Support")
    click_header_action(term, "Report")
    term.wait_for("Add a note")  # the report dialog
    term.settle()
    term.click_text("Impersonation", rows=range(2, term.size[1] - 1))
    term.settle(0.2)
    _, note = term.find("Add a note")
    term.click_text("Report", rows=range(note + 1, term.size[1] - 1), timeout=5)  # the dialog's button
    term.wait_for("Reported.")
    term.wait_for("Add a note", gone=True)
    term.quit()
