"""A message whose key has not come, against a real Synapse (no mock of nio): Ben's new device (the app)
signs in after Anna wrote, so only his first device got her message's key. The app shows "🔒 Waiting for
this message's key" in its place, asks his other devices for the key, and when his first device forwards
it, the same message gets its text in place: no second message, not "edited", the chat list follows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_matrix_transport import PASSWORD, People, bodies, until
from test_matrix_transport import people as people  # the fixture, shared

from tui_messenger.domain.models import LOCKED_TEXT, MessageKind
from tui_messenger.services.matrix_accounts import sign_in
from tui_messenger.services.service import MessengerService
from tui_messenger.store.database import open_database
from tui_messenger.transport.matrix import account as matrix
from tui_messenger.transport.matrix.client import MatrixClient
from tui_messenger.transport.matrix.transport import ENCRYPTION, MatrixTransport


async def _first_device(people: People, user_id: str, folder: Path) -> MatrixClient:
    """Ben's first device: a plain matrix-nio client this test drives."""
    login = await matrix.sign_in(people.server.url, user_id, PASSWORD, keys=folder, register=True)
    device = MatrixClient(login, folder)
    await device.open()
    return device


async def _sync(device: MatrixClient, since: str | None) -> tuple[str, Any]:
    batch = await device.sync(since, timeout_ms=200)
    return batch.next_batch, batch.response


async def test_a_message_whose_key_comes_late_waits_then_opens_in_place(
    people: People, unique_user: str
) -> None:
    ben_id, anna_id = f"@{unique_user}b:localhost", f"@{unique_user}a:localhost"
    phone = await _first_device(people, ben_id, people.folder / "ben-phone")
    try:
        anna = await people.start(await people.sign_up(unique_user + "a"))
        since, _ = await _sync(phone, None)
        created = await phone.nio.room_create(is_direct=True, invite=[anna_id], initial_state=[ENCRYPTION])
        room_id = created.room_id  # type: ignore[union-attr]

        async def joined() -> bool:
            nonlocal since
            since, _ = await _sync(phone, since)
            room = phone.nio.rooms.get(room_id)
            return room is not None and anna_id in room.users

        await until(joined)  # her app accepts the invitation
        await phone.prepare_room(room_id)
        await phone.send_text(room_id, "hi Anna", txn_id="hi-1")
        chat = await until(lambda: anna.chat_for_account(ben_id))  # a request from Ben
        await anna.send_text(chat.chat.id, "before")
        await anna.send_text(chat.chat.id, "the secret")
        await anna.send_text(chat.chat.id, "after")

        async def phone_reads() -> bool:
            nonlocal since
            since, response = await _sync(phone, since)
            texts = [
                getattr(e, "body", None) for e in response.rooms.join.get(room_id, _NO_ROOM).timeline.events
            ]
            return "after" in texts

        await until(phone_reads)  # his first device has the key, his new one does not exist yet

        # Ben's new device, the app, signs in now: Anna's messages came before it, their key did not
        db = open_database(people.folder / "ben.db")
        people.dbs.append(db)
        await sign_in(db, people.server.url, ben_id, PASSWORD, register=False, device_name="ben-laptop")
        laptop = _device_id(db)

        async def trusted() -> bool:  # his first device learns of the new one and trusts it
            nonlocal since
            since, _ = await _sync(phone, since)
            device = (
                phone.nio.device_store[ben_id].get(laptop) if ben_id in phone.nio.device_store.users else None
            )
            if device is not None:
                phone.nio.verify_device(device)
            return device is not None

        await until(trusted)
        ben = await people.start(db)
        # and the new device trusts the first one (device verification is a later issue: done here on
        # the app's own nio, as a verification would): forwarded keys are taken from trusted devices only
        app = await until(lambda: _knows(ben, ben_id, phone.login.device_id))
        app.nio.verify_device(app.nio.device_store[ben_id][phone.login.device_id])
        shown = await until(lambda: _texts(ben, anna_id, LOCKED_TEXT))
        assert shown == [LOCKED_TEXT] * 4  # his first device's message and her three, each in its place
        locked = await _locked_ids(ben, anna_id)
        first_page = await _page(ben, anna_id)

        # the new device asked his other devices for the keys: his first device forwards them (nio does)
        async def forwarded() -> list[str] | None:
            nonlocal since
            since, _ = await _sync(phone, since)
            texts = await bodies(ben, anna_id)
            return texts if LOCKED_TEXT not in texts else None

        texts = await until(forwarded, timeout=30)
        assert texts == ["hi Anna", "before", "the secret", "after"]  # in place, in order, once
        page = await _page(ben, anna_id)
        assert [m.message_id for m in page] == [m.message_id for m in first_page]  # the same rows
        opened = [m for m in page if m.message_id in locked]
        assert opened and all(m.kind is MessageKind.TEXT and m.edited_at is None for m in opened)
        summary = await ben.chat_for_account(anna_id)
        assert summary is not None and summary.chat.last_preview == "after"
    finally:
        await phone.close()


_NO_ROOM: Any = type("NoRoom", (), {"timeline": type("T", (), {"events": []})()})()


async def _page(service: MessengerService, peer: str) -> list[Any]:
    summary = await service.chat_for_account(peer)
    return [] if summary is None else list(await service.latest_page(summary.chat.id, limit=200))


async def _texts(service: MessengerService, peer: str, text: str) -> list[str] | None:
    texts = await bodies(service, peer)
    return texts if texts.count(text) >= 4 else None  # his "hi Anna" and her three


async def _locked_ids(service: MessengerService, peer: str) -> set[str]:
    return {m.message_id for m in await _page(service, peer) if m.kind is MessageKind.LOCKED}


async def _knows(service: MessengerService, user_id: str, device_id: str) -> MatrixClient | None:
    """The app's device once it knows `device_id` of `user_id`."""
    client = service.transport._client  # type: ignore[attr-defined]  # noqa: SLF001
    store = client.nio.device_store if client is not None else None
    return client if store is not None and user_id in store.users and device_id in store[user_id] else None


def _device_id(db: Any) -> str:
    from tui_messenger.store.matrix_account import MatrixAccountRepository

    stored = MatrixAccountRepository(db).get()
    assert stored is not None and stored.login is not None
    return stored.login.device_id


assert MatrixTransport  # the app's transport is the one under test (through `people.start`)
