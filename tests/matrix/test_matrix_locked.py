"""A message whose key has not come, against a real Synapse (no mock of nio): Ben's new device (the app)
signs in after Anna wrote, so only his first device got her messages' key. The app shows "🔒 Waiting for
this message's key" in their place, asks his other devices for the key, and when his first device forwards
it, the same messages get their text in place: no second message, not "edited", the chat list follows.
The same in the app's screen (Pilot, from a fresh start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nio import Api
from test_matrix_app import wait_on_screen
from test_matrix_transport import PASSWORD, People, bodies, until
from test_matrix_transport import people as people  # the fixture, shared

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.matrix_account import keys_folder
from tui_messenger.domain.models import LOCKED_TEXT, MessageKind
from tui_messenger.services.matrix_accounts import sign_in
from tui_messenger.services.service import MessengerService
from tui_messenger.store.database import Database, open_database
from tui_messenger.store.matrix_account import MatrixAccountRepository
from tui_messenger.transport.matrix import account as matrix
from tui_messenger.transport.matrix.chat_rooms import ENCRYPTION
from tui_messenger.transport.matrix.client import MatrixClient
from tui_messenger.tui.widgets.message_view import MessageView

WRITTEN = ["hi Anna", "before", "the secret", "after"]  # his first device's message, then her three


class Phone:
    """Ben's first device: a plain matrix-nio client this test drives, in a direct room with Anna."""

    def __init__(self, device: MatrixClient, user_id: str) -> None:
        self.device, self.user_id = device, user_id
        self.since: str | None = None
        self.room_id = ""

    async def sync(self) -> Any:
        batch = await self.device.sync(self.since, timeout_ms=200)
        self.since = batch.next_batch
        return batch.response

    async def trusts(self, device_id: str) -> bool:
        """Sync; trust his device `device_id` once known (verification is a later issue: done here)."""
        await self.sync()
        store = self.device.nio.device_store
        device = store[self.user_id].get(device_id) if self.user_id in store.users else None
        if device is not None:
            self.device.nio.verify_device(device)
        return device is not None

    async def close(self) -> None:
        await self.device.close()


async def anna_wrote_before_his_new_device(
    people: People, unique_user: str
) -> tuple[Phone, MessengerService]:
    """Ben (first device: the phone) and Anna (the app's services) in an encrypted direct room; he wrote
    "hi Anna" from his phone, she wrote "before", "the secret", "after"; his phone read them all."""
    ben_id, anna_id = f"@{unique_user}b:localhost", f"@{unique_user}a:localhost"
    folder = people.folder / "ben-phone"
    login = await matrix.sign_in(people.server.url, ben_id, PASSWORD, keys=folder, register=True)
    phone = Phone(MatrixClient(login, folder), ben_id)
    await phone.device.open()
    anna = await people.start(await people.sign_up(unique_user + "a"))
    await phone.sync()
    created = await phone.device.nio.room_create(is_direct=True, invite=[anna_id], initial_state=[ENCRYPTION])
    phone.room_id = room_id = created.room_id  # type: ignore[union-attr]

    async def joined() -> bool:
        await phone.sync()
        room = phone.device.nio.rooms.get(room_id)
        return room is not None and anna_id in room.users

    await until(joined)  # her app accepts the invitation
    await phone.device.prepare_room(room_id)
    await phone.device.send_text(room_id, WRITTEN[0], txn_id="hi-1")
    chat = await until(lambda: anna.chat_for_account(ben_id))  # a request from Ben
    for body in WRITTEN[1:]:
        await anna.send_text(chat.chat.id, body)

    async def phone_reads() -> bool:
        update = (await phone.sync()).rooms.join.get(room_id)
        return update is not None and WRITTEN[-1] in [
            getattr(e, "body", None) for e in update.timeline.events
        ]

    await until(phone_reads)  # his first device has the key; his new one does not exist yet
    return phone, anna


async def new_device_signed_in(people: People, phone: Phone, path: Path) -> Database:
    """Ben's new device, the app's database at `path`, signed in now (after Anna wrote), trusted by his
    phone (so the phone forwards keys to it when it asks)."""
    db = open_database(path)
    await sign_in(db, people.server.url, phone.user_id, PASSWORD, register=False, device_name="ben-laptop")
    stored = MatrixAccountRepository(db).get()
    assert stored is not None and stored.login is not None
    await until(lambda: phone.trusts(stored.login.device_id))  # type: ignore[union-attr]
    return db


async def trust_the_phone(service: MessengerService, phone: Phone) -> None:
    """The app's device trusts the phone (forwarded keys are taken from trusted devices only); on the app's
    own nio, as a verification would (device verification is a later issue)."""

    async def knows() -> MatrixClient | None:
        client = service.transport._client  # type: ignore[attr-defined]  # noqa: SLF001
        store = client.nio.device_store if client is not None else None
        known = (
            store is not None
            and phone.user_id in store.users
            and phone.device.login.device_id in store[phone.user_id]
        )
        return client if known else None

    client = await until(knows)
    client.nio.verify_device(client.nio.device_store[phone.user_id][phone.device.login.device_id])


async def test_a_message_whose_key_comes_late_waits_then_opens_in_place(
    people: People, unique_user: str
) -> None:
    anna_id = f"@{unique_user}a:localhost"
    phone, _anna = await anna_wrote_before_his_new_device(people, unique_user)
    try:
        db = await new_device_signed_in(people, phone, people.folder / "ben.db")
        people.dbs.append(db)
        ben = await people.start(db)
        shown = await until(lambda: _waiting(ben, anna_id))
        assert shown == [LOCKED_TEXT] * 4  # each in its place, none readable yet
        locked = [m for m in await _page(ben, anna_id)]
        assert all(m.kind is MessageKind.LOCKED for m in locked)
        assert (await ben.chat_for_account(anna_id)).chat.last_preview == LOCKED_TEXT  # type: ignore[union-attr]

        await trust_the_phone(ben, phone)  # the app asked his other devices for the keys: the phone forwards

        async def opened() -> list[str] | None:
            await phone.sync()  # the phone's nio answers the key request (as nio does for trusted devices)
            texts = await bodies(ben, anna_id)
            return texts if LOCKED_TEXT not in texts else None

        assert await until(opened, timeout=30) == WRITTEN  # in place, in order, once
        page = await _page(ben, anna_id)
        assert [m.message_id for m in page] == [m.message_id for m in locked]  # the same rows
        assert all(m.kind is MessageKind.TEXT and m.edited_at is None for m in page)  # not "edited"
        assert (await ben.chat_for_account(anna_id)).chat.last_preview == "after"  # type: ignore[union-attr]
    finally:
        await phone.close()


async def test_the_chat_on_screen_shows_the_waiting_line_then_the_text_in_place(
    people: People, unique_user: str, tmp_path: Path
) -> None:
    anna_id = f"@{unique_user}a:localhost"
    phone, _anna = await anna_wrote_before_his_new_device(people, unique_user)
    try:
        (await new_device_signed_in(people, phone, tmp_path / "messenger.db")).close()
        async with build_test_app(tmp_path).run_test(size=(120, 40)) as pilot:
            ben = pilot.app.messenger  # type: ignore[attr-defined]
            assert isinstance(ben, MessengerService)
            summary = await wait_on_screen(pilot, lambda: _waiting_chat(ben, anna_id))
            pilot.app.screen.open_chat(summary.chat.id)  # type: ignore[attr-defined]
            view = pilot.app.screen.query_one(MessageView)
            await wait_on_screen(pilot, lambda: _view(view).count(LOCKED_TEXT) == 4)
            rows = [m.message_id for m in view.messages]
            await trust_the_phone(ben, phone)

            async def opened() -> bool:
                await phone.sync()
                return LOCKED_TEXT not in _view(view)

            await wait_on_screen(pilot, opened, timeout=30)
            shown = _view(view)
            assert [shown.index(t) for t in WRITTEN] == sorted(shown.index(t) for t in WRITTEN)  # in order
            assert "edited" not in shown
            assert [m.message_id for m in view.messages] == rows  # the same messages, in the same places
    finally:
        await phone.close()


def _view(view: MessageView) -> str:
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


async def _page(service: MessengerService, peer: str) -> list[Any]:
    summary = await service.chat_for_account(peer)
    return [] if summary is None else list(await service.latest_page(summary.chat.id, limit=200))


async def _waiting(service: MessengerService, peer: str) -> list[str] | None:
    texts = await bodies(service, peer)
    return texts if texts.count(LOCKED_TEXT) >= 4 else None


async def _waiting_chat(service: MessengerService, peer: str) -> Any:
    return await service.chat_for_account(peer) if await _waiting(service, peer) else None


async def test_a_key_the_sender_sends_late_opens_the_message_in_place_after_a_restart(
    people: People, unique_user: str
) -> None:
    """The sender's own key share comes after the message (a delayed to-device message): no device of
    Ben's had the key, none needs to be trusted; the message waits. Ben's app stops; the key comes; his
    app starts again and opens the message in place (the event was kept beside the key store: the sync
    that brought it is behind the stored token)."""
    ben_id, dave_id = f"@{unique_user}b:localhost", f"@{unique_user}d:localhost"
    ben_db = await people.sign_up(unique_user + "b")
    ben = await people.start(ben_db)
    folder = people.folder / "dave"
    dave = Phone(
        MatrixClient(
            await matrix.sign_in(people.server.url, dave_id, PASSWORD, keys=folder, register=True), folder
        ),
        dave_id,
    )
    await dave.device.open()
    try:
        await dave.sync()
        created = await dave.device.nio.room_create(
            is_direct=True, invite=[ben_id], initial_state=[ENCRYPTION]
        )
        room_id = created.room_id  # type: ignore[union-attr]

        async def joined() -> bool:
            await dave.sync()
            return ben_id in getattr(dave.device.nio.rooms.get(room_id), "users", ())

        await until(joined)  # Ben's app accepts the invitation
        await dave.device.prepare_room(room_id)  # Olm sessions with Ben's device
        olm = dave.device.nio.olm
        assert olm is not None
        olm.create_outbound_group_session(room_id)
        users = list(dave.device.nio.rooms[room_id].users)
        _, key_share = olm.share_group_session(room_id, users, ignore_unverified_devices=True)
        olm.outbound_group_sessions[room_id].shared = True  # the key is made for Ben's device, not sent yet
        await dave.device.send_text(room_id, "a late key", txn_id="late-1")
        shown = await until(lambda: _has_text(ben, dave_id, LOCKED_TEXT))
        assert shown == [LOCKED_TEXT]
        (waiting,) = await _page(ben, dave_id)
        await people.stop(ben)
        kept = keys_folder(ben_db.path) / "locked-events.json"
        assert kept.stat().st_mode & 0o777 == 0o600 and b"a late key" not in kept.read_bytes()  # ciphertext

        method, path, data = Api.to_device(
            dave.device.nio.access_token, "m.room.encrypted", key_share, "key-1"
        )
        (await dave.device.nio.send(method, path, data)).release()  # the key comes now, while he is away
        ben = await people.start(ben_db)
        assert await until(lambda: _has_text(ben, dave_id, "a late key")) == ["a late key"]
        (opened,) = await _page(ben, dave_id)
        assert opened.message_id == waiting.message_id and opened.edited_at is None
        assert (await ben.chat_for_account(dave_id)).chat.last_preview == "a late key"  # type: ignore[union-attr]
    finally:
        await dave.close()


async def _has_text(service: MessengerService, peer: str, text: str) -> list[str] | None:
    texts = await bodies(service, peer)
    return texts if text in texts else None
