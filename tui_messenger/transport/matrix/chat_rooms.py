"""Which Matrix room each personal chat uses: a room of just the user and one other person.

The other person is the chat's account. A room is theirs when the account's `m.direct` list says so, or
when they are its only other member. A new chat creates an encrypted direct room and invites them; an
invitation marked `is_direct` is joined (the services show it as a request until the user answers). When a
third person comes into the room a chat used, or the user is no longer in it, what the user writes goes
to another room of just the two (a known one, else a new one), never where the newcomer reads it. What
relates to a message goes to the room it is in: `room_holding` asks the server for a message this run
has not seen. Imports matrix-nio: import this module lazily.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import quote

from nio import RoomCreateResponse, RoomGetEventResponse

from tui_messenger.transport.matrix.account import MatrixError, call, refusal
from tui_messenger.transport.matrix.client import MatrixClient, SyncBatch
from tui_messenger.transport.matrix.direct import DirectRooms, invited_directly, others, room_of_two

log = logging.getLogger(__name__)

ENCRYPTION = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}
ROOM_WAIT = 10.0  # seconds a send waits for the first sync, or for a room it just created to come with one
MAX_ASKED = 10  # rooms asked whether they hold an event: the person's rooms, a handful at most


def new_rooms_encrypted() -> bool:
    """Whether a room this client makes is encrypted (always, but where a measure swaps ENCRYPTION)."""
    return ENCRYPTION["type"] == "m.room.encryption"


class ChatRooms:
    """The other person -> the room their chat uses, as this device's syncs and its own rooms tell."""

    def __init__(self) -> None:
        self.rooms: dict[str, str] = {}  # the other person -> their chat's room
        self.direct = DirectRooms()  # the account's m.direct list
        self.created: set[str] = set()  # rooms this device created: chats the user started
        self.synced = asyncio.Event()  # set after the first sync: the rooms are known

    def peer_of(self, client: MatrixClient, room_id: str) -> str | None:
        """The other person of a personal chat's room; None for any other room (a group, or unknown)."""
        if (room := client.nio.rooms.get(room_id)) is None:
            return None
        peer = self.direct.peer(room_id)  # m.direct first; else a room of two is a personal chat too
        if peer is None:
            members = others(room, client.login.user_id) or set()
            if len(members) != 1:
                return None
            peer = next(iter(members))
        self.rooms.setdefault(peer, room_id)
        return peer

    async def room_for(self, client: MatrixClient, peer: str) -> str:
        """The room of the chat with `peer`, created (encrypted, `peer` invited) when there is none yet."""
        if (room_id := self._private_room(client, peer)) is not None:
            return room_id
        await asyncio.wait_for(self.synced.wait(), ROOM_WAIT)  # rooms are known after the first sync
        if (room_id := self._private_room(client, peer)) is not None:
            return room_id
        resp = await call(
            client.login.homeserver,
            client.nio.room_create(is_direct=True, invite=[peer], initial_state=[ENCRYPTION]),
        )
        if not isinstance(resp, RoomCreateResponse):
            raise refusal(f"cannot start a chat with {peer}", client.login.homeserver, resp)
        room_id = str(resp.room_id)
        self.rooms[peer] = room_id
        self.created.add(room_id)
        try:
            await self._mark_direct(client, peer, room_id)
        except MatrixError as exc:  # the chat works without it: only other clients would not know
            log.warning("could not mark %s a direct chat: %s", room_id, exc)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ROOM_WAIT
        while peer not in getattr(client.nio.rooms.get(room_id), "users", ()):  # the sync task brings it
            if loop.time() > deadline:
                raise MatrixError(f"the new chat with {peer} did not arrive from the server")
            await asyncio.sleep(0.05)
        return room_id

    def update(self, client: MatrixClient, batch: SyncBatch) -> None:
        """What a sync tells of the rooms, before its events: the account's m.direct list; and rooms the
        user left (on another device) or was removed from, which are no chat's room any more. nio keeps
        those as they were, so the next message went there and the server refused it ("not in room");
        forgotten, the chat goes on in another room of the two, or a new one (`room_for`)."""
        self.direct.update(batch.response.account_data_events)
        for room_id in batch.response.rooms.leave:
            client.nio.rooms.pop(room_id, None)
            for peer in [peer for peer, chat_room in self.rooms.items() if chat_room == room_id]:
                log.info("the chat with %s leaves %s: the user is no longer in it", peer, room_id)
                del self.rooms[peer]

    async def room_holding(self, client: MatrixClient, peer: str, event_id: str) -> str | None:
        """Which of the rooms shared with `peer` holds `event_id`, asked of the server: for a message this
        run has not seen (one from before a restart, in a room the chat has since left)."""
        me, rooms = client.login.user_id, client.nio.rooms
        shared = [room_id for room_id, room in rooms.items() if peer in (others(room, me) or ())]
        first = [self.rooms.get(peer), *self.direct.peers.get(peer, [])]  # the likeliest first
        for room_id in [*dict.fromkeys(r for r in [*first, *shared] if r in rooms)][:MAX_ASKED]:
            answer = await call(client.login.homeserver, client.nio.room_get_event(room_id, event_id))
            if isinstance(answer, RoomGetEventResponse):
                return str(room_id)
        return None

    def _private_room(self, client: MatrixClient, peer: str) -> str | None:
        """The room the chat with `peer` uses, if only the two of them are in it (or invited); else another
        known room of just the two (a direct one first), which then becomes the chat's room."""
        rooms, me, mapped = client.nio.rooms, client.login.user_id, self.rooms.get(peer)
        if mapped is not None and others(rooms.get(mapped), me) in ({peer}, None):
            return mapped
        found = room_of_two(rooms, me, peer, first=self.direct.peers.get(peer, []))
        if mapped is not None:
            log.info(
                "the chat with %s leaves %s (more people came in) for %s", peer, mapped, found or "a new room"
            )
        if found is None:
            self.rooms.pop(peer, None)
        else:
            self.rooms[peer] = found
        return found

    async def join_invites(self, client: MatrixClient, batch: SyncBatch) -> None:
        """Join the rooms the user is invited to as a direct chat (the services show each as a request
        until the user answers). Any other invitation is left as it is, for another client: a group room
        is no chat here, and joining it would make the user a member of a room they never see."""
        for room_id, invite in batch.response.rooms.invite.items():
            inviter = invited_directly(invite.invite_state, client.login.user_id)
            if inviter is None:
                log.info("left the invitation to %s for another client: not a direct chat", room_id)
                continue
            try:
                await call(client.login.homeserver, client.nio.join(room_id))
                await self._mark_direct(client, inviter, room_id)
            except MatrixError as exc:
                log.warning("could not accept the invitation to %s: %s", room_id, exc)

    async def _mark_direct(self, client: MatrixClient, peer: str, room_id: str) -> None:
        """Add the room to the account's `m.direct`, which the user's other clients read too."""
        if (content := self.direct.add(peer, room_id)) is not None:
            me = quote(client.login.user_id, safe="")
            await client.request("PUT", f"/user/{me}/account_data/m.direct", content)
