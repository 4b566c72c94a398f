"""`MessengerService`: the `Messenger` facade, built by injection from a Database, a Transport and a Clock.

Store calls run in worker threads (`asyncio.to_thread`); events reach listeners on the event loop.
Background tasks (started by `start`): the connection loop (connect, resume from the stored sync token,
reconnect with capped backoff after TransportClosed), the receive loop (batches whatever has arrived) and
the outbox loop (retries). See receive.py, outbox.py, safety.py, consent.py and quality.py for the rules.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import uuid
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from tui_messenger.domain import edits as rules
from tui_messenger.domain.clock import Clock
from tui_messenger.domain.events import ConnectionChanged, MessageChanged, MessengerEvent
from tui_messenger.domain.models import ChatMessage, Consent, Device
from tui_messenger.services.actions import ActionSender, acked_item
from tui_messenger.services.blocklist import BlockList
from tui_messenger.services.consent_actions import Preferences, Promotions, refusal_converters
from tui_messenger.services.edits import MessageEdits, inbound_converters
from tui_messenger.services.errors import MessengerError
from tui_messenger.services.files_api import FileSending
from tui_messenger.services.history import NetworkHistory
from tui_messenger.services.hub import EventHub
from tui_messenger.services.messenger_api import LooksLike, MessengerApi
from tui_messenger.services.outbox import Outbox
from tui_messenger.services.reactions import ReactionService, received_item
from tui_messenger.services.receive import MAX_BATCH, Receiver
from tui_messenger.services.retry_loop import RetryPolicy
from tui_messenger.services.safety import Safety
from tui_messenger.services.signals import Signals
from tui_messenger.services.stopping import bounded, cancel_all
from tui_messenger.services.unlock import unlock_converters
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
from tui_messenger.transport.base import Transport, TransportClosed, TransportEnded

log = logging.getLogger(__name__)

STOP_WAIT = 5.0  # seconds each background loop, and the network's close, get to end once stopped


def _default_impersonation(verified: Mapping[str, str]) -> LooksLike:
    from tui_messenger.services.impersonation import ImpersonationCheck

    return ImpersonationCheck(verified)


def reconnect_delay(failures: int) -> float:
    """Seconds before the next connect after `failures` failed ones: 1, 2, 4 ... capped at 30."""
    return min(2.0 ** (failures - 1), 30.0)


class MessengerService(MessengerApi):
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
        show_refusals: bool = True,
    ) -> None:
        self.user_id = user_id
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
        self.signals = Signals(
            transport=transport, user_id=user_id, clock=clock, blocked=self.blocked_ids, summary=self.summary
        )
        self.safety = Safety(
            blocks=BlockRepository(db), reports=ReportRepository(db), messages=self.messages,
            chats=self.chats, clock=clock, hub=self.hub, blocked=self.blocked_ids, decorate=self.decorate,
            network=transport, on_block=lambda account_id: self.receiver.blocked(account_id),
        )  # fmt: skip
        self.receiver = Receiver(
            ingest=IngestRepository(db), chats=self.chats, transport=transport, clock=clock, user_id=user_id,
            hub=self.hub, blocked=self.blocked_ids, decorate=self.decorate, send_receipts=send_receipts,
            converters={
                wire.AckFrame: acked_item,
                wire.ReactionFrame: partial(received_item, user_id=user_id),
                **inbound_converters(user_id=user_id, clock=clock, blocked=self.blocked_ids),
                **refusal_converters(user_id=user_id),
                **unlock_converters(user_id=user_id, blocked=self.blocked_ids),
            },
            on_directory=self.refresh_verified,
        )  # fmt: skip
        self.history = NetworkHistory(transport=transport, chats=self.chats, receiver=self.receiver)
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
        self.file_sending = FileSending(
            user_id=user_id, clock=clock, hub=self.hub, outbox=self.outbox, outbox_repo=self.outbox_repo,
            attachments=self.attachments, messages=self.messages, downloads=downloads, new_id=self._new_id,
            summary=self.summary, decorate=self.decorate, fetch=transport.fetch_file,
        )  # fmt: skip
        self.editing = MessageEdits(
            user_id=user_id, clock=clock, hub=self.hub, chats=self.chats, messages=self.messages,
            edits=self.edits, actions=self.actions, new_id=self._new_id, decorate=self.decorate,
        )  # fmt: skip
        self.preferences = Preferences(
            user_id=user_id, clock=clock, transport=transport, settings=self.settings
        )
        self.promotions = Promotions(
            user_id=user_id, db=db, clock=clock, hub=self.hub, consents=self.consents, messages=self.messages,
            receiver=self.receiver, new_id=self._new_id, summary=self.summary, quality=self.quality,
            preferences=self.preferences,
        )  # fmt: skip
        self.show_refusals = show_refusals
        self.online = False
        self._inbox: asyncio.Queue[bytes] = asyncio.Queue()
        self._busy = False
        self._drained = asyncio.Event()
        self._drained.set()
        self._tasks: list[asyncio.Task[Any]] = []
        self._stopping = False
        self.stop_wait = STOP_WAIT
        self.left_behind: list[str] = []  # what did not end when stopped (a bug: tests assert none)

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
        """Cancel the background loops and close the network, each given `stop_wait` at most
        (services/stopping.py): quitting never hangs; what did not end is named in `left_behind`."""
        self._stopping = True
        tasks, self._tasks = self._tasks, []
        self.left_behind += await cancel_all(tasks, self.stop_wait)
        self.left_behind += await bounded(self.transport.close(), "the network's close", self.stop_wait)
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

    # background loops --------------------------------------------------------------------------------
    async def _connection_loop(self) -> None:
        failures = 0
        while not self._stopping:
            if failures:
                await self.clock.sleep(reconnect_delay(failures))
            try:
                connected = await self._connection()
            except TransportEnded as exc:  # signed out by the network: only signing in again helps
                log.warning("the network ended the session: %s", exc)
                self._set_online(False)
                self.hub.emit(ConnectionChanged(online=False, ended=str(exc)))
                return
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
        except TransportEnded:
            raise
        except (TransportClosed, OSError) as exc:
            log.info("connect failed (%s); retrying", exc)
            return False
        try:
            await self.receiver.flush_acks()  # before the resumed sync, or it re-sends what we stored
            self._set_online(True)
            self.outbox.reconnected()
            self.actions.reconnected()
            await self.preferences.flush()
            await self.safety.tell_network(empty_too=False)
            self.progress.set()
            async for raw in frames:
                self._inbox.put_nowait(raw)
                self._drained.clear()
        except TransportEnded:
            raise
        except TransportClosed:
            pass
        finally:
            self._set_online(False)
        return True

    def reading(self, chat_id: int | None) -> None:
        self.receiver.reading = chat_id

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            self.hub.emit(ConnectionChanged(online=online))
            self.progress.set()
            if online:
                self.outbox.wake()
                self.actions.wake()

    async def _process_loop(self) -> None:
        try:
            await self.receiver.restore_waiting()
        except Exception:  # the changes stay kept: the next start reads them again
            log.exception("the changes kept waiting for their message could not be read")
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

    # what the feature objects do ---------------------------------------------------------------------
    async def send_file(
        self, chat_id: int, path: str | Path, caption: str = "", *, reply_to: str | None = None
    ) -> ChatMessage:
        was_request = (await self.summary(chat_id)).chat.is_request
        sent = await self.file_sending.send_file(chat_id, path, caption, reply_to=reply_to)
        if was_request:  # a file answers a request as a text does: it is accepted
            await self._accepted(await self.summary(chat_id))
        return sent

    @property
    def downloads(self) -> Path | None:
        """Where files are saved; None: the user's downloads folder."""
        return self.file_sending.downloads

    @downloads.setter
    def downloads(self, folder: Path | None) -> None:
        self.file_sending.downloads = folder

    async def downloads_folder(self) -> Path:
        return await self.file_sending.downloads_folder()

    async def save_attachment(self, message_id: str, folder: str | Path | None = None) -> Path:
        return await self.file_sending.save_attachment(message_id, folder)

    async def allowed_actions(self, message_id: str) -> rules.Allowed:
        return await self.editing.allowed_actions(message_id)

    async def edit_message(self, message_id: str, body: str) -> ChatMessage:
        return await self.editing.edit_message(message_id, body)

    async def delete_for_everyone(self, message_id: str) -> ChatMessage:
        return await self.editing.delete_for_everyone(message_id)

    async def delete_for_me(self, message_id: str) -> None:
        await self.editing.delete_for_me(message_id)

    @property
    def show_refusals(self) -> bool:
        return self.promotions.show_refusals

    @show_refusals.setter
    def show_refusals(self, shown: bool) -> None:
        self.promotions.show_refusals = shown

    async def set_marketing_stopped(self, business_id: str, stopped: bool) -> None:
        await self.promotions.set_marketing_stopped(business_id, stopped)

    async def stop_promotions(self, chat_id: int) -> Consent:
        return await self.promotions.stop_promotions(chat_id)

    async def resume_promotions(self, chat_id: int) -> Consent:
        return await self.promotions.resume_promotions(chat_id)

    async def pilot_report(self) -> dict[str, object]:
        return await self.promotions.pilot_report()

    # the network account ----------------------------------------------------------------------------
    async def devices(self, account_id: str) -> list[Device] | None:
        return await self.transport.devices(account_id)

    async def signed_in_as(self) -> tuple[str, str] | None:
        from tui_messenger.store.matrix_account import MatrixAccountRepository

        stored = await asyncio.to_thread(MatrixAccountRepository(self.db).get)
        return None if stored is None else (stored.homeserver, stored.user_id)

    async def sign_in_again(self, password: str) -> None:
        from tui_messenger.services.sign_in_again import sign_in_again  # matrix-nio: only for an account

        if await self.signed_in_as() is None:
            raise MessengerError("the demo world has no account to sign in to")
        await sign_in_again(self.db, self.transport, password)
        if not any(t.get_name() == "messenger-connection" and not t.done() for t in self._tasks):
            self._tasks.append(asyncio.create_task(self._connection_loop(), name="messenger-connection"))

    # tester tools ------------------------------------------------------------------------------------
    async def jump_ahead(self, seconds: float) -> None:
        """Move the network's clock ahead (the fake peer shares ours); without one, move our own. Never
        for a network account: its messages carry the real time (a jump would date them a day ahead,
        and stay stored)."""
        if await self.signed_in_as() is not None:
            raise MessengerError("a Matrix account keeps the real time; the clock jumps in the demo world")
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
