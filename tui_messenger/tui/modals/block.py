"""The block dialog: "Block <name>? Blocked contacts cannot message you." with a reason and "Also report"."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Label, RadioButton, RadioSet, Static

from tui_messenger.domain.models import BlockReason
from tui_messenger.tui.modals.base import DialogModal, as_content
from tui_messenger.tui.safe import safe_name


@dataclass(frozen=True, slots=True)
class BlockResult:
    reason: BlockReason
    also_report: bool


class BlockModal(DialogModal[BlockResult]):
    """Ask before blocking. Dismisses with a BlockResult, or None on Cancel/Escape."""

    DEFAULT_CSS = """
    BlockModal #block-reasons {
        margin-bottom: 1;
    }
    """

    def __init__(self, name: str, *, is_business: bool = False) -> None:
        super().__init__()
        self._peer_name = name
        self._is_business = is_business

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content.assemble("Block ", safe_name(self._peer_name), "?"), id="dialog-title")
            with VerticalScroll(id="dialog-body"):
                yield Static(as_content(self._explanation()), classes="hint")
                yield Label(as_content("Reason"))
                with RadioSet(id="block-reasons"):
                    for index, reason in enumerate(BlockReason):
                        # Default to "No reason": the user should not have to justify a block.
                        yield RadioButton(
                            as_content(reason.value),
                            value=reason is BlockReason.NO_REASON,
                            id=f"block-reason-{index}",
                        )
                # Checked by default, like WhatsApp: most blocks of strangers and businesses are spam.
                yield Checkbox(as_content("Also report"), value=True, id="block-also-report")
            with Horizontal(classes="buttons"):
                yield Button(as_content("Block"), variant="error", id="block-confirm")
                yield Button(as_content("Cancel"), id="block-cancel")

    def _explanation(self) -> str:
        if self._is_business:
            # Templates are how businesses reach people who never wrote to them: say they stop too.
            return "Blocked contacts cannot message you. This business cannot send you templates either."
        return "Blocked contacts cannot message you."

    def on_mount(self) -> None:
        # Start at the first control so Tab walks the dialog top to bottom; Enter on Block confirms.
        self.query_one("#block-reasons", RadioSet).focus()

    def _reason(self) -> BlockReason:
        pressed = self.query_one("#block-reasons", RadioSet).pressed_index
        reasons = list(BlockReason)
        return reasons[pressed] if 0 <= pressed < len(reasons) else BlockReason.NO_REASON

    @on(Button.Pressed, "#block-confirm")
    def _confirm(self) -> None:
        also_report = self.query_one("#block-also-report", Checkbox).value
        self.dismiss(BlockResult(reason=self._reason(), also_report=also_report))

    @on(Button.Pressed, "#block-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
