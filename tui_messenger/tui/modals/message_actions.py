"""What to do with a message: delete it for me or for everyone (the key `x`), or, from a right click,
also edit it. Only what the rules allow now is offered. Dismisses with "edit", "delete-me",
"delete-everyone", or None (Cancel, Escape)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from tui_messenger.domain.edits import Allowed
from tui_messenger.domain.models import ChatMessage
from tui_messenger.tui.modals.base import DialogModal, as_content
from tui_messenger.tui.safe import safe_name


class MessageActionsModal(DialogModal[str]):
    DEFAULT_CSS = """
    MessageActionsModal #message-actions-text {
        color: $text-muted;
    }
    MessageActionsModal .buttons {
        height: auto;
    }
    """

    def __init__(self, message: ChatMessage, allowed: Allowed, *, offer_edit: bool = False) -> None:
        super().__init__()
        self._message = message
        self._allowed = allowed
        self._offer_edit = offer_edit and allowed.edit

    def compose(self) -> ComposeResult:
        title = "Message" if self._offer_edit else "Delete message?"
        with Vertical(id="dialog"):
            yield Static(as_content(title), id="dialog-title")
            if self._message.body:
                yield Static(safe_name(self._message.body.replace("\n", " "), 200), id="message-actions-text")
            if not self._allowed.delete_for_everyone:
                yield Static(
                    as_content("Only your own messages can be deleted for everyone, for 15 minutes."),
                    classes="hint",
                )
            with Horizontal(classes="buttons"):
                if self._offer_edit:
                    yield Button(as_content("Edit"), id="message-action-edit", variant="primary")
                yield Button(as_content("Delete for me"), id="message-action-delete-me", variant="warning")
                if self._allowed.delete_for_everyone:
                    yield Button(
                        as_content("Delete for everyone"),
                        id="message-action-delete-everyone",
                        variant="error",
                    )
                yield Button(Content("Cancel"), id="message-action-cancel")

    def on_mount(self) -> None:
        # A destructive choice is never the default: a stray Enter cancels.
        self.query_one("#message-action-edit" if self._offer_edit else "#message-action-cancel").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = (event.button.id or "").removeprefix("message-action-")
        self.dismiss(None if choice == "cancel" else choice)
