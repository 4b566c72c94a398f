"""Sign in again, without leaving the app: the password of the account the database keeps.

The homeserver and user id are the stored login's (shown, not asked). The dialog stays open while the
sign-in runs; a refusal (wrong password, server down) is one line in it, and the password can be typed
again. The sign-in itself is the caller's (`attempt`): the dialog only asks and shows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from tui_messenger.tui.modals.base import DialogModal, as_content
from tui_messenger.tui.safe import safe_name
from tui_messenger.tui.workers import worker

Attempt = Callable[[str], Awaitable[str | None]]
"""password -> None when signed in, else the one line that says why not."""


class SignInModal(DialogModal[bool]):
    """Dismisses with True once signed in; None on Cancel / Escape."""

    DEFAULT_CSS = """
    SignInModal > #dialog {
        width: 64;
    }
    SignInModal #sign-in-error {
        color: $text-error;
        text-style: bold;
    }
    SignInModal #sign-in-error.-empty {
        display: none;
    }
    SignInModal #sign-in-error.-progress {
        color: $text-muted;
        text-style: none;
    }
    """

    def __init__(self, homeserver: str, user_id: str, attempt: Attempt) -> None:
        super().__init__()
        self._homeserver, self._user_id, self._attempt = homeserver, user_id, attempt

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(as_content("Sign in again"), id="dialog-title")
            yield Static(safe_name(self._user_id, 120), id="sign-in-user")
            yield Static(safe_name(self._homeserver, 120), id="sign-in-server", classes="hint")
            yield Input(placeholder="Password", password=True, id="sign-in-password")
            yield Static(as_content(""), id="sign-in-error", classes="-empty")
            with Horizontal(classes="buttons"):
                yield Button(as_content("Sign in"), variant="primary", id="sign-in-go")
                yield Button(as_content("Cancel"), id="sign-in-cancel")

    def on_mount(self) -> None:
        self.query_one("#sign-in-password", Input).focus()

    @on(Input.Submitted, "#sign-in-password")
    @on(Button.Pressed, "#sign-in-go")
    def _go(self) -> None:
        password = self.query_one("#sign-in-password", Input).value
        if not password:
            self._say("Type your password.")
            return
        self._busy(True)
        self._say("Signing in…", error=False)
        self._sign_in(password)

    @worker(group="sign-in", exclusive=True, failed="Could not sign in")
    async def _sign_in(self, password: str) -> None:
        why = await self._attempt(password)
        if why is None:
            self.dismiss(True)
            return
        self._busy(False)
        self._say(why)
        field = self.query_one("#sign-in-password", Input)
        field.value = ""
        field.focus()

    def _busy(self, busy: bool) -> None:
        self.query_one("#sign-in-go", Button).disabled = busy
        self.query_one("#sign-in-password", Input).disabled = busy

    def _say(self, line: str, *, error: bool = True) -> None:
        shown = self.query_one("#sign-in-error", Static)
        shown.update(safe_name(line, 200))  # a server's words may be in it: literal, one line
        shown.set_class(not line, "-empty")
        shown.set_class(not error, "-progress")

    @on(Button.Pressed, "#sign-in-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
