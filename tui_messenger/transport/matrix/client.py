"""A signed-in Matrix device, opened again from the login the database keeps: restore, sync, send text.

The thin layer the MatrixTransport will stand on (on matrix-nio: import this module lazily). Rules kept
here, so no caller can get them wrong:
- `open` restores the login with its key store and refuses to go on without `olm` (nio without a store
  sends plaintext into encrypted rooms, silently);
- the database's sync token is the only position: the caller stores `SyncBatch.next_batch` with the batch
  it came with and passes it back as `since`. nio's own copy of the token is off: written as soon as a
  response arrives, it could run ahead of the database and skip a batch after a crash;
- nio keeps no rooms across runs, so the first sync of a run asks for the full state (else `room_send`
  finds "no such room"); later ones are incremental;
- every sync asks for a small timeline per room (a filter, early_sync.py): the first sync of a new login
  takes `FIRST_TIMELINE_LIMIT` events per room however long the rooms are (older history is paged from the
  server when a chat asks for it, history.py: never downloaded whole at login); later ones
  `TIMELINE_LIMIT`, so that coming back after a while seldom needs the gap read back. The first sync of a
  run may have been asked for before nio was imported (`early`): its answer is built as nio would;
- after each sync, the encryption housekeeping that nio's `sync_forever` would do (keys up, devices
  queried, one-time keys claimed, to-device messages out);
- `send` refuses an encrypted room unless the event is encrypted (nio leaves a reaction in the clear: it is
  encrypted here), and takes the caller's transaction id: a resend from the same device after a crash is
  the same event;
- a token the server no longer knows is `MatrixError(revoked=True)`: "Sign in again".
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nio import (
    Api,
    AsyncClient,
    EncryptionError,
    GroupEncryptionError,
    KeysClaimResponse,
    KeysQueryResponse,
    KeysUploadResponse,
    LocalProtocolError,
    Response,
    RoomSendResponse,
    SyncResponse,
    WhoamiResponse,
)

from tui_messenger.domain.matrix_account import MatrixLogin
from tui_messenger.transport.matrix.account import (
    REQUEST_TIMEOUT,
    MatrixError,
    call,
    client_for,
    refusal,
    whoami,
)
from tui_messenger.transport.matrix.early_sync import EarlySync, sync_filter
from tui_messenger.transport.matrix.offloop import build_response

CLEAR_IN_NIO = frozenset({"m.reaction"})  # what nio sends unencrypted even into an encrypted room
SYNC_TIMEOUT_MS = 30_000  # a long poll: the server answers at once when there is news


@dataclass(frozen=True, slots=True)
class SyncBatch:
    """One sync's answer: nio's response (rooms, events, to-device) and the position after it."""

    next_batch: str
    response: Any  # nio.SyncResponse
    full_state: bool


class MatrixClient:
    """One device of the account in `login`, with its key store in `keys`."""

    def __init__(self, login: MatrixLogin, keys: Path, *, request_timeout: float | None = None) -> None:
        if not keys.is_dir():
            raise MatrixError(f"the key store {keys} is missing: sign in again")
        self.login = login
        self.timeout = request_timeout or REQUEST_TIMEOUT
        extra = {"timeout": request_timeout} if request_timeout else {}
        self.nio: AsyncClient = client_for(
            login.homeserver,
            login.user_id,
            keys=keys,
            pickle_key=login.pickle_key,
            device_id=login.device_id,
            **extra,
        )
        self._synced = False
        self.early: EarlySync | None = None  # the first sync, asked for before nio was imported
        self._keys = asyncio.Lock()  # one key upkeep at a time: nio refuses a second query in flight

    async def open(self, *, check: bool = True) -> None:
        """Load the device and its keys; with `check`, ask the server whether the token still holds."""
        self.nio.restore_login(self.login.user_id, self.login.device_id, self.login.access_token)
        if self.nio.olm is None:
            raise MatrixError("end-to-end encryption is not available: the key store did not load")
        if check:
            await whoami(self.login)

    async def reachable(self) -> None:
        """The server answers and still knows this device (MatrixError if not; revoked: sign in again)."""
        resp = await call(self.login.homeserver, self.nio.whoami())
        if not isinstance(resp, WhoamiResponse):
            raise refusal("the server refused this device", self.login.homeserver, resp)

    @property
    def encrypted(self) -> bool:
        return self.nio.olm is not None

    async def sync(
        self, since: str | None, *, timeout_ms: int = SYNC_TIMEOUT_MS, upkeep: bool = True
    ) -> SyncBatch:
        """The next batch after `since` (the stored token; None: from the start), full state on the first
        call of a run. Raises MatrixError (revoked: sign in again). Without `upkeep` the caller calls
        `upkeep()` itself, after it has handed the batch on (so a message is not held up by key upkeep)."""
        full = not self._synced
        self.nio.next_batch = None  # the position is `since`, from the database, never nio's memory
        early, self.early = self.early, None
        body = None
        if early is not None and full:
            body = await asyncio.to_thread(early.take, since, wait=timeout_ms / 1000 + self.timeout)
        if body is not None:  # the same request, sent before nio was imported: built as nio would
            resp = await asyncio.to_thread(build_response, SyncResponse, body, ())
            await self.nio.receive_response(resp)
        else:
            request = self.nio.sync(
                timeout=timeout_ms, sync_filter=sync_filter(since), since=since, full_state=full or None
            )
            # nio sends a full-state sync with no time limit at all: a server that stalls would hang it
            wait = asyncio.wait_for(request, timeout_ms / 1000 + self.timeout)
            resp = await call(self.login.homeserver, wait)
        if not isinstance(resp, SyncResponse):
            raise refusal("sync failed", self.login.homeserver, resp)
        self._synced = True
        if upkeep:
            await self.upkeep()
        return SyncBatch(resp.next_batch, resp, full)

    async def upkeep(self) -> None:
        """The encryption housekeeping after a sync (see the module's docstring)."""
        async with self._keys:
            await self._keep_keys()

    async def prepare_room(self, room_id: str) -> None:
        """Before a send into an encrypted room: the members' devices known and an Olm session with each,
        so the message's key reaches every device (a room just created or joined may not have had the
        sync's upkeep yet, and nio shares a key only with the devices it knows)."""
        if not self.room_is_encrypted(room_id) or self.nio.olm is None:
            return
        async with self._keys:
            if not self.nio.rooms[room_id].members_synced:
                await call(self.login.homeserver, self.nio.joined_members(room_id))
            self.nio.olm.update_tracked_users(self.nio.rooms[room_id])  # an invited member too
            await self._keep_keys()
            missing = self.nio.get_missing_sessions(room_id)
            if missing:
                resp = await call(self.login.homeserver, self.nio.keys_claim(missing))
                if not isinstance(resp, KeysClaimResponse):
                    raise refusal("claiming one-time keys failed", self.login.homeserver, resp)

    async def _keep_keys(self) -> None:
        client, server = self.nio, self.login.homeserver
        steps: list[tuple[bool, Any, type[Response]]] = [
            (client.should_upload_keys, client.keys_upload, KeysUploadResponse),
            (client.should_query_keys, client.keys_query, KeysQueryResponse),
        ]
        for needed, step, wanted in steps:
            if needed:
                resp = await call(server, step())
                if not isinstance(resp, wanted):
                    raise refusal("keeping the encryption keys failed", server, resp)
        if client.should_claim_keys:
            resp = await call(server, client.keys_claim(client.get_users_for_key_claiming()))
            if not isinstance(resp, KeysClaimResponse):
                raise refusal("claiming one-time keys failed", server, resp)
        await call(server, client.send_to_device_messages())

    def room_is_encrypted(self, room_id: str) -> bool:
        room = self.nio.rooms.get(room_id)
        return bool(room is not None and room.encrypted) or room_id in self.nio.encrypted_rooms

    async def send_text(self, room_id: str, body: str, *, txn_id: str) -> str:
        """Send `body` (plain text, never formatted) with the caller's transaction id: the event id."""
        if room_id not in self.nio.rooms:
            raise MatrixError(f"unknown room {room_id!r}: not joined, or not synced yet")
        return await self.send(room_id, "m.room.message", {"msgtype": "m.text", "body": body}, txn=txn_id)

    async def send(self, room_id: str, kind: str, content: dict[str, Any], *, txn: str) -> str:
        """Send an event with the caller's transaction id (a resend from this device is the same event):
        its event id. An encrypted room gets ciphertext or nothing (MatrixError if nio cannot encrypt).
        nio sends a reaction in the clear; here it is encrypted too, as Element sends it: only its
        relation (the message and the emoji, which the server needs to count reactions) stays outside."""
        encrypted = self.room_is_encrypted(room_id)
        if encrypted and self.nio.olm is None:
            raise MatrixError("refusing to send into an encrypted room without encryption")
        await self.prepare_room(room_id)
        if encrypted and kind in CLEAR_IN_NIO:
            request = self._send_sealed(room_id, kind, content, txn)
        else:  # nio encrypts it for an encrypted room
            request = self.nio.room_send(room_id, kind, content, tx_id=txn, ignore_unverified_devices=True)
        resp = await call(self.login.homeserver, request)
        if not isinstance(resp, RoomSendResponse):
            raise refusal("sending failed", self.login.homeserver, resp)
        return str(resp.event_id)

    async def _send_sealed(self, room_id: str, kind: str, content: dict[str, Any], txn: str) -> Response:
        """What `nio.room_send` does for an encrypted room, for an event it would leave in the clear: the
        room key shared with the members' devices (all of them: verifying devices is a later issue), the
        event encrypted, then sent as `m.room.encrypted`."""
        nio = self.nio
        assert nio.olm is not None and nio.access_token
        if nio.olm.should_share_group_session(room_id):
            if (sharing := nio.sharing_session.get(room_id)) is not None:
                await sharing.wait()
            else:
                await nio.share_group_session(room_id, ignore_unverified_devices=True)
        try:
            sealed_kind, sealed = nio.encrypt(room_id, kind, content)
        except (EncryptionError, GroupEncryptionError, LocalProtocolError) as exc:
            raise MatrixError(f"could not encrypt the {kind} event: {exc}") from exc
        method, path, data = Api.room_send(nio.access_token, room_id, sealed_kind, sealed, txn)
        # nio's own request path (the token goes in a header, the answer is parsed as room_send's)
        response: Response = await nio._send(RoomSendResponse, method, path, data, (room_id,))  # noqa: SLF001
        return response

    async def request(self, method: str, path: str, body: dict[str, Any]) -> None:
        """A client-server API call nio has no method for (`path` under /_matrix/client/v3)."""
        headers = {"Authorization": f"Bearer {self.login.access_token}", "Content-Type": "application/json"}
        request = self.nio.send(method, "/_matrix/client/v3" + path, json.dumps(body), headers=headers)
        response = await call(self.login.homeserver, request)
        try:
            if response.status >= 400:
                raise MatrixError(f"{method} {path.split('/')[1]} refused (HTTP {response.status})")
        finally:
            response.release()

    async def close(self) -> None:
        await self.nio.close()
