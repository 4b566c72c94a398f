"""When a frame is painted: a hook on the App's display step, the one place every frame passes.

Textual has no public "frame painted" signal, so the probe wraps `App._display` (the step that writes a
compositor update to the terminal). Headless, Textual skips building the terminal output; the probe builds
it anyway (`render_segments`), so a headless frame costs what a real one does. Waiters give a predicate
over the app's state; the first frame painted while it holds resolves them with that frame's time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from textual.app import App

Predicate = Callable[[], bool]


class PaintProbe:
    def __init__(self, app: App[Any], *, build_output: bool = True) -> None:
        self.app = app
        self.frames = 0
        self.last_frame = 0.0
        self._waiters: list[tuple[Predicate, asyncio.Future[float]]] = []
        self._listeners: list[Callable[[float], None]] = []
        original = app._display  # noqa: SLF001 - see the module docstring
        build = build_output

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None:
                return
            if build and app.is_headless and hasattr(renderable, "render_segments"):
                renderable.render_segments(app.console)
            stamp = time.perf_counter()
            self.frames += 1
            self.last_frame = stamp
            for listener in self._listeners:
                listener(stamp)
            for waiter in list(self._waiters):
                predicate, future = waiter
                if not future.done() and predicate():
                    future.set_result(stamp)
                    self._waiters.remove(waiter)

        app._display = display  # type: ignore[method-assign]

    def on_frame(self, listener: Callable[[float], None]) -> None:
        self._listeners.append(listener)

    def expect(self, predicate: Predicate) -> asyncio.Future[float]:
        """A future for the time of the first frame painted while `predicate` holds (register first,
        then act)."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        return future

    async def wait(self, future: asyncio.Future[float], timeout: float = 30.0) -> float:
        return await asyncio.wait_for(future, timeout)
