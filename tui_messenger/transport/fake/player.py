"""A minimal scripted client that plays a scenario headless against the fake peer (`scenario play`).

It behaves like the real client on the wire: acks what it stored, ignores duplicates by id, keeps its own
sends in an outbox until the network answers `sent`, reconnects from its sync token. It answers each
incoming interactive message with the next scripted reply: a button or list row title (or id) becomes an
interactive reply, anything else is sent as text. Replies left when the world falls quiet are sent as text
to the business being played. Runs on a ManualClock, so the same seed gives the same transcript.

There is no hidden horizon: the play goes on, jumping from one scheduled action to the next, until the world
is quiet and every reply is used, or until `until` seconds of virtual time have passed. Replies still left
then are `unused`, for the caller to report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from tui_messenger.domain.clock import ManualClock, from_ms, to_ms
from tui_messenger.transport import wire
from tui_messenger.transport.fake.faults import FaultPlan
from tui_messenger.transport.fake.peer import FakePeer
from tui_messenger.transport.fake.world import FlowSpec, World

_PREFERENCES = {"stop promotions": "stop", "stop": "stop", "resume promotions": "resume"}
RETRY_AFTER = 5.0  # seconds without a `sent` before the outbox tries again
DEFAULT_UNTIL = 7 * 86400.0  # a week of virtual time: longer than any window or tier rule


@dataclass(frozen=True)
class TranscriptLine:
    time: str  # ISO 8601, virtual time
    type: str  # message | status | failed | preferences | reaction | edit | delete (id: their message)
    sender: str
    to: str
    kind: str = ""  # text | template | interactive | interactive_reply, or the status
    text: str = ""
    name: str = ""  # the sender's display name from the directory
    options: list[str] = field(default_factory=list)
    id: str = ""  # message id (for a status: the message it is about)
    context_id: str = ""
    code: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v not in ("", None, [])}


class ScriptedClient:
    def __init__(self, peer: FakePeer, replies: list[str]) -> None:
        self.peer = peer
        self.replies = list(replies)
        self.lines: list[TranscriptLine] = []
        self.names: dict[str, str] = {}
        self.focus: str | None = None  # the business whose flow is being played
        self.stats = wire.FrameStats()
        self._seen: set[str] = set()
        self._token: str | None = None
        self._outbox: dict[str, tuple[bytes, datetime]] = {}  # client_txn_id -> frame, last try
        self._sent = 0
        self._log_seen = 0
        self._start_ms = 0  # messages older than the play are history: never answered
        self.reached_until = False

    @property
    def user(self) -> str:
        return self.peer.user_id

    @property
    def unused(self) -> list[str]:
        """The replies never said: the play reached its `until` first, or no flow was left to take them."""
        return list(self.replies)

    async def run(self, *, opening: FlowSpec | None, until: float) -> list[TranscriptLine]:
        start = self.peer.clock.now()
        end = start + timedelta(seconds=until)
        self._start_ms = to_ms(start)
        await self.peer.connect(self.user)
        self.peer.pump()
        await self._process()
        if opening is not None:
            self.focus = opening.business
            if opening.opening and opening.trigger == "message":  # a "start" flow needs no prompt
                await self._send_text(opening.business, opening.opening)
        self.reached_until = False
        while self.peer.clock.now() <= end:
            if await self._process():
                continue
            await self._retry_outbox()
            due = self.peer.next_due()
            if due is not None and due > end:
                self.reached_until = True  # the next action falls after `until`: stop, not one step beyond
                break
            if self.peer.step():
                continue
            if self.replies and self.focus:  # quiet world, words left: say them to a flow that takes them
                reply = self.replies[0]
                wanted = reply.strip().casefold()
                if wanted in _PREFERENCES:
                    self.replies.pop(0)
                    await self._preferences(self.focus, _PREFERENCES[wanted])
                    continue
                bot = self.peer.bots.get(self.focus)
                if bot is not None and bot.takes(reply):
                    self.replies.pop(0)
                    await self._send_text(self.focus, reply)
                    continue
            break
        else:
            self.reached_until = True
        await self.peer.close()
        return self.lines

    # receiving ------------------------------------------------------------------------------------------
    async def _process(self) -> bool:
        """Handle what arrived; True if anything did."""
        self._collect_failures()
        raws = self.peer.drain()
        acks: list[str] = []
        for raw in raws:
            frame = wire.try_decode(raw, self.stats)
            if frame is None:
                continue
            key = wire.ack_key(frame)
            if key is not None:
                acks.append(key)
                if key in self._seen:
                    continue
                self._seen.add(key)
            await self._handle(frame)
        reconnected = not self.peer.connected
        if reconnected:
            await self.peer.connect(self.user, since=self._token)
        if acks:  # after a reconnect too: acks a broken connection swallowed go first
            await self.peer.send(wire.encode(wire.AckFrame(ids=acks)))
        if reconnected:
            for raw, _ in self._outbox.values():
                await self.peer.send(raw)
            return True
        self._collect_failures()
        return bool(raws)

    async def _handle(self, frame: wire.Frame) -> None:
        if isinstance(frame, wire.DirectoryFrame):
            self.names = {a.id: a.display_name for a in frame.accounts}
        elif isinstance(frame, wire.SyncFrame):
            self._token = frame.token
        elif isinstance(frame, wire.StatusFrame):
            if frame.status in ("sent", "failed") and frame.client_txn_id:
                self._outbox.pop(frame.client_txn_id, None)
            line = TranscriptLine(
                _iso(frame.timestamp), "status", frame.sender, frame.to, frame.status, id=frame.message_id,
                code=frame.error.code if frame.error else None,
            )  # fmt: skip
            self.lines.append(line)
        elif isinstance(frame, wire.ReactionFrame):
            line = TranscriptLine(
                _iso(frame.timestamp), "reaction", frame.sender, frame.to, text=frame.emoji,
                name=self.names.get(frame.sender, ""), id=frame.message_id,
            )  # fmt: skip
            self.lines.append(line)
        elif isinstance(frame, wire.EditFrame | wire.DeleteFrame):
            text = frame.body if isinstance(frame, wire.EditFrame) else ""
            line = TranscriptLine(
                _iso(frame.timestamp), frame.type, frame.sender, frame.to, frame.type, text,
                name=self.names.get(frame.sender, ""), id=frame.message_id,
            )  # fmt: skip
            self.lines.append(line)
        elif isinstance(frame, wire.MessageFrame):
            self._record(frame)
            if frame.sender != self.user and frame.timestamp >= self._start_ms:
                await self._answer(frame)

    def _record(self, frame: wire.MessageFrame) -> None:
        self.lines.append(
            TranscriptLine(
                _iso(frame.timestamp),
                "message",
                frame.sender,
                frame.to,
                _kind(frame),
                frame.body,
                name=self.names.get(frame.sender, ""),
                options=_options(frame),
                id=frame.id,
                context_id=(frame.interactive_reply.context_id if frame.interactive_reply else "")
                or (frame.context.message_id if frame.context else ""),
            )  # fmt: skip
        )

    def _collect_failures(self) -> None:
        for event in self.peer.log[self._log_seen :]:
            if event.kind == "failed":
                line = TranscriptLine(
                    event.at.isoformat(), "failed", event.actor, event.to, "failed", event.detail,
                    name=self.names.get(event.actor, ""), code=event.code,
                )  # fmt: skip
                self.lines.append(line)
        self._log_seen = len(self.peer.log)

    # answering ------------------------------------------------------------------------------------------
    async def _answer(self, frame: wire.MessageFrame) -> None:
        choices = _choices(frame)
        if not choices or not self.replies:
            return
        self.focus = frame.sender
        reply = self.replies.pop(0)
        wanted = reply.strip().casefold()
        if wanted in _PREFERENCES:  # the client's Stop/Resume promotions control, not a message
            await self._preferences(frame.sender, _PREFERENCES[wanted])
            return
        for choice_id, title in choices:
            if wanted in (choice_id.casefold(), title.casefold()):
                kind = (
                    "list_reply" if frame.interactive and frame.interactive.type == "list" else "button_reply"
                )
                answer = wire.InteractiveReply(type=kind, id=choice_id, title=title, context_id=frame.id)
                await self._send(frame.sender, kind="interactive_reply", interactive_reply=answer)
                return
        await self._send_text(frame.sender, reply)

    async def _preferences(self, business: str, marketing: str) -> None:
        now = self.peer.clock.now()
        frame = wire.UserPreferencesFrame(
            sender=self.user, to=business, marketing=marketing, timestamp=to_ms(now)
        )
        self.lines.append(TranscriptLine(now.isoformat(), "preferences", self.user, business, marketing))
        if self.peer.connected:
            await self.peer.send(wire.encode(frame))

    async def _send_text(self, to: str, body: str) -> None:
        await self._send(to, kind="text", text=wire.TextContent(body=body))

    async def _send(self, to: str, **content: object) -> None:
        self._sent += 1
        txn = f"txn-{self._sent}"
        frame = wire.MessageFrame(
            id=f"c.{self._sent}", sender=self.user, to=to, timestamp=to_ms(self.peer.clock.now()),
            client_txn_id=txn, **content,
        )  # fmt: skip
        raw = wire.encode(frame)
        self._outbox[txn] = (raw, self.peer.clock.now())
        self._seen.add(frame.id)
        self._record(frame)
        if self.peer.connected:
            await self.peer.send(raw)

    async def _retry_outbox(self) -> None:
        now = self.peer.clock.now()
        for txn, (raw, tried) in list(self._outbox.items()):
            if (now - tried).total_seconds() >= RETRY_AFTER and self.peer.connected:
                self._outbox[txn] = (raw, now)
                await self.peer.send(raw)


async def play(world: World, replies: list[str], **options: object) -> list[TranscriptLine]:
    """The transcript of `play_world` (replies left unused are dropped: use `play_world` to see them)."""
    return (await play_world(world, replies, **options)).lines  # type: ignore[arg-type]


async def play_world(
    world: World,
    replies: list[str],
    *,
    seed: int = 0,
    faults: FaultPlan | None = None,
    flow: str | None = None,
    until: float = DEFAULT_UNTIL,
) -> Played:
    """Play `world` headless for at most `until` seconds of virtual time: the transcript and the replies
    left unused. `flow` names the flow to open (its `opening` line is sent); by default the scenario's
    `play` flow, else none (business-initiated flows run anyway)."""
    flow_id = flow or world.scenario.play
    opening = next((f for f in world.flows if f.id == flow_id), None)
    if flow_id is not None and opening is None:
        raise ValueError(f"no flow {flow_id!r} in scenario {world.scenario.name!r}")
    peer = FakePeer(world, clock=ManualClock(), seed=seed, faults=faults)
    client = ScriptedClient(peer, replies)
    if opening is None:  # focus on the first business that starts a flow by itself
        starter = next((f for f in world.flows if f.trigger == "start"), None)
        client.focus = starter.business if starter else None
    started = peer.clock.now()
    lines = await client.run(opening=opening, until=until)
    elapsed = (peer.clock.now() - started).total_seconds()
    return Played(lines, client.unused, elapsed, client.reached_until)


@dataclass(frozen=True)
class Played:
    lines: list[TranscriptLine]
    unused: list[str]  # replies never said: the play reached `until` first, or nobody was there to hear
    elapsed: float = 0.0  # virtual seconds the play took
    reached_until: bool = False  # stopped by `until` with work still scheduled


def _iso(ms: int) -> str:
    return from_ms(ms).isoformat()


def _kind(frame: wire.MessageFrame) -> str:
    if frame.interactive is not None:
        return f"interactive/{frame.interactive.type}"
    if frame.template is not None:
        return f"template/{frame.template.category}"
    if frame.interactive_reply is not None:
        return f"interactive_reply/{frame.interactive_reply.type}"
    return frame.kind


def _choices(frame: wire.MessageFrame) -> list[tuple[str, str]]:
    if frame.interactive is not None:
        if frame.interactive.type == "button":
            return [(b.id, b.title) for b in frame.interactive.buttons]
        return [(r.id, r.title) for s in frame.interactive.sections for r in s.rows]
    if frame.template is not None:
        return [(b.id, b.title) for b in frame.template.buttons]
    return []


def _options(frame: wire.MessageFrame) -> list[str]:
    return [title for _, title in _choices(frame)]
