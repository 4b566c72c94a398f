"""The batch ingest path: many incoming frames in ONE `BEGIN IMMEDIATE` transaction.

Messages go in with one raw `executemany` (no ORM object per row); each touched chat's summary
(last message, last activity, unread count, request state) is written once per batch, in the same
transaction. Row ids are assigned here (the write lock is held), so ties in `position` break in arrival
order and the inserted messages can be returned without reading them back.

Rules kept here because they must hold inside the transaction:
- dedupe by message id (same id with other content: the first is kept and the conflict logged);
- an echo of the user's own send (same client transaction id) acknowledges it instead of a second row;
- a message from a blocked account leaves no row, no unread count, no chat; only `dropped_count` grows;
- whether a message is admitted or turns its chat into a request is the services' rule (`admit`).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, Protocol

from tui_messenger.domain.models import Account, AttachmentInfo, ChatMessage, ChatSummary, MessageStatus
from tui_messenger.domain.models import MessageKind as Kind
from tui_messenger.store import convert
from tui_messenger.store.accounts import (
    DirectoryRecord,
    account_kinds,
    apply_directory,
    contact_ids,
    ensure_accounts,
)
from tui_messenger.store.attachments import StoredFile, insert_files, with_files
from tui_messenger.store.base import Repository, raw, select_in
from tui_messenger.store.chats import chat_kind_for, summaries
from tui_messenger.store.convert import message_from_tuple
from tui_messenger.store.ingest_filters import acknowledge_echoes, dedupe, drop_blocked
from tui_messenger.store.messages import StatusChange, apply_status, read_up_to
from tui_messenger.store.reactions import ReactionUpdate
from tui_messenger.store.settings import SYNC_TOKEN, put

log = logging.getLogger(__name__)

IN, OUT = "in", "out"
DELIVERED, SENT, READ = MessageStatus.DELIVERED.value, MessageStatus.SENT.value, MessageStatus.READ.value
EVENTS_PER_CHAT = 200  # newest messages per chat and batch returned as domain objects

INSERT_MESSAGE = (
    "INSERT INTO messages (id, message_id, client_txn_id, chat_id, sender_id, direction, kind,"
    " template_category, body, payload, reply_to, position, sent_at, received_at, status, error_code)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(slots=True)
class Incoming:
    """One message frame as the store takes it. `peer_id` is the other side of the chat: the sender of an
    incoming message, the recipient of the user's own message (history from another device)."""

    message_id: str
    peer_id: str
    sender_id: str
    direction: str  # Direction value
    kind: str  # MessageKind value
    body: str
    timestamp: int  # server time in ms: the position in the chat
    template_category: str | None = None
    payload: str | None = None  # JSON text of the structured content
    reply_to: str | None = None
    client_txn_id: str | None = None  # only the user's own messages keep it
    attachment: StoredFile | None = None  # a document's checked bytes, stored with the message
    history: bool = False  # older history read back from the network: never unread, never notified


@dataclass(frozen=True, slots=True)
class PeerFacts:
    """What the consent rules need to know about the peer when a message arrives."""

    kind: str  # AccountKind value
    contact: bool
    opted_in: bool
    marketing_stopped: bool
    scam: bool
    last_outbound_at: int  # ms of the user's last message to the peer, 0 if never


Admit = Callable[[PeerFacts, Sequence[Incoming], bool], bool]
"""(facts, the chat's new messages in time order, new_chat) -> False when they make the chat a request.
`facts.last_outbound_at` is the user's last message stored before them; messages in the batch count too."""


@dataclass(frozen=True, slots=True)
class SyncToken:
    token: str


@dataclass(frozen=True, slots=True)
class Dropped:
    """A non-message frame (typing, receipt) from a blocked account: counted, never shown."""

    account_id: str


class AppliesItself(Protocol):
    """A batch item that applies itself inside the batch's transaction, in arrival order: edits and
    deletions (store/edits.py), action acks (store/action_outbox.py), reactions. It may append to
    `result.changed` and add chat ids to `result.touched` (their summaries are then read once)."""

    def apply(self, conn: sqlite3.Connection, result: BatchResult) -> None: ...


BatchItem = Incoming | DirectoryRecord | StatusChange | SyncToken | Dropped | AppliesItself


@dataclass
class BatchResult:
    added: list[ChatMessage] = field(default_factory=list)
    changed: list[ChatMessage] = field(default_factory=list)  # status moved forward
    chats: dict[int, ChatSummary] = field(default_factory=dict)  # every chat the batch touched
    accounts: list[Account] = field(default_factory=list)  # directory changes
    notify: list[ChatMessage] = field(default_factory=list)  # newest new incoming message per chat
    dropped: dict[str, int] = field(default_factory=dict)  # per blocked account
    reactions: dict[str, ReactionUpdate] = field(default_factory=dict)  # message id -> its chips now
    touched: set[int] = field(default_factory=set)  # chat ids
    capped: set[int] = field(default_factory=set)  # chats with more new messages than `added` holds
    duplicates: int = 0
    conflicts: int = 0
    # Changes (edits, deletions, reactions) of a message the store does not have yet: not applied, kept by
    # the receiver (and not acked) until their message comes. Each has a `target` message id.
    waiting: list[AppliesItself] = field(default_factory=list)

    def merge(self, later: BatchResult) -> None:
        """Add what a later transaction did (a batch stored in parts): its chat rows are the newer."""
        self.added.extend(later.added)
        self.changed.extend(later.changed)
        self.chats.update(later.chats)
        self.accounts.extend(later.accounts)
        self.notify.extend(later.notify)
        for account, n in later.dropped.items():
            self.dropped[account] = self.dropped.get(account, 0) + n
        self.reactions.update(later.reactions)
        self.touched |= later.touched
        self.capped |= later.capped
        self.duplicates += later.duplicates
        self.conflicts += later.conflicts
        self.waiting.extend(later.waiting)


def ingest_messages(
    conn: sqlite3.Connection,
    items: Sequence[Incoming],
    *,
    now: datetime,
    admit: Admit,
    result: BatchResult,
    reading: int | None = None,
) -> None:
    """Store `items` (one executemany) and update each touched chat once. New incoming messages of chat
    `reading` (the one the user has open) are stored read: never counted unread, in the same write."""
    now_ms = convert.ms(now)
    fresh = drop_blocked(conn, acknowledge_echoes(conn, dedupe(conn, items, result), result), result)
    if not fresh:
        return
    groups: dict[str, list[Incoming]] = {}
    for item in fresh:
        groups.setdefault(item.peer_id, []).append(item)
    peers = list(groups)
    ensure_accounts(conn, peers, now_ms=now_ms)
    kinds = account_kinds(conn, peers)
    contacts = contact_ids(conn, peers)
    consents = {
        r[0]: (bool(r[1]), bool(r[2]))
        for r in select_in(
            conn,
            "SELECT business_id, opted_in, marketing_stopped FROM consents WHERE business_id IN ({})",
            peers,
        )
    }
    chats = {
        r[0]: r[1:]
        for r in select_in(
            conn,
            "SELECT peer_id, id, unread_count, last_activity, last_outbound_at, is_request"
            " FROM chats WHERE peer_id IN ({})",
            peers,
        )
    }
    next_id = conn.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0] + 1

    chat_of: dict[str, int] = {}
    chat_updates: list[tuple[Any, ...]] = []
    notify_chats: list[int] = []
    for peer, group in groups.items():
        group.sort(key=_by_time)  # stable: ties keep arrival order, as their row ids do
        kind, scam = kinds[peer]
        opted_in, stopped = consents.get(peer, (False, False))
        known = chats.get(peer)
        unread, last_activity, last_out, is_request = known[1:] if known else (0, 0, 0, False)
        facts = PeerFacts(kind, peer in contacts, opted_in, stopped, scam, last_out)
        request = bool(is_request) or not admit(facts, group, known is None)
        if known is None:
            cur = conn.execute(
                "INSERT INTO chats (peer_id, kind, pinned, muted, archived, is_request, unread_count,"
                " last_activity, last_preview, last_message_id, last_outbound_at, draft)"
                " VALUES (?, ?, 0, 0, 0, ?, 0, 0, '', NULL, 0, '')",
                (peer, chat_kind_for(kind), request),
            )
            chat_id = chat_of[peer] = cur.lastrowid or 0
        else:
            chat_id = chat_of[peer] = known[0]
        out_max = max((i.timestamp for i in group if i.direction == OUT), default=0)
        if out_max and out_max >= last_activity:
            unread = 0  # the user wrote after everything stored (from another device): the chat was read
        cutoff = max(last_out, out_max)
        fresh_in = sum(1 for i in group if i.direction == IN and i.timestamp > cutoff and not i.history)
        new_unread = 0 if chat_id == reading else fresh_in
        newest = group[-1]
        summary = None
        if newest.timestamp >= last_activity:
            summary = (
                newest.timestamp,
                convert.preview(newest.body, convert.PREVIEW_CELLS),
                newest.message_id,
            )
        chat_updates.append((chat_id, unread + new_unread, cutoff, request, summary))
        if fresh_in and newest.direction == IN and newest.timestamp > cutoff:  # read or not: the screen
            # drops the toast of the chat it shows while it has the focus
            notify_chats.append(chat_id)

    # Rows in arrival order (= row id order, so every index grows in order), built without any object
    # per row; one executemany, then one FTS insert for the batch (see tables.FTS_DDL for the pause).
    rows = [
        (
            row_id, i.message_id, None if i.direction == IN else i.client_txn_id, chat_of[i.peer_id],
            i.sender_id, i.direction, i.kind, i.template_category, i.body, i.payload, i.reply_to,
            i.timestamp, i.timestamp, now_ms if i.direction == IN else None,
            (READ if chat_of[i.peer_id] == reading and not i.history else DELIVERED) if i.direction == IN
            else SENT, None,
        )
        for row_id, i in enumerate(fresh, next_id)
    ]  # fmt: skip
    conn.execute("INSERT INTO fts_pause (one) VALUES (1)")
    conn.executemany(INSERT_MESSAGE, rows)
    files = {i.message_id: i.attachment for i in fresh if i.attachment is not None}
    if files:
        insert_files(conn, files)
    conn.execute("DELETE FROM fts_pause")
    conn.execute(
        "INSERT INTO message_fts (rowid, body) SELECT id, body FROM messages WHERE id BETWEEN ? AND ?",
        (next_id, next_id + len(rows) - 1),
    )
    for chat_id, unread, last_out, request, summary in chat_updates:
        if summary is None:
            conn.execute(
                "UPDATE chats SET unread_count = ?, last_outbound_at = ?, is_request = ? WHERE id = ?",
                (unread, last_out, request, chat_id),
            )
        else:
            conn.execute(
                "UPDATE chats SET unread_count = ?, last_outbound_at = ?, is_request = ?, last_activity = ?,"
                " last_preview = ?, last_message_id = ? WHERE id = ?",
                (unread, last_out, request, *summary, chat_id),
            )
        result.touched.add(chat_id)
    _collect(rows, notify_chats, result, {k: f.info for k, f in files.items()})


def _by_time(item: Incoming) -> int:
    return item.timestamp


def _collect(
    rows: list[tuple[Any, ...]],
    notify_chats: list[int],
    result: BatchResult,
    files: dict[str, AttachmentInfo],
) -> None:
    """Domain objects only for the newest messages of each chat: a screen shows no more, and a history
    sync of 100k messages must not build 100k objects nobody looks at (`capped` lists those chats)."""
    per_chat: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        per_chat.setdefault(row[3], []).append(row)
    added: list[ChatMessage] = []
    newest_in: dict[int, ChatMessage] = {}
    for chat_id, chat_rows in per_chat.items():
        chat_rows.sort(key=_by_position)
        if len(chat_rows) > EVENTS_PER_CHAT:
            result.capped.add(chat_id)
            chat_rows = chat_rows[-EVENTS_PER_CHAT:]
        messages = [message_from_tuple(r) for r in chat_rows]
        if files:
            messages = with_files(messages, files)
        added.extend(messages)
        for message in reversed(messages):
            if message.direction.value == IN:
                newest_in[chat_id] = message
                break
    # A locked message (its key not come yet) tells nothing in a toast: its unlock does (store/unlock.py).
    result.notify.extend(m for c in notify_chats if (m := newest_in.get(c)) and m.kind is not Kind.LOCKED)
    added.sort(key=lambda m: m.id or 0)
    result.added.extend(added)


def _by_position(row: tuple[Any, ...]) -> tuple[int, int]:
    return row[11], row[0]


def _read_elsewhere(conn: sqlite3.Connection, item: StatusChange, result: BatchResult) -> None:
    """The user's own read receipt (another device, or before this login): read here up to it; the
    messages it covers are not notified (a new login's first sync brings the chats' newest messages)."""
    if item.status is not MessageStatus.READ or (read := read_up_to(conn, item.message_id)) is None:
        return
    chat_id, *up_to = read
    result.touched.add(chat_id)
    result.notify = [m for m in result.notify if m.chat_id != chat_id or [m.position, m.id or 0] > up_to]


def _bump_dropped(conn: sqlite3.Connection, dropped: dict[str, int]) -> None:
    conn.executemany(
        "UPDATE blocks SET dropped_count = dropped_count + ? WHERE account_id = ?",
        [(n, account) for account, n in dropped.items()],
    )


def apply_batch(
    conn: sqlite3.Connection,
    items: Iterable[BatchItem],
    *,
    now: datetime,
    admit: Admit,
    user_id: str = "",
    reading: int | None = None,
    directory: Callable[[DirectoryRecord], list[Account]] | None = None,
) -> BatchResult:
    """Apply a batch in arrival order, coalescing runs of messages into one executemany. `directory`
    writes a directory record (given when the batch has any)."""
    result = BatchResult()
    blocked_cache: dict[str, bool] = {}

    def is_blocked(account: str) -> bool:
        if account not in blocked_cache:
            row = conn.execute("SELECT 1 FROM blocks WHERE account_id = ?", (account,)).fetchone()
            blocked_cache[account] = row is not None
        return blocked_cache[account]

    def count_drop(account: str) -> None:
        result.dropped[account] = result.dropped.get(account, 0) + 1

    run: list[Incoming] = []
    for item in [*items, None]:
        if isinstance(item, Incoming):
            run.append(item)
            continue
        if run:
            ingest_messages(conn, run, now=now, admit=admit, result=result, reading=reading)
            run = []
        if isinstance(item, DirectoryRecord):
            assert directory is not None, "a batch with directory records needs their writer"
            result.accounts.extend(directory(item))
        elif isinstance(item, StatusChange):
            if user_id and item.reporter_id == user_id:
                _read_elsewhere(conn, item, result)
            elif item.reporter_id and is_blocked(item.reporter_id):
                count_drop(item.reporter_id)  # no receipt from a blocked account is shown
            elif (moved := apply_status(conn, item)) is not None:
                result.changed.append(moved)
        elif isinstance(item, SyncToken):
            put(conn, SYNC_TOKEN, item.token)
        elif isinstance(item, Dropped):
            count_drop(item.account_id)
        elif item is not None:
            item.apply(conn, result)
    _bump_dropped(conn, result.dropped)
    touched = result.touched | {m.chat_id for m in result.changed}
    result.chats = {s.chat.id: s for s in summaries(conn, sorted(touched))}
    return result


class IngestRepository(Repository):
    def apply(
        self,
        *,
        items: Sequence[BatchItem],
        now: datetime,
        admit: Admit,
        user_id: str = "",
        reading: int | None = None,
    ) -> BatchResult:
        """Apply a batch of frames in one transaction (`reading`: see `ingest_messages`). Directory
        records are written through the ORM, so a batch with any takes a Session; the others (a sync's
        messages, receipts, changes) the raw connection alone."""
        batch = partial(apply_batch, items=items, now=now, admit=admit, user_id=user_id, reading=reading)
        if any(isinstance(item, DirectoryRecord) for item in items):
            with self.db.write() as session:
                return batch(raw(session), directory=lambda rec: apply_directory(session, [rec], now=now))
        with self.db.write_conn() as conn:
            return batch(conn)
