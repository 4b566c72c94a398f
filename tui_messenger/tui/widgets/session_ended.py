"""The banner shown when the network ended this device's session (a token revoked elsewhere): the app
stops reconnecting and says so at the top of the screen, with a "Sign in again" button (the screen opens
the sign-in dialog: `SignInPressed`); the chats stay readable."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from tui_messenger.domain.safe_text import clean_name


def signed_out(why: str) -> str:
    return f"Signed out: {clean_name(why, 300)}. Your chats stay here."


class SessionEnded(Horizontal):
    DEFAULT_CSS = """
    SessionEnded {
        dock: top;
        height: auto;
        padding: 0 1;
        background: $scam-banner;
        color: $text;
    }
    SessionEnded #session-ended-why {
        width: 1fr;
        height: auto;
        text-style: bold;
    }
    SessionEnded #session-sign-in {
        margin-left: 1;
    }
    """

    class SignInPressed(Message):
        """The user wants to sign in again."""

    def __init__(self, why: str) -> None:
        super().__init__(id="session-ended")
        self._why = why

    def compose(self) -> ComposeResult:
        yield Static(Content(signed_out(self._why)), id="session-ended-why")  # network text: literal
        yield Button(Content("Sign in again"), id="session-sign-in", variant="primary", compact=True)

    @on(Button.Pressed, "#session-sign-in")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.SignInPressed())
