"""The conversation header: who this is (name, badge, category, warnings), the service window, actions."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from tui_messenger.domain.models import ChatSummary, WindowState
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.tui.widgets.chat_row import BADGE
from tui_messenger.tui.widgets.timefmt import window_text


def header_title(summary: ChatSummary) -> Content:
    peer = summary.peer
    parts: list[Content | tuple[str, str] | str] = []
    if peer.badge:
        parts.append((f"{BADGE} ", "bold $badge"))
    parts.append((clean_name(peer.display_name or summary.chat.title), "bold"))
    if peer.is_business:
        category = peer.profile.category if peer.profile and peer.profile.category else ""
        parts.append(("  business", "italic $business-mark"))
        if category:
            parts.append((f" · {clean_name(category, 40)}", "$text-muted"))
    return Content.assemble(*parts)


def header_status(summary: ChatSummary, window: WindowState | None) -> Content:
    parts: list[tuple[str, str]] = []
    if summary.looks_like:
        parts.append(
            (f"⚠ looks like {clean_name(summary.looks_like)} — not the same account  ", "bold $warning-text")
        )
    if summary.blocked:
        parts.append(("Blocked", "bold $text-error"))
    elif summary.peer.is_business and window is not None:
        parts.append(
            (window_text(window.open, window.closes_at), "$text-success" if window.open else "$text-muted")
        )
    return Content.assemble(*parts)


class ConversationHeader(Vertical):
    class ActionPressed(Message):
        """One of the header's buttons: "profile", "block", "report" or "promotions"."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    def compose(self) -> ComposeResult:
        with Horizontal(id="header-row"):
            yield Static(id="header-title", markup=False)
            yield Button(Content("Profile"), id="header-profile", compact=True)
            yield Button(Content("Promotions"), id="header-promotions", compact=True)
            yield Button(Content("Block"), id="header-block", variant="error", compact=True)
            yield Button(Content("Report"), id="header-report", variant="warning", compact=True)
        yield Static(id="header-status", markup=False)

    def show(
        self, summary: ChatSummary, *, window: WindowState | None, marketing_stopped: bool | None
    ) -> None:
        self.query_one("#header-title", Static).update(header_title(summary))
        self.query_one("#header-status", Static).update(header_status(summary, window))
        promotions = self.query_one("#header-promotions", Button)
        promotions.display = summary.peer.is_business and marketing_stopped is not None
        promotions.label = Content("Resume promotions" if marketing_stopped else "Stop promotions")
        self.query_one("#header-block", Button).display = not summary.blocked

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id:
            self.post_message(self.ActionPressed(event.button.id.removeprefix("header-")))
