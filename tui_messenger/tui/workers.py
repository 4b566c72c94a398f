"""The one way the screens start a worker, and the one place a worker's failure is reported.

A widget's worker runs with `exit_on_error=False` (a failed send must not end the app), and its
`Worker.StateChanged` goes to the widget and does not bubble, so an App handler never sees it: an error
there vanished without a word (issue 12: a send that failed to store cleared the composer and showed
nothing). So every worker in `tui/` is started here (`@worker(...)` instead of `@work`, `start(...)`
instead of `run_worker`): the work is wrapped so that an exception is logged and shown as one literal
line ("Not sent: the database is busy"), through the safe-text path, and the worker ends quietly.
A caller that must put something back (the composer's text, a disabled panel) catches, restores and
re-raises; the report still happens here, once. Cancellation is not a failure and passes through.
"""

from __future__ import annotations

import errno
import time
from collections.abc import Awaitable, Callable, Iterator
from functools import partial, wraps
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar
from weakref import WeakKeyDictionary

from textual.dom import DOMNode
from textual.worker import Worker

from tui_messenger.domain.files import FileRefused
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.services.errors import MessengerError

__all__ = ["host_of", "reason", "report", "start", "worker"]

P = ParamSpec("P")
N = TypeVar("N", bound="DOMNode | Hosted")  # a widget, or a controller with a `host` widget
R = TypeVar("R")

FAILED = "Something went wrong"
TOAST_S = 8.0
_shown: WeakKeyDictionary[Any, dict[str, float]] = WeakKeyDictionary()  # app -> line -> when shown
REASON_MAX_LEN = 200

# What SQLite and the OS say, and the line the user reads. SQLAlchemy wraps the sqlite3 error (`.orig`,
# `__cause__`) and adds lines with the SQL and its parameters (the user's text): only the first line of an
# unknown error is shown, never those.
_REASONS = (
    (("database is locked", "database is busy", "database table is locked"), "the database is busy"),
    (("database or disk is full", "no space left", "disk quota exceeded"), "the disk is full"),
    (("readonly database", "read-only file system"), "the database is read-only"),
    (("disk i/o error",), "the disk could not be read or written"),
)
_ERRNO_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk is full",
    errno.EROFS: "the disk is read-only",
}


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, the driver error it wraps (`.orig`), and its causes, each once."""
    seen: set[int] = set()
    todo: list[Any] = [error]
    while todo:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        yield item
        todo += [getattr(item, "orig", None), item.__cause__, item.__context__]


def reason(error: BaseException) -> str:
    """One printable line saying why, fit for a toast: "the disk is full", "the database is busy"."""
    for item in _chain(error):
        if isinstance(item, OSError) and item.errno in _ERRNO_REASONS:
            return _ERRNO_REASONS[item.errno]
        said = str(item).lower()
        for needles, line in _REASONS:
            if any(needle in said for needle in needles):
                return line
    if isinstance(error, MessengerError | FileRefused):
        text = str(error)  # written to be shown
    else:
        lines = str(error).strip().splitlines()
        text = lines[0] if lines else type(error).__name__
    return clean_name(text, REASON_MAX_LEN) or type(error).__name__


def report(node: DOMNode, error: BaseException, failed: str = FAILED) -> None:
    """Log the error and show it as one literal toast: `failed` (what did not happen) and the reason.
    The same line again while its toast is still up is only logged (a full disk fails every draft save)."""
    try:
        node.log.error(f"worker failed ({failed}): {error!r}")
        app = node.app
        line = f"{failed}: {reason(error)}"
        shown = _shown.setdefault(app, {})
        now = time.monotonic()
        if now - shown.get(line, -TOAST_S) < TOAST_S:
            return
        shown[line] = now
        app.notify(line, severity="error", markup=False, timeout=TOAST_S)
    except Exception:  # noqa: BLE001 - the app is gone (closing): nothing is left to show it on
        pass


async def _guarded(node: DOMNode, work: Callable[[], Awaitable[R]], failed: str) -> R | None:
    try:
        return await work()
    except Exception as error:  # noqa: BLE001 - this is the one place a worker's error is handled
        report(node, error, failed)
        return None


def start(
    node: DOMNode,
    work: Callable[[], Awaitable[R]],
    *,
    group: str,
    exclusive: bool = False,
    failed: str = FAILED,
    name: str = "",
) -> Worker[R | None]:
    """`node.run_worker` for the zero-argument coroutine function `work`, its failure reported."""
    return node.run_worker(
        partial(_guarded, node, work, failed),
        name=name or getattr(work, "__name__", ""),
        group=group,
        exclusive=exclusive,
        exit_on_error=False,
    )


class Hosted(Protocol):
    """A controller: its workers run on its `host` widget."""

    @property
    def host(self) -> DOMNode: ...


def host_of(owner: DOMNode | Hosted) -> DOMNode:
    """The widget that runs `owner`'s workers: `owner` itself, or a controller's `host`."""
    return owner if isinstance(owner, DOMNode) else owner.host


def worker(
    *, group: str, exclusive: bool = False, failed: str = FAILED
) -> Callable[[Callable[Concatenate[N, P], Awaitable[R]]], Callable[Concatenate[N, P], Worker[R | None]]]:
    """Like Textual's `@work` for an async method: calling the method starts it as a worker (returned),
    through `start`, so its failure is reported. The method may be a widget's or a controller's (which
    runs its workers on its `host` widget)."""

    def decorator(
        method: Callable[Concatenate[N, P], Awaitable[R]],
    ) -> Callable[Concatenate[N, P], Worker[R | None]]:
        @wraps(method)
        def started(self: N, /, *args: P.args, **kwargs: P.kwargs) -> Worker[R | None]:
            work = partial(method, self, *args, **kwargs)
            return start(
                host_of(self),
                work,
                group=group,
                exclusive=exclusive,
                failed=failed,
                name=method.__name__,
            )

        return started

    return decorator
