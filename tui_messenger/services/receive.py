"""Receiving: decode, batch, store in one transaction, ack, then tell the screen.

- Frames are decoded with `wire.try_decode`; a malformed or oversize frame is counted and dropped.
- Whatever arrived together is stored in ONE transaction (the batch ingest path), then acked with one
  AckFrame, so the network re-sends only what was never stored. A frame the store cannot take is dropped
  alone and the rest stored; a change that overtook its message waits for it, unacked
  (services/receive_units.py). Duplicates and blocked frames are acked
  too (they are handled), but a blocked account's frames leave no trace: no row, no unread count, no
  event or notification, no receipt and no typing indicator; only its block's `dropped_count` grows.
- Delivered receipts go back for stored incoming messages (never to a blocked account: those are dropped
  before any receipt is made).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from tui_messenger.domain.clock import Clock, to_ms
from tui_messenger.domain.events import (
    AccountChanged,
    ChatChanged,
    MessageAdded,
    MessageChanged,
    Notified,
    ReactionsChanged,
    TypingChanged,
)
from tui_messenger.domain.models import ChatSummary, Direction, MessageKind, MessageStatus
from tui_messenger.services import frames
from tui_messenger.services.blocklist import BlockList
from tui_messenger.services.consent import admits
from tui_messenger.services.hub import EventHub
from tui_messenger.services.receive_units import MAX_WAITING, Unit, Waiting, arriving, store_units
from tui_messenger.store.chats import ChatRepository
from tui_messenger.store.convert import clean_name, preview
from tui_messenger.store.ingest import BatchItem, BatchResult, Dropped, Incoming, IngestRepository, SyncToken
from tui_messenger.store.waiting_changes import WaitingChangesRepository
from tui_messenger.transport import wire
from tui_messenger.transport.base import Transport, TransportClosed

log = logging.getLogger(__name__)

MAX_BATCH = 500  # frames per transaction: small enough that one batch's events never stall the screen
STORE_ATTEMPTS = 6  # a batch that meets a locked database is tried again (a ManualClock peer never re-sends)
RETRY_DELAY = 0.05  # seconds before the first retry; doubles each time
ACKS_PER_FRAME = 1000
NOTIFY_CELLS = 80
NOTIFY_MAX_AGE = 600.0  # seconds: older messages (a history sync, a long time offline) arrive silently
NOTIFY_PER_CHAT = 3  # toasts per chat within NOTIFY_WINDOW; a flood gets no more than that
NOTIFY_WINDOW = 60.0  # seconds
NOTIFY_AT_ONCE = 3  # toasts from all chats within NOTIFY_SHOWN: several chats at once do not cover the list
NOTIFY_SHOWN = 5.0  # seconds a toast stays on screen (Textual's default)


class Receiver:
    def __init__(
        self,
        *,
        ingest: IngestRepository,
        chats: ChatRepository,
        transport: Transport,
        clock: Clock,
        user_id: str,
        hub: EventHub,
        blocked: BlockList,
        decorate: Callable[[ChatSummary], ChatSummary],
        send_receipts: bool = True,
        converters: dict[type, Callable[[Any], BatchItem | None]] | None = None,
        on_directory: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._ingest = ingest
        self._chats = chats
        self._transport = transport
        self._unsent_acks: list[str] = []  # acks a broken connection swallowed: sent first on reconnect
        self._clock = clock
        self._toasts: dict[int, list[float]] = {}  # chat id -> clock times of its recent toasts
        self._on_screen: list[float] = []  # clock times of the toasts of all chats still shown
        self._user_id = user_id
        self._hub = hub
        self._blocked = blocked  # shared with the service: updated on block/unblock
        self._decorate = decorate
        self._send_receipts = send_receipts
        self.stats = wire.FrameStats()
        self.chat_ids: dict[str, int] = {}  # peer account -> chat id, for typing frames
        self.on_directory = on_directory
        self.hide_refusals = False  # the testers' "Refused by the platform" lines are stored, not shown
        self.reading: int | None = None  # the chat on screen: its new messages are stored read
        # Frame type -> its batch item (or None to drop it): action acks, edits, deletions, reactions.
        # Given by the service at construction (services/actions.py, services/edits.py, ...); a converter
        # runs in the store thread and its item is applied in the batch's transaction, in arrival order.
        self.converters: dict[type, Callable[[Any], BatchItem | None]] = dict(converters or {})
        self.waiting = Waiting()  # changes that overtook their message (services/receive_units.py)
        self._waiting_changes = WaitingChangesRepository(ingest.db)
        self._handling = asyncio.Lock()  # one batch at a time: the sync's and older history's

    def convert(self, raws: Sequence[bytes]) -> tuple[list[Unit], list[wire.TypingFrame]]:
        """Decode a batch: one unit (ack key, store items) per frame, and typing frames to show. A frame
        that decodes but cannot be converted (a date no calendar holds) is dropped alone and acked."""
        units: list[Unit] = []
        typing: list[wire.TypingFrame] = []
        for raw in raws:
            frame = wire.try_decode(raw, self.stats)
            if frame is None:
                continue
            key = frames.ack_key(frame)
            try:
                items = self._items(frame, typing)
            except Exception as exc:  # what the frame holds, never fatal for the others
                log.warning("dropped a %s frame (%s): %s", frame.type, key or "no key", exc)
                items = []
            if key is not None or items:
                units.append(Unit(key, items, raw))
        return units, typing

    def _items(self, frame: wire.Frame, typing: list[wire.TypingFrame]) -> list[BatchItem]:
        if isinstance(frame, wire.MessageFrame):
            item = frames.incoming(frame, self._user_id)
            return [] if item is None else [item]
        if isinstance(frame, wire.StatusFrame):
            return [frames.status_change(frame)]
        if isinstance(frame, wire.DirectoryFrame):
            return [frames.directory_record(e) for e in frame.accounts]
        if isinstance(frame, wire.SyncFrame):
            return [SyncToken(frame.token)]
        if isinstance(frame, wire.TypingFrame):
            if frame.sender in self._blocked:
                return [Dropped(frame.sender)]
            if frame.to == self._user_id:
                typing.append(frame)
            return []
        if (converter := self.converters.get(type(frame))) is not None:
            converted = converter(frame)
            return [] if converted is None else [converted]
        return []  # presence and preference frames from the network carry nothing to store

    def _decode_and_store(
        self, raws: Sequence[bytes], history: bool = False
    ) -> tuple[BatchResult, list[str], list[wire.TypingFrame], list[bytes]]:
        """In the store thread: decoding thousands of frames must not hold the event loop either, nor
        encoding their receipts (pydantic builds and dumps each: ~30 ms of the loop per 500). Changes of
        messages this batch brings that were waiting go in after them."""
        units, typing = self.convert(raws)
        if history:
            for item in (item for unit in units for item in unit.items if isinstance(item, Incoming)):
                item.history = True
        brought = arriving(units)
        result, keys = self._store_units(units + self.waiting.take(brought))
        if again := self.waiting.take(brought):  # changes that came before their message in this batch
            later, more = self._store_units(again)
            result.merge(later)
            keys += more
        receipts = [] if history else self._receipt_frames(result)
        return result, list(dict.fromkeys(keys)), typing, receipts

    def _store_units(self, units: list[Unit]) -> tuple[BatchResult, list[str]]:
        """Store units; returns what was done and the keys to ack. Changes whose message is not stored
        yet are parked, unacked."""
        result, handled = store_units(self._store, units)
        waits = {id(item): item.target for item in result.waiting}  # type: ignore[attr-defined]
        result.waiting = []
        keys: list[str] = []
        for unit in handled:
            target = next((waits[id(i)] for i in unit.items if id(i) in waits), None)
            if target is not None and unit.key is not None:
                keys += self.waiting.park(target, unit)  # acked only once applied
            elif unit.key is not None:
                keys.append(unit.key)
                self.waiting.forget(unit.key)
        return result, keys

    def _store(self, units: list[Unit]) -> BatchResult:
        keep = self.waiting.keeper(units)  # last: it sees what the batch parked
        items: list[BatchItem] = [*(item for unit in units for item in unit.items), keep]
        delay = RETRY_DELAY
        for attempt in range(STORE_ATTEMPTS):
            try:
                result = self._ingest.apply(
                    items=items, now=self._clock.now(), admit=admits, user_id=self._user_id,
                    reading=self.reading,
                )  # fmt: skip
                self.waiting.committed(keep)
                return result
            except Exception as exc:
                if attempt == STORE_ATTEMPTS - 1 or not _locked(exc):
                    raise
                log.warning("a batch of %d items met a locked database; trying again", len(items))
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    async def blocked(self, account_id: str) -> None:
        """`account_id` was just blocked: its changes waiting for a message go (acked)."""
        if not len(self.waiting):
            return
        async with self._handling:  # (a batch in the store thread takes and parks waiting changes)
            dropped = self.waiting.drop_from(_sender_of, account_id)
            if dropped:
                log.info("dropped %d waiting changes of %r, now blocked", len(dropped), account_id)
                self._unsent_acks.extend(dropped)
                await self.flush_acks()

    async def restore_waiting(self) -> None:
        """Receive again the changes an earlier run kept waiting for their message (the database keeps
        them: services/receive_units.py). Before any other batch."""
        kept = await asyncio.to_thread(self._waiting_changes.frames, MAX_WAITING)
        if kept:
            self.waiting.kept.update(key for key, _ in kept)
            readable = {frames.ack_key(f) for _, raw in kept if (f := wire.try_decode(raw)) is not None}
            self.waiting.give_up(key for key, _ in kept if key not in readable)  # (an older version's)
            await self.handle([frame for _, frame in kept])

    async def handle(self, raws: Sequence[bytes], *, history: bool = False) -> BatchResult:
        """Store and publish a batch. `history`: older messages the network read back for a chat that
        asked (services/history.py): never unread, notified or receipted, and not told as new (they are
        older than what the chat shows: its page reads them)."""
        async with self._handling:
            result, keys, typing, receipts = await asyncio.to_thread(self._decode_and_store, raws, history)
            self._unsent_acks.extend(keys)
            await self.flush_acks()
            await self._receipts(receipts)
            if history:
                result.added, result.notify = [], []
            await self._publish(result, typing)
            return result

    async def flush_acks(self) -> bool:
        """Send every ack not sent yet. Without this, frames stored just before a disconnect are sent
        again on every reconnect, and under many disconnects the network's backlog only grows."""
        while self._unsent_acks:
            batch = self._unsent_acks[:ACKS_PER_FRAME]
            if not await self._send(wire.AckFrame(ids=batch)):
                return False
            del self._unsent_acks[: len(batch)]
        return True

    async def _send(self, frame: wire.Frame) -> bool:
        try:
            await self._transport.send(wire.encode(frame))
            return True
        except TransportClosed:
            return False  # not acked: the network sends it again, and dedupe keeps it once

    def _receipt_frames(self, result: BatchResult) -> list[bytes]:
        """Receipts for the stored incoming messages, encoded (never to a blocked account): read for those
        of the chat on screen (stored read), delivered for the others. A request (an unknown sender) is
        told delivered only: whether it was read waits until the user accepts it or replies."""
        if not self._send_receipts:
            return []
        now = to_ms(self._clock.now())
        requests = {chat_id for chat_id, summary in result.chats.items() if summary.chat.is_request}
        return [
            wire.encode(
                wire.StatusFrame(
                    message_id=message.message_id,
                    status="read"
                    if message.status is MessageStatus.READ and message.chat_id not in requests
                    else "delivered",
                    sender=self._user_id,
                    to=message.sender_id,
                    timestamp=now,
                )  # fmt: skip
            )
            for message in result.added
            if message.direction is Direction.INBOUND
            and message.sender_id not in self._blocked
            and message.error_code is None  # a refusal line is the network's, not a message
        ]

    async def _receipts(self, receipts: list[bytes]) -> None:
        for raw in receipts:
            try:
                await self._transport.send(raw)
            except TransportClosed:
                return  # receipts are best effort

    async def _publish(self, result: BatchResult, typing: list[wire.TypingFrame]) -> None:
        hub = self._hub
        if result.accounts and self.on_directory is not None:
            await self.on_directory()  # the verified names, before anything of the batch is told
        for account in result.accounts:
            hub.emit(AccountChanged(account))
        summaries = {chat_id: self._decorate(s) for chat_id, s in result.chats.items()}
        if result.accounts:  # renamed peers: their chat rows change title and badge
            for account in result.accounts:
                if self.chat_ids.get(account.id) not in summaries:
                    found = await asyncio.to_thread(self._chats.for_peer, account_id=account.id)
                    if found is not None:
                        summaries[found.chat.id] = self._decorate(found)
        for summary in summaries.values():
            self.chat_ids[summary.peer.id] = summary.chat.id
        for message in result.added:
            if not (self.hide_refusals and message.kind is MessageKind.SYSTEM and message.error_code):
                hub.emit(MessageAdded(message.chat_id, message))
        for message in result.changed:
            hub.emit(MessageChanged(message.chat_id, message))
        for update in result.reactions.values():
            hub.emit(ReactionsChanged(update.chat_id, update.message_id, update.reactions))
        for summary in summaries.values():
            hub.emit(ChatChanged(summary))
        now = self._clock.now()
        for message in result.notify:
            notified = summaries.get(message.chat_id)
            if notified is None or not _notifies(notified):
                continue
            if (now - message.sent_at).total_seconds() > NOTIFY_MAX_AGE or not self._toast_allowed(
                message.chat_id, now.timestamp()
            ):
                continue
            hub.emit(
                Notified(
                    chat_id=message.chat_id,
                    title=clean_name(notified.chat.title),
                    body=preview(message.body, NOTIFY_CELLS),
                )
            )
        for frame in typing:
            chat_id = self.chat_ids.get(frame.sender)
            if chat_id is None:
                found = await asyncio.to_thread(self._chats.for_peer, account_id=frame.sender)
                if found is None:
                    continue
                chat_id = self.chat_ids[frame.sender] = found.chat.id
            if frame.sender not in self._blocked:
                hub.emit(TypingChanged(chat_id, frame.typing))

    def _toast_allowed(self, chat_id: int, now: float) -> bool:
        """Rate limits: at most NOTIFY_PER_CHAT toasts per chat in any NOTIFY_WINDOW seconds, and
        NOTIFY_AT_ONCE from all chats in any NOTIFY_SHOWN seconds (the chat list's unread counts tell
        the rest: at 80x24 nine toasts of three busy chats covered the list)."""
        recent = [t for t in self._toasts.get(chat_id, []) if now - t < NOTIFY_WINDOW]
        self._on_screen = [t for t in self._on_screen if now - t < NOTIFY_SHOWN]
        # The chat on screen takes no place among them: the screen drops its toast (while it has the
        # focus), and a conversation going on there must not hide the toast of someone else writing.
        shared = chat_id != self.reading
        allowed = len(recent) < NOTIFY_PER_CHAT and not (shared and len(self._on_screen) >= NOTIFY_AT_ONCE)
        if allowed:
            recent.append(now)
            if shared:
                self._on_screen.append(now)
        self._toasts[chat_id] = recent
        return allowed


def _locked(exc: BaseException) -> bool:
    """SQLite's "database is locked" / "busy", raw or wrapped by SQLAlchemy."""
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


def _notifies(summary: ChatSummary) -> bool:
    """Never for muted chats, requests, blocked or scam accounts."""
    chat = summary.chat
    return not (chat.muted or chat.is_request or summary.blocked or summary.peer.scam)


def _sender_of(raw: bytes) -> str | None:
    frame = wire.try_decode(raw)
    return getattr(frame, "sender", None)
