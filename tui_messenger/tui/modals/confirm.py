"""A generic yes/no question (unblock, open a link). Dismisses with True or False; Escape is False."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from tui_messenger.tui.modals.base import DialogModal, as_content
from tui_messenger.tui.safe import safe_body, safe_name


class ConfirmModal(DialogModal[bool]):
    """Ask a question. `title` and `body` given as `str` are treated as untrusted (they often hold a
    name or a link from the network) and pass through the safe path; give `Content` for text that is
    already safe and styled."""

    def __init__(
        self,
        title: str | Content,
        body: str | Content = "",
        *,
        yes: str = "Yes",
        no: str = "Cancel",
        destructive: bool = False,
    ) -> None:
        super().__init__()
        self._title = title if isinstance(title, Content) else safe_name(title, 120)
        self._body = body if isinstance(body, Content) else safe_body(body)
        self._yes = yes
        self._no = no
        self._destructive = destructive

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self._title, id="dialog-title")
            if self._body:
                with VerticalScroll(id="dialog-body"):  # a long one scrolls; the buttons stay on screen
                    yield Static(self._body, id="confirm-body")
            with Horizontal(classes="buttons"):
                yield Button(
                    as_content(self._yes),
                    variant="error" if self._destructive else "primary",
                    id="confirm-yes",
                )
                yield Button(as_content(self._no), id="confirm-no")

    def on_mount(self) -> None:
        # A destructive question starts on the harmless answer, so a stray Enter does nothing bad.
        self.query_one("#confirm-no" if self._destructive else "#confirm-yes", Button).focus()

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#confirm-yes")
    def _yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no_pressed(self) -> None:
        self.dismiss(False)
