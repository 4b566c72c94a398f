"""How a received batch is stored, frame by frame accountable (services/receive.py drives it).

- Each frame becomes a `Unit`: the key the network wants acked and the store items it gave.
- All units go in one transaction. If that fails because of what a frame holds (a timestamp SQLite or a
  date cannot hold, any value the store trips on), the batch is split in halves, each stored on its own,
  down to the one frame at fault, which is dropped alone: logged, and acked, as it would fail on every
  re-send. The good frames of the batch are stored and acked. A locked, full or broken database is no
  frame's fault: it fails the batch as before (nothing acked, the network sends it again).
- A change (edit, deletion, reaction) that overtook its message is not acked: it waits here, by message
  id, and goes into the batch that brings the message, after it; past MAX_WAITING changes or
  MAX_WAITING_BYTES of their frames the oldest is dropped (acked and logged), and those of an account the
  user blocks go with the block (its messages would be dropped when they come). It is kept in the
  database too, in the transaction of the batch that brought it (store/waiting_changes.py), and read back
  at start: a restart loses none, on a network that sends again what was not acked (the fake peer) and on
  one that does not (a Matrix sync's position is stored with the batch).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass

from tui_messenger.store.ingest import BatchItem, BatchResult, Incoming
from tui_messenger.store.unlock import Unlock
from tui_messenger.store.waiting_changes import KeepWaiting

log = logging.getLogger(__name__)

MAX_WAITING = 2_000  # changes kept for messages not come yet; a flood of them for nothing stays bounded
MAX_WAITING_BYTES = 8 * 1024 * 1024  # and their frames' bytes (a frame may hold 2 MiB: a flood of big edits)


@dataclass(slots=True)
class Unit:
    """One frame's share of a batch: the key to ack once it is handled, its store items, and the frame."""

    key: str | None
    items: list[BatchItem]
    frame: bytes = b""


def arriving(units: Collection[Unit]) -> set[str]:
    """Ids of the messages these units bring (or make readable: a locked message opened)."""
    return {
        i.message_id if isinstance(i, Incoming) else i.target
        for u in units
        for i in u.items
        if isinstance(i, Incoming | Unlock)
    }


class Waiting:
    """Units whose change waits for its message, by ack key (oldest first), never acked while here."""

    def __init__(self, limit: int = MAX_WAITING, limit_bytes: int = MAX_WAITING_BYTES) -> None:
        self._limit, self._limit_bytes = limit, limit_bytes
        self._units: dict[str, tuple[str, Unit]] = {}  # key -> (message id, unit), in arrival order
        self._bytes = 0  # of the waiting units' frames
        self.kept: set[str] = set()  # keys kept in the database
        self._stale: set[str] = set()  # kept keys dropped past the limit: removed with the next batch

    def __len__(self) -> int:
        return len(self._units)

    def park(self, message_id: str, unit: Unit) -> list[str]:
        """Keep `unit` until `message_id` comes; returns the keys dropped to stay under the limit."""
        if unit.key is None:
            return []
        self._pop(unit.key)  # a re-send of a waiting change: kept once, as the newest
        self._units[unit.key] = (message_id, unit)
        self._bytes += len(unit.frame)
        dropped: list[str] = []
        while len(self._units) > self._limit or (self._bytes > self._limit_bytes and len(self._units) > 1):
            key, (lost, _) = next(iter(self._units.items()))
            self._pop(key)
            log.warning("dropped change %s: its message %r never came", key, lost)
            dropped.append(key)
        self._stale.update(dropped)
        return dropped

    def _pop(self, key: str) -> Unit | None:
        _, unit = self._units.pop(key, (None, None))
        if unit is not None:
            self._bytes -= len(unit.frame)
        return unit

    def take(self, message_ids: Collection[str]) -> list[Unit]:
        """The waiting units for these messages, taken out (they are applied, or parked again)."""
        if not message_ids or not self._units:
            return []
        keys = [k for k, (m, _) in self._units.items() if m in message_ids]
        return [unit for k in keys if (unit := self._pop(k)) is not None]

    def forget(self, key: str) -> None:
        """A re-send of a waiting change was applied on its own."""
        self._pop(key)

    def drop_from(self, sender_of: Callable[[bytes], str | None], account_id: str) -> list[str]:
        """The waiting changes `account_id` sent (it was just blocked: its messages are dropped when they
        come, so these would wait for nothing), taken out; returns their keys, to ack. The kept ones
        are removed with the next batch."""
        keys = [k for k, (_, unit) in self._units.items() if sender_of(unit.frame) == account_id]
        for key in keys:
            self._pop(key)
        self._stale.update(keys)
        return keys

    def give_up(self, keys: Iterable[str]) -> None:
        """Kept changes that will never apply (a frame that cannot be read): removed with the next batch."""
        self._stale.update(keys)

    def keeper(self, units: Collection[Unit]) -> KeepWaiting:
        """The last item of the batch that stores `units`: it keeps in the database what the batch
        parks, and removes the kept changes the batch settles."""
        frames: dict[int, tuple[str, bytes]] = {}

        def origin(item: object) -> tuple[str, bytes] | None:  # built only for a batch that parks
            if not frames:
                frames.update((id(i), (u.key, u.frame)) for u in units if u.key is not None for i in u.items)
            return frames.get(id(item))

        settled = {u.key for u in units if u.key in self.kept} if self.kept else set()
        return KeepWaiting(origin, settled | (self._stale & self.kept))

    def committed(self, keep: KeepWaiting) -> None:
        """`keep`'s transaction is committed: what the database keeps now."""
        self.kept = (self.kept - keep.settled) | keep.parked.keys()
        self._stale -= keep.settled


def store_units(
    store: Callable[[list[Unit]], BatchResult], units: list[Unit]
) -> tuple[BatchResult, list[Unit]]:
    """Store `units` (see the module doc); returns what was done and the units handled (stored, or
    dropped alone because of what they hold), in order."""
    result = BatchResult()
    handled: list[Unit] = []
    _store_part(store, units, result, handled)
    return result, handled


def _store_part(
    store: Callable[[list[Unit]], BatchResult],
    units: list[Unit],
    result: BatchResult,
    handled: list[Unit],
) -> None:
    if any(unit.items for unit in units):
        try:
            result.merge(store(units))
        except Exception as exc:
            if not in_the_data(exc):
                raise
            if len(units) == 1:
                log.warning("dropped a frame (%s) that cannot be stored: %s", units[0].key or "no key", exc)
            else:
                half = len(units) // 2
                _store_part(store, units[:half], result, handled)
                _store_part(store, units[half:], result, handled)
                return
    handled.extend(units)


def in_the_data(exc: BaseException) -> bool:
    """True when `exc` comes from what was stored, not from the database or the machine (locked, full,
    read-only, corrupt, out of memory): those fail any part of the batch alike."""
    for cause in _causes(exc):
        if isinstance(cause, OSError | MemoryError | sqlite3.OperationalError | sqlite3.InternalError):
            return False
        if type(cause) is sqlite3.DatabaseError:  # "file is not a database", "disk image is malformed"
            return False
    return True


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        cause = todo.pop()
        if cause is None or id(cause) in seen:
            continue
        seen.add(id(cause))
        yield cause
        todo += [getattr(cause, "orig", None), cause.__cause__]
