"""The right pane of the first frame, before the conversation pane is mounted: its empty state."""

from __future__ import annotations

from textual.widgets import Static

EMPTY_STATE = "Choose a chat on the left, or press ctrl+p to find one."  # as the pane's (not imported yet)


class ConversationPlaceholder(Static):
    """The right pane of the first frame: the conversation pane's empty state, drawn as it draws it."""

    DEFAULT_CSS = """
    ConversationPlaceholder {
        width: 2fr;
        height: 1fr;
        background: $background;
        content-align: center middle;
        color: $text-muted;
    }
    """
