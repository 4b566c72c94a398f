"""The first sync of a run can be asked for before matrix-nio is imported (transport/matrix/early_sync.py):
the client then builds its first batch from that answer instead of asking again, exactly as nio would have;
an answer for another position is never used. Against a real Synapse, no mock of nio."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from nio import AsyncClient, RoomMessageText
from seeding import PASSWORD, long_chats, register

from tui_messenger.services.early_sync import early_sync
from tui_messenger.services.matrix_accounts import open_client, sign_in
from tui_messenger.store.database import open_database
from tui_messenger.store.matrix_quick import quick_login
from tui_messenger.transport.matrix.early_sync import FIRST_TIMELINE_LIMIT
from tui_messenger.transport.matrix.homeserver import Homeserver


async def _signed_in(synapse: Homeserver, unique_user: str, tmp_path: Path, events: int) -> tuple[Path, str]:
    owner = await register(synapse.url, unique_user + "b")
    anna = await register(synapse.url, unique_user + "a")
    try:
        (room,) = await long_chats(owner, [anna], events)
    finally:
        await owner.close()
        await anna.close()
    path = tmp_path / "fresh.db"
    db = open_database(path)
    try:
        await sign_in(db, synapse.url, owner.user_id, PASSWORD, register=False, device_name="fresh")
    finally:
        db.close()
    return path, room


def _count_syncs(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    asked: list[str | None] = []
    original = AsyncClient.sync

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        asked.append(kwargs.get("since"))
        return await original(self, *args, **kwargs)

    monkeypatch.setattr(AsyncClient, "sync", counted)
    return asked


async def test_the_first_sync_asked_for_early_is_the_clients_first_batch(
    synapse: Homeserver, unique_user: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, room = await _signed_in(synapse, unique_user, tmp_path, FIRST_TIMELINE_LIMIT + 5)
    login = quick_login(path)
    assert login is not None and login.homeserver == synapse.url and login.since is None
    early = early_sync(path)  # before the database is opened with SQLAlchemy, as bootstrap does
    assert early is not None
    asked = _count_syncs(monkeypatch)
    db = open_database(path)
    try:
        client = await open_client(db, check=False, early=early)
        try:
            batch = await client.sync(None, timeout_ms=0)
            assert asked == []  # nio did not ask again
            timeline = batch.response.rooms.join[room].timeline
            bodies = [e.body for e in timeline.events if isinstance(e, RoomMessageText)]
            assert bodies == [f"msg 0 {n:04d}" for n in range(5, FIRST_TIMELINE_LIMIT + 5)]
            assert room in client.nio.rooms  # nio took it in as its own answer: rooms, members
            assert batch.full_state and batch.next_batch
            again = await client.sync(batch.next_batch, timeout_ms=0)  # later syncs: nio's own
            assert asked == [batch.next_batch] and again.next_batch
        finally:
            await client.close()
    finally:
        db.close()


async def test_an_early_answer_for_another_position_is_not_used(
    synapse: Homeserver, unique_user: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, room = await _signed_in(synapse, unique_user, tmp_path, 3)
    early = early_sync(path)
    assert early is not None
    early.since = "s_not_this_one"  # as if the database had moved on since it was read
    asked = _count_syncs(monkeypatch)
    db = open_database(path)
    try:
        client = await open_client(db, check=False, early=early)
        try:
            batch = await client.sync(None, timeout_ms=0)
        finally:
            await client.close()
    finally:
        db.close()
    assert asked == [None] and room in batch.response.rooms.join


def test_a_database_without_a_matrix_login_asks_nothing(tmp_path: Path) -> None:
    open_database(tmp_path / "demo.db").close()
    assert quick_login(tmp_path / "demo.db") is None and early_sync(tmp_path / "demo.db") is None
    assert quick_login(tmp_path / "missing.db") is None
