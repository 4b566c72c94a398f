"""What the user read elsewhere is read here too: their own read receipt (another device, or before this
login) reads the chat up to it. Against a real Synapse; the other device is a bare nio client of the same
account (as Element on a phone would be)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from nio import AsyncClient, JoinResponse, RoomCreateResponse, RoomReadMarkersResponse, RoomSendResponse
from seeding import register
from test_matrix_history import fresh_login
from test_matrix_transport import People, until
from test_matrix_transport import people as people  # the fixture, shared

from tui_messenger.services.service import MessengerService


@asynccontextmanager
async def _pair(people: People, unique_user: str) -> AsyncIterator[tuple[AsyncClient, AsyncClient]]:
    """Ben (whose other device the bare client is) and Anna, two new accounts, closed after."""
    ben = await register(people.server.url, unique_user + "b")
    anna = await register(people.server.url, unique_user + "a")
    try:
        yield ben, anna
    finally:
        await anna.close()
        await ben.close()


async def _chat(anna: AsyncClient, ben: AsyncClient, count: int) -> tuple[str, list[str]]:
    """Anna starts a direct room with Ben (who joins) and writes `count` messages: the room, event ids."""
    made = await anna.room_create(is_direct=True, invite=[ben.user_id])
    assert isinstance(made, RoomCreateResponse), made
    assert isinstance(await ben.join(made.room_id), JoinResponse)
    return made.room_id, [await _say(anna, made.room_id, f"hi {n}") for n in range(count)]


async def _say(client: AsyncClient, room_id: str, body: str) -> str:
    sent = await client.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": body})
    assert isinstance(sent, RoomSendResponse), sent
    return str(sent.event_id)


async def _read_on_the_phone(ben: AsyncClient, room_id: str, event_id: str) -> None:
    marked = await ben.room_read_markers(room_id, fully_read_event=event_id, read_event=event_id)
    assert isinstance(marked, RoomReadMarkersResponse), marked


async def _unread(service: MessengerService, peer: str) -> int | None:
    summary = await service.chat_for_account(peer)
    return None if summary is None else summary.chat.unread_count


async def test_a_new_login_counts_unread_only_what_came_after_what_was_read_elsewhere(
    people: People, unique_user: str
) -> None:
    async with _pair(people, unique_user) as (ben, anna):
        room_id, events = await _chat(anna, ben, 5)
        await _read_on_the_phone(ben, room_id, events[2])
    _db, service = await fresh_login(people, unique_user + "b")
    await until(lambda: service.chat_for_account(anna.user_id))
    await service.wait_idle()
    assert await _unread(service, anna.user_id) == 2  # hi 3 and hi 4; not all five of the first sync


async def test_reading_on_another_device_reads_the_chat_here(people: People, unique_user: str) -> None:
    async with _pair(people, unique_user) as (ben, anna):
        room_id, _ = await _chat(anna, ben, 1)
        _db, service = await fresh_login(people, unique_user + "b")
        events = [await _say(anna, room_id, f"more {n}") for n in range(3)]
        assert await until(lambda: _has_unread(service, anna.user_id, 4))
        await _read_on_the_phone(ben, room_id, events[1])
        assert await until(lambda: _has_unread(service, anna.user_id, 1))
        await _read_on_the_phone(ben, room_id, events[2])
        assert await until(lambda: _has_unread(service, anna.user_id, 0))


async def _has_unread(service: MessengerService, peer: str, count: int) -> bool:
    return await _unread(service, peer) == count


async def test_reading_elsewhere_up_to_a_reaction_reads_the_messages_before_it(
    people: People, unique_user: str
) -> None:
    """Another client may put the receipt on the room's newest event even when it is not a message (here
    a reaction): the messages before it are read here too."""
    async with _pair(people, unique_user) as (ben, anna):
        room_id, _ = await _chat(anna, ben, 1)
        _db, service = await fresh_login(people, unique_user + "b")
        events = [await _say(anna, room_id, f"more {n}") for n in range(2)]
        assert await until(lambda: _has_unread(service, anna.user_id, 3))
        content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": events[0], "key": "👍"}}
        reacted = await anna.room_send(room_id, "m.reaction", content)
        assert isinstance(reacted, RoomSendResponse), reacted
        await service.wait_idle()
        await _read_on_the_phone(ben, room_id, str(reacted.event_id))
        assert await until(lambda: _has_unread(service, anna.user_id, 0))
