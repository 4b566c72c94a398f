"""The fake peer: an in-process network with one user and a bot behind every other account.

Everything crossing it is bytes through `wire.encode`/`wire.decode`. It is deterministic for a seed: one
`random.Random(seed)` for the bots, one for the faults, and one scheduler of (due time, sequence, action)
instead of free-running tasks. On a ManualClock time moves only when the caller says so (`step`, `jump`);
on any other clock a driver task runs actions as they fall due.

The server's timeline, its acks, re-sends and delivery through the faults live in `timeline.py`; here are
the Transport interface, what bots may do, and the rules for what the client sends. Sends are idempotent
per client transaction id.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Callable, Collection
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from tui_messenger.domain.clock import Clock, ManualClock, to_ms
from tui_messenger.domain.models import SERVER_ACCOUNT
from tui_messenger.transport import wire
from tui_messenger.transport.base import Transport, TransportClosed
from tui_messenger.transport.fake.actions import PeerActions, PeerHooks
from tui_messenger.transport.fake.bots import build_bots
from tui_messenger.transport.fake.connection import Connection
from tui_messenger.transport.fake.consent import ERROR_TITLES, ConsentLedger
from tui_messenger.transport.fake.content import build_message, text_spec
from tui_messenger.transport.fake.directory import directory_frame
from tui_messenger.transport.fake.edits import PeerEdits
from tui_messenger.transport.fake.faults import FaultDice, FaultPlan
from tui_messenger.transport.fake.files import refused_upload, upload_problem
from tui_messenger.transport.fake.peer_log import PeerEvent
from tui_messenger.transport.fake.reactions import PeerReactions
from tui_messenger.transport.fake.scheduler import Scheduler
from tui_messenger.transport.fake.seed import once_id, seed_consent, seed_history
from tui_messenger.transport.fake.timeline import Record, Timeline
from tui_messenger.transport.fake.world import MessageSpec, World

log = logging.getLogger(__name__)
SERVER = SERVER_ACCOUNT  # the `from` of receipts the network itself gives (sent, failed)


class FakePeer(Transport):
    def __init__(
        self,
        world: World,
        *,
        clock: Clock,
        seed: int = 0,
        faults: FaultPlan | None = None,
        user_id: str | None = None,
        realtime: bool | None = None,
        ack_timeout: float = 5.0,
        delay_scale: float = 1.0,
        delivered: Collection[str] = (),
    ) -> None:
        self.world = world
        # Ids of what the world sends once (see seed.once_id) that the client already stored in an earlier
        # run: a restart must not send a scheduled message or a start flow again.
        self.delivered = frozenset(delivered)
        self.clock = clock
        self.user_id = user_id or world.user_id
        self.rng = random.Random(seed)
        self.faults = faults if faults is not None else world.faults
        self.realtime = not isinstance(clock, ManualClock) if realtime is None else realtime
        self.delay_scale = delay_scale
        self.stats = wire.FrameStats()  # client frames that did not decode
        self.log: list[PeerEvent] = []
        self.consent = ConsentLedger()
        self._dice = FaultDice(self.faults)
        self._sched = Scheduler()
        self._started_at = clock.now()
        self.timeline = Timeline(
            clock=clock, sched=self._sched, dice=self._dice, started_at=self._started_at, seed=seed,
            ack_timeout=ack_timeout, note=self.note,
        )  # fmt: skip
        self._txns: dict[str, Record] = {}  # client_txn_id -> the receipt we answered it with
        self._pumping = False
        self._driver: asyncio.Task[None] | None = None
        self._wake: asyncio.Event | None = None
        self.bots = build_bots(self, world)
        self.actions = PeerActions(self)  # reactions, edits and deletions from the user
        hooks = PeerHooks(
            user_id=self.user_id, publish=self._publish, note=self.note, new_id=self.timeline.new_id,
            next_ts=self.timeline.next_ts,
        )  # fmt: skip
        self.edits = PeerEdits(hooks, now=clock.now)
        self.actions.handlers[wire.EditFrame] = self.edits.from_user
        self.actions.handlers[wire.DeleteFrame] = self.edits.from_user
        self.reactions = PeerReactions(hooks)
        self.actions.handlers[wire.ReactionFrame] = self.reactions.from_user
        self._seed_world()

    @classmethod
    def for_scenario(cls, name_or_path: str = "default", **kwargs: Any) -> FakePeer:
        """Build a peer for a built-in scenario or a file: `FakePeer.for_scenario("default", clock=...)`."""
        from tui_messenger.transport.fake.loader import load_world

        return cls(load_world(name_or_path), **kwargs)

    # the Transport interface --------------------------------------------------------------------------
    async def connect(self, account_id: str, *, since: str | None = None) -> None:
        if account_id != self.user_id:
            raise TransportClosed(f"this fake network serves only {self.user_id!r}")
        timeline = self.timeline
        if timeline.conn is not None:
            timeline.conn.end(broken=False)
        conn = timeline.conn = Connection()
        epoch, _, _ = (since or "").partition("_")
        full = epoch != timeline.epoch  # first connect, or a token from another run: a full initial sync
        # The sync starts on the next pump, not inside connect: a reconnecting client first flushes the
        # acks a broken connection swallowed, as over a real socket, so a resume never re-sends them.
        self._sched.at(self.clock.now(), lambda: timeline.sync(conn, full), "sync")
        asyncio.get_running_loop().call_soon(self.pump)
        if self.realtime and self._driver is None:
            self._wake = asyncio.Event()
            self._driver = asyncio.create_task(self._drive(), name="fake-peer-driver")

    async def send(self, frame: bytes) -> None:
        if not self.connected:
            raise TransportClosed("not connected")
        if self._dice.roll("drop"):
            self.note("fault", "client", "dropped a frame from the client")
            return
        decoded = wire.try_decode(frame, self.stats)
        if decoded is None:
            self.note("rejected", "client", "a malformed frame from the client")
            return
        for _ in range(2 if self._dice.roll("duplicate") else 1):
            self._from_client(decoded)
        self.pump()

    def incoming(self) -> AsyncIterator[bytes]:
        if self.timeline.conn is None:
            raise TransportClosed("not connected")
        return self.timeline.conn.stream()

    async def close(self) -> None:
        if self.timeline.conn is not None:
            self.timeline.conn.end(broken=False)
        if self._driver is not None:
            self._driver.cancel()
            try:
                await self._driver
            except asyncio.CancelledError:
                pass
            self._driver = None

    # for testers, tests and scripted clients ----------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self.timeline.connected

    def drain(self) -> list[bytes]:
        """Take every frame now waiting for the client (a scripted client's `incoming` without waiting)."""
        conn = self.timeline.conn
        return conn.drain() if conn is not None else []

    def pump(self) -> None:
        """Run every action due now, then tell the client the new sync token."""
        if self._pumping:
            return
        self._pumping = True
        try:
            while (item := self._sched.pop_due(self.clock.now())) is not None:
                item.action()
        finally:
            self._pumping = False
        self.timeline.send_sync_token()

    def next_due(self) -> datetime | None:
        return self._sched.next_due()

    def step(self) -> bool:
        """Move the clock to the next scheduled action and run what is due. False when nothing is left."""
        due = self._sched.next_due()
        if due is None:
            return False
        self._move_clock((due - self.clock.now()).total_seconds())
        self.pump()
        return True

    async def jump(self, seconds: float) -> None:
        """Move the clock ahead (to show a window closing), running due actions at their own times and
        yielding between them so the client can ack what it got."""
        target = self.clock.now() + timedelta(seconds=seconds)
        while (due := self._sched.next_due()) is not None and due <= target:
            self._move_clock((due - self.clock.now()).total_seconds())
            self.pump()
            await asyncio.sleep(0)
        self._move_clock((target - self.clock.now()).total_seconds())
        self.pump()
        if self._wake is not None:
            self._wake.set()

    def push_text(self, sender: str, body: str) -> str | None:
        """Make `sender` write to the user now (tests and tester tools). Business rules apply."""
        message_id = self.post(sender, text_spec(body))
        self.pump()
        return message_id

    def failures(self) -> list[PeerEvent]:
        return [e for e in self.log if e.kind == "failed"]

    @property
    def fault_counts(self) -> dict[str, int]:
        return dict(self._dice.counts)

    # BotHost: what bots may do ------------------------------------------------------------------------
    def after(self, seconds: float, action: Callable[[], object], label: str = "") -> None:
        due = self.clock.now() + timedelta(seconds=seconds * self.delay_scale)
        self._sched.at(due, action, label)
        if self._wake is not None:
            self._wake.set()

    def once(self, *parts: str) -> str | None:
        """The stable id of a message the world sends once (`seed.once_id`), or None when an earlier run
        already delivered it: then it is not sent again."""
        message_id = once_id(self.world, *parts)
        return None if message_id in self.delivered else message_id

    def post(
        self, sender: str, spec: MessageSpec, *, context_id: str | None = None, message_id: str | None = None
    ) -> str | None:
        """Send a message from `sender` to the user (with `message_id`, else a new id); None when the
        network refuses it."""
        now = self.clock.now()
        if self.consent.is_business(sender):
            category = spec.category if spec.template is not None else None
            code = self.consent.check(sender, self.user_id, template_category=category, now=now)
            if code is not None:
                self._fail(sender, spec, code, message_id)
                return None
        message_id = message_id or self.timeline.new_id("m")
        try:
            frame = build_message(
                spec, message_id=message_id, sender=sender, to=self.user_id,
                timestamp=self.timeline.next_ts(), context_id=context_id,
            )  # fmt: skip
        except ValidationError as exc:
            self.note("rejected", sender, f"invalid message: {str(exc).splitlines()[0]}")
            return None
        self._publish(frame)
        return message_id

    def receipt(self, sender: str, message_id: str, status: str) -> None:
        ts = self.timeline.next_ts()
        frame = wire.StatusFrame(
            message_id=message_id, status=status, sender=sender, to=self.user_id, timestamp=ts
        )
        self._publish(frame)

    def react(self, sender: str, message_id: str, emoji: str) -> str | None:
        """`sender` reacts to one of the user's messages (sent like a message: re-sent until acked)."""
        return self.reactions.react(sender, message_id, emoji)

    def edit_message(self, sender: str, message_id: str, body: str) -> str | None:
        """`sender` edits its own message (within the window); None when the rules refuse it."""
        return self.edits.change(sender, message_id, body)

    def delete_message(self, sender: str, message_id: str) -> str | None:
        """`sender` deletes its own message for everyone (within the window)."""
        return self.edits.change(sender, message_id, None)

    def send_ephemeral(self, frame: wire.Frame) -> None:
        """A frame sent once if connected, never stored or re-sent (typing, acks of the user's actions)."""
        self.timeline.deliver(wire.encode(frame))

    def typing(self, sender: str, on: bool) -> None:
        """Typing is ephemeral: sent once if connected, never stored or re-sent."""
        self.send_ephemeral(wire.TypingFrame(sender=sender, to=self.user_id, typing=on))

    def note(self, kind: str, actor: str, detail: str, **extra: Any) -> None:
        event = PeerEvent(self.clock.now(), kind, actor, detail, **extra)
        if kind != "fault" or not self.log or replace(self.log[-1], at=event.at) != event:
            self.log.append(event)  # a link breaking again and again is one line (`fault_counts` counts)
        log.debug("%s %s: %s", kind, actor, detail)

    # the world --------------------------------------------------------------------------------------
    def _seed_world(self) -> None:
        seed_consent(self.consent, self.world, self.user_id, self._started_at)
        directory = directory_frame(self.world, 1, to_ms(self._started_at) - 30 * 86_400_000)
        self._publish(directory)
        last = seed_history(
            self.world, user_id=self.user_id, started_at=self._started_at, consent=self.consent,
            store=lambda frame: self._publish(frame, stored_only=True),
        )  # fmt: skip
        self.timeline.last_ts = max(self.timeline.last_ts, last)
        for n, item in enumerate(self.world.scheduled):
            if (message_id := self.once("s", str(n))) is not None:
                send = lambda item=item, mid=message_id: self.post(item.sender, item, message_id=mid)  # noqa: E731
                self.after(item.at, send, "scheduled")
        for bot in self.bots.values():
            bot.start()

    # from the client --------------------------------------------------------------------------------
    def _from_client(self, frame: wire.Frame) -> None:
        if isinstance(frame, wire.AckFrame):
            for key in frame.ids:
                self.timeline.acked(key)
        elif isinstance(frame, wire.MessageFrame):
            self._user_message(frame)
        elif isinstance(frame, wire.ReactionFrame | wire.EditFrame | wire.DeleteFrame):
            self.actions.from_client(frame)
        elif isinstance(frame, wire.UserPreferencesFrame):
            stopped = frame.marketing == "stop"
            self.consent.set_marketing(frame.to, self.user_id, stopped=stopped)
            self.note("preferences", self.user_id, f"marketing {frame.marketing}", to=frame.to)
        elif isinstance(frame, wire.StatusFrame):
            self.note("receipt", self.user_id, frame.status, to=frame.sender, message_id=frame.message_id)
        elif not isinstance(frame, wire.TypingFrame | wire.PresenceFrame):
            self.note("rejected", "client", f"unexpected {frame.type} frame from the client")

    def _user_message(self, frame: wire.MessageFrame) -> None:
        if frame.sender != self.user_id:  # identity is the connection, never the payload
            self.note("rejected", self.user_id, f"a message claiming to be from {frame.sender!r}")
            return
        txn = frame.client_txn_id or frame.id
        if txn in self._txns:  # a retry: answer again, do nothing twice
            self.timeline.resend(self._txns[txn])
            return
        ts = self.timeline.next_ts()
        if (problem := upload_problem(frame)) is not None:  # a file must match its size and checksum
            self._txns[txn] = self._publish(refused_upload(frame, ts, SERVER))
            self.note("rejected", self.user_id, problem, to=frame.to, message_id=frame.id)
            return
        bot = self.bots.get(frame.to)
        stored = frame.model_copy(update={"timestamp": ts})
        self._publish(stored, own=True)
        status: str = "sent" if bot is not None else "failed"
        error = (
            None
            if bot is not None
            else wire.ErrorInfo(code=wire.ERROR_UNDELIVERABLE, title=ERROR_TITLES[wire.ERROR_UNDELIVERABLE])
        )
        answer = wire.StatusFrame(
            message_id=frame.id, status=status, sender=SERVER, to=self.user_id, timestamp=ts,
            client_txn_id=frame.client_txn_id, error=error,
        )  # fmt: skip
        self._txns[txn] = self._publish(answer)
        self.note("user", self.user_id, frame.body, to=frame.to, message_id=frame.id)
        if bot is None:
            return
        if self.consent.is_business(frame.to):
            self.consent.user_messaged(frame.to, self.user_id, self.clock.now())
        bot.on_user_message(stored)

    def _publish(self, frame: wire.Frame, *, own: bool = False, stored_only: bool = False) -> Record:
        """Put a frame in the timeline (see `Timeline.publish`); a message's author and time are kept for
        the edit rules."""
        if isinstance(frame, wire.MessageFrame):
            self.edits.remember(frame)
        return self.timeline.publish(frame, own=own, stored_only=stored_only)

    def _fail(self, sender: str, spec: MessageSpec, code: int, message_id: str | None) -> None:
        """Log a refusal and tell the client (a refusal frame, for testers). A message the world sends once
        is tried again by every run until it gets through: its refusal keeps one id, so it is stored once."""
        title = ERROR_TITLES.get(code, "")
        self.note("failed", sender, f"{title}: {spec.text[:80]!r}", to=self.user_id, code=code)
        self._publish(wire.RefusalFrame(
            id=f"r.{message_id}"[:200] if message_id else self.timeline.new_id("r"), business=sender,
            to=self.user_id, code=code, title=title[:200], text=spec.text[:80],
            category=spec.category if spec.template is not None else None,
            timestamp=self.timeline.next_ts()))  # fmt: skip

    # time -------------------------------------------------------------------------------------------
    def _move_clock(self, seconds: float) -> None:
        if seconds <= 0:
            return
        mover = getattr(self.clock, "advance", None) or getattr(self.clock, "jump", None)
        if mover is None:
            raise TypeError("this clock cannot be moved ahead")
        mover(seconds)

    async def _drive(self) -> None:
        """On a running clock: sleep until the next action falls due (or something new is scheduled)."""
        assert self._wake is not None
        speed = float(getattr(self.clock, "speed", 1.0))
        while True:
            self.pump()
            due = self._sched.next_due()
            wait = 1.0 if due is None else (due - self.clock.now()).total_seconds() / speed
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=min(max(wait, 0.0), 1.0))
            except TimeoutError:
                pass
