"""Which room a personal chat uses (transport/matrix/chat_rooms.py), from nio's own room objects as a sync
leaves them: a room of the account's m.direct list is that person's chat; any other room is one only
while the user and one other person are its members (joined or invited); a group room is no chat; and once
a third person came into a chat's room, what the user writes goes to another room of just the two.
(The same against a real Synapse: test_matrix_transport.py, test_matrix_private_room.py.)"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

from nio.rooms import MatrixRoom

from tui_messenger.transport.matrix.chat_rooms import ChatRooms

ME, ANNA, BEN, CARL = "@me:example.org", "@anna:example.org", "@ben:example.org", "@carl:example.org"


def room(room_id: str, *joined: str, invited: tuple[str, ...] = ()) -> MatrixRoom:
    made = MatrixRoom(room_id, ME)
    for user in (ME, *joined):
        made.add_member(user, None, None)
    for user in invited:
        made.add_member(user, None, None, invited=True)
    return made


def client(*rooms: MatrixRoom) -> Any:
    """What ChatRooms reads of a signed-in client: the user's id and nio's rooms (nothing is sent)."""
    return SimpleNamespace(
        login=SimpleNamespace(user_id=ME, homeserver="https://example.org"),
        nio=SimpleNamespace(rooms={r.room_id: r for r in rooms}),
    )


def test_a_room_of_two_is_the_other_persons_chat_joined_or_invited() -> None:
    chats, signed_in = ChatRooms(), client(room("!a", ANNA), room("!b", invited=(BEN,)))
    assert chats.peer_of(signed_in, "!a") == ANNA
    assert chats.peer_of(signed_in, "!b") == BEN
    assert chats.rooms == {ANNA: "!a", BEN: "!b"}


def test_a_group_room_an_empty_one_and_an_unknown_one_are_no_chat() -> None:
    chats, signed_in = ChatRooms(), client(room("!g", ANNA, BEN), room("!alone"))
    assert chats.peer_of(signed_in, "!g") is None
    assert chats.peer_of(signed_in, "!alone") is None
    assert chats.peer_of(signed_in, "!unknown") is None
    assert chats.rooms == {}


def test_the_m_direct_list_names_the_person_of_its_rooms() -> None:
    chats = ChatRooms()
    chats.direct._replace({ANNA: ["!d"]})
    assert chats.peer_of(client(room("!d", ANNA, CARL)), "!d") == ANNA  # the list says so, whoever joined


def test_the_first_room_of_a_person_stays_their_chat() -> None:
    chats, signed_in = ChatRooms(), client(room("!first", ANNA), room("!second", ANNA))
    assert chats.peer_of(signed_in, "!first") == ANNA
    assert chats.peer_of(signed_in, "!second") == ANNA
    assert chats.rooms[ANNA] == "!first"


def test_a_third_person_moves_the_chat_to_another_room_of_the_two() -> None:
    first, other = room("!first", ANNA), room("!other", invited=(ANNA,))
    chats, signed_in = ChatRooms(), client(first, other)
    chats.peer_of(signed_in, "!first")
    assert asyncio.run(chats.room_for(signed_in, ANNA)) == "!first"  # only the two of them: it stays
    first.add_member(CARL, None, None, invited=True)  # Anna invited Carl
    assert asyncio.run(chats.room_for(signed_in, ANNA)) == "!other"
    assert chats.rooms[ANNA] == "!other"


def test_a_third_person_with_no_other_room_of_the_two_leaves_the_chat_without_a_room() -> None:
    """Then room_for creates one (against a server: test_matrix_private_room.py); here the chat only
    forgets the room a third person reads."""
    first = room("!first", ANNA)
    chats, signed_in = ChatRooms(), client(first, room("!group", ANNA, BEN))
    chats.peer_of(signed_in, "!first")
    first.add_member(CARL, None, None)
    assert chats._private_room(signed_in, ANNA) is None
    assert ANNA not in chats.rooms


def test_a_room_the_user_left_is_no_chats_room_and_the_chat_finds_another() -> None:
    chats, signed_in = ChatRooms(), client(room("!left", ANNA), room("!other", ANNA))
    assert chats.peer_of(signed_in, "!left") == ANNA
    batch = SimpleNamespace(
        response=SimpleNamespace(account_data_events=[], rooms=SimpleNamespace(leave={"!left": object()}))
    )
    chats.update(signed_in, batch)  # type: ignore[arg-type]
    assert "!left" not in signed_in.nio.rooms and ANNA not in chats.rooms
    assert chats._private_room(signed_in, ANNA) == "!other"  # the next message goes there
