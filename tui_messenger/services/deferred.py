"""The messenger behind the first frame: the chat list comes straight from the file while the real
service (SQLAlchemy, pydantic, the network) is imported and built in a thread.

A person sees their chats in about the time a bare Textual app takes to start; everything else waits
for the service, which is ready a moment later. Only the chat list and its counts have a quick path.
What the first frame shows (the list, the archived row, the counts, each row's look-alike warning) can be
read ahead (`read_first_screen`), in the thread that checks the file while the screens import: the first frame
then has its rows, with no thread hop and no frame drawn without them. Until the service is built nothing
writes the file, so what was read ahead is what the file holds.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tui_messenger.domain.clock import Clock
from tui_messenger.domain.models import ChatFilter, ChatSummary
from tui_messenger.services.port import Listener, Messenger
from tui_messenger.store.chat_rows import QuickChatList
from tui_messenger.store.preflight import StoreError

FIRST_FRAME_WAIT = 2.0  # seconds: start the service anyway if the screen never asks for the list
PAINT_GRACE = 0.1  # seconds for the list to be laid out and painted


@dataclass(frozen=True)
class FirstScreen:
    """What the first frame shows, read ahead: the chat list and the archived chats (each row with its
    look-alike warning), and the filter counts."""

    lists: dict[tuple[ChatFilter, bool], list[ChatSummary]]
    counts: dict[ChatFilter, int]


def read_first_screen(quick: QuickChatList) -> FirstScreen:
    """The first frame's reads and look-alike checks (blocking: `run_app` calls it in the thread that
    checks the file, while the screens import)."""
    check = _look_alike_check(quick)
    lists = {
        (ChatFilter.ALL, archived): _with_look_alikes(check, quick.chat_list(archived=archived))
        for archived in (False, True)
    }
    return FirstScreen(lists, quick.counts())


def _look_alike_check(quick: QuickChatList) -> Any:
    from tui_messenger.services.impersonation import ImpersonationCheck

    return ImpersonationCheck(quick.verified_names())


def _with_look_alikes(check: Any, summaries: list[ChatSummary]) -> list[ChatSummary]:
    return [
        ChatSummary(s.chat, s.peer, s.blocked, check.looks_like(s.peer.id, s.peer.display_name))
        for s in summaries
    ]


class DeferredMessenger:
    """A `Messenger` whose service is built on first need (at the latest by `start`)."""

    def __init__(
        self,
        build: Callable[[], Messenger],
        *,
        quick: QuickChatList,
        user_id: str,
        clock: Clock,
        first: FirstScreen | None = None,
    ) -> None:
        self.user_id = user_id
        self.clock = clock
        self._build = build
        self._quick = quick
        self._real: Messenger | None = None
        self._building: asyncio.Task[Messenger] | None = None
        self._listeners: dict[int, tuple[Listener, Callable[[], None] | None]] = {}
        self._looks_like: Any = None
        self._listed: asyncio.Event | None = None
        self._first = first
        self._reading: int | None = None  # the chat on screen, told to the service once it is built
        # The build refused the database (damage the check after the first frame found): nothing was
        # written; `on_refused` tells the app, which closes with this one line.
        self.refused: StoreError | None = None
        self.on_refused: Callable[[StoreError], None] | None = None

    @property
    def ready(self) -> bool:
        return self._real is not None

    async def service(self) -> Messenger:
        """The real service, built once in a thread (its imports must not hold up the screen)."""
        if self._real is None:
            if self._building is None:
                self._building = asyncio.ensure_future(asyncio.to_thread(self._build))
            real = await asyncio.shield(self._building)
            if self._real is None:
                self._real = real
                if self._reading is not None:
                    real.reading(self._reading)
                for key, (listener, _) in list(self._listeners.items()):
                    self._listeners[key] = (listener, real.subscribe(listener))
        return self._real

    def reading(self, chat_id: int | None) -> None:
        self._reading = chat_id
        if self._real is not None:
            self._real.reading(chat_id)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        key = id(listener)
        self._listeners[key] = (listener, self._real.subscribe(listener) if self._real else None)

        def unsubscribe() -> None:
            _, remove = self._listeners.pop(key, (None, None))
            if remove is not None:
                remove()

        return unsubscribe

    async def start(self) -> None:
        # Build the service once the first chat list is on its way to the screen: its imports in a
        # thread would otherwise share the interpreter with the first frame and slow it down.
        try:
            await asyncio.wait_for(self._first_list().wait(), timeout=FIRST_FRAME_WAIT)
            await asyncio.sleep(PAINT_GRACE)
        except TimeoutError:
            pass
        try:
            service = await self.service()
        except StoreError as exc:
            self.refused = exc
            if self.on_refused is not None:
                self.on_refused(exc)
            return
        await service.start()

    def _first_list(self) -> asyncio.Event:
        if self._listed is None:
            self._listed = asyncio.Event()
        return self._listed

    async def stop(self) -> None:
        if self._building is None:
            return
        try:
            service = await self.service()
        except StoreError:
            return  # refused: never opened, nothing to stop
        await service.stop()

    # the quick path -------------------------------------------------------------------------------------
    def _quick_looks_like(self, summaries: list[ChatSummary]) -> list[ChatSummary]:
        if self._looks_like is None:
            self._looks_like = _look_alike_check(self._quick)
        return _with_look_alikes(self._looks_like, summaries)

    async def chat_list(
        self, *, filter: ChatFilter = ChatFilter.ALL, query: str = "", archived: bool = False
    ) -> list[ChatSummary]:
        if self._real is not None or query:
            return await (await self.service()).chat_list(filter=filter, query=query, archived=archived)
        rows = self._first.lists.get((filter, archived)) if self._first is not None else None
        if rows is None:
            rows = await asyncio.to_thread(self._quick_rows, filter, archived)
        self._first_list().set()
        return list(rows)

    def _quick_rows(self, filter: ChatFilter, archived: bool) -> list[ChatSummary]:
        return self._quick_looks_like(self._quick.chat_list(filter=filter, archived=archived))

    async def filter_counts(self) -> dict[ChatFilter, int]:
        if self._real is not None:
            return await self._real.filter_counts()
        if self._first is not None:
            return dict(self._first.counts)
        return await asyncio.to_thread(self._quick.counts)

    # everything else waits for the service -------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        if name not in _SERVICE_CALLS:
            raise AttributeError(name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await getattr(await self.service(), name)(*args, **kwargs)

        call.__name__ = name
        return call


_SERVICE_CALLS = frozenset(
    name for name, member in vars(Messenger).items() if inspect.iscoroutinefunction(member)
)
