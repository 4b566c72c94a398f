"""A client killed with SIGKILL while sending 100 messages over Matrix, then started again: the other side
has each message once, in order (the outbox's id is the Matrix transaction id, resent from the same
device). Against a real Synapse, through the real services, the sender in a process of its own."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from test_matrix_transport import PASSWORD, People, until

from tui_messenger.bootstrap_matrix import matrix_service
from tui_messenger.domain.clock import VirtualClock
from tui_messenger.services.matrix_accounts import sign_in
from tui_messenger.store.database import open_database
from tui_messenger.transport.matrix.homeserver import Homeserver

COUNT = 100

SENDER = """
import asyncio, sys
from tui_messenger.bootstrap_matrix import matrix_service
from tui_messenger.domain.clock import VirtualClock
from tui_messenger.store.database import open_database

async def main(path, peer, count):
    db = open_database(path)
    service = matrix_service(db, clock=VirtualClock())
    service.transport._timeout_ms = 1000
    await service.start()
    chat = await service.open_chat(peer)
    for n in range(count):
        await service.send_text(chat.chat.id, f"message {n:03d}")
        print(n, flush=True)
    await asyncio.sleep(60)  # killed long before this

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
"""


async def test_a_sender_killed_mid_way_doubles_and_loses_nothing(
    synapse: Homeserver, unique_user: str, tmp_path: Path
) -> None:
    ben_id, anna_id = f"@{unique_user}b:localhost", f"@{unique_user}a:localhost"
    people = People(synapse, tmp_path)
    anna_db = await people.sign_up(unique_user + "a")
    ben_path = tmp_path / "ben.db"
    ben_db = open_database(ben_path)
    await sign_in(ben_db, synapse.url, ben_id, PASSWORD, register=True, device_name="ben")
    ben_db.close()
    try:
        anna = await people.start(anna_db)
        child = subprocess.Popen(
            [sys.executable, "-c", SENDER, str(ben_path), anna_id, str(COUNT)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        queued = 0
        while queued < COUNT // 3:  # a third of them composed (stored, some sent), then the plug is pulled
            line = await asyncio.to_thread(child.stdout.readline)
            assert line, child.stderr.read() if child.stderr else ""
            queued = int(line) + 1
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)

        ben_db = open_database(ben_path)
        people.dbs.append(ben_db)
        ben = matrix_service(ben_db, clock=VirtualClock())
        assert ben is not None
        ben.transport._timeout_ms = 1000  # type: ignore[attr-defined]  # noqa: SLF001
        await ben.start()
        people.services.append(ben)
        chat = await ben.chat_for_account(anna_id)
        assert chat is not None
        kept = [m.body for m in await ben.latest_page(chat.chat.id, limit=200)]
        assert kept == [f"message {n:03d}" for n in range(len(kept))] and len(kept) >= queued
        for n in range(len(kept), COUNT):  # the rest, after the restart
            await ben.send_text(chat.chat.id, f"message {n:03d}")

        async def all_arrived() -> list[str] | None:
            summary = await anna.chat_for_account(ben_id)
            if summary is None:
                return None
            texts = [m.body for m in await anna.latest_page(summary.chat.id, limit=300)]
            return texts if len(texts) >= COUNT else None

        texts = await until(all_arrived, timeout=60)
        await asyncio.sleep(1.5)  # a resend that doubled would show now
        summary = await anna.chat_for_account(ben_id)
        assert summary is not None
        texts = [m.body for m in await anna.latest_page(summary.chat.id, limit=300)]
        assert texts == [f"message {n:03d}" for n in range(COUNT)]
    finally:
        for service in list(people.services):
            await service.stop()
        for db in people.dbs:
            db.close()
