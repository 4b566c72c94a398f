"""Which invitations the messenger accepts on its own, against a real Synapse (no mock of nio): those to a
direct chat (shown as a request: Accept · Block · Report), never one to a group room, which it cannot show
(a spammer's invitation to a big room would otherwise make the user a member of it, unseen)."""

from __future__ import annotations

from nio import RoomCreateResponse, RoomGetStateEventResponse
from seeding import register
from test_matrix_transport import People, until
from test_matrix_transport import people as people  # the fixture, shared


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
