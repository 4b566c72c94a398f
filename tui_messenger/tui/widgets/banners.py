"""The lines around the history: system notice, scam and request banners, consent, blocked state,
reply-to strip and typing indicator. They display what they are given and post what was pressed."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from tui_messenger.domain.models import ChatMessage, ChatSummary, Consent, ConsentSource
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.tui.widgets.static_text import show_text

_SOURCES = {
    ConsentSource.USER_MESSAGE: "by writing to them first",
    ConsentSource.WEBSITE: "on their website",
    ConsentSource.APP: "in their app",
    ConsentSource.DEMO: "in the demo setup",
}


class BannerPressed(Message):
    """A banner's button: `action` is "block", "report", "add_contact", "continue", "unblock" or
    "cancel-reply"."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action


class _ButtonBar(Horizontal):
    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id:
            self.post_message(BannerPressed(event.button.id.split("-", 1)[1]))


def system_notice(summary: ChatSummary) -> Content:
    peer = summary.peer
    name = clean_name(peer.display_name)
    if peer.badge:
        return Content.assemble(
            "This chat is with the business account ",
            (name, "bold"),
            ". ",
            ("✔ Verified", "bold $badge"),
            ": the directory confirms who runs it.",
        )
    text = (
        "This chat is with a business account that is not verified: "
        "the directory has not confirmed who runs it."
    )
    return Content.assemble((text, "$warning-text"))


def consent_line(consent: Consent | None) -> Content:
    if consent is None or not consent.opted_in:
        why = "You have not opted in to this business; it may only answer messages you send."
    else:
        how = _SOURCES.get(consent.source, "") if consent.source else ""
        when = f" on {consent.opted_in_at.astimezone().strftime('%d %b %Y')}" if consent.opted_in_at else ""
        why = f"You opted in{(' ' + how) if how else ''}{when}."
    if consent is not None and consent.marketing_stopped:
        why += " Promotions stopped."
    return Content.assemble(("Why am I getting this? ", "bold"), why)


class RequestBanner(_ButtonBar):
    """First contact from a stranger or a business the user never opted in to. When the text would
    get less than `STACK_BELOW` cells beside the buttons, the buttons go on a line of their own
    (class `-stacked`), so the text is never squeezed into a column."""

    STACK_BELOW = 40

    def compose(self) -> ComposeResult:
        yield Static(id="request-text", markup=False)
        with Horizontal(id="request-buttons"):
            yield Button(Content("Block"), id="request-block", variant="error", compact=True)
            yield Button(Content("Report"), id="request-report", variant="warning", compact=True)
            yield Button(Content("Add contact"), id="request-add_contact", variant="success", compact=True)
            yield Button(Content("Accept"), id="request-continue", variant="primary", compact=True)

    def on_resize(self) -> None:
        buttons = self.query_one("#request-buttons")
        needed = sum(
            b.get_content_width(self.size, self.app.size) + b.styles.gutter.width + b.styles.margin.width
            for b in buttons.query(Button)
        )
        self.set_class(self.content_region.width - needed < self.STACK_BELOW, "-stacked")

    def show(self, summary: ChatSummary) -> None:
        """The name, which anyone can choose, with the account it belongs to (as a messenger shows an
        unknown sender's number): "Ben (@mallory:example.org)" is not Ben."""
        peer = summary.peer
        who = "business" if peer.is_business else "sender"
        name, account = clean_name(peer.display_name), clean_name(peer.id, 80)
        text = Content.assemble(
            (f"Unknown {who}: ", "bold"),
            (name, "bold"),
            f" ({account})" if account.casefold() != name.casefold() else "",
            " is not in your contacts (F2 adds them).",
        )
        show_text(self.query_one("#request-text", Static), text)


class BlockedBar(_ButtonBar):
    def compose(self) -> ComposeResult:
        yield Static(Content("You blocked this contact."), id="blocked-text")
        yield Button(Content("Unblock"), id="blocked-unblock", compact=True)


class ReplyStrip(_ButtonBar):
    def compose(self) -> ComposeResult:
        yield Static(id="reply-text", markup=False)
        yield Button(Content("✕"), id="reply-cancel-reply", compact=True)

    def show(self, message: ChatMessage) -> None:
        who = "yourself" if message.outgoing else "message"
        body = clean_name(message.body.replace("\n", " "), max_len=120)
        self.query_one("#reply-text", Static).update(
            Content.assemble((f"↩ Replying to {who}: ", "bold"), (body, "$text-muted"))
        )
