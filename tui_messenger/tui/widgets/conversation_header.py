"""The conversation header: who this is (name, badge, category, warnings), the service window, actions."""

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
from tui_messenger.tui.widgets.timefmt import window_text

KIND_LABEL = " · business"
MIN_NAME = 12  # cells of the name kept before the kind label gives up its room


def header_title(summary: ChatSummary, width: int | None = None) -> Content:
    """Badge, name and " · business", on one line of `width` cells when given: the name is cut with '…'
    first, and the kind label goes only when the name would keep fewer than `MIN_NAME` cells (the
    status line below and the chat list still say business)."""
    peer = summary.peer
    badge = f"{BADGE} " if peer.badge else ""
    name = clean_name(peer.display_name or summary.chat.title)
    kind = KIND_LABEL if peer.is_business else ""
    if width is not None:
        room = max(width - cell_len(badge), 0)
        if kind and room - cell_len(kind) < min(cell_len(name), MIN_NAME):
            kind = ""
        name = Content(name).truncate(max(room - cell_len(kind), 0), ellipsis=True).plain
    parts: list[Content | tuple[str, str] | str] = []
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
        self.summary = summary
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
        """One of the header's buttons: "profile", "block", "report", "stop-promotions" or
        "resume-promotions"."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    def compose(self) -> ComposeResult:
        with Horizontal(id="header-row"):
            yield HeaderTitle(id="header-title")
            yield Button(Content("Profile"), id="header-profile", compact=True)
            yield Button(Content("Stop promotions"), id="header-stop-promotions", compact=True)
            yield Button(Content("Resume promotions"), id="header-resume-promotions", compact=True)
            yield Button(Content("Block"), id="header-block", variant="error", compact=True)
            yield Button(Content("Report"), id="header-report", variant="warning", compact=True)
        yield Static(id="header-status", markup=False)

    def show(
        self,
        summary: ChatSummary,
        *,
        window: WindowState | None,
        marketing_stopped: bool | None,
        now: datetime | None = None,
    ) -> None:
        """`now` is the app's clock (the day the window closes is said relative to it)."""
        self.query_one(HeaderTitle).show(summary)
        self.query_one("#header-status", Static).update(header_status(summary, window, now))
        business = summary.peer.is_business and marketing_stopped is not None and not summary.blocked
        self.query_one("#header-stop-promotions", Button).display = business and not marketing_stopped
        self.query_one("#header-resume-promotions", Button).display = business and bool(marketing_stopped)
        self.query_one("#header-block", Button).display = not summary.blocked

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id:
            self.post_message(self.ActionPressed(event.button.id.removeprefix("header-")))
