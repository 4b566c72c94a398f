"""The service without a screen, for the subcommands (report, export): the same database checks and the
same network as the app."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from tui_messenger.bootstrap import BootError, build_messenger, load_world, open_store, resumed_clock
from tui_messenger.bootstrap_matrix import matrix_service, quiet_network_logs
from tui_messenger.domain.events import ConnectionChanged
from tui_messenger.settings import AppSettings

if TYPE_CHECKING:
    from tui_messenger.services.service import MessengerService


@asynccontextmanager
async def headless_messenger(settings: AppSettings) -> AsyncIterator[MessengerService]:
    """The service without a screen, for subcommands. A fresh database first takes in the demo world
    (or the chosen scenario) from the fake network, as the first run of the app would."""
    from tui_messenger.domain.clock import ManualClock

    world = load_world(settings.scenario)  # before the store: a bad scenario leaves no database behind
    db = open_store(settings.db_path, exclusive=False)
    try:
        now = resumed_clock(db.path, speed=1.0).now()  # the tester's clock, its stored jumps included
        service = matrix_service(db, clock=ManualClock(now))
        if service is not None:
            quiet_network_logs()
        else:
            service = build_messenger(db, world, clock=ManualClock(now))
        if service.settings.sync_token() is None:
            await service.start()
            try:
                await _until_synced(service)
            finally:
                await service.stop()
        yield service
    finally:
        db.close()


async def _until_synced(service: MessengerService, *, timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    ended: list[str] = []  # the network ended the session (Matrix: a revoked token): no waiting for it
    unsubscribe = service.subscribe(
        lambda e: ended.append(e.ended) if isinstance(e, ConnectionChanged) and e.ended else None
    )
    try:
        await _wait_synced(service, deadline, ended)
    finally:
        unsubscribe()


async def _wait_synced(service: MessengerService, deadline: float, ended: list[str]) -> None:
    loop = asyncio.get_running_loop()
    while not (service.settings.sync_token() is not None and service.idle):
        if ended:
            again = "sign in again: tui-messenger logout --local, then tui-messenger login"
            raise BootError(f"{ended[0]}; {again}", exit_code=2)
        if loop.time() > deadline:
            raise BootError("the network did not finish its first sync", exit_code=1)
        service.progress.clear()
        try:
            await asyncio.wait_for(service.progress.wait(), timeout=0.5)
        except TimeoutError:
            pass
