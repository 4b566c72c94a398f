"""Events to the screen: listeners are called on the event loop, one failing listener never stops the
others (or the service)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from tui_messenger.domain.events import MessengerEvent

log = logging.getLogger(__name__)

Listener = Callable[[MessengerEvent], None]


class EventHub:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def emit(self, event: MessengerEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a screen bug must not break receiving
                log.exception("event listener failed on %s", type(event).__name__)
