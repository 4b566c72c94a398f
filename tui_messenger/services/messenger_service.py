"""`MessengerService`: the `Messenger` facade, built by injection from a Database, a Transport and a Clock.

Store calls run in worker threads (`asyncio.to_thread`); events reach listeners on the event loop.
Background tasks (started by `start`): the connection loop (connect, resume from the stored sync token,
reconnect with capped backoff after TransportClosed), the receive loop (batches whatever has arrived) and
the outbox loop (retries). See receive.py, outbox.py, safety.py, consent.py and quality.py for the rules.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from tui_messenger.domain.clock import Clock
from tui_messenger.domain.events import ConnectionChanged, MessageChanged, MessengerEvent
from tui_messenger.domain.models import ChatSummary
from tui_messenger.services.actions import ActionSender, acked_item
from tui_messenger.services.blocklist import BlockList
from tui_messenger.services.consent_actions import ConsentActions, refusal_converters
from tui_messenger.services.edits import EditsApi, inbound_converters
from tui_messenger.services.files_api import FilesApi
from tui_messenger.services.hub import EventHub
from tui_messenger.services.messenger_api import MessengerApi
from tui_messenger.services.outbox import Outbox
from tui_messenger.services.reactions import ReactionService, received_item
from tui_messenger.services.receive import MAX_BATCH, Receiver
from tui_messenger.services.retry_loop import RetryPolicy
from tui_messenger.services.safety import Safety
from tui_messenger.store.accounts import AccountRepository, ContactRepository
from tui_messenger.store.action_outbox import ActionOutboxRepository
from tui_messenger.store.attachments import AttachmentRepository
from tui_messenger.store.chats import ChatRepository
from tui_messenger.store.consent import ConsentRepository, FeedbackRepository
from tui_messenger.store.database import Database
from tui_messenger.store.edits import EditRepository
from tui_messenger.store.ingest import IngestRepository
from tui_messenger.store.messages import MessageRepository
from tui_messenger.store.outbox import OutboxRepository
from tui_messenger.store.quality import QualityRepository
from tui_messenger.store.reactions import ReactionRepository
from tui_messenger.store.safety import BlockRepository, ReportRepository
from tui_messenger.store.settings import SettingsRepository
from tui_messenger.transport import wire
from tui_messenger.transport.base import Transport, TransportClosed

log = logging.getLogger(__name__)

PENDING_PREFERENCES = "pending_preferences"  # settings key: marketing stop/resume not yet sent


class LooksLike(Protocol):
    def looks_like(self, account_id: str, display_name: str) -> str | None: ...


def _default_impersonation(verified: Mapping[str, str]) -> LooksLike:
    from tui_messenger.services.impersonation import ImpersonationCheck

    return ImpersonationCheck(verified)


def reconnect_delay(failures: int) -> float:
    """Seconds before the next connect after `failures` failed ones: 1, 2, 4 ... capped at 30."""
    return min(2.0 ** (failures - 1), 30.0)


class MessengerService(MessengerApi, FilesApi, EditsApi, ConsentActions):
    def __init__(
        self,
        db: Database,
        transport: Transport,
        *,
        clock: Clock,
        user_id: str = "me",
        impersonation: Callable[[Mapping[str, str]], LooksLike] = _default_impersonation,
        retry: RetryPolicy | None = None,
        new_id: Callable[[], str] | None = None,
        send_receipts: bool = True,
        downloads: Path | None = None,
    ) -> None:
        self.user_id = user_id
        self.downloads = downloads  # where files are saved; None: the user's downloads folder
        self.db = db
        self.transport = transport
        self.clock = clock
        self.hub = EventHub()
        self._new_id = new_id or (lambda: uuid.uuid4().hex)
        self._make_check = impersonation
        self._check: LooksLike = impersonation({})
        self.accounts = AccountRepository(db)
        self.contacts = ContactRepository(db)
        self.chats = ChatRepository(db)
        self.messages = MessageRepository(db)
        self.outbox_repo = OutboxRepository(db)
        self.consents = ConsentRepository(db)
        self.feedback = FeedbackRepository(db)
        self.quality_repo = QualityRepository(db)
        self.settings = SettingsRepository(db)
        self.attachments = AttachmentRepository(db)
        # Set after every background step (a batch stored, a connect tried, an outbox pass): tests and
        # tools wait on it instead of sleeping.
        self.progress = asyncio.Event()
        self.blocked_ids = BlockList()
        self.safety = Safety(
            blocks=BlockRepository(db), reports=ReportRepository(db), messages=self.messages,
            chats=self.chats, clock=clock, hub=self.hub, blocked=self.blocked_ids, decorate=self.decorate,
        )  # fmt: skip
        self.receiver = Receiver(
            ingest=IngestRepository(db), chats=self.chats, transport=transport, clock=clock, user_id=user_id,
            hub=self.hub, blocked=self.blocked_ids, decorate=self.decorate, send_receipts=send_receipts,
            converters={
                wire.AckFrame: acked_item,
                wire.ReactionFrame: partial(received_item, user_id=user_id),
                **inbound_converters(user_id=user_id, clock=clock, blocked=self.blocked_ids),
                **refusal_converters(user_id=user_id),
            },
            on_directory=lambda: self._tasks_add(self.refresh_verified()),
        )  # fmt: skip
        self.outbox = Outbox(
            repo=self.outbox_repo, transport=transport, clock=clock, hub=self.hub,
            policy=retry or RetryPolicy(), online=lambda: self.online, on_pass=self.progress.set,
        )  # fmt: skip
        self.action_repo = ActionOutboxRepository(db)
        self.actions = ActionSender(
            repo=self.action_repo, transport=transport, clock=clock, policy=self.outbox.policy,
            online=lambda: self.online, on_pass=self.progress.set,
        )  # fmt: skip
        self.edits = EditRepository(db)
        # An action on a message still in the outbox waits for the message's `sent` (see actions.py).
        self.hub.subscribe(lambda e: self.actions.wake() if isinstance(e, MessageChanged) else None)
        self.reaction_repo = ReactionRepository(db)
        self.reacting = ReactionService(
            repo=self.reaction_repo, actions=self.actions, hub=self.hub, clock=clock, user_id=user_id,
            blocked=self.blocked_ids, new_id=self._new_id,
        )  # fmt: skip
        self.online = False
        self._inbox: asyncio.Queue[bytes] = asyncio.Queue()
        self._busy = False
        self._drained = asyncio.Event()
        self._drained.set()
        self._tasks: list[asyncio.Task[Any]] = []
        self._stopping = False

    # life cycle ------------------------------------------------------------------------------------
    async def start(self) -> None:
        self._stopping = False
        await self.safety.load()
        await self.refresh_verified()
        self._tasks = [
            asyncio.create_task(self._process_loop(), name="messenger-receive"),
            asyncio.create_task(self._connection_loop(), name="messenger-connection"),
            asyncio.create_task(self.outbox.run(), name="messenger-outbox"),
            asyncio.create_task(self.actions.run(), name="messenger-actions"),
        ]

    async def stop(self) -> None:
        self._stopping = True
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        with contextlib.suppress(Exception):
            await self.transport.close()
        if self.online:
            self.online = False
            self.hub.emit(ConnectionChanged(online=False))

    def subscribe(self, listener: Callable[[MessengerEvent], None]) -> Callable[[], None]:
        return self.hub.subscribe(listener)

    @property
    def idle(self) -> bool:
        """Nothing received is waiting to be stored."""
        return self._inbox.empty() and not self._busy

    async def wait_idle(self) -> None:
        """Wait until every frame received so far is stored and published (tests, shutdown)."""
        while not self.idle:
            self._drained.clear()  # no await since the check: the processor sets it when done
            await self._drained.wait()

    def _tasks_add(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.append(task)
        task.add_done_callback(lambda t: self._tasks.remove(t) if t in self._tasks else None)

    async def refresh_verified(self) -> None:
        verified = await asyncio.to_thread(self.accounts.verified_names)
        self._check = self._make_check(verified)

    def decorate(self, summary: ChatSummary) -> ChatSummary:
        """Add the "looks like <verified name>" warning to a chat-list row, and lift a timed mute whose
        time has passed (on the service clock: no timer has to run for it)."""
        peer = summary.peer
        looks = self._check.looks_like(peer.id, peer.display_name)
        chat = summary.chat
        if chat.muted and chat.muted_until is not None and chat.muted_until <= self.clock.now():
            chat = replace(chat, muted=False, muted_until=None)  # a timed mute that ran out
        if looks == summary.looks_like and chat is summary.chat:
            return summary
        return ChatSummary(chat=chat, peer=peer, blocked=summary.blocked, looks_like=looks)

    # background loops --------------------------------------------------------------------------------
    async def _connection_loop(self) -> None:
        failures = 0
        while not self._stopping:
            if failures:
                await self.clock.sleep(reconnect_delay(failures))
            try:
                connected = await self._connection()
            except Exception:  # a store that failed a read, a transport's own bug: try again, never give up
                log.exception("the connection failed")
                self._set_online(False)
                connected = False
            failures = 0 if connected else failures + 1
            self.progress.set()

    async def _connection(self) -> bool:
        """Connect, sync, and take in frames until the connection ends; False if it could not connect.
        Going offline at the end, the loop reconnects at once (backoff only if that fails)."""
        await self.wait_idle()  # the stored token then covers everything received
        token = await asyncio.to_thread(self.settings.sync_token)
        try:
            await self.transport.connect(self.user_id, since=token)
            frames = self.transport.incoming()
        except (TransportClosed, OSError) as exc:
            log.info("connect failed (%s); retrying", exc)
            return False
        try:
            await self.receiver.flush_acks()  # before the resumed sync, or it re-sends what we stored
            self._set_online(True)
            self.outbox.reconnected()
            self.actions.reconnected()
            await self._flush_preferences()
            self.progress.set()
            async for raw in frames:
                self._inbox.put_nowait(raw)
                self._drained.clear()
        except TransportClosed:
            pass
        finally:
            self._set_online(False)
        return True

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.hub.emit(ConnectionChanged(online=online))
            self.progress.set()
            if online:
                self.outbox.wake()
                self.actions.wake()

    async def _process_loop(self) -> None:
        while True:
            batch = [await self._inbox.get()]
            while len(batch) < MAX_BATCH and not self._inbox.empty():
                batch.append(self._inbox.get_nowait())
            self._busy = True
            try:
                await self.receiver.handle(batch)
            except Exception:  # never fatal: the frames were not acked, so the network sends them again
                log.exception("a batch of %d frames failed", len(batch))
            finally:
                self._busy = False
                if self._inbox.empty():
                    self._drained.set()
                self.progress.set()

    async def _flush_preferences(self) -> None:
        stored = await asyncio.to_thread(self.settings.get, key=PENDING_PREFERENCES)
        pending = json.loads(stored or "{}")
        if not pending:
            return
        for business_id, choice in list(pending.items()):
            if await self._send_preference(business_id, choice == "stop"):
                del pending[business_id]
        await asyncio.to_thread(self.settings.set, key=PENDING_PREFERENCES, value=json.dumps(pending) or None)

    async def _send_preference(self, business_id: str, stopped: bool) -> bool:
        frame = wire.UserPreferencesFrame(
            sender=self.user_id, to=business_id, marketing="stop" if stopped else "resume",
            timestamp=int(self.clock.now().timestamp() * 1000),
        )  # fmt: skip
        try:
            await self.transport.send(wire.encode(frame))
            return True
        except TransportClosed:
            return False

    async def _remember_preference(self, business_id: str, stopped: bool) -> None:
        def update() -> None:
            pending = json.loads(self.settings.get(key=PENDING_PREFERENCES) or "{}")
            pending[business_id] = "stop" if stopped else "resume"
            self.settings.set(key=PENDING_PREFERENCES, value=json.dumps(pending))

        await asyncio.to_thread(update)

    # tester tools ------------------------------------------------------------------------------------
    async def jump_ahead(self, seconds: float) -> None:
        """Move the network's clock ahead (the fake peer shares ours); without one, move our own."""
        jump = getattr(self.transport, "jump", None)
        if jump is None:
            mover = getattr(self.clock, "jump", None) or getattr(self.clock, "advance", None)
            if mover is not None:
                mover(seconds)
        else:
            result = jump(seconds)
            if inspect.isawaitable(result):
                await result
        jumped = getattr(self.clock, "jumped", None)
        if jumped is not None:  # stored, so a restart goes on from the same time (VirtualClock.resume)
            await asyncio.to_thread(self.settings.set_clock_jumped, seconds=jumped)
        self.outbox.wake()
        self.actions.wake()
