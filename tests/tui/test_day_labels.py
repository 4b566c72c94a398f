"""Day separators name days relative to the app's clock, and follow it when it moves ahead (the
testers' "Jump ahead 24 hours"): a day laid out as "Today" becomes "Yesterday" once the clock passes
midnight, and two different days are never both "Yesterday"."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from modal_host import message
from textual.app import App, ComposeResult

from tui_messenger.tui.themes import THEME_VARIABLE_DEFAULTS
from tui_messenger.tui.widgets.message_view import MessageView

NOON = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.at = NOON

    def now(self) -> datetime:
        return self.at


class ViewHost(App[None]):
    CSS_PATH = "../../tui_messenger/tui/app.tcss"

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield MessageView(now=self.clock.now)


def labels(view: MessageView) -> list[str]:
    found = []
    for y in range(view.virtual_size.height):
        text = view.render_line(y).text.strip() if y < view.size.height else ""
        for word in ("Today", "Yesterday"):
            if f"─ {word} ─" in text or text.strip("─ ") == word:
                found.append(word)
    return found


async def test_labels_follow_a_clock_that_jumps_a_day(monkeypatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    import time

    time.tzset()
    clock = Clock()
    yesterday = replace(message(1, "from yesterday"), sent_at=NOON - timedelta(days=1))
    today = replace(message(2, "from today"), sent_at=NOON - timedelta(hours=1))
    async with ViewHost(clock).run_test(size=(60, 30)) as pilot:
        view = pilot.app.query_one(MessageView)
        view.set_messages([yesterday, today], has_older=False)
        await pilot.pause()
        assert labels(view) == ["Yesterday", "Today"]
        clock.at = NOON + timedelta(days=1)  # the jump ahead, then a message arrives
        tomorrow = replace(message(3, "after the jump"), sent_at=clock.at)
        view.append(tomorrow)
        await pilot.pause()
        assert labels(view) == ["Yesterday", "Today"], "the day before yesterday is not 'Yesterday'"
