"""The conversation header: who this is (name, badge, category, warnings), the service window, actions.

The title row is one line: the title, then as many buttons as fit beside a title of `MIN_TITLE` cells,
kept in `PRIORITY` order (Block and Report first); the rest are reached by the "⋯" button (and F9),
which posts `ActionPressed("menu")`. On a narrow or low screen the status line and the consent line
(`show(..., consent=...)`) share one line, each cut with '…' (app.tcss, classes `-narrow` / `-short`).
"""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Static

from tui_messenger.domain.models import ChatSummary, WindowState
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.tui.widgets.chat_row import BADGE
from tui_messenger.tui.widgets.folding_line import FoldingLine
from tui_messenger.tui.widgets.static_text import show_text
from tui_messenger.tui.widgets.timefmt import window_text

KIND_LABEL = " · business"
LOCK = "🔒 "  # before the name of an end-to-end encrypted chat (the network says so: `Account.encrypted`)
MIN_NAME = 12  # cells of the name kept before the kind label gives up its room
# Cells the title keeps beside the buttons: all of it up to TITLE_WANTS, never less than MIN_TITLE; a
# button that would take them goes to the "⋯" menu.
MIN_TITLE = 16
TITLE_WANTS = 30
# Action, label: the header's buttons in the order they are kept when the row is short.
PRIORITY: tuple[tuple[str, str], ...] = (
    ("block", "Block"),
    ("report", "Report"),
    ("stop-promotions", "Stop promotions"),
    ("resume-promotions", "Resume promotions"),
    ("profile", "Profile"),
)
MENU = "menu"


def header_title(summary: ChatSummary, width: int | None = None) -> Content:
    """Lock (end-to-end encrypted), badge, name and " · business", on one line of `width` cells when
    given: the name is cut with '…' first, and the kind label goes only when the name would keep fewer
    than `MIN_NAME` cells (the status line below and the chat list still say business)."""
    peer = summary.peer
    lock = LOCK if peer.encrypted else ""
    badge = f"{BADGE} " if peer.badge else ""
    name = clean_name(peer.display_name or summary.chat.title)
    kind = KIND_LABEL if peer.is_business else ""
    if width is not None:
        room = max(width - cell_len(lock) - cell_len(badge), 0)
        if kind and room - cell_len(kind) < min(cell_len(name), MIN_NAME):
            kind = ""
        name = Content(name).truncate(max(room - cell_len(kind), 0), ellipsis=True).plain
    parts: list[Content | tuple[str, str] | str] = []
    if lock:
        parts.append((lock, "$text-success"))
    if badge:
        parts.append((badge, "bold $badge"))
    parts.append((name, "bold"))
    if kind:
        parts.append((kind, "italic $business-mark"))
    return Content.assemble(*parts)


class HeaderTitle(Widget):
    """The title, fitted to the width it gets beside the buttons (it is drawn again on a resize)."""

    DEFAULT_CSS = "HeaderTitle { height: 1; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summary: ChatSummary | None = None

    def show(self, summary: ChatSummary) -> None:
        """Drawn again only when the title changes (not on every message the chat's summary carries)."""
        before, self.summary = self.summary, summary
        width = self.content_region.width
        if before is None or header_title(before, width) != header_title(summary, width):
            self.refresh()

    def render(self) -> Content:
        if self.summary is None:
            return Content("")
        return header_title(self.summary, self.content_region.width)


def header_status(summary: ChatSummary, window: WindowState | None, now: datetime | None = None) -> Content:
    parts: list[tuple[str, str]] = []
    profile = summary.peer.profile
    if summary.peer.is_business and profile is not None and profile.category:
        parts.append((f"{clean_name(profile.category, 40)} · ", "$text-muted"))
    if summary.looks_like:
        parts.append(
            (f"⚠ looks like {clean_name(summary.looks_like)} — not the same account  ", "bold $warning-text")
        )
    if summary.blocked:
        parts.append(("Blocked", "bold $text-error"))
    elif summary.peer.is_business and window is not None:
        parts.append(
            (
                window_text(window.open, window.closes_at, now),
                "$text-success" if window.open else "$text-muted",
            )
        )
    return Content.assemble(*parts)


class ConversationHeader(Vertical):
    class ActionPressed(Message):
        """One of the header's buttons: "profile", "block", "report", "stop-promotions",
        "resume-promotions", "menu" (the "⋯" button: the actions that did not fit) or "back" (to the
        chat list, when one pane shows at a time)."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._available: list[str] = []  # the actions this chat offers, in PRIORITY order
        self._hidden: list[str] = []  # those of them that did not fit beside the title

    def compose(self) -> ComposeResult:
        with Horizontal(id="header-row"):
            # Shown only when one pane shows at a time (app.tcss): the way back to the list by mouse.
            yield Button(Content("‹"), id="header-back", compact=True, tooltip="Chat list (Escape)")
            yield HeaderTitle(id="header-title")
            yield Button(Content("Profile"), id="header-profile", compact=True)
            yield Button(Content("Stop promotions"), id="header-stop-promotions", compact=True)
            yield Button(Content("Resume promotions"), id="header-resume-promotions", compact=True)
            yield Button(Content("Block"), id="header-block", variant="error", compact=True)
            yield Button(Content("Report"), id="header-report", variant="warning", compact=True)
            yield Button(Content("⋯"), id="header-menu", compact=True, tooltip="More (F9)")
        with Horizontal(id="header-info"):
            yield FoldingLine(id="header-status", markup=False)
            yield FoldingLine(id="header-consent", markup=False)

    def show(
        self,
        summary: ChatSummary,
        *,
        window: WindowState | None,
        marketing_stopped: bool | None,
        now: datetime | None = None,
        consent: Content | None = None,
    ) -> None:
        """`now` is the app's clock (the day the window closes is said relative to it); `consent` is the
        consent line, shown here when the screen is narrow or low (else the pane shows it below)."""
        self.query_one(HeaderTitle).show(summary)
        show_text(self.query_one("#header-status", Static), header_status(summary, window, now))
        folded = self.query_one("#header-consent", Static)
        folded.set_class(consent is None, "-hidden")
        show_text(folded, consent if consent is not None else Content(""))
        business = summary.peer.is_business and marketing_stopped is not None and not summary.blocked
        offered = {
            "stop-promotions": business and not marketing_stopped,
            "resume-promotions": business and bool(marketing_stopped),
            "block": not summary.blocked,
        }
        self._available = [action for action, _ in PRIORITY if offered.get(action, True)]
        self._fit()

    @property
    def menu_actions(self) -> list[tuple[str, str]]:
        """(action, label) of every action this chat offers, as the "⋯" menu lists them: those that
        did not fit first."""
        labels = dict(PRIORITY)
        ordered = self._hidden + [a for a in self._available if a not in self._hidden]
        return [(action, labels[action]) for action in ordered]

    @property
    def hidden_actions(self) -> list[str]:
        return list(self._hidden)

    def on_resize(self) -> None:
        self._fit()

    def _button_width(self, button: Button) -> int:
        styles = button.styles
        content = button.get_content_width(self.size, self.app.size)
        return content + styles.gutter.width + styles.margin.width

    def _fit(self) -> None:
        """Show the buttons that fit beside the title, in PRIORITY order, and the "⋯" button when any
        did not. The title keeps all of itself (up to TITLE_WANTS) unless that would push Block or
        Report into the menu; then it keeps MIN_TITLE."""
        if not self.is_mounted or not self.size.width:
            return
        title = self.query_one(HeaderTitle).summary
        wants = cell_len(header_title(title).plain) + 1 if title is not None else MIN_TITLE
        buttons = {action: self.query_one(f"#header-{action}", Button) for action, _ in PRIORITY}
        menu = self.query_one("#header-menu", Button)
        back = self.query_one("#header-back", Button)
        room = self.content_region.width - (self._button_width(back) if back.display else 0)
        widths = {action: self._button_width(buttons[action]) for action in self._available}
        shown = self._shown(widths, room - max(MIN_TITLE, min(wants, TITLE_WANTS)), menu)
        if any(action in self._available and action not in shown for action in ("block", "report")):
            shown = self._shown(widths, room - MIN_TITLE, menu)
        self._hidden = [a for a in self._available if a not in shown]
        with self.app.batch_update():
            for action, button in buttons.items():
                button.display = action in shown
            menu.display = bool(self._hidden)

    def _shown(self, widths: dict[str, int], room: int, menu: Button) -> set[str]:
        """The actions whose buttons fit in `room` cells, taken in PRIORITY order."""
        if sum(widths.values()) > room:
            room -= self._button_width(menu)
        shown: set[str] = set()
        for action in self._available:
            if widths[action] > room:
                break  # keep the order: nothing of lower priority jumps the queue
            shown.add(action)
            room -= widths[action]
        return shown

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id:
            self.post_message(self.ActionPressed(event.button.id.removeprefix("header-")))
