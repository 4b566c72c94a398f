"""Issue 14, point 3: history is paged from the server lazily, never downloaded whole at login; and what a
restart must remember (the user's own events, reactions, each room's place in its history) is kept in the
database. Against a real Synapse, no mock of nio: long chats are written by bare nio clients (seeding.py),
then the account signs in on a fresh database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from seeding import PASSWORD, long_chats, register
from test_matrix_transport import (  # the two-people setup and its waits
    People,
    _has,
    _reacted,
    _status_is,
    chatting,
    until,
)
from test_matrix_transport import people as people  # the fixture, shared

from tui_messenger.domain.models import MessageStatus, PageCursor
from tui_messenger.services.matrix_accounts import sign_in
from tui_messenger.services.service import MessengerService
from tui_messenger.store.database import Database, open_database
from tui_messenger.store.matrix_memory import MatrixMemoryRepository
from tui_messenger.transport import wire
from tui_messenger.transport.matrix.early_sync import FIRST_TIMELINE_LIMIT as FIRST
from tui_messenger.transport.matrix.transport import MatrixTransport


async def fresh_login(people: People, name: str) -> tuple[Database, MessengerService]:
    """`@name:localhost` (registered already) signed in on a new database, started."""
    db = open_database(people.folder / f"{name}-fresh.db")
    people.dbs.append(db)
    await sign_in(db, people.server.url, f"@{name}:localhost", PASSWORD, register=False, device_name="fresh")
    return db, await people.start(db)


async def long_chat(people: People, unique_user: str, events: int) -> tuple[str, list[str]]:
    """Anna wrote `events` messages to Ben (bare clients), who then signs in anew: Anna's id, the bodies."""
    ben = await register(people.server.url, unique_user + "b")
    anna = await register(people.server.url, unique_user + "a")
    try:
        await long_chats(ben, [anna], events)
    finally:
        await ben.close()
        await anna.close()
    return anna.user_id, [f"msg 0 {n:04d}" for n in range(events)]


async def stored(service: MessengerService, peer: str) -> list[str]:
    summary = await service.chat_for_account(peer)
    if summary is None:
        return []
    return [m.body for m in await service.latest_page(summary.chat.id, limit=1000)]


async def older_pages(service: MessengerService, chat_id: int) -> list[str]:
    """Scroll back to the start as the chat's view does: pages of 50 before the oldest shown."""
    shown = await service.latest_page(chat_id, limit=50)
    while True:
        first = shown[0]
        assert first.id is not None
        page = await service.page_before(chat_id, PageCursor(first.position, first.id), limit=50)
        shown = page + shown
        if len(page) < 50:
            return [m.body for m in shown]


async def test_a_new_login_takes_only_the_newest_events_and_pages_the_rest_when_scrolled_back(
    people: People, unique_user: str
) -> None:
    anna_id, written = await long_chat(people, unique_user, 2 * FIRST + 50)
    _db, ben = await fresh_login(people, unique_user + "b")
    await until(lambda: stored(ben, anna_id))
    await ben.wait_idle()
    assert await stored(ben, anna_id) == written[-FIRST:]  # the first sync: its filter's limit
    summary = await ben.chat_for_account(anna_id)
    assert summary is not None
    unread = summary.chat.unread_count

    assert await older_pages(ben, summary.chat.id) == written  # all of it, once, in the server's order
    after = await ben.chat_for_account(anna_id)
    assert after is not None and after.chat.unread_count == unread  # history is never "unread"
    assert after.chat.last_message_id == summary.chat.last_message_id
    assert await stored(ben, anna_id) == written


async def test_paging_goes_on_after_a_restart_from_where_it_was_and_stops_at_the_start(
    people: People, unique_user: str
) -> None:
    anna_id, written = await long_chat(people, unique_user, 4 * FIRST + 200)
    db, ben = await fresh_login(people, unique_user + "b")
    await until(lambda: stored(ben, anna_id))
    summary = await ben.chat_for_account(anna_id)
    assert summary is not None
    newest = await ben.latest_page(summary.chat.id, limit=50)
    first = newest[0]
    assert first.id is not None
    page = await ben.page_before(summary.chat.id, PageCursor(first.position, first.id), limit=50)
    assert [m.body for m in page] == written[-FIRST - 50 : -FIRST]
    before_restart = set(await stored(ben, anna_id))

    await people.stop(ben)  # a new run: a new transport on the same database
    ben = await people.start(db)
    read_again = _count_older(ben)
    assert await older_pages(ben, summary.chat.id) == written
    assert read_again(before_restart) == 0  # paging went on from where it was, not from the newest
    rooms = MatrixMemoryRepository(db).recall().rooms
    assert [mark.complete for mark in rooms.values()] == [True]  # kept: no run asks the server again


async def test_a_reaction_to_a_message_older_than_the_first_sync_outlives_a_restart(
    people: People, unique_user: str
) -> None:
    """Anna reacts to her first message after many more: Ben's first sync brings the reaction without its
    message. It waits, kept in the database; after a restart, scrolling back brings the message and the
    reaction is on it (the sync that brought it is behind the stored position and never comes again)."""
    from nio import RoomCreateResponse, RoomSendResponse

    ben = await register(people.server.url, unique_user + "b")
    anna = await register(people.server.url, unique_user + "a")
    try:
        room = await anna.room_create(is_direct=True, invite=[ben.user_id])
        assert isinstance(room, RoomCreateResponse), room
        await ben.join(room.room_id)
        bodies = ["the first one", *(f"then {n}" for n in range(FIRST + 5))]
        sent = []
        for body in bodies:
            content = {"msgtype": "m.text", "body": body}
            sent.append(await anna.room_send(room.room_id, "m.room.message", content))
        assert isinstance(sent[0], RoomSendResponse), sent
        relation = {"rel_type": "m.annotation", "event_id": sent[0].event_id, "key": "🎉"}
        await anna.room_send(room.room_id, "m.reaction", {"m.relates_to": relation})
    finally:
        await ben.close()
        await anna.close()

    db, service = await fresh_login(people, unique_user + "b")
    await until(lambda: stored(service, anna.user_id))
    await service.wait_idle()
    assert "the first one" not in await stored(service, anna.user_id)  # older than the first sync's page
    await people.stop(service)
    service = await people.start(db)  # a new run on the same database

    summary = await service.chat_for_account(anna.user_id)
    assert summary is not None
    assert await older_pages(service, summary.chat.id) == bodies
    first = (await service.latest_page(summary.chat.id, limit=100))[0]
    assert first.body == "the first one"
    await until(lambda: _reacted(service, first.message_id, "🎉"))


def _count_older(service: MessengerService) -> Callable[[set[str]], int]:
    """Counts, from now on, the server's older messages whose body is among `known`."""
    transport = service.transport
    assert isinstance(transport, MatrixTransport)
    answers: list[list[bytes]] = []
    original = transport.history.older

    async def counted(*args: Any, **kwargs: Any) -> tuple[list[bytes], bool]:
        frames, more = await original(*args, **kwargs)
        answers.append(frames)
        return frames, more

    transport.history.older = counted  # type: ignore[method-assign]

    def count(known: set[str]) -> int:
        decoded = [wire.decode(raw) for frames in answers for raw in frames]
        return sum(1 for f in decoded if isinstance(f, wire.MessageFrame) and f.body in known)

    return count


async def test_a_restart_still_knows_the_users_own_old_messages(people: People, unique_user: str) -> None:
    ben_id, anna_id, ben_db, anna, ben, theirs = await chatting(people, unique_user)
    chat = await ben.chat_for_account(anna_id)
    assert chat is not None
    old = await ben.send_text(chat.chat.id, "an old message")
    await until(lambda: _status_is(ben, old.message_id, {MessageStatus.SENT}))
    await until(lambda: _has(anna, ben_id, "an old message"))
    hers = next(m for m in await anna.latest_page(theirs.chat.id) if m.body == "an old message")
    await anna.react(hers.message_id, "🎉")
    await until(lambda: _reacted(ben, old.message_id, "🎉"))

    await people.stop(ben)  # a new run: a new transport on the same database
    ben = await people.start(ben_db)
    await until(lambda: _online(ben))

    await anna.react(hers.message_id, "👍")  # names the old event of Ben's message
    await until(lambda: _reacted(ben, old.message_id, "👍"))
    await anna.unreact(hers.message_id)  # her reaction taken back: a redaction of a reaction
    await until(lambda: _no_reactions(ben, old.message_id))
    answer = await anna.send_text(theirs.chat.id, "about that", reply_to=hers.message_id)
    await until(lambda: _has(ben, anna_id, "about that"))
    reply = next(m for m in await ben.latest_page(chat.chat.id) if m.body == "about that")
    assert reply.reply_to == old.message_id  # the quote finds Ben's message
    await anna.mark_read(theirs.chat.id)
    await until(lambda: _status_is(ben, old.message_id, {MessageStatus.READ}))

    await ben.edit_message(old.message_id, "an old message, edited")  # Ben's own, after the restart
    await until(lambda: _has(anna, ben_id, "an old message, edited"))
    await ben.delete_for_everyone(old.message_id)
    await until(lambda: _deleted(anna, hers.message_id))
    assert answer.message_id


async def _online(service: MessengerService) -> bool:
    return service.online


async def _no_reactions(service: MessengerService, message_id: str) -> bool:
    message = await service.message(message_id)
    return message is not None and not message.reactions


async def _deleted(service: MessengerService, message_id: str) -> bool:
    message = await service.message(message_id)
    return message is not None and message.deleted


async def test_signing_in_again_on_the_same_database_doubles_none_of_the_users_own_messages(
    people: People, unique_user: str
) -> None:
    """Signed out and in again, the database's device is a new one: the user's own messages come back
    with the first sync without the transaction id only the sending device sees, and (in an encrypted
    room) without a key for the new device. They were shown a second time, as "waiting for this
    message's key"; the database knows their event ids, so they are the messages it has."""
    from tui_messenger.services.matrix_accounts import sign_out

    ben_id, anna_id, ben_db, anna, ben, theirs = await chatting(people, unique_user)
    chat = await ben.chat_for_account(anna_id)
    assert chat is not None
    sent = await ben.send_text(chat.chat.id, "before signing out")
    await until(lambda: _has(anna, ben_id, "before signing out"))
    await until(lambda: _status_is(ben, sent.message_id, {MessageStatus.SENT, MessageStatus.DELIVERED}))
    before = [(m.message_id, m.body) for m in await ben.latest_page(chat.chat.id)]
    await people.stop(ben)
    await sign_out(ben_db)
    await sign_in(ben_db, people.server.url, ben_id, PASSWORD, register=False, device_name="again")
    ben = await people.start(ben_db)
    await until(lambda: _online(ben))
    await anna.send_text(theirs.chat.id, "welcome back")  # after the first sync: all before it is in
    await until(lambda: _has(ben, anna_id, "welcome back"))
    after = [(m.message_id, m.body) for m in await ben.latest_page(chat.chat.id)]
    assert after[: len(before)] == before and len(after) == len(before) + 1, after
    transport = ben.transport
    assert isinstance(transport, MatrixTransport)
    assert len(transport.locked) == 0  # nor kept to be tried again after every sync: nothing to open
