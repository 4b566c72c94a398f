"""The fake server's timeline and its delivery to the one client.

Reliability follows Matrix: the server keeps a timeline; every message, receipt and directory frame sent to
the client stays un-acked until the client's AckFrame names it (`wire.ack_key`), and is sent again after
`ack_timeout` (doubling, capped) and on reconnect. The server's clock gives ids and strictly increasing
timestamps, so the server's order is the order; a sync token (`<epoch>_<length>`) tells a reconnecting
client whether it may resume or must take a full sync.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tui_messenger.domain.clock import Clock, to_ms
from tui_messenger.transport import wire
from tui_messenger.transport.fake.connection import Connection
from tui_messenger.transport.fake.faults import FaultDice
from tui_messenger.transport.fake.scheduler import Scheduled, Scheduler

MAX_RETRY_WAIT = 60.0


@dataclass
class Record:
    """A frame in the server's timeline. `own` marks the user's own messages: sent only in a full sync."""

    pos: int
    key: str
    raw: bytes
    own: bool = False
    attempts: int = 0


class Timeline:
    def __init__(
        self,
        *,
        clock: Clock,
        sched: Scheduler,
        dice: FaultDice,
        started_at: datetime,
        seed: int,
        ack_timeout: float,
        note: Callable[..., None],
    ) -> None:
        self.clock = clock
        self.ack_timeout = ack_timeout
        self.records: list[Record] = []
        self.unacked: dict[str, Record] = {}
        self.conn: Connection | None = None
        self.epoch = f"{_base36(to_ms(started_at))}{seed:x}"
        self.last_ts = 0
        self._sched = sched
        self._dice = dice
        self._note = note
        self._retry: dict[str, Scheduled] = {}
        self._ids = 0
        self._sync_pending = False

    @property
    def connected(self) -> bool:
        return self.conn is not None and self.conn.open

    def new_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}.{self.epoch}.{self._ids}"

    def next_ts(self) -> int:
        """Server time in ms, strictly increasing: the server's order is the order."""
        self.last_ts = max(to_ms(self.clock.now()), self.last_ts + 1)
        return self.last_ts

    # the timeline -----------------------------------------------------------------------------------
    def publish(self, frame: wire.Frame, *, own: bool = False, stored_only: bool = False) -> Record:
        """Put a frame in the timeline; unless it is the user's own or seeded history, send it now."""
        record = Record(len(self.records) + 1, wire.ack_key(frame) or "", wire.encode(frame), own=own)
        self.records.append(record)
        if not (own or stored_only):
            self.resend(record)
        return record

    def resend(self, record: Record) -> None:
        """Mark a record un-acked and send it now."""
        self.unacked[record.key] = record
        self._emit(record)

    def acked(self, key: str) -> None:
        self.unacked.pop(key, None)
        handle = self._retry.pop(key, None)
        if handle is not None:
            handle.cancel()

    # delivery ---------------------------------------------------------------------------------------
    def sync(self, conn: Connection, full: bool) -> None:
        """Send a new connection what the client has not acked (and in a full sync, everything)."""
        if conn is not self.conn or not conn.open:
            return
        if full:
            self.unacked.update((record.key, record) for record in self.records)
        # everything the client has not acked, in server order
        for record in sorted(self.unacked.values(), key=lambda r: r.pos):
            self._emit(record)
        self._sync_pending = True

    def send_sync_token(self) -> None:
        if self._sync_pending and self.connected:
            self._sync_pending = False
            self.deliver(wire.encode(wire.SyncFrame(token=f"{self.epoch}_{len(self.records)}")))

    def _emit(self, record: Record) -> None:
        if not self.connected:
            return  # stays un-acked: sent on reconnect
        record.attempts += 1
        self._sync_pending = True
        self.deliver(record.raw)
        if record.key in self._retry:
            self._retry[record.key].cancel()
        wait = min(self.ack_timeout * 2 ** min(record.attempts - 1, 16), MAX_RETRY_WAIT)  # no overflow
        due = self.clock.now() + timedelta(seconds=wait)
        self._retry[record.key] = self._sched.at(due, lambda: self._retransmit(record.key), "retransmit")

    def _retransmit(self, key: str) -> None:
        record = self.unacked.get(key)
        if record is not None:
            self._emit(record)

    def deliver(self, raw: bytes) -> None:
        """Bytes on their way to the client, through the fault plan."""
        conn = self.conn
        if conn is None or not conn.open:
            return
        dice = self._dice
        if dice.roll("drop"):
            return
        if dice.roll("garble"):
            raw = dice.garble(raw)
        copies = 2 if dice.roll("duplicate") else 1
        if dice.roll("delay"):
            due = self.clock.now() + timedelta(seconds=dice.delay_seconds())
            self._sched.at(due, lambda: conn.put(raw, copies), "delayed frame")
        elif dice.roll("reorder"):
            conn.hold(raw, copies)
            self._sched.at(self.clock.now(), conn.release_held, "reordered frame")
        else:
            conn.put(raw, copies)
        if dice.roll("disconnect"):
            self._note("fault", "network", "the connection broke")
            conn.end(broken=True)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"
