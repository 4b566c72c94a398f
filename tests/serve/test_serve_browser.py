"""`tui-messenger serve` in headless Chromium: what a person with a browser sees and does (issue 15).

The screen is read from the bytes the page's websocket receives (see browser.py); clicks and keys go to
the page, through xterm.js.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.serve.browser import Server, Tab, alive, environment_of, started_under

FIRST_SCREEN_S = 2.0
QUIET_WAIT_S = 30.0  # at most this long, in all, for a quiet moment to measure the first screen again
TAB_END_S = 2.0
VIEWPORT = {"width": 1280, "height": 800}


def open_tab(browser, server: Server, *, watch: tuple[str, ...] = ()) -> Tab:
    page = browser.new_page(viewport=VIEWPORT)
    tab = Tab(page)
    tab.watch = watch
    page.goto(server.url)
    return tab


def first_screen_of(tab: Tab) -> float:
    """Seconds from the page's load event until the chat list shows Anna Becker."""
    tab.wait_for("Anna Becker")
    assert tab.loaded is not None
    seconds = tab.first_seen["Anna Becker"] - tab.loaded
    print(f"first screen {seconds:.2f} s after the page's load event")
    return seconds


def wait_for_quiet_cores(timeout: float) -> bool:
    """Until a second passes with most of the cores idle (read from /proc/stat): True; False after
    `timeout`. The first screen is a person's wait on their machine (the server, the app and the browser
    share it), not on a CI box whose other worker is busy."""

    def busy_and_total() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields) - idle, sum(fields)

    cores = os.cpu_count() or 1
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy, total = busy_and_total()
        time.sleep(1.0)
        busy2, total2 = busy_and_total()
        if total2 > total and (1 - (busy2 - busy) / (total2 - total)) * cores >= cores - 0.4:
            return True
    return False


def wait_gone(pids: list[int], timeout: float) -> float:
    """Seconds until none of `pids` runs; fails after `timeout`."""
    started = time.monotonic()
    while any(alive(pid) for pid in pids):
        assert time.monotonic() - started < timeout, f"still running after {timeout} s: {pids}"
        time.sleep(0.02)
    return time.monotonic() - started


def test_a_demo_tab_chats_with_anna_and_nothing_is_left_behind(serve, browser, home) -> None:
    server: Server = serve("serve", "--demo")
    tab = open_tab(browser, server, watch=("Anna Becker",))
    first_screen, quiet = first_screen_of(tab), True
    patience = time.monotonic() + QUIET_WAIT_S
    for _ in range(3):  # a busy moment of a 2-core CI box (another test on the other cores): once the
        if first_screen <= FIRST_SCREEN_S:  # machine is quiet again, another tab, a world of its own
            break
        quiet = wait_for_quiet_cores(timeout=patience - time.monotonic())
        if not quiet:
            break
        first_apps = set(server.children())
        again = open_tab(browser, server, watch=("Anna Becker",))
        first_screen = min(first_screen, first_screen_of(again))
        again.page.close()
        wait_gone(list(set(server.children()) - first_apps), TAB_END_S * 5)
    assert first_screen <= FIRST_SCREEN_S or not quiet, f"{first_screen:.2f} s on a quiet machine"

    tab.click_text("Anna Becker")
    tab.wait_for("Type a message")
    tab.page.keyboard.type("Thanks for showing me the browser")
    tab.wait_for("Thanks for showing me the browser")
    tab.page.keyboard.press("Enter")
    tab.wait_for("Type a message")  # the composer is empty again: sent
    screen = tab.wait_for_any(("You're welcome!", "Anytime"), timeout=30)  # Anna's answer to thanks
    assert "Thanks for showing me the browser" in screen

    apps = server.children()
    assert len(apps) == 1
    tab.page.context.browser.close()  # the person closes the browser
    print(f"app ended {wait_gone(apps, TAB_END_S):.2f} s after its tab closed")
    assert server.stop(signal.SIGTERM) == 0
    assert started_under(home) == []
    if first_screen > FIRST_SCREEN_S:  # (the journey above held; only the timing could not be judged)
        pytest.skip(f"first screen {first_screen:.2f} s: the machine's cores were never free to measure it")


def test_the_keyboard_works_without_a_first_click(serve, browser) -> None:
    """The page gives xterm.js the focus: ctrl+p (the palette, where ctrl+n's "Send a file…" is) at once;
    ctrl+q quits."""
    server: Server = serve("serve", "--demo")
    tab = open_tab(browser, server)
    tab.wait_for("Anna Becker")
    tab.page.keyboard.press("Control+p")
    tab.page.keyboard.type("search messages")
    tab.wait_for("Find messages in all chats")
    tab.page.keyboard.press("Escape")
    (app,) = server.children()
    tab.page.keyboard.press("Control+q")  # quits as in a terminal: the app ends, the page says so
    tab.page.locator("body.-closed").wait_for(timeout=10_000)
    wait_gone([app], TAB_END_S)
    assert "has closed in this tab" in tab.page.inner_text(".closed-dialog")


def test_a_click_on_an_address_opens_nothing_past_the_messenger(serve, browser) -> None:
    """xterm.js would open any address-like text on a click, past the messenger's link dialog: the page
    lets only named addresses open (textual-serve's open_url and downloads)."""
    server: Server = serve("serve", "--demo")
    context = browser.new_context(viewport=VIEWPORT)
    pages: list = []
    context.on("page", lambda page: pages.append(page))
    tab = Tab(context.new_page())
    tab.page.goto(server.url)
    tab.wait_for("Anna Becker")
    tab.click_text("Anna Becker")
    tab.wait_for("Type a message")
    tab.page.keyboard.type("look at https://example.org/menu")
    tab.page.keyboard.press("Enter")
    tab.wait_for("Type a message")
    tab.settle()
    tab.click_text("https://example.org/menu", line_with="look at")
    tab.page.wait_for_timeout(500)
    assert pages == [tab.page]
    tab.page.evaluate("window.open('about:blank#open_url', '_blank')")  # as textual-serve's open_url does
    tab.page.wait_for_timeout(500)
    assert [page.url for page in pages[1:]] == ["about:blank#open_url"]


def test_saving_a_file_downloads_it_in_the_browser(serve, browser) -> None:
    server: Server = serve("serve", "--demo")
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    tab = Tab(context.new_page())
    tab.page.goto(server.url)
    tab.wait_for("SkyWays Airlines")
    tab.click_text("SkyWays Airlines")
    tab.wait_for("Type a message")
    tab.page.keyboard.type("boarding pass please")
    tab.page.keyboard.press("Enter")
    tab.wait_for("⤓ Save", timeout=40)
    tab.click_text("⤓ Save")
    tab.wait_for("Cancel")
    tab.settle()
    assert "tui-messenger-demo-" in tab.text()  # a demo world's files stay in its own folder
    downloads: list = []  # textual-serve opens the download with window.open: Chromium gives it to the tab
    tab.page.on("download", lambda download: downloads.append(download))
    tab.click_text(" Save ", line_with="Cancel")
    deadline = time.monotonic() + 20
    while not downloads:
        assert time.monotonic() < deadline, f"no download started; the screen:\n{tab.text()}"
        tab.page.wait_for_timeout(50)
    (download,) = downloads
    assert download.suggested_filename == "boarding-pass-SK123.pdf"
    saved = Path(download.path())
    assert saved.read_bytes().startswith(b"%PDF-1.4") and b"Gate B22" in saved.read_bytes()
    tab.wait_for("in your browser")  # the toast


def test_two_demo_tabs_are_two_worlds(serve, browser) -> None:
    server: Server = serve("serve", "--demo")
    first, second = open_tab(browser, server), open_tab(browser, server)
    first.wait_for("Anna Becker")
    second.wait_for("Anna Becker")
    apps = server.children()
    assert len(apps) == 2
    databases = {environment_of(app)["TUI_MESSENGER_DB"] for app in apps}
    assert len(databases) == 2 and all("tui-messenger-demo-" in db for db in databases)

    first.click_text("Anna Becker")
    first.wait_for("Type a message")
    first.page.keyboard.type("only in the first world")
    first.page.keyboard.press("Enter")
    first.wait_for("only in the first world")

    second.click_text("Anna Becker")
    second.wait_for("Type a message")
    second.page.wait_for_timeout(500)  # her chat drawn in full
    assert "only in the first world" not in second.text()
    assert "only in the first world" not in second.find_line("Anna Becker")

    first.page.close()
    deadline = time.monotonic() + TAB_END_S
    while len(server.children()) != 1:  # one of the two apps ends (which is which: the order they started)
        assert time.monotonic() < deadline, server.children()
        time.sleep(0.02)
    assert server.children()[0] in apps  # the other tab's app goes on, and still answers:
    second.page.keyboard.type("still here")
    second.wait_for("still here")


def test_a_second_tab_on_the_own_database_is_refused(serve, browser, home) -> None:
    server: Server = serve("--db", str(home / "own.db"), "serve")
    first = open_tab(browser, server)
    first.wait_for("Anna Becker")
    reloaded = Tab(first.page)  # a reload of the tab that has it is no second tab: the messenger comes back
    first.page.reload()
    reloaded.wait_for("Anna Becker")
    assert len(server.children()) == 1
    second = open_tab(browser, server)
    second.page.locator("#busy.-shown").wait_for(timeout=10_000)
    assert "open in another tab" in second.page.inner_text("body")
    assert second.sockets == []  # the page opened no websocket: no second app
    assert len(server.children()) == 1

    first.page.close()  # once the first tab is closed, the second one opens the messenger
    second.wait_for("Anna Becker")
    assert len(server.children()) == 1
