"""Stopping what runs in the background without ever hanging on it: quitting the app waits for this.

Each task, and each closing step, gets `wait` seconds once told to stop; what does not end by then is
left behind, logged with where it waits, and named in the list returned (tests assert it is empty: a
loop that swallows its cancellation is a bug, and a Matrix test's teardown once waited 180 s on one).
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Awaitable

log = logging.getLogger(__name__)


async def cancel_all(tasks: list[asyncio.Task[object]], wait: float) -> list[str]:
    """Cancel `tasks` and wait for them, `wait` seconds at most: the names of those left behind."""
    for task in tasks:
        task.cancel()
    if not tasks:
        return []
    done, pending = await asyncio.wait(tasks, timeout=wait)
    for task in done:
        if not task.cancelled():
            task.exception()  # retrieved: what a loop raised as it ended is of no interest now
    for task in pending:
        where = io.StringIO()
        task.print_stack(file=where)
        _log_left(task.get_name(), wait, where.getvalue())
    return [task.get_name() for task in pending]


async def bounded(step: Awaitable[object], name: str, wait: float) -> list[str]:
    """Await a closing step, `wait` seconds at most: `[name]` if it was left behind, else `[]`."""
    try:
        await asyncio.wait_for(step, wait)
    except TimeoutError:
        _log_left(name, wait, "")
        return [name]
    except Exception:
        log.exception("%s failed", name)
    return []


def _log_left(name: str, wait: float, where: str) -> None:
    log.error("%s did not end within %s s of the stop; left behind. %s", name, wait, where)
