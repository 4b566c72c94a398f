"""Which invitations the messenger accepts on its own, against a real Synapse (no mock of nio): those to a
direct chat (shown as a request: Accept · Block · Report), never one to a group room, which it cannot show
(a spammer's invitation to a big room would otherwise make the user a member of it, unseen)."""

from __future__ import annotations

import asyncio

from nio import AsyncClient, ReceiptEvent, RoomCreateResponse, RoomGetStateEventResponse, SyncResponse
from seeding import register
from test_matrix_transport import People, until
from test_matrix_transport import people as people  # the fixture, shared

from tui_messenger.services.service import MessengerService


async def test_a_group_invitation_is_left_for_another_client_and_a_direct_one_is_a_request(
    people: People, unique_user: str
) -> None:
    anna_id = f"@{unique_user}a:localhost"
    anna = await people.start(await people.sign_up(unique_user + "a"))
    carl = await register(people.server.url, unique_user + "c")
    dan = await register(people.server.url, unique_user + "d")
    try:
        group = await carl.room_create(name="Free crypto", invite=[anna_id, dan.user_id])
        direct = await carl.room_create(is_direct=True, invite=[anna_id])  # after it: a later sync at most
        assert isinstance(group, RoomCreateResponse) and isinstance(direct, RoomCreateResponse)
        for room_id in (group.room_id, direct.room_id):
            await carl.room_send(room_id, "m.room.message", {"msgtype": "m.text", "body": "hi Anna"})

        request = await until(lambda: anna.chat_for_account(carl.user_id))
        assert request.chat.is_request  # the direct one: joined, a request until she accepts
        await anna.wait_idle()
        for room_id, wanted in ((direct.room_id, "join"), (group.room_id, "invite")):
            state = await carl.room_get_state_event(room_id, "m.room.member", anna_id)
            assert isinstance(state, RoomGetStateEventResponse), state
            assert state.content["membership"] == wanted, room_id
    finally:
        await carl.close()
        await dan.close()


async def test_a_request_sends_no_read_receipt_until_accepted(people: People, unique_user: str) -> None:
    """Opening a stranger's request tells them nothing on the server (a spammer would learn the account
    is read); Accept sends the read receipt it was owed."""
    anna_id = f"@{unique_user}a:localhost"
    anna = await people.start(await people.sign_up(unique_user + "a"))
    carl = await register(people.server.url, unique_user + "c")
    try:
        direct = await carl.room_create(is_direct=True, invite=[anna_id])
        assert isinstance(direct, RoomCreateResponse)
        await carl.room_send(direct.room_id, "m.room.message", {"msgtype": "m.text", "body": "hi Anna"})
        request = await until(lambda: anna.chat_for_account(carl.user_id))
        await until(lambda: _has_message(anna, request.chat.id))
        anna.reading(request.chat.id)
        await anna.mark_read(request.chat.id)
        await anna.wait_idle()
        await asyncio.sleep(1.0)  # a receipt would be on the server by now (the first goes at once)
        assert await _read_by(carl, direct.room_id, anna_id) is False
        await anna.accept_request(request.chat.id)
        assert await until(lambda: _read_by(carl, direct.room_id, anna_id))
    finally:
        await carl.close()


async def _has_message(service: MessengerService, chat_id: int) -> bool:
    return bool(await service.latest_page(chat_id))


async def _read_by(client: AsyncClient, room_id: str, user_id: str) -> bool:
    """Whether the room's state, as a fresh sync gives it, holds a read receipt of `user_id`."""
    response = await client.sync(timeout=0, full_state=True)
    assert isinstance(response, SyncResponse), response
    room = response.rooms.join.get(room_id)
    events = room.ephemeral if room is not None else []
    return any(
        receipt.user_id == user_id and receipt.receipt_type == "m.read"
        for event in events
        if isinstance(event, ReceiptEvent)
        for receipt in event.receipts
    )
