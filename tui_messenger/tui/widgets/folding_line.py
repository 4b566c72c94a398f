"""A line of the conversation's chrome that a narrow or low screen cuts with "…" (app.tcss): a click
shows all of it, wrapped, and another click folds it again. A chat opened after it folds it back."""

from __future__ import annotations

from textual.events import Click
from textual.widgets import Static


class FoldingLine(Static):
    def on_click(self, event: Click) -> None:
        event.stop()
        self.toggle_class("-unfolded")
        self.refresh(layout=True)  # (the wrap is a style: its change alone does not size the line again)

    def fold(self) -> None:
        if self.has_class("-unfolded"):
            self.remove_class("-unfolded")
            self.refresh(layout=True)
