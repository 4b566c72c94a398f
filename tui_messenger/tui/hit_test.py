"""Mouse hit tests that never return a widget already removed from the screen.

The screen maps a point to a widget with the map of its last refresh. A widget removed since (a feedback
prompt after its "Useful" was clicked, a toast that was dismissed) is still on that map until the next
refresh, and Textual's text selection reads the parent of what a press lands on: a removed widget has
none, and the press raised `AttributeError: 'NoneType' object has no attribute 'region'` (a fast double
click). A removed widget is nothing under the mouse.
"""

from __future__ import annotations

from textual.geometry import Offset
from textual.screen import Screen
from textual.widget import Widget


class AttachedHitTest:
    """Mixed into a `Screen` before it in the bases."""

    def get_widget_and_offset_at(self, x: int, y: int) -> tuple[Widget | None, Offset | None]:
        widget, offset = super().get_widget_and_offset_at(x, y)  # type: ignore[misc]
        if widget is not None and not isinstance(widget, Screen) and widget.parent is None:
            return None, None
        return widget, offset
