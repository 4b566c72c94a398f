"""A personal chat stays between two people, against a real Synapse: once someone else joins the room a
chat used (the other person invited them), what the user writes goes to a room of just the two of them,
never where the newcomer reads it; what relates to a message (a reaction, a read receipt) goes to the room
the message is in, after a restart too."""

from __future__ import annotations

from typing import Any

from nio import (
    AsyncClient,
    ReceiptEvent,
    RoomCreateResponse,
    RoomMessagesResponse,
    RoomSendResponse,
    SyncResponse,
)
from seeding import PASSWORD, register
from test_matrix_transport import People, until
from test_matrix_transport import people as people  # the fixture, shared

from tui_messenger.domain.models import MessageKind, MessageStatus
from tui_messenger.services.service import MessengerService


async def test_a_message_never_goes_to_a_room_a_third_person_joined(people: People, unique_user: str) -> None:
    anna_id = f"@{unique_user}a:localhost"
    anna_db = await people.sign_up(unique_user + "a")
    anna = await people.start(anna_db)
    ben = await register(people.server.url, unique_user + "b")
    carl = await register(people.server.url, unique_user + "c")
    try:
        room, chat = await _ben_writes_first(anna, ben, anna_id)  # not encrypted: Carl could read
        assert await _bodies_from(ben, room.room_id, anna_id) == ["hi Ben"]  # the room of the two

        await ben.room_invite(room.room_id, carl.user_id)
        await carl.join(room.room_id)
        await carl.room_send(room.room_id, "m.room.message", {"msgtype": "m.text", "body": "Carl here"})
        await until(lambda: anna.chat_for_account(carl.user_id))  # Anna's client has seen him come in
        lines = [m.body for m in await anna.latest_page(chat.chat.id) if m.kind is MessageKind.SYSTEM]
        carl_is = f"{unique_user}c ({carl.user_id})"  # the display name the server gave him, and his id
        assert [line.split(" the room")[0] for line in lines] == [f"{carl_is} was invited to"]  # said once

        secret = await anna.send_text(chat.chat.id, "my new PIN is 4711")
        await until(lambda: _status(anna, secret.message_id, MessageStatus.SENT))
        assert await _bodies_from(carl, room.room_id, anna_id) == ["hi Ben"]  # nothing new where Carl is
        invited = await _invitations(ben)
        assert invited and room.room_id not in invited  # a new room of the two, Ben invited to it

        first = (await anna.latest_page(chat.chat.id))[0]  # Ben's "hi Anna", in the first room
        await anna.react(first.message_id, "👍")  # a reaction goes where its message is
        assert await until(lambda: _reactions(ben, room.room_id, anna_id)) == ["👍"]
        late = await ben.room_send(
            room.room_id, "m.room.message", {"msgtype": "m.text", "body": "still there?"}
        )
        assert isinstance(late, RoomSendResponse)
        await until(lambda: anna.message(late.event_id))
        await anna.mark_read(chat.chat.id)  # and its read receipt goes where it is
        await until(lambda: _read_on(ben, room.room_id, anna_id, late.event_id))

        await people.stop(anna)  # after a restart, this run has not seen the message: the server says where
        anna = await people.start(anna_db)
        await anna.react(late.event_id, "🎉")

        async def celebrated() -> bool:
            return "🎉" in await _reactions(ben, room.room_id, anna_id)

        await until(celebrated)
    finally:
        await ben.close()
        await carl.close()


async def test_a_chat_whose_room_the_user_left_elsewhere_goes_on_in_a_new_room(
    people: People, unique_user: str
) -> None:
    """The user left the chat's room on another device (or was removed from it): nio keeps the room as it
    was, so the next message went there and the server refused it ("not in room"), every retry too.
    The chat now goes on in a new room of the two, the other person invited to it."""
    anna_id = f"@{unique_user}a:localhost"
    anna = await people.start(await people.sign_up(unique_user + "a"))
    ben = await register(people.server.url, unique_user + "b")
    phone = AsyncClient(people.server.url, anna_id)  # Anna's other device
    try:
        room, chat = await _ben_writes_first(anna, ben, anna_id)
        await phone.login(PASSWORD, device_name="phone")
        await phone.room_leave(room.room_id)
        transport: Any = anna.transport
        await until(lambda: _forgotten(transport, room.room_id))  # Anna's client has synced the leave
        again = await anna.send_text(chat.chat.id, "back again")
        await until(lambda: _status(anna, again.message_id, MessageStatus.SENT))
        invited = await _invitations(ben)
        assert invited and room.room_id not in invited  # a new room of the two, Ben invited to it
    finally:
        await ben.close()
        await phone.close()


async def _ben_writes_first(anna: MessengerService, ben: AsyncClient, anna_id: str) -> tuple[Any, Any]:
    """Ben (a bare client) starts a plain direct room with Anna and writes; she accepts and answers "hi
    Ben", sent. The room and Anna's chat."""
    room = await ben.room_create(is_direct=True, invite=[anna_id])
    assert isinstance(room, RoomCreateResponse)
    await ben.room_send(room.room_id, "m.room.message", {"msgtype": "m.text", "body": "hi Anna"})
    chat = await until(lambda: anna.chat_for_account(ben.user_id))
    await anna.accept_request(chat.chat.id)
    first = await anna.send_text(chat.chat.id, "hi Ben")
    await until(lambda: _status(anna, first.message_id, MessageStatus.SENT))
    return room, chat


async def _forgotten(transport: Any, room_id: str) -> bool:
    return room_id not in transport.chats.rooms.values()


async def _status(service: MessengerService, message_id: str, status: MessageStatus) -> bool:
    message = await service.message(message_id)
    return message is not None and message.status is status


async def _bodies_from(client: AsyncClient, room_id: str, sender: str) -> list[str]:
    """The texts (and encrypted events, as "encrypted") `sender` put in the room, oldest first."""
    response = await client.room_messages(room_id, limit=100)
    assert isinstance(response, RoomMessagesResponse), response
    found: list[str] = []
    for event in reversed(response.chunk):
        source: dict[str, Any] = event.source
        if source.get("sender") != sender:
            continue
        if source.get("type") == "m.room.encrypted":
            found.append("encrypted")
        elif source.get("type") == "m.room.message":
            found.append(str(source.get("content", {}).get("body")))
    return found


async def _reactions(client: AsyncClient, room_id: str, sender: str) -> list[str]:
    response = await client.room_messages(room_id, limit=100)
    assert isinstance(response, RoomMessagesResponse), response
    return [
        str(e.source["content"]["m.relates_to"]["key"])
        for e in response.chunk
        if e.source.get("type") == "m.reaction" and e.source.get("sender") == sender
    ]


async def _read_on(client: AsyncClient, room_id: str, user_id: str, event_id: str) -> bool:
    response = await client.sync(timeout=0, full_state=True)
    assert isinstance(response, SyncResponse), response
    room = response.rooms.join.get(room_id)
    return room is not None and any(
        receipt.user_id == user_id and receipt.event_id == event_id
        for event in room.ephemeral
        if isinstance(event, ReceiptEvent)
        for receipt in event.receipts
    )


async def _invitations(client: AsyncClient) -> list[str]:
    response = await client.sync(timeout=0, full_state=True)
    assert isinstance(response, SyncResponse), response
    return list(response.rooms.invite)
