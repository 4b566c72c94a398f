"""Older history, paged from the server when a chat asks for it; and what a restart must not forget.

- A login's first sync carries a small timeline per room (client.py's filter): nothing is downloaded whole.
  Each room's first sync gives the token before its first event (`timeline.prev_batch`); when the services
  ask for older messages of a chat (`older`), events are paged backwards from there (`room_messages`) and
  the token moves back with each page. A timeline or page that holds the room's creation, or a page with
  no `end`, marks the room complete: nothing more is asked of the server for it.
- A page's new position is kept once the services acked every frame of the page (they ack what they
  stored): a crash before that reads the page again (stored once: dedupe by id) instead of skipping it.
- The ids the events need (`Ids`: the user's own events, reactions, each room's mark) are kept through the
  `MatrixMemory` (the database) after each sync, before the batch is handed to the services, and after
  each send, before the services hear it was sent. Keeping is idempotent, so a crash between costs nothing.
Imports matrix-nio: import this module lazily.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from nio import RoomCreateEvent, RoomMessagesResponse

from tui_messenger.domain.matrix_memory import MatrixMemory, Remembered, RoomMark
from tui_messenger.transport import wire
from tui_messenger.transport.matrix.account import call, refusal
from tui_messenger.transport.matrix.client import MatrixClient, SyncBatch

if TYPE_CHECKING:
    from tui_messenger.transport.matrix.events import Ids
    from tui_messenger.transport.matrix.transport import MatrixTransport

log = logging.getLogger(__name__)

GAP_PAGE = 100  # events per request when a sync skipped some (see `fill_gaps`)
GAP_PAGES = 100  # at most this many pages per room and sync: 10,000 events missed while away


class History:
    def __init__(self, transport: MatrixTransport, memory: MatrixMemory) -> None:
        self._transport = transport
        self._memory = memory
        self._recalled = False
        self._paging = asyncio.Lock()
        # room -> its position after pages whose frames are not all acked (stored) yet, and their keys
        self._ahead: dict[str, tuple[RoomMark, set[str]]] = {}

    @property
    def ids(self) -> Ids:
        return self._transport.ids

    async def recall(self) -> None:
        """What earlier runs kept, once, before the first sync."""
        if not self._recalled:
            self.ids.recall(await asyncio.to_thread(self._memory.recall))
            self._recalled = True

    async def synced(self, batch: SyncBatch) -> None:
        """A sync's rooms: where the history of a room seen for the first time starts; then keep."""
        for room_id, update in batch.response.rooms.join.items():
            mark = self.ids.marks.get(room_id)
            if mark is not None and (mark.older or mark.complete):
                continue
            timeline = update.timeline
            if _created(timeline.events):
                self.ids.mark(room_id, complete=True)
            elif timeline.prev_batch:
                self.ids.mark(room_id, older=timeline.prev_batch)
        await self.keep()

    async def keep(self) -> None:
        """Keep what changed; on a failure the changes wait for the next call (and the error goes on)."""
        changes = self.ids.take_changes()
        if not changes:
            return
        try:
            await asyncio.to_thread(self._memory.keep, changes)
        except BaseException:
            _put_back(self.ids.changes, changes)
            raise

    async def fill_gaps(self, client: MatrixClient, batch: SyncBatch, since: str) -> None:
        """A later sync that carries less than came while away (`timeline.limited`): the events between
        the last position and this batch are read back from the server and put before the batch's own, so
        nothing is skipped. (Never on a login's first sync: that one has no `since`, and what came before
        it is older history, paged when asked for.)"""
        server = client.login.homeserver
        for room_id, update in batch.response.rooms.join.items():
            timeline = update.timeline
            if not timeline.limited or not timeline.prev_batch:
                continue
            gap: list[Any] = []  # newest first, as the server pages backwards
            token = timeline.prev_batch
            for _ in range(GAP_PAGES):
                request = client.nio.room_messages(room_id, start=token, end=since, limit=GAP_PAGE)
                resp = await call(server, request)
                if not isinstance(resp, RoomMessagesResponse):
                    raise refusal("reading what came while away failed", server, resp)
                gap += resp.chunk
                if not resp.chunk or not resp.end or resp.end == token:
                    break
                token = resp.end
            else:
                log.warning(
                    "over %d events came while away in %s: the oldest are left out", len(gap), room_id
                )
            timeline.events[:0] = gap[::-1]

    async def older(
        self, client: MatrixClient, room_id: str, peer: str, limit: int
    ) -> tuple[list[bytes], bool]:
        """Up to `limit` events of `room_id` before what was read (oldest first, as frames) and whether
        the server holds more. Raises MatrixError."""
        async with self._paging:
            mark = self._ahead[room_id][0] if room_id in self._ahead else self.ids.marks.get(room_id)
            if mark is None or mark.complete or not mark.older:
                return [], False
            server = client.login.homeserver
            resp = await call(server, client.nio.room_messages(room_id, start=mark.older, limit=limit))
            if not isinstance(resp, RoomMessagesResponse):
                raise refusal("reading older messages failed", server, resp)
            events: list[Any] = resp.chunk[::-1]  # the server pages newest first
            complete = not resp.chunk or not resp.end or resp.end == mark.older or _created(events)
            frames = self._transport.timeline_frames(client, room_id, peer, events)
            keys = {key for frame in frames if (key := wire.ack_key(frame)) is not None}
            waiting = self._ahead[room_id][1] if room_id in self._ahead else set()  # (acks came meanwhile)
            self._ahead[room_id] = (RoomMark(room_id, resp.end or mark.older, complete), waiting | keys)
            await self.acked([])  # a page with nothing to store moves on at once
            log.debug("read %d older events of %s (complete: %s)", len(events), room_id, complete)
            return [wire.encode(f) for f in frames], not complete

    async def acked(self, keys: list[str]) -> None:
        """The services stored these frames: pages all of whose frames are stored move their room on."""
        done = set(keys)
        for room_id, (mark, waiting) in list(self._ahead.items()):
            waiting -= done
            if not waiting:
                del self._ahead[room_id]
                self.ids.mark(room_id, older=mark.older, complete=mark.complete)
        await self.keep()


def _created(events: list[Any]) -> bool:
    return any(isinstance(event, RoomCreateEvent) for event in events)


def _put_back(pending: Remembered, failed: Remembered) -> None:
    pending.own[:0] = failed.own
    pending.reactions[:0] = failed.reactions
    pending.unreacted[:0] = failed.unreacted
    for room_id, mark in failed.rooms.items():
        pending.rooms.setdefault(room_id, mark)
