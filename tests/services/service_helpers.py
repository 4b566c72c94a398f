"""Frame builders and helpers for the service tests."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from tui_messenger.domain.clock import to_ms
from tui_messenger.transport import wire

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # the test clock's start
T0 = to_ms(START)


async def until(service: Any, condition: Any, rounds: int = 2_000) -> None:
    """Wait until `condition()` holds, waking on the service's progress signal (set after every
    background step), so the loop idles while the store's worker threads run. No wall-clock sleeps:
    the timeout only turns a hang into a failure."""
    for _ in range(rounds):
        if condition():
            return
        service.progress.clear()
        for _ in range(5):
            await asyncio.sleep(0)
            if condition():
                return
        try:
            await asyncio.wait_for(service.progress.wait(), timeout=10)
        except TimeoutError:
            break
    raise AssertionError("condition never held")


async def settle(service: Any, transport: Any) -> None:
    """Let the service take in and store everything the transport holds."""
    await until(service, lambda: transport.pending == 0 and service.idle)


def status(mid: str, state: str, *, sender: str = "server", txn: str | None = None, code: int | None = None):
    return wire.StatusFrame(
        message_id=mid, status=state, sender=sender, to="me", timestamp=T0, client_txn_id=txn,
        error=wire.ErrorInfo(code=code) if code else None,
    )  # type: ignore[call-arg]  # fmt: skip


def typing(sender: str, on: bool = True) -> wire.TypingFrame:
    return wire.TypingFrame(sender=sender, to="me", typing=on)  # type: ignore[call-arg]


def buttons(mid: str, sender: str, *, at: int = T0) -> wire.MessageFrame:
    interactive = wire.Interactive(
        type="button", body="Was this you?",
        buttons=[wire.Button(id="yes", title="Yes"), wire.Button(id="no", title="No")],
    )  # fmt: skip
    return wire.MessageFrame(
        id=mid, sender=sender, to="me", timestamp=at, kind="interactive", interactive=interactive
    )


# frame builders -------------------------------------------------------------------------------------
def text(
    mid: str, sender: str, body: str, *, at: datetime | int = START, to: str = "me", **kw: Any
) -> wire.MessageFrame:
    ts = at if isinstance(at, int) else to_ms(at)
    content = wire.TextContent(body=body)
    return wire.MessageFrame(id=mid, sender=sender, to=to, timestamp=ts, kind="text", text=content, **kw)


def template(
    mid: str, sender: str, body: str, *, category: str = "utility", at: datetime | int = START
) -> wire.MessageFrame:
    ts = at if isinstance(at, int) else to_ms(at)
    return wire.MessageFrame(
        id=mid,
        sender=sender,
        to="me",
        timestamp=ts,
        kind="template",
        template=wire.Template(name="t", category=category, body=body),  # type: ignore[arg-type]
    )


def directory(*entries: wire.DirectoryEntry) -> wire.DirectoryFrame:
    return wire.DirectoryFrame(accounts=list(entries))


def person(account_id: str, name: str | None = None, *, contact: bool = True) -> wire.DirectoryEntry:
    name = name or account_id.title()
    return wire.DirectoryEntry(id=account_id, display_name=name, kind="person", contact=contact)


def business(
    account_id: str, name: str | None = None, *, verified: bool = True, opt_in: bool = True
) -> wire.DirectoryEntry:
    return wire.DirectoryEntry(
        id=account_id,
        display_name=name or account_id.title(),
        kind="business",
        verified=verified,
        profile=wire.Profile(category="Bank"),
        opt_in=wire.OptIn(source="demo", timestamp=to_ms(START)) if opt_in else None,
    )
