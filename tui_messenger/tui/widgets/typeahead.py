"""Keys typed ahead of a dialog: what the user types right after the key that opens it.

`+` on a message opens the reaction picker, but the picker is a screen pushed a moment later: keys of the
same burst (`+:heart:` typed fast, or pasted) still reach the history first, where `e` would start an
edit and Enter a reply. The history hands such keys (and pastes) to a `Typeahead` instead, and the
dialog takes them when it is shown, in order, then the ones still on their way.
"""

from __future__ import annotations

import time
from collections.abc import Callable

Typed = tuple[str, str | None]  # (key, character): a key press; ("paste", text): a paste

MAX_WAIT = 1.0  # seconds: keys are held for a dialog for this long at most, if none takes them


class Typeahead:
    def __init__(self) -> None:
        self._held: list[Typed] = []
        self._sink: Callable[[Typed], None] | None = None
        self._started = time.monotonic()
        self.closed = False

    @property
    def open(self) -> bool:
        """Still taking keys: a dialog has them, or one may still come."""
        if self.closed:
            return False
        if self._sink is None and time.monotonic() - self._started > MAX_WAIT:
            self.closed = True  # the dialog never came (refused, failed): keys go where they go
        return not self.closed

    def feed(self, typed: Typed) -> None:
        if self._sink is not None:
            self._sink(typed)
        else:
            self._held.append(typed)

    def attach(self, sink: Callable[[Typed], None]) -> None:
        """The dialog is shown: it gets the keys held so far, then every later one."""
        held, self._held = self._held, []
        self._sink = sink
        for typed in held:
            sink(typed)

    def close(self) -> None:
        self.closed = True
        self._sink = None
        self._held.clear()
