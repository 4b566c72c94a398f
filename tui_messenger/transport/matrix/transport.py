"""`MatrixTransport`: the services' `Transport` over a Matrix homeserver (matrix-nio, end to end encrypted).

The services stay as they are: they send and receive the wire's frames. Here those frames become Matrix
calls and events:
- connect: the signed-in device is opened (once) and a long-poll sync task starts from the services'
  stored token; each sync's events come out as frames, then a `SyncFrame` with the token after them, so
  the token is stored with (after) the batch it came with and a restart resumes exactly. A sync that
  fails ends `incoming` with TransportClosed: the services reconnect with their backoff;
- a personal chat is a room of two (the user and one other person; chat_rooms.py); the other person is
  the chat's account; a new chat creates an encrypted direct room and invites; an invitation to a direct
  room is accepted, and its messages arrive as a request from someone who is not a contact;
- a message frame is sent with its own id as the Matrix transaction id, from the same device: a resend
  after a crash or a lost connection is the same event, never a second one; the answer is a `sent`
  receipt;
- reactions, edits and deletions for everyone are `m.reaction`, `m.replace` and redactions (in an
  encrypted room everything but a redaction is encrypted, reactions too: `MatrixClient.send`); a read
  receipt the user gives is a Matrix read receipt, delivered receipts have no Matrix twin and are not sent;
  acks are the services' own and Matrix needs none (the sync token is the position).
Imports matrix-nio: import this module lazily.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from nio import MegolmEvent, ProfileGetResponse, RoomRedactResponse

from tui_messenger.domain.matrix_memory import Forgetful, MatrixMemory
from tui_messenger.domain.models import SERVER_ACCOUNT, Device
from tui_messenger.transport import wire
from tui_messenger.transport.base import Transport, TransportClosed, TransportEnded
from tui_messenger.transport.matrix.account import MatrixError, call, refusal
from tui_messenger.transport.matrix.chat_rooms import ROOM_WAIT, ChatRooms, new_rooms_encrypted
from tui_messenger.transport.matrix.client import SYNC_TIMEOUT_MS, MatrixClient, SyncBatch
from tui_messenger.transport.matrix.devices import devices_of
from tui_messenger.transport.matrix.events import Ids, ephemeral_frames, safely, timeline_frame
from tui_messenger.transport.matrix.files import fetch, message_content
from tui_messenger.transport.matrix.history import History
from tui_messenger.transport.matrix.locked import LockedEvents
from tui_messenger.transport.matrix.receipts import ReadMarkers

log = logging.getLogger(__name__)

# The next long poll goes this long after a batch is handed on, once the services stored and drew it (its
# ~0.6 ms of Python beside that work slowed it); an event meanwhile waits for it, kept by the server.
NEXT_POLL_AFTER = 0.005  # seconds

Action = wire.ReactionFrame | wire.EditFrame | wire.DeleteFrame  # the user's actions on messages


class MatrixTransport(Transport):
    """One signed-in device; `open_client` opens it (the database's login and key store)."""

    def __init__(
        self,
        open_client: Callable[[], Awaitable[MatrixClient]],
        *,
        sync_timeout_ms: int = SYNC_TIMEOUT_MS,
        memory: MatrixMemory | None = None,
    ) -> None:
        self._open = open_client
        self.history = History(self, memory or Forgetful())  # older history; what a restart keeps
        self._timeout_ms = sync_timeout_ms
        self._client: MatrixClient | None = None
        self._queue: asyncio.Queue[bytes | None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._since: str | None = None
        self.ids = Ids()
        self.chats = ChatRooms()  # the other person -> the room their chat uses
        self._named: dict[str, tuple[str, bool]] = {}  # the other person -> (name, encrypted) last told
        self.locked = LockedEvents()  # encrypted events whose key has not come yet
        self._markers = ReadMarkers(self._read_marker)
        self._ended = ""  # why the server ended this device's session (a revoked token), once it did

    @property
    def user_id(self) -> str:
        return self._client.login.user_id if self._client is not None else ""

    async def connect(self, account_id: str, *, since: str | None = None) -> None:
        await self._stop_sync()
        try:
            if self._client is None:
                self._ended = ""  # a new sign-in, maybe: the end of the last one is over
                self._client = await self._open()
                self.locked.load(Path(self._client.nio.store_path))
                await self.history.recall()
            await self._client.reachable()  # connected means the server answered, not only a task started
        except MatrixError as exc:
            raise self._closed(exc) from exc
        self._since = since
        self._queue = asyncio.Queue()
        self._task = asyncio.create_task(self._sync_loop(self._client, self._queue))

    async def incoming(self) -> AsyncIterator[bytes]:
        queue = self._queue
        if queue is None:
            raise TransportClosed("not connected")
        while True:
            raw = await queue.get()
            if raw is None:
                raise TransportEnded(self._ended) if self._ended else TransportClosed("the sync ended")
            yield raw

    async def close(self) -> None:
        await self._markers.close()
        await self._stop_sync()
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def _stop_sync(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        if self._queue is not None:
            self._queue.put_nowait(None)

    # receiving ---------------------------------------------------------------------------------------
    async def _sync_loop(self, client: MatrixClient, queue: asyncio.Queue[bytes | None]) -> None:
        try:
            while True:
                since, wait = self._since, 0 if self._since is None else self._timeout_ms
                batch = await client.sync(since, timeout_ms=wait, upkeep=False)
                self.chats.update(client, batch)  # m.direct, rooms left
                if since is not None:
                    await self.history.fill_gaps(client, batch, since)
                frames = self._frames(client, batch)
                await self.history.synced(batch)  # kept before the batch is stored: a crash loses none
                for frame in frames:
                    queue.put_nowait(wire.encode(frame))
                queue.put_nowait(wire.encode(wire.SyncFrame(token=batch.next_batch)))
                self._since = batch.next_batch
                self.chats.synced.set()
                await asyncio.sleep(NEXT_POLL_AFTER)
                await client.upkeep()  # after the batch is handed on: keys never hold a message up
                await self.chats.join_invites(client, batch)
                await self.locked.ask_keys(client)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a lost server: the services reconnect; a revoked token: they stop
            log.warning("the Matrix sync ended: %s", exc)
            if isinstance(exc, MatrixError) and exc.revoked:
                self._ended = self._why_ended(client.login.user_id, client.login.homeserver)
            queue.put_nowait(None)

    def _frames(self, client: MatrixClient, batch: SyncBatch) -> list[wire.Frame]:
        me, frames = client.login.user_id, []
        for room_id, update in batch.response.rooms.join.items():
            peer = self.chats.peer_of(client, room_id)
            if peer is None:
                continue  # not a personal chat
            frames += self._directory(client, room_id, peer)
            frames += self.timeline_frames(client, room_id, peer, update.timeline.events)
            for event in update.ephemeral:
                frames += safely(ephemeral_frames, event, room_id, me, peer, self.ids)
        return frames + self.locked.opened(client, self.ids)

    def timeline_frames(
        self, client: MatrixClient, room_id: str, peer: str, events: list[Any]
    ) -> list[wire.Frame]:
        """A room's timeline events (oldest first) as frames; one whose key has not come, a waiting line."""
        me, frames = client.login.user_id, []
        for event in events:
            if isinstance(event, MegolmEvent):  # its key has not come (yet): tried again after each sync
                frames += self.locked.hold(event, room_id, me, peer, self.ids)
                continue
            frames += safely(timeline_frame, event, room_id, me, peer, self.ids)
        return frames

    def _directory(self, client: MatrixClient, room_id: str, peer: str) -> list[wire.Frame]:
        """The other person's name and whether the chat is encrypted, when new or changed; a contact when
        the user started the chat (an invitation from someone else is a request until the user accepts)."""
        room = client.nio.rooms.get(room_id)
        name = (room.user_name(peer) if room is not None else None) or peer
        encrypted = client.room_is_encrypted(room_id)
        if self._named.get(peer) == (name, encrypted):
            return []
        self._named[peer] = (name, encrypted)
        started_by_me = room_id in self.chats.created  # a contact is kept once added: a restart loses none
        entry = wire.DirectoryEntry(
            id=peer, display_name=name[:256], kind="person", contact=started_by_me, encrypted=encrypted
        )
        return [wire.DirectoryFrame(accounts=[entry])]

    def _introduce(self, peer: str, display_name: str | None) -> None:
        """Someone the user starts a chat with, whose room is made with the first message: their name
        (their profile's) and the lock that room will have, told now, so the new chat is not an ID
        without a lock until then. Told as a room's are: through the services' directory path. Not yet a
        contact: the room, once made, tells that (`_directory`), as it does for any chat the user starts."""
        if self._queue is None or peer in self.chats.rooms:
            return
        name = display_name if isinstance(display_name, str) and display_name.strip() else peer
        entry = wire.DirectoryEntry(
            id=peer, display_name=name[:256], kind="person", contact=False, encrypted=new_rooms_encrypted()
        )
        self._answer(wire.DirectoryFrame(accounts=[entry]))

    # sending -----------------------------------------------------------------------------------------
    async def send(self, frame: bytes) -> None:
        client = self._client
        if client is None or self._task is None:
            raise TransportClosed("not connected")
        decoded = wire.decode(frame)
        try:
            if isinstance(decoded, wire.MessageFrame):
                await self._send_message(client, decoded)
            elif isinstance(decoded, Action):
                await self._send_action(client, decoded)
                self._answer(wire.AckFrame(ids=[decoded.id]))  # the server has it: the services let it go
            elif isinstance(decoded, wire.StatusFrame) and decoded.status == "read":
                await self._send_read(client, decoded)
            elif isinstance(decoded, wire.AckFrame):  # stored: older history's place moves on
                await self.history.acked(decoded.ids)
            elif isinstance(decoded, wire.TypingFrame):
                room_id = self.chats.rooms.get(decoded.to)
                if room_id is not None:
                    await call(client.login.homeserver, client.nio.room_typing(room_id, decoded.typing))
        except MatrixError as exc:
            if exc.refused and isinstance(decoded, wire.MessageFrame | Action):
                self._refused(decoded, exc)
                return
            raise self._closed(exc) from exc
        except TimeoutError as exc:  # no first sync yet, or a new room that did not come with one
            raise TransportClosed(f"the server did not answer in time: {exc}") from exc

    def _answer(self, frame: wire.Frame) -> None:
        """A frame for the services from this side of the network (a send's answer)."""
        if self._queue is not None:
            self._queue.put_nowait(wire.encode(frame))

    def _refused(self, frame: wire.MessageFrame | Action, exc: MatrixError) -> None:
        """A send the server refused for good (sending it again would be refused again): a message shows
        failed, with its retry; an action is let go. Either way the next ones are not held up behind it."""
        log.warning("the server refused a %s: %s", frame.type, exc)
        if isinstance(frame, wire.MessageFrame):
            self._answer(wire.StatusFrame(
                message_id=frame.id, status="failed", sender=SERVER_ACCOUNT, to=self.user_id,
                timestamp=frame.timestamp, client_txn_id=frame.client_txn_id,
                error=wire.ErrorInfo(code=exc.status or 0, title=str(exc)[:200]),
            ))  # fmt: skip
        else:
            self._answer(wire.AckFrame(ids=[frame.id]))

    def _closed(self, exc: MatrixError) -> TransportClosed:
        """The error for the services: ended (sign in again) for a revoked token, else closed (retry)."""
        if not exc.revoked:
            return TransportClosed(str(exc))
        login = self._client.login if self._client is not None else None
        self._ended = self._why_ended(login.user_id, login.homeserver) if login else str(exc)
        return TransportEnded(self._ended)

    @staticmethod
    def _why_ended(user_id: str, homeserver: str) -> str:
        return f"the server {homeserver} ended the session of {user_id} on this device"

    async def _send_message(self, client: MatrixClient, frame: wire.MessageFrame) -> None:
        room_id = await self.chats.room_for(client, frame.to)
        content = await message_content(client, room_id, frame)  # text, or a file uploaded and named
        if frame.context is not None:
            content["m.relates_to"] = {
                "m.in_reply_to": {"event_id": self.ids.event(frame.context.message_id)}
            }
        event_id = await client.send(room_id, "m.room.message", content, txn=frame.id)
        when = self.ids.times.get(event_id) or frame.timestamp
        self.ids.sent(room_id, frame.id, event_id, when)
        await self.history.keep()  # before the services hear `sent`: a restart still knows the event
        self._answer(wire.StatusFrame(
            message_id=frame.id, status="sent", sender=SERVER_ACCOUNT, to=client.login.user_id,
            timestamp=when, client_txn_id=frame.client_txn_id,
        ))  # fmt: skip

    async def _send_action(self, client: MatrixClient, frame: Action) -> None:
        if isinstance(frame, wire.ReactionFrame):
            await self._send_reaction(client, frame)
        elif isinstance(frame, wire.EditFrame):
            await self._send_edit(client, frame)
        else:  # deleted for everyone: a redaction
            room_id = await self._room_of(client, frame.to, frame.message_id)
            await self._redact(client, room_id, self.ids.event(frame.message_id), txn=frame.id)

    async def _send_reaction(self, client: MatrixClient, frame: wire.ReactionFrame) -> None:
        """One reaction per person per message, as the services keep it: the user's earlier reaction to
        the message is redacted (taken back, or replaced) before the new one goes, so every client shows
        the newest, and picking an earlier emoji again is not refused as the same reaction twice."""
        room_id = await self._room_of(client, frame.to, frame.message_id)
        me, target = client.login.user_id, self.ids.event(frame.message_id)
        mine = [(event_id, key) for event_id, (sender, reacted, key) in list(self.ids.reactions.items())
                if sender == me and reacted == target]  # fmt: skip
        for event_id, key in mine:
            if key != frame.emoji:  # (the one wanted, there already: a resend of this frame, kept)
                # A transaction id of its own: the server takes a second use of one as the same event.
                txn = f"{frame.id}.{hashlib.sha256(event_id.encode()).hexdigest()[:16]}"
                await self._redact(client, room_id, event_id, txn=txn)
                self.ids.reactions.pop(event_id, None)
        if frame.emoji and all(key != frame.emoji for _, key in mine):
            content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": target, "key": frame.emoji}}
            event_id = await client.send(room_id, "m.reaction", content, txn=frame.id)
            self.ids.reactions[event_id] = (me, target, frame.emoji)
        await self.history.keep()

    async def _send_edit(self, client: MatrixClient, frame: wire.EditFrame) -> None:
        room_id = await self._room_of(client, frame.to, frame.message_id)
        content = {
            "msgtype": "m.text",
            "body": f"* {frame.body}",
            "m.new_content": {"msgtype": "m.text", "body": frame.body},
            "m.relates_to": {"rel_type": "m.replace", "event_id": self.ids.event(frame.message_id)},
        }
        await client.send(room_id, "m.room.message", content, txn=frame.id)

    async def _send_read(self, client: MatrixClient, frame: wire.StatusFrame) -> None:
        event_id = self.ids.event(frame.message_id)
        room_id = self.ids.room_of.get(event_id) or self.chats.rooms.get(frame.to)  # where the message is
        if room_id is not None:  # one request for the newest, in the background: see receipts.py
            self._markers.read(room_id, event_id, self.ids.times.get(event_id, frame.timestamp))

    async def _read_marker(self, room_id: str, event_id: str) -> None:
        if (client := self._client) is not None:
            await call(client.login.homeserver, client.nio.room_read_markers(room_id, event_id, event_id))

    async def _redact(self, client: MatrixClient, room_id: str, event_id: str, *, txn: str) -> None:
        server = client.login.homeserver
        resp = await call(server, client.nio.room_redact(room_id, event_id, tx_id=txn))
        if not isinstance(resp, RoomRedactResponse):
            raise refusal("deleting failed", server, resp)

    async def _room_of(self, client: MatrixClient, peer: str, message_id: str) -> str:
        """Where a reaction, an edit or a deletion of `message_id` goes: the room the message is in (from
        the server for a message this run has not seen), else the chat's room."""
        event_id = self.ids.event(message_id)
        if (room_id := self.ids.room_of.get(event_id)) is None:
            await asyncio.wait_for(self.chats.synced.wait(), ROOM_WAIT)  # the rooms, after the first sync
            room_id = await self.chats.room_holding(client, peer, event_id)
        if room_id is None:
            return await self.chats.room_for(client, peer)
        self.ids.room_of[event_id] = room_id
        return room_id

    async def fetch_file(self, source: str, *, max_bytes: int) -> bytes:
        return await fetch(self._client, source, max_bytes=max_bytes)  # TransportClosed when not connected

    async def account_exists(self, account_id: str) -> bool | None:
        """False only when the person's homeserver answers that it has no such user (HTTP 404 for their
        profile); a server that does not answer, or refuses to say, cannot tell."""
        if (client := self._client) is None:
            return None
        try:
            resp = await call(client.login.homeserver, client.nio.get_profile(account_id))
        except MatrixError:
            return None
        if isinstance(resp, ProfileGetResponse):
            self._introduce(account_id, resp.displayname)
            return True
        return False if getattr(resp.transport_response, "status", None) == 404 else None

    async def devices(self, account_id: str) -> list[Device] | None:
        return await devices_of(self._client, account_id) if self._client is not None else []

    async def older(
        self, account_id: str, before_message_id: str | None, limit: int
    ) -> tuple[list[bytes], bool]:
        """Older history of the chat with `account_id`, paged from the server (history.py); asked just
        after the start, it waits for the first sync (which says where the history stops)."""
        try:
            await asyncio.wait_for(self.chats.synced.wait(), ROOM_WAIT)  # the rooms are known after a sync
            if (client := self._client) is None or self._task is None:
                raise TransportClosed("not connected")
            if (room_id := self.chats.rooms.get(account_id)) is None:
                return [], False
            return await self.history.older(client, room_id, account_id, limit)
        except TimeoutError as exc:
            raise TransportClosed("no sync yet") from exc
        except MatrixError as exc:
            raise self._closed(exc) from exc

    # the network's block list and reports ---------------------------------------------------------------
    async def set_blocked(self, account_ids: Collection[str]) -> None:
        """`m.ignored_user_list`: the server stops sending what they write (and their invitations)."""
        if (client := self._client) is None:
            raise TransportClosed("not connected")
        me = quote(client.login.user_id, safe="")
        body: dict[str, Any] = {"ignored_users": {account: {} for account in account_ids}}
        await client.request("PUT", f"/user/{me}/account_data/m.ignored_user_list", body)

    async def report(self, account_id: str, message_ids: Sequence[str], reason: str) -> None:
        """The Matrix report API, one report per message of the evidence (to the homeserver's admins)."""
        client, room_id = self._client, self.chats.rooms.get(account_id)
        if client is None or room_id is None:
            raise TransportClosed("not connected, or no chat with them")
        for message_id in message_ids:
            event = quote(self.ids.event(message_id), safe="")
            body = {"reason": reason, "score": -100}
            await client.request("POST", f"/rooms/{quote(room_id, safe='')}/report/{event}", body)
