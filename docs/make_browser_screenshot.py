"""Regenerate docs/browser.png: `.venv/bin/python docs/make_browser_screenshot.py` from the repository root.

`tui-messenger serve --demo` in a temporary home, Debian's headless Chromium (tests/serve/browser.py), a
chat with Anna, and a screenshot of the page.
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.serve.browser import Server, Tab, chromium  # noqa: E402
from tests.terminal.driver import isolated_env  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        server = Server(home, "--seed", "1", "serve", "--demo", env=isolated_env(home))
        try:
            with chromium() as browser:
                tab = Tab(browser.new_page(viewport={"width": 1280, "height": 720}))
                tab.page.goto(server.url)
                tab.wait_for("Anna Becker")
                tab.click_text("Anna Becker")
                tab.wait_for("Type a message")
                tab.page.keyboard.type("Dinner on Friday?")
                tab.page.keyboard.press("Enter")
                tab.wait_for_any(("I'm in", "What time?", "Where shall we meet?"), timeout=30)
                tab.settle(quiet=1.0)
                tab.page.screenshot(path=str(ROOT / "docs" / "browser.png"))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
