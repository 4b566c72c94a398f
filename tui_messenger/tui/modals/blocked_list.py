"""The blocked list: every blocked account with an "Unblock" button (after a confirmation).

Unblocking takes effect when confirmed: with `on_unblock` the dialog calls it at once; without it the
caller unblocks the ids the dialog returns. Either way Close and Escape return the ids unblocked, never
None, because a confirmed unblock is not something Escape should silently undo.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from tui_messenger.domain.models import Account, Block
from tui_messenger.tui.modals.base import DialogModal, as_content, stamp
from tui_messenger.tui.modals.confirm import ConfirmModal
from tui_messenger.tui.safe import safe_name

UnblockCallback = Callable[[str], Awaitable[None]]


class BlockedListModal(DialogModal[tuple[str, ...]]):
    DEFAULT_CSS = """
    BlockedListModal #blocked-rows {
        height: auto;
        max-height: 20;
    }
    BlockedListModal .blocked-row {
        height: auto;
        margin-bottom: 1;
    }
    BlockedListModal .blocked-row Static {
        width: 1fr;
    }
    """

    def __init__(
        self, items: Sequence[tuple[Block, Account]], *, on_unblock: UnblockCallback | None = None
    ) -> None:
        super().__init__()
        self._items = list(items)
        self._on_unblock = on_unblock
        self._unblocked: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(as_content("Blocked contacts"), id="dialog-title")
            with VerticalScroll(id="blocked-rows"):
                # Widget ids use the row index: an account id is network data, not a valid CSS id.
                for index, (block, account) in enumerate(self._items):
                    with Horizontal(classes="blocked-row", id=f"blocked-row-{index}"):
                        yield Static(self._describe(block, account))
                        yield Button(as_content("Unblock"), id=f"unblock-{index}")
                yield Static(
                    as_content("You have not blocked anyone."),
                    classes="hint",
                    id="blocked-empty",
                )
            with Horizontal(classes="buttons"):
                yield Button(as_content("Close"), id="blocked-close")

    @staticmethod
    def _describe(block: Block, account: Account) -> Content:
        return Content.assemble(
            (safe_name(account.display_name).plain, "bold"),
            "\n",
            safe_name(account.id, 80),
            f" · blocked {stamp(block.blocked_at)} · {block.reason.value}",
        )

    def on_mount(self) -> None:
        self._show_empty()
        first = self.query(".blocked-row Button")
        (first.first() if first else self.query_one("#blocked-close", Button)).focus()

    def _show_empty(self) -> None:
        remaining = len(self._items) - len(self._unblocked)
        self.query_one("#blocked-empty").display = remaining == 0

    @on(Button.Pressed, ".blocked-row Button")
    def _ask(self, event: Button.Pressed) -> None:
        index = int((event.button.id or "").rsplit("-", 1)[-1])
        _block, account = self._items[index]

        async def answered(yes: bool | None) -> None:
            if yes:
                await self._unblock(index, account.id)

        self.app.push_screen(
            ConfirmModal(
                Content.assemble("Unblock ", safe_name(account.display_name), "?"),
                "They will be able to message you again. Messages sent while blocked will not appear.",
                yes="Unblock",
            ),
            answered,
        )

    async def _unblock(self, index: int, account_id: str) -> None:
        if self._on_unblock is not None:
            try:
                await self._on_unblock(account_id)
            except Exception as error:  # the service failed (e.g. store busy): keep the row, say so
                self.notify(f"Could not unblock: {error}", severity="error", markup=False)
                return
        self._unblocked.append(account_id)
        await self.query_one(f"#blocked-row-{index}").remove()
        self._show_empty()
        buttons = self.query(".blocked-row Button")
        (buttons.first() if buttons else self.query_one("#blocked-close", Button)).focus()

    def action_cancel(self) -> None:
        self.dismiss(tuple(self._unblocked))

    @on(Button.Pressed, "#blocked-close")
    def _close(self) -> None:
        self.dismiss(tuple(self._unblocked))
