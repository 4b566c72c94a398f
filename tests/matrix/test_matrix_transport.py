"""Two people chatting through the real services over `MatrixTransport`, against a real Synapse (no mock of
nio): Ben starts an encrypted chat with Anna, she gets it as a request, they write, read, react, edit and
delete; a restart resumes from the stored sync token with nothing doubled; the server holds ciphertext."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tui_messenger.bootstrap_matrix import matrix_service
from tui_messenger.domain.clock import VirtualClock
from tui_messenger.domain.models import MessageStatus
from tui_messenger.services.errors import MessengerError, NotFoundError
from tui_messenger.services.matrix_accounts import sign_in
from tui_messenger.services.service import MessengerService
from tui_messenger.store.database import Database, open_database
from tui_messenger.transport.matrix.homeserver import Homeserver
from tui_messenger.transport.matrix.transport import MatrixTransport

PASSWORD = "correct horse battery"


class People:
    def __init__(self, server: Homeserver, folder: Path) -> None:
        self.server, self.folder = server, folder
        self.dbs: list[Database] = []
        self.services: list[MessengerService] = []

    async def sign_up(self, name: str) -> Database:
        db = open_database(self.folder / f"{name}.db")
        self.dbs.append(db)
        await sign_in(db, self.server.url, f"@{name}:localhost", PASSWORD, register=True, device_name=name)
        return db

    async def start(self, db: Database) -> MessengerService:
        service = matrix_service(db, clock=VirtualClock())
        assert service is not None
        assert isinstance(service.transport, MatrixTransport)
        service.transport._timeout_ms = 1000  # noqa: SLF001 - short long-polls: the test stops quickly
        await service.start()
        self.services.append(service)
        return service

    async def stop(self, service: MessengerService) -> None:
        await service.stop()
        self.services.remove(service)


@pytest.fixture
async def people(synapse: Homeserver, tmp_path: Path) -> AsyncIterator[People]:
    crowd = People(synapse, tmp_path)
    yield crowd
    left_behind = []
    for service in list(crowd.services):
        await service.stop()
        left_behind += service.left_behind
    for db in crowd.dbs:
        db.close()
    assert left_behind == []  # each loop ended when stopped (the log says where one waited)


async def until(check: Callable[[], Any], *, timeout: float = 15.0) -> Any:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = await check()
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"not within {timeout} s")
        await asyncio.sleep(0.05)


async def bodies(service: MessengerService, peer: str) -> list[str]:
    summary = await service.chat_for_account(peer)
    if summary is None:
        return []
    return [m.body for m in await service.latest_page(summary.chat.id, limit=200)]


async def test_two_people_chat_over_matrix_and_a_restart_doubles_nothing(
    people: People, unique_user: str
) -> None:
    ben_id, anna_id = f"@{unique_user}b:localhost", f"@{unique_user}a:localhost"
    anna_db, ben_db = await people.sign_up(unique_user + "a"), await people.sign_up(unique_user + "b")
    anna, ben = await people.start(anna_db), await people.start(ben_db)

    chat = await ben.open_chat(anna_id)
    sent = await ben.send_text(chat.chat.id, "hello over matrix")
    await until(lambda: _status_is(ben, sent.message_id, {MessageStatus.SENT, MessageStatus.READ}))
    await until(lambda: _has(anna, ben_id, "hello over matrix"))
    request = await anna.chat_for_account(ben_id)
    assert request is not None and request.peer.display_name == unique_user + "b"

    received = next(m for m in await anna.latest_page(request.chat.id) if m.body == "hello over matrix")
    answer = await anna.send_text(request.chat.id, "hi Ben", reply_to=received.message_id)
    await until(lambda: _has(ben, anna_id, "hi Ben"))
    reply = next(m for m in await ben.latest_page(chat.chat.id) if m.body == "hi Ben")
    assert reply.reply_to == sent.message_id  # the quote points at Ben's own message

    await anna.mark_read(request.chat.id)
    await until(lambda: _status_is(ben, sent.message_id, {MessageStatus.READ}))

    hers = next(m for m in await anna.latest_page(request.chat.id) if m.body == "hello over matrix")
    await anna.react(hers.message_id, "👍")  # her copy: the Matrix event
    await until(lambda: _reacted(ben, sent.message_id, "👍"))
    await anna.edit_message(answer.message_id, "hi Ben, edited")
    await until(lambda: _has(ben, anna_id, "hi Ben, edited"))
    his = next(m for m in await ben.latest_page(chat.chat.id) if m.body == "hi Ben, edited")
    assert his.edited_at is not None  # shown "edited"
    await anna.delete_for_everyone(answer.message_id)
    await until(lambda: _deleted(ben, his.message_id))

    # Ben goes away; Anna writes; Ben comes back: exactly what he missed, once
    await people.stop(ben)
    await anna.send_text(request.chat.id, "while you were away")
    ben = await people.start(ben_db)
    texts = await until(lambda: _has(ben, anna_id, "while you were away"))
    assert texts.count("while you were away") == 1 and texts.count("hello over matrix") == 1

    # the server's own database files hold no text of the encrypted messages
    stored = b"".join(f.read_bytes() for f in people.server.folder.glob("homeserver.db*"))
    assert stored and b"hello over matrix" not in stored and b"while you were away" not in stored

    raw = _messages(people.server, anna_db, request)
    # Messages, edits and reactions are ciphertext (nio alone would send the reaction in the clear);
    # redactions carry no text. A reaction's relation stays outside, as Matrix wants: the server counts.
    assert {e["type"] for e in raw if "state_key" not in e} == {"m.room.encrypted", "m.room.redaction"}
    reaction = next(e for e in raw if e["content"].get("m.relates_to", {}).get("rel_type") == "m.annotation")
    assert reaction["type"] == "m.room.encrypted"
    assert set(reaction["content"]) >= {"ciphertext", "m.relates_to"}
    for text in ("hello over matrix", "hi Ben", "while you were away"):
        assert text not in json.dumps(raw)


async def chatting(
    people: People, unique_user: str
) -> tuple[str, str, Database, MessengerService, MessengerService, Any]:
    """Anna and Ben signed up and started; Ben wrote "hello" and Anna has it. Ben's id, Anna's, Ben's
    database, Anna's and Ben's services, and Anna's chat with Ben."""
    ben_id, anna_id = f"@{unique_user}b:localhost", f"@{unique_user}a:localhost"
    anna_db, ben_db = await people.sign_up(unique_user + "a"), await people.sign_up(unique_user + "b")
    anna, ben = await people.start(anna_db), await people.start(ben_db)
    chat = await ben.open_chat(anna_id)
    await ben.send_text(chat.chat.id, "hello")
    await until(lambda: _has(anna, ben_id, "hello"))
    theirs = await anna.chat_for_account(ben_id)
    assert theirs is not None
    return ben_id, anna_id, ben_db, anna, ben, theirs


async def _status_is(service: MessengerService, message_id: str, wanted: set[MessageStatus]) -> bool:
    message = await service.message(message_id)
    return message is not None and message.status in wanted


async def _reacted(service: MessengerService, message_id: str, emoji: str) -> bool:
    message = await service.message(message_id)
    return message is not None and any(r.emoji == emoji for r in message.reactions)


async def _deleted(service: MessengerService, message_id: str) -> bool:
    message = await service.message(message_id)
    return message is not None and message.deleted


async def _has(service: MessengerService, peer: str, text: str) -> list[str] | None:
    texts = await bodies(service, peer)
    return texts if text in texts else None


def _messages(server: Homeserver, db: Database, summary: Any) -> list[dict[str, Any]]:
    from tui_messenger.store.matrix_account import MatrixAccountRepository

    stored = MatrixAccountRepository(db).get()
    assert stored is not None and stored.login is not None
    rooms = _get(server.url, "/_matrix/client/v3/joined_rooms", stored.login.access_token)["joined_rooms"]
    events: list[dict[str, Any]] = []
    for room in rooms:
        events += _get(
            server.url, f"/_matrix/client/v3/rooms/{room}/messages?dir=b&limit=100", stored.login.access_token
        )["chunk"]
    return events


def _get(url: str, path: str, token: str) -> dict[str, Any]:
    request = urllib.request.Request(url + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return json.loads(reply.read())  # type: ignore[no-any-return]


async def test_block_and_report_reach_the_server_and_her_messages_never_show(
    people: People, unique_user: str
) -> None:
    ben_id, anna_id, ben_db, anna, ben, theirs = await chatting(people, unique_user)
    await anna.send_text(theirs.chat.id, "buy my stuff")
    await until(lambda: _has(ben, anna_id, "buy my stuff"))

    from tui_messenger.domain.models import ReportReason

    await ben.report(anna_id, ReportReason.SPAM, also_block=True)
    ignored = _get(
        people.server.url,
        f"/_matrix/client/v3/user/{ben_id}/account_data/m.ignored_user_list",
        _token(ben_db),
    )
    assert anna_id in ignored["ignored_users"]
    import sqlite3

    with sqlite3.connect(people.server.folder / "homeserver.db") as conn:
        reported = conn.execute("SELECT reason FROM event_reports WHERE user_id = ?", (ben_id,)).fetchall()
    assert reported and reported[0][0] == ReportReason.SPAM.value

    await anna.send_text(theirs.chat.id, "are you there?")
    await anna.send_text(theirs.chat.id, "hello??")
    await until(lambda: _has(anna, ben_id, "hello??"))
    await asyncio.sleep(1.5)  # more than one of Ben's long polls
    assert "are you there?" not in await bodies(ben, anna_id)
    assert "hello??" not in await bodies(ben, anna_id)


async def test_more_than_one_sync_carries_while_away_is_read_back_in_order(
    people: People, unique_user: str
) -> None:
    ben_id, anna_id, ben_db, anna, ben, theirs = await chatting(people, unique_user)
    await people.stop(ben)
    away = [f"while away {n:02d}" for n in range(35)]  # a sync carries 10 events per room
    for text in away:
        await anna.send_text(theirs.chat.id, text)
    await until(lambda: _has(anna, ben_id, away[-1]))
    ben = await people.start(ben_db)
    await until(lambda: _has(ben, anna_id, away[-1]))
    await asyncio.sleep(1.0)
    assert await bodies(ben, anna_id) == ["hello", *away]  # every one, once, in order


def _token(db: Database) -> str:
    from tui_messenger.store.matrix_account import MatrixAccountRepository

    stored = MatrixAccountRepository(db).get()
    assert stored is not None and stored.login is not None
    return stored.login.access_token


async def test_a_token_revoked_elsewhere_ends_the_session_once(people: People, unique_user: str) -> None:
    from tui_messenger.domain.events import ConnectionChanged

    db = await people.sign_up(unique_user + "b")
    service = await people.start(db)
    seen: list[ConnectionChanged] = []
    service.subscribe(lambda e: seen.append(e) if isinstance(e, ConnectionChanged) else None)
    await until(lambda: _online(service))
    request = urllib.request.Request(
        people.server.url + "/_matrix/client/v3/logout", data=b"{}",
        headers={"Authorization": f"Bearer {_token(db)}"},
    )  # fmt: skip
    urllib.request.urlopen(request, timeout=10).close()  # signed out from another device
    ended = await until(lambda: _ended(seen), timeout=20)
    assert f"@{unique_user}b:localhost" in ended and "ended the session" in ended
    await asyncio.sleep(2.5)  # no reconnecting after that: the network said no
    assert not service.online and len([e for e in seen if e.ended]) == 1


async def _online(service: MessengerService) -> bool:
    return service.online


async def _ended(seen: list[Any]) -> str | None:
    return next((e.ended for e in seen if e.ended), None)


async def test_a_new_chat_is_a_direct_chat_for_both_accounts_other_clients(
    people: People, unique_user: str
) -> None:
    """m.direct is account data each client keeps: Ben's creation and Anna's acceptance both add the room,
    so Element or a phone of the same account shows it as a direct chat too."""
    ben_id, anna_id, ben_db, anna, ben, theirs = await chatting(people, unique_user)
    path = "/_matrix/client/v3/user/{}/account_data/m.direct"
    his = _get(people.server.url, path.format(ben_id), _token(ben_db))
    anna_db = people.dbs[0]
    hers = await until(lambda: _direct(people.server.url, path.format(anna_id), _token(anna_db)))
    assert list(his) == [anna_id] and list(hers) == [ben_id]
    assert his[anna_id] == hers[ben_id] and len(his[anna_id]) == 1  # the same one room
    assert isinstance(anna.transport, MatrixTransport)
    assert anna.transport.chats.direct.peer(hers[ben_id][0]) == ben_id  # read back from her sync


async def test_a_new_chat_with_an_id_its_server_has_no_account_for_is_not_made(
    people: People, unique_user: str
) -> None:
    """A typo in a Matrix ID: the server would accept the room and the invitation, and the message would
    wait, sent, for nobody. The server's profile lookup says there is no such user: no chat."""
    anna = await people.start(await people.sign_up(unique_user + "a"))
    assert isinstance(anna.transport, MatrixTransport)
    await asyncio.wait_for(anna.transport.chats.synced.wait(), 15)  # connected, as when a person types
    typo = f"@{unique_user}typo:localhost"
    with pytest.raises(NotFoundError) as refused:
        await anna.open_chat(typo)
    assert str(refused.value) == f"there is no account {typo}: check the ID"
    assert await anna.chat_for_account(typo) is None
    await people.sign_up(unique_user + "b")
    ben = await anna.open_chat(f"@{unique_user}b:localhost")  # one who exists
    assert ben.peer.id == f"@{unique_user}b:localhost"
    far = await anna.open_chat("@someone:elsewhere.invalid")  # a server that cannot be asked: made
    assert far.peer.id == "@someone:elsewhere.invalid"
    with pytest.raises(MessengerError, match="your own account"):  # (the server refuses that room)
        await anna.open_chat(anna.user_id)
    assert await anna.chat_for_account(anna.user_id) is None


async def test_a_new_chat_shows_the_persons_name_and_lock_before_its_first_message(
    people: People, unique_user: str
) -> None:
    """The room of a new chat is made with its first message; until then the chat was the bare ID with no
    lock. Their profile's name (asked anyway, to check the ID) and the lock the room will have show now."""
    anna_id = f"@{unique_user}a:localhost"
    anna_db = await people.sign_up(unique_user + "a")
    name = "[b]Anna[/b] Becker"  # a name is data: stored as written, shown as text
    _put(people.server.url, f"/_matrix/client/v3/profile/{anna_id}/displayname", _token(anna_db),
         {"displayname": name})  # fmt: skip
    ben = await people.start(await people.sign_up(unique_user + "b"))
    assert isinstance(ben.transport, MatrixTransport)
    await asyncio.wait_for(ben.transport.chats.synced.wait(), 15)

    async def told() -> Any:
        found = await ben.chat_for_account(anna_id)
        return found if found is not None and found.peer.display_name == name else None

    await ben.open_chat(anna_id)
    summary = await until(told, timeout=5)
    assert summary.peer.encrypted and not summary.chat.is_request
    assert anna_id not in ben.transport.chats.rooms  # no room yet: nothing was sent
    assert not await _contact(ben, anna_id)  # a contact once he writes (the room he makes says so)
    await ben.send_text(summary.chat.id, "hello")
    assert await until(lambda: _contact(ben, anna_id))


async def _contact(service: MessengerService, account_id: str) -> bool:
    return any(contact.id == account_id for contact in await service.contact_list())


def _put(url: str, path: str, token: str, body: dict[str, Any]) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    request = urllib.request.Request(url + path, json.dumps(body).encode(), headers, method="PUT")
    with urllib.request.urlopen(request, timeout=10):
        pass


async def _direct(url: str, path: str, token: str) -> dict[str, Any] | None:
    try:
        return _get(url, path, token)
    except urllib.error.HTTPError:  # 404 until her client stored it
        return None


async def test_a_server_that_does_not_answer_is_not_connected(people: People, unique_user: str) -> None:
    """Connected means the server answered: else the app said "online" at every reconnect while the
    server was down, and its offline line hardly ever showed."""
    import dataclasses

    from tui_messenger.domain.matrix_account import keys_folder
    from tui_messenger.store.matrix_account import MatrixAccountRepository
    from tui_messenger.transport.base import TransportClosed
    from tui_messenger.transport.matrix.client import MatrixClient
    from tui_messenger.transport.matrix.homeserver import free_port

    db = await people.sign_up(unique_user + "b")
    stored = MatrixAccountRepository(db).get()
    assert stored is not None and stored.login is not None
    gone = dataclasses.replace(stored.login, homeserver=f"http://127.0.0.1:{free_port()}")

    async def open_client() -> MatrixClient:
        client = MatrixClient(gone, keys_folder(db.path))
        await client.open(check=False)
        return client

    transport = MatrixTransport(open_client)
    try:
        with pytest.raises(TransportClosed, match="cannot reach"):
            await transport.connect(stored.login.user_id)
    finally:
        await transport.close()
