"""The banner shown when the network ended this device's session (a token revoked elsewhere): the app
stops reconnecting, says so at the top of the screen and how to sign in again; the chats stay readable."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tui_messenger.domain.safe_text import clean_name


def signed_out(why: str) -> str:
    return (
        f"Signed out: {clean_name(why, 300)}. Sign in again: tui-messenger logout --local, then "
        "tui-messenger login (with --db for this database). Your chats stay here."
    )


class SessionEnded(Static):
    DEFAULT_CSS = """
    SessionEnded {
        dock: top;
        height: auto;
        padding: 0 1;
        background: $scam-banner;
        color: $text;
        text-style: bold;
    }
    """

    def __init__(self, why: str) -> None:
        super().__init__(Content(signed_out(why)), id="session-ended")  # network text: literal, one line
