"""A sync's answer is turned into nio's objects in a worker thread, not on the event loop (offloop.py): a
login's first sync of many rooms held the screen ~180 ms there. Against a real Synapse: the sync still
brings the rooms and their messages, and the building ran off the loop's thread."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from nio import RoomMessageText, SyncResponse
from seeding import PASSWORD, long_chats, register

from tui_messenger.services.matrix_accounts import open_client, sign_in
from tui_messenger.store.database import open_database
from tui_messenger.transport.matrix import offloop
from tui_messenger.transport.matrix.homeserver import Homeserver


async def test_a_sync_is_built_off_the_event_loop_and_still_complete(
    synapse: Homeserver, unique_user: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = await register(synapse.url, unique_user + "b")
    anna = await register(synapse.url, unique_user + "a")
    try:
        rooms = await long_chats(owner, [anna], 5)
    finally:
        await owner.close()
        await anna.close()
    db = open_database(tmp_path / "fresh.db")
    try:
        await sign_in(db, synapse.url, owner.user_id, PASSWORD, register=False, device_name="fresh")
        built_in: list[threading.Thread] = []
        original = SyncResponse.from_dict.__func__  # type: ignore[attr-defined]

        def spying(cls: Any, parsed: Any, *args: Any) -> Any:
            built_in.append(threading.current_thread())
            return original(cls, parsed, *args)

        monkeypatch.setattr(SyncResponse, "from_dict", classmethod(spying))
        monkeypatch.setattr(offloop, "SMALL", 0)  # this one is small: a big first sync goes the same way
        client = await open_client(db)
        try:
            batch = await client.sync(None, timeout_ms=0)
        finally:
            await client.close()
    finally:
        db.close()
    timeline = batch.response.rooms.join[rooms[0]].timeline.events
    assert [e.body for e in timeline if isinstance(e, RoomMessageText)] == [
        f"msg 0 {n:04d}" for n in range(5)
    ]
    assert built_in and threading.main_thread() not in built_in


def test_the_key_store_writes_encrypted_rooms_only_when_a_sync_found_some(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nio.store import DefaultStore

    saved: list[set[str]] = []
    monkeypatch.setattr(DefaultStore, "save_encrypted_rooms", lambda self, rooms: saved.append(set(rooms)))
    store = object.__new__(offloop.KeyStore)  # (its database is not needed to see what it asks of it)
    store.save_encrypted_rooms(set())
    store.save_encrypted_rooms({"!a:localhost"})
    assert saved == [{"!a:localhost"}]
