"""Mute a chat for 8 hours, a week or always, or unmute it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from tui_messenger.tui.modals.base import DialogModal, as_content

# choice -> (button label, seconds; None = always, 0 = unmute)
MUTE_CHOICES: dict[str, tuple[str, int | None]] = {
    "8h": ("8 hours", 8 * 3600),
    "1w": ("1 week", 7 * 24 * 3600),
    "always": ("Always", None),
    "unmute": ("Unmute", 0),
}


class MuteModal(DialogModal[str]):
    """Dismisses with a key of MUTE_CHOICES, or None (cancel)."""

    def __init__(self, name: str, *, muted: bool) -> None:
        super().__init__()
        self._name = name
        self._muted = muted

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(as_content(f"Mute {self._name}"), id="dialog-title")
            yield Static(
                as_content("No toast or bell for new messages in this chat while muted."), classes="hint"
            )
            with Horizontal(classes="buttons"):
                for choice, (label, _) in MUTE_CHOICES.items():
                    if choice == "unmute" and not self._muted:
                        continue
                    yield Button(as_content(label), id=f"mute-{choice}")
                yield Button(as_content("Cancel"), id="mute-cancel")

    def on_mount(self) -> None:
        self.query_one("#mute-8h").focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = (event.button.id or "").removeprefix("mute-")
        self.dismiss(choice if choice in MUTE_CHOICES else None)
