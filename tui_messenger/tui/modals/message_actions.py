"""What to do with a message. The key `x` asks only "Delete for me" or "Delete for everyone"; a right
click opens the message's menu: Reply, React, Copy text, Edit (the user's own text, while the rules
allow), Delete for me, Delete for everyone (the user's own, while the rules allow), Cancel. A message
deleted for everyone offers only "Delete for me". Dismisses with "reply", "react", "copy", "edit",
"delete-me", "delete-everyone", or None (Cancel, Escape)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
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
    MessageActionsModal #message-menu {
        height: auto;
        margin-top: 1;
    }
    MessageActionsModal #message-menu Button {
        width: 100%;
    }
    """
    BINDINGS = [
        Binding("up", "app.focus_previous", "Previous", show=False),
        Binding("down", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, message: ChatMessage, allowed: Allowed, *, offer_edit: bool = False) -> None:
        super().__init__()
        self._message = message
        self._allowed = allowed
        self._menu = offer_edit  # the right click's full menu, else the delete question of `x`
        self._offer_edit = offer_edit and allowed.edit

    def compose(self) -> ComposeResult:
        title = "Message" if self._menu else "Delete message?"
        with Vertical(id="dialog"):
            yield Static(as_content(title), id="dialog-title")
            if self._message.body:
                yield Static(safe_name(self._message.body.replace("\n", " "), 200), id="message-actions-text")
            if self._menu:
                with Vertical(id="message-menu"):
                    yield from self._menu_buttons()
                return
            if not self._allowed.delete_for_everyone:
                yield Static(
                    as_content("Only your own messages can be deleted for everyone, for 15 minutes."),
                    classes="hint",
                )
            with Horizontal(classes="buttons"):
                yield Button(as_content("Delete for me"), id="message-action-delete-me", variant="warning")
                if self._allowed.delete_for_everyone:
                    yield Button(
                        as_content("Delete for everyone"),
                        id="message-action-delete-everyone",
                        variant="error",
                    )
                yield Button(Content("Cancel"), id="message-action-cancel")

    def _menu_buttons(self) -> list[Button]:
        entries: list[tuple[str, str]] = []
        if not self._message.deleted:
            entries += [("reply", "Reply"), ("react", "React")]
            if self._message.body:
                entries.append(("copy", "Copy text"))
        if self._offer_edit:
            entries.append(("edit", "Edit"))
        entries.append(("delete-me", "Delete for me"))
        if self._allowed.delete_for_everyone:
            entries.append(("delete-everyone", "Delete for everyone"))
        entries.append(("cancel", "Cancel"))
        return [
            Button(as_content(label), id=f"message-action-{name}", compact=True) for name, label in entries
        ]

    def on_mount(self) -> None:
        # A destructive choice is never the default: a stray Enter replies (menu) or cancels.
        if self._menu:
            self.query_one("#message-menu Button").focus()
        else:
            self.query_one("#message-action-cancel").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = (event.button.id or "").removeprefix("message-action-")
        self.dismiss(None if choice == "cancel" else choice)
