"""The restored device (transport/matrix/client.py) against a real Synapse: encrypted both ways, resumed
exactly from the database's sync token, the same transaction id never doubles, a revoked token is told."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from nio import MegolmEvent, RoomMessageText

from tui_messenger.services.matrix_accounts import open_client, sign_in
from tui_messenger.store.database import Database, open_database
from tui_messenger.store.settings import SettingsRepository
from tui_messenger.transport.matrix.account import MatrixError
from tui_messenger.transport.matrix.client import SyncBatch
from tui_messenger.transport.matrix.homeserver import Homeserver

PASSWORD = "correct horse battery"
ENCRYPTION = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}


@pytest.fixture
async def databases(tmp_path: Path) -> AsyncIterator[list[Database]]:
    opened: list[Database] = []
    yield opened
    for db in opened:
        db.close()


async def account(server: Homeserver, name: str, folder: Path, opened: list[Database]) -> Database:
    db = open_database(folder / f"{name}.db")
    opened.append(db)
    await sign_in(db, server.url, f"@{name}:localhost", PASSWORD, register=True, device_name=name)
    return db


def texts(batch: SyncBatch, room_id: str) -> list[str]:
    room = batch.response.rooms.join.get(room_id)
    events = room.timeline.events if room else []
    assert not [e for e in events if isinstance(e, MegolmEvent)], "a message could not be decrypted"
    return [e.body for e in events if isinstance(e, RoomMessageText)]


async def test_encrypted_chat_resumes_exactly_from_the_stored_token(
    synapse: Homeserver, unique_user: str, tmp_path: Path, databases: list[Database]
) -> None:
    anna_db = await account(synapse, unique_user + "a", tmp_path, databases)
    ben_db = await account(synapse, unique_user + "b", tmp_path, databases)
    anna, ben = await open_client(anna_db), await open_client(ben_db)
    try:
        assert anna.encrypted and ben.encrypted
        await anna.sync(None, timeout_ms=0)
        created = await anna.nio.room_create(
            is_direct=True, invite=[ben.login.user_id], initial_state=[ENCRYPTION]
        )
        room_id = created.room_id
        ben_token = (await ben.sync(None, timeout_ms=0)).next_batch
        assert room_id in ben.nio.invited_rooms
        await ben.nio.join(room_id)
        await anna.sync(None, timeout_ms=0)
        assert anna.room_is_encrypted(room_id)
        with pytest.raises(MatrixError, match="unknown room"):
            await anna.send_text("!elsewhere:localhost", "hello over matrix", txn_id="txn-0")
        first = await anna.send_text(room_id, "hello over matrix", txn_id="txn-1")
        assert await anna.send_text(room_id, "hello over matrix", txn_id="txn-1") == first  # exactly once

        seen: list[str] = []
        while "hello over matrix" not in seen:
            batch = await ben.sync(ben_token, timeout_ms=5000)
            seen += texts(batch, room_id)
            ben_token = batch.next_batch
        assert seen == ["hello over matrix"]
        SettingsRepository(ben_db).set_sync_token(token=ben_token)
    finally:
        await ben.close()

    try:
        await anna.send_text(room_id, "while you were away", txn_id="txn-2")
        # a new run of Ben's: the device and keys from the database, the position from its sync token
        again = await open_client(ben_db)
        try:
            stored = SettingsRepository(ben_db).sync_token()
            assert stored == ben_token
            seen = []
            while "while you were away" not in seen:
                batch = await again.sync(stored, timeout_ms=5000)
                assert not seen or not batch.full_state
                seen += texts(batch, room_id)
                stored = batch.next_batch
            assert seen == ["while you were away"]  # nothing before the token again, nothing twice
            await again.send_text(room_id, "hi back", txn_id="txn-3")  # the room is known after a restore
        finally:
            await again.close()
        # the server holds ciphertext only
        raw = _get(synapse.url, f"/_matrix/client/v3/rooms/{room_id}/messages?dir=b&limit=50", anna.login)
        kinds = {
            event["type"] for event in raw["chunk"] if event["sender"] != "" and "state_key" not in event
        }
        assert kinds == {"m.room.encrypted"}
        assert "hello over matrix" not in json.dumps(raw) and "while you were away" not in json.dumps(raw)
    finally:
        await anna.close()


def _get(url: str, path: str, login: object) -> dict[str, list[dict[str, str]]]:
    token = login.access_token  # type: ignore[attr-defined]
    request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read())  # type: ignore[no-any-return]


async def test_a_token_revoked_elsewhere_is_told_as_revoked(
    synapse: Homeserver, unique_user: str, tmp_path: Path, databases: list[Database]
) -> None:
    db = await account(synapse, unique_user, tmp_path, databases)
    client = await open_client(db)
    try:
        request = urllib.request.Request(
            synapse.url + "/_matrix/client/v3/logout",
            data=b"{}",
            headers={"Authorization": f"Bearer {client.login.access_token}"},
        )
        urllib.request.urlopen(request, timeout=10).close()  # signed out from another place
        with pytest.raises(MatrixError) as caught:
            await client.sync(None, timeout_ms=0)
        assert caught.value.revoked and "M_UNKNOWN_TOKEN" in str(caught.value)
    finally:
        await client.close()
    with pytest.raises(MatrixError) as again:
        await open_client(db)
    assert again.value.revoked


async def test_a_missing_key_store_is_refused(
    synapse: Homeserver, unique_user: str, tmp_path: Path, databases: list[Database]
) -> None:
    import shutil

    db = await account(synapse, unique_user, tmp_path, databases)
    shutil.rmtree(tmp_path / f"{unique_user}.db.keys")
    with pytest.raises(MatrixError, match="key store"):
        await open_client(db)


async def test_a_server_that_stalls_is_told_in_time(tmp_path: Path) -> None:
    """nio sends a full-state sync without a time limit; the client bounds it."""
    import asyncio
    import socket

    from tui_messenger.domain.matrix_account import MatrixLogin
    from tui_messenger.transport.matrix.client import MatrixClient

    with socket.socket() as silent:  # takes connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        keys = tmp_path / "keys"
        keys.mkdir(mode=0o700)
        client = MatrixClient(
            MatrixLogin(url, "@a:localhost", "DEV", "token", "pickle"), keys, request_timeout=1
        )
        try:
            await client.open(check=False)
            with pytest.raises(MatrixError) as caught:
                await asyncio.wait_for(client.sync(None, timeout_ms=0), timeout=15)
            assert caught.value.unreachable and "did not answer in time" in str(caught.value)
        finally:
            await client.close()


async def test_a_sign_in_the_database_cannot_keep_is_ended_on_the_server(
    synapse: Homeserver,
    unique_user: str,
    tmp_path: Path,
    databases: list[Database],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sqlite3

    from tui_messenger.services.matrix_accounts import AccountError
    from tui_messenger.store.matrix_account import MatrixAccountRepository

    user = f"@{unique_user}:localhost"
    full = open_database(tmp_path / "full.db")
    databases.append(full)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(MatrixAccountRepository, "save", disk_full)
    with pytest.raises(AccountError, match="disk is full") as caught:
        await sign_in(full, synapse.url, user, PASSWORD, register=True, device_name="lost")
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "full.db.keys").exists()
    monkeypatch.undo()

    kept = open_database(tmp_path / "kept.db")
    databases.append(kept)
    login = await sign_in(kept, synapse.url, user, PASSWORD, register=False, device_name="kept")
    request = urllib.request.Request(
        synapse.url + "/_matrix/client/v3/devices", headers={"Authorization": f"Bearer {login.access_token}"}
    )
    with urllib.request.urlopen(request, timeout=10) as reply:
        devices = json.loads(reply.read())["devices"]
    assert [d["display_name"] for d in devices] == ["kept"]  # the device that could not be kept is gone
