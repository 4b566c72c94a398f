"""Child process for the kill -9 test: mixed sending and receiving against the fake peer, killed with
SIGKILL right after its K-th committed write. Prints `composed <id>` once send_text returned (the text
is stored) and `acked <id>` when it acks an inbound message to the network (promising it is stored).
The network's side is printed too: `taken <id> <txn>` when the peer takes one of the user's messages
for the first time, so the restarted network knows what it already holds (a real server outlives the
client; this one dies with it). KILL_AT 0 never kills and prints `writes N` at the end."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from contextlib import contextmanager

from tui_messenger.services.service import MessengerService
from tui_messenger.store import database as database_module
from tui_messenger.store.database import open_database
from tui_messenger.transport import wire
from tui_messenger.transport.fake import FakePeer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from conftest import StepClock  # noqa: E402

PATH, KILL_AT, ROUNDS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
writes = 0


def counted(original):  # type: ignore[no-untyped-def]
    """The database's way of writing, killing the process right after its KILL_AT-th commit."""

    @contextmanager
    def counted_write(self):  # type: ignore[no-untyped-def]
        global writes
        with original(self) as session_or_conn:
            yield session_or_conn
        writes += 1  # committed
        if writes == KILL_AT:
            os.kill(os.getpid(), signal.SIGKILL)

    return counted_write


database_module.Database.write = counted(database_module.Database.write)  # type: ignore[method-assign]
database_module.Database.write_conn = counted(database_module.Database.write_conn)  # type: ignore[method-assign]


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())  # unbuffered: nothing printed may be lost with the process


class WatchedPeer(FakePeer):
    inbound: set[str] = set()

    def incoming(self):  # type: ignore[no-untyped-def]
        stream = super().incoming()

        async def watched():  # type: ignore[no-untyped-def]
            async for raw in stream:
                frame = wire.try_decode(raw)
                if isinstance(frame, wire.MessageFrame) and frame.sender != "me":
                    self.inbound.add(frame.id)
                yield raw

        return watched()

    def _user_message(self, frame: wire.MessageFrame) -> None:
        txn = frame.client_txn_id or frame.id
        if frame.sender == self.user_id and txn not in self._txns:
            say(f"taken {frame.id} {txn}")
        super()._user_message(frame)

    async def send(self, frame: bytes) -> None:
        decoded = wire.try_decode(frame)
        if isinstance(decoded, wire.AckFrame):
            for mid in decoded.ids:
                if mid in self.inbound:
                    say(f"acked {mid}")
        await super().send(frame)


async def settled(service: MessengerService, peer: FakePeer, done=lambda: True) -> None:  # type: ignore[no-untyped-def]
    """Wait, on the service's progress signal, until all the peer sent is stored and `done()` holds: the
    clock moves only after that (a fixed number of sleeps was too few under load)."""
    for _ in range(600):  # about a minute at most: the parent's timeout
        conn = peer.timeline.conn
        for _ in range(5):
            await asyncio.sleep(0)
        if service.idle and (conn is None or not conn.frames) and done():
            return
        service.progress.clear()
        try:
            await asyncio.wait_for(service.progress.wait(), timeout=0.1)
        except TimeoutError:
            pass
    raise SystemExit("the service never settled")


async def main() -> None:
    db = open_database(PATH, exclusive=True)
    clock = StepClock()  # only `jump_ahead` moves time: the outbox's retries wait for it
    peer = WatchedPeer.for_scenario("default", clock=clock, seed=1)
    service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    await service.start()
    await settled(service, peer, lambda: service.settings.sync_token() is not None)
    people = [s for s in await service.chat_list() if not s.peer.is_business and not s.chat.is_request]
    if not people:
        raise SystemExit("no person to write to after the first sync")
    for i in range(ROUNDS):
        chat = people[i % len(people)]
        sent = await service.send_text(chat.chat.id, f"message {i} to {chat.peer.id}")
        say(f"composed {sent.message_id}")
        # the network's answer is stored before time moves on
        await settled(service, peer, lambda: not service.outbox_repo.all())
        await service.jump_ahead(20)
        await settled(service, peer)
    await service.stop()
    db.close()
    say(f"writes {writes}")


asyncio.run(main())
