"""Shared fixtures: a temp-file database per test, a manual clock, a scripted transport double."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tui_messenger.domain.clock import StepClock
from tui_messenger.store.database import Database, open_database
from tui_messenger.transport import wire
from tui_messenger.transport.base import Transport, TransportClosed

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


_CLOSE = object()


class ScriptedTransport(Transport):
    """A transport double: tests push frames in, and read what the client sent out.

    Each connection has its own stream; frames pushed while disconnected wait for the next connection,
    as a server would hold them. `on_send` may answer a client frame (e.g. with a `sent` status)."""

    def __init__(self) -> None:
        self.sent: list[wire.Frame] = []
        self.connects: list[str | None] = []
        self.on_send: Callable[[wire.Frame], list[wire.Frame]] | None = None
        self.refuse_connect = 0  # fail this many connect attempts
        self._queue: asyncio.Queue[Any] | None = None
        self._backlog: list[bytes] = []

    # Transport -------------------------------------------------------------------------------------
    async def connect(self, account_id: str, *, since: str | None = None) -> None:
        if self.refuse_connect:
            self.refuse_connect -= 1
            raise TransportClosed("refused")
        self.connects.append(since)
        self._queue = asyncio.Queue()
        for raw in self._backlog:
            self._queue.put_nowait(raw)
        self._backlog.clear()

    async def send(self, frame: bytes) -> None:
        if self._queue is None:
            raise TransportClosed("not connected")
        decoded = wire.decode(frame)
        self.sent.append(decoded)
        if self.on_send is not None:
            for answer in self.on_send(decoded):
                self.push(answer)

    def incoming(self) -> AsyncIterator[bytes]:
        queue = self._queue
        if queue is None:
            raise TransportClosed("not connected")

        async def frames() -> AsyncIterator[bytes]:
            while True:
                item = await queue.get()
                if item is _CLOSE:
                    raise TransportClosed("connection lost")
                yield item

        return frames()

    async def close(self) -> None:
        self.disconnect()

    # test controls ---------------------------------------------------------------------------------
    def push(self, *frames: wire.Frame | bytes) -> None:
        for frame in frames:
            raw = frame if isinstance(frame, bytes) else wire.encode(frame)
            if self._queue is None:
                self._backlog.append(raw)
            else:
                self._queue.put_nowait(raw)

    def disconnect(self) -> None:
        if self._queue is not None:
            self._queue.put_nowait(_CLOSE)
            self._queue = None

    @property
    def pending(self) -> int:
        return len(self._backlog) + (self._queue.qsize() if self._queue is not None else 0)

    def sent_of(self, kind: type) -> list[Any]:
        return [f for f in self.sent if isinstance(f, kind)]


# fixtures -------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True, scope="session")
def _own_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test writes the user's own folders: the log and the look-alike table went to ~/.cache (and a
    test that opened the default database would have used the user's). Every run (each xdist worker) gets
    folders of its own, and so do the processes the tests start; a test that needs others sets its own."""
    import os

    home = tmp_path_factory.mktemp("folders")
    names = {f"TUI_MESSENGER_{kind}_DIR": str(home / kind.lower()) for kind in ("DATA", "CONFIG", "CACHE")}
    before = {name: os.environ.get(name) for name in names}
    os.environ.update(names)
    yield
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def transport() -> ScriptedTransport:
    return ScriptedTransport()


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The screen shows local times: pin the zone to UTC so expected text and snapshots hold on any
    machine. A module takes it for all its tests with `pytestmark = pytest.mark.usefixtures("utc")`."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
async def messenger(db: Database, transport: ScriptedTransport, clock: StepClock) -> AsyncIterator[Any]:
    """A started MessengerService on the scripted transport; answers every send with `sent`."""
    from tui_messenger.services.service import MessengerService

    def answer(frame: wire.Frame) -> list[wire.Frame]:
        if isinstance(frame, wire.MessageFrame):
            return [
                wire.StatusFrame(
                    message_id=frame.id,
                    status="sent",
                    sender="server",
                    to="me",
                    timestamp=frame.timestamp,
                    client_txn_id=frame.client_txn_id,
                )  # type: ignore[call-arg]  # fmt: skip
            ]
        return []

    transport.on_send = answer
    service = MessengerService(db, transport, clock=clock, user_id="me")
    online = asyncio.Event()
    unsubscribe = service.subscribe(lambda e: online.set() if getattr(e, "online", False) else None)
    await service.start()
    await online.wait()
    unsubscribe()
    yield service
    await service.stop()


class Toast:
    """One toast as the app asked for it (the public `App.notify` call), for tests to read."""

    def __init__(self, message: str, title: str, severity: str, markup: bool) -> None:
        self.message, self.title, self.severity, self.markup = message, title, severity, markup

    def __repr__(self) -> str:
        return (
            f"Toast({self.message!r}, title={self.title!r}, severity={self.severity!r}, markup={self.markup})"
        )


@pytest.fixture(autouse=True)
def toast_spy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `App.notify` is recorded in `app.shown_toasts` (in order, expired ones too): tests read what
    the user was told through the public call, not Textual's private `_notifications`."""
    from textual.app import App

    notify = App.notify

    def shown(self: App[Any]) -> list[Toast]:
        return self.__dict__.setdefault("_shown_toasts", [])

    def recorded(
        self: App[Any], message: Any, *, title: str = "", severity: Any = "information", **kw: Any
    ) -> None:
        shown(self).append(Toast(str(message), title, str(severity), bool(kw.get("markup", True))))
        notify(self, message, title=title, severity=severity, **kw)

    monkeypatch.setattr(App, "notify", recorded)
    monkeypatch.setattr(App, "shown_toasts", property(shown), raising=False)
