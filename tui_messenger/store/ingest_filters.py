"""What of a batch's messages never becomes a row, decided inside the ingest transaction: a message id
already stored or seen earlier in the batch (a conflict in content is logged, the first kept), an echo of
the user's own send under a known client transaction id (it acknowledges the send instead), and a message
from a blocked account (only counted)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui_messenger.domain.models import SERVER_ACCOUNT, MessageStatus
from tui_messenger.store.base import select_in
from tui_messenger.store.messages import StatusChange, apply_status

if TYPE_CHECKING:
    from tui_messenger.store.ingest import BatchResult, Incoming

log = logging.getLogger("tui_messenger.store.ingest")


def _differs(item: Incoming, body: str | None, kind: str, sender: str) -> bool:
    """`body` None: the stored text was edited or deleted since, so the original's text cannot match."""
    return (body is not None and item.body != body) or item.kind != kind or item.sender_id != sender


def dedupe(conn: sqlite3.Connection, items: Sequence[Incoming], result: BatchResult) -> list[Incoming]:
    first: dict[str, Incoming] = {}
    for item in items:
        kept = first.setdefault(item.message_id, item)
        if kept is not item:
            result.duplicates += 1
            if _differs(item, kept.body, kept.kind, kept.sender_id):
                result.conflicts += 1
                log.warning("message %r came twice with different content; kept the first", item.message_id)
    sql = (
        "SELECT message_id, CASE WHEN edited_at IS NULL AND deleted_at IS NULL AND hidden = 0 THEN body END,"
        " kind, sender_id FROM messages WHERE message_id IN ({})"
    )
    for message_id, body, kind, sender in select_in(conn, sql, first):
        item = first.pop(message_id)
        result.duplicates += 1
        if _differs(item, body, kind, sender):
            result.conflicts += 1
            log.warning("message %r came again with different content; kept the stored one", message_id)
    return list(first.values())


def acknowledge_echoes(
    conn: sqlite3.Connection, items: list[Incoming], result: BatchResult
) -> list[Incoming]:
    """The user's own messages coming back (history sync) under a known client transaction id."""
    txns = {i.client_txn_id: i for i in items if i.client_txn_id}
    if not txns:
        return items
    known = {
        r[0]
        for r in select_in(
            conn,
            "SELECT client_txn_id FROM messages WHERE client_txn_id IS NOT NULL AND client_txn_id IN ({})",
            txns,
        )
    }
    keep: list[Incoming] = []
    seen: set[str] = set()
    for item in items:
        txn = item.client_txn_id
        if txn and (txn in known or txn in seen):
            result.duplicates += 1
            change = StatusChange(
                item.message_id, MessageStatus.SENT, reporter_id=SERVER_ACCOUNT, client_txn_id=txn
            )
            if txn in known and (moved := apply_status(conn, change)) is not None:
                result.changed.append(moved)
            continue
        if txn:
            seen.add(txn)
        keep.append(item)
    return keep


def drop_blocked(conn: sqlite3.Connection, items: list[Incoming], result: BatchResult) -> list[Incoming]:
    senders = {i.peer_id for i in items if i.direction == "in"}
    blocked = {
        r[0] for r in select_in(conn, "SELECT account_id FROM blocks WHERE account_id IN ({})", senders)
    }
    if not blocked:
        return items
    keep = []
    for item in items:
        if item.direction == "in" and item.peer_id in blocked:
            result.dropped[item.peer_id] = result.dropped.get(item.peer_id, 0) + 1
        else:
            keep.append(item)
    return keep
