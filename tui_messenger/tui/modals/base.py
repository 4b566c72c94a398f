"""What every dialog shares: a centred frame, Escape to cancel, and the text helpers for its fields."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, RadioSet

from tui_messenger.domain.safe_text import clean_body
from tui_messenger.tui.hit_test import AttachedHitTest
from tui_messenger.tui.widgets.textual_private import QuietFooter

ResultT = TypeVar("ResultT")
SHORT_SCREEN = 30  # rows: below this, a dialog's buttons and fields are drawn compact (one row each)
NARROW_SCREEN = 70  # columns: below this, a dialog's buttons are only as wide as their labels


class DialogModal(AttachedHitTest, ModalScreen[ResultT | None]):
    """Base of the messenger's dialogs. Escape dismisses with None (cancel); subclasses dismiss with
    their result. The frame is the container with id `dialog`.

    A dialog that may be taller than a small terminal puts what lies between its title and its buttons
    in a widget that scrolls (a `VerticalScroll`, a tree) with id `dialog-body`: the body is given the rows
    the rest leaves, so the buttons always stay on screen (CSS alone cannot say "the rows left" inside an
    auto-height frame). On a short screen the controls are drawn compact, so an 80x24 terminal shows the
    whole dialog; on a narrow one the buttons lose their minimum width, so a row of four still fits."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog-cancel")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_SCREEN, "-wide")]

    DEFAULT_CSS = """
    DialogModal {
        align: center middle;
    }
    DialogModal > #dialog {
        width: 76;
        max-width: 95%;
        height: auto;
        max-height: 95%;
        padding: 1 2;
        border: thick $primary 70%;
        background: $surface;
    }
    DialogModal #dialog-body {
        height: auto;
    }
    DialogModal #dialog-title {
        text-style: bold;
        margin-bottom: 1;
    }
    DialogModal .hint {
        color: $text-muted;
    }
    DialogModal .buttons {
        height: auto;
        margin-top: 1;
        align-horizontal: right;
    }
    DialogModal .buttons Button {
        margin-left: 1;
    }
    DialogModal.-narrow .buttons Button {
        min-width: 0;
    }
    DialogModal Input:blur {
        /* Visible on every theme: the default blurred border vanishes on a black or white surface. */
        border: tall $foreground 30%;
    }
    """

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_mount(self) -> None:
        # The dialog's own keys at the bottom: the screen behind it would show keys that do nothing here.
        self.mount(QuietFooter())
        self._compact(self.app.size.height < SHORT_SCREEN)  # before the first frame: the dialog never jumps

    def on_resize(self) -> None:
        self._compact(self.size.height < SHORT_SCREEN)
        self.call_after_refresh(self._fit_body)

    def _compact(self, short: bool) -> None:
        widgets: list[Button | RadioSet | Checkbox | Input] = [
            *self.query(Button),
            *self.query(RadioSet),
            *self.query(Checkbox),
            *self.query(Input),
        ]
        for widget in widgets:
            if short and not widget.compact:
                widget.compact = True  # one row each, no frame
                widget.add_class("-made-compact")
            elif not short and widget.has_class("-made-compact"):  # compact by design stays so
                widget.compact = False
                widget.remove_class("-made-compact")

    def _fit_body(self) -> None:
        bodies = self.query("#dialog-body")
        if not bodies:
            return
        body = bodies.first()
        dialog = self.query_one("#dialog")
        others = sum(c.outer_size.height + c.styles.margin.height for c in dialog.children if c is not body)
        footer = sum(f.outer_size.height for f in self.query(QuietFooter))
        frame = (self.size.height - footer) * 95 // 100  # the frame's max-height, above the footer
        dialog.styles.max_height = frame
        room = frame - dialog.styles.gutter.height - others - body.styles.margin.height
        body.styles.max_height = max(room, 3)


def as_content(text: str | Content) -> Content:
    """Our own literal text as Content, so no widget parses it as markup (a `[` in a translation or a
    name would otherwise be read as a tag). Untrusted text goes through `tui.safe` instead."""
    return text if isinstance(text, Content) else Content(text)


def stamp(moment: datetime) -> str:
    """A full, unambiguous time for evidence and profile facts: what is sent is what is shown."""
    return moment.strftime("%Y-%m-%d %H:%M")


class SafeInput(Input):
    """An `Input` whose value never holds terminal controls or hidden characters.

    `Input` draws its value as it is: a pasted ESC or C1 sequence would reach the terminal, and a bidi
    override would reorder the text around the cursor. Cleaning in the reactive's validator (not in a
    `Changed` handler) means the raw value is never drawn, not even for one frame. Text without
    anything suspicious is returned untouched (one regex scan).
    """

    def validate_value(self, value: str) -> str:
        return clean_body(value).replace("\n", " ")
