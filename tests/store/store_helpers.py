"""Small builders for store tests."""

from __future__ import annotations

from datetime import UTC, datetime

from tui_messenger.domain.clock import to_ms
from tui_messenger.domain.models import AccountKind, ConsentSource
from tui_messenger.services.consent import admits
from tui_messenger.store.accounts import DirectoryRecord
from tui_messenger.store.database import Database
from tui_messenger.store.ingest import BatchItem, BatchResult, Incoming, IngestRepository

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # the ManualClock's default start
T0 = to_ms(START)


def inbound(mid: str, sender: str, body: str = "hi", *, at: int = T0, kind: str = "text", **kw) -> Incoming:
    return Incoming(mid, sender, sender, "in", kind, body, at, **kw)


def own(mid: str, to: str, body: str = "mine", *, at: int = T0, txn: str | None = None) -> Incoming:
    return Incoming(mid, to, "me", "out", "text", body, at, client_txn_id=txn)


def person(account_id: str, *, contact: bool = True, name: str | None = None) -> DirectoryRecord:
    return DirectoryRecord(account_id, name or account_id.title(), contact=contact)


def business(account_id: str, *, verified: bool = True, opt_in: bool = True, name: str | None = None):
    return DirectoryRecord(
        account_id,
        name or account_id.title(),
        AccountKind.BUSINESS,
        verified=verified,
        opt_in_source=ConsentSource.DEMO if opt_in else None,
    )


def apply(db: Database, *items: BatchItem, now: datetime = START) -> BatchResult:
    return IngestRepository(db).apply(items=list(items), now=now, admit=admits, user_id="me")
