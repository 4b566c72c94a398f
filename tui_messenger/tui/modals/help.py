"""The help screen (F1 or ?): every binding with its key after remapping, its id and what it does,
grouped by where it applies. The ids are what `[keys]` in config.toml remaps."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from tui_messenger.tui.modals.base import DialogModal, as_content
from tui_messenger.tui.widgets.web_note import WEB_HELP


@dataclass(frozen=True)
class KeyRow:
    """One row of the help screen (made by `tui/keys.py`)."""

    group: str
    binding_id: str
    keys: str  # after remapping, comma-separated
    description: str


class HelpModal(DialogModal[None]):
    DEFAULT_CSS = """
    HelpModal > #dialog {
        width: 96;
        height: 90%;
    }
    HelpModal #help-keys {
        height: 1fr;
    }
    HelpModal .help-group {
        text-style: bold;
        color: $accent;
        margin-top: 1;
    }
    """

    def __init__(self, rows: Sequence[KeyRow], key_display: Callable[[str], str]) -> None:
        super().__init__()
        self._rows = list(rows)
        self._key_display = key_display

    def _keys(self, keys: str) -> str:
        return " / ".join(self._key_display(k) for k in keys.split(",") if k)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(as_content("Keys"), id="dialog-title")
            yield Static(
                as_content('Remap any in config.toml:  [keys]  binding-id = "ctrl+k"'), classes="hint"
            )
            if self.app.is_web:  # `tui-messenger serve`: what differs in a browser tab
                yield Static(as_content(WEB_HELP), classes="hint", id="help-web")
            with VerticalScroll(id="help-keys"):
                group = None
                for row in self._rows:
                    if row.group != group:
                        group = row.group
                        yield Static(as_content(group), classes="help-group")
                    line = f"{self._keys(row.keys):<22} {row.description:<26} {row.binding_id}"
                    yield Static(Content(line), classes="help-row")
            with Horizontal(classes="buttons"):
                yield Button(as_content("Close"), id="help-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#help-keys").focus()

    @on(Button.Pressed, "#help-close")
    def _close(self) -> None:
        self.dismiss(None)


def key_display(app_get: Callable[[Binding], str]) -> Callable[[str], str]:
    """One key as the footer shows it (`question_mark` as `?`)."""
    return lambda key: app_get(Binding(key, "noop"))
