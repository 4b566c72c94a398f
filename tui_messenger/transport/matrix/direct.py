"""`m.direct`: which rooms are direct chats, and with whom.

Matrix keeps no such flag on a room: each client keeps the list itself, in the account data `m.direct`
(the other person's id -> their direct rooms), and adds a room when it creates one with `is_direct` or
accepts an invitation marked `is_direct`. Other clients of the same account (Element, a phone) read the
same list, so a chat started here shows there as a direct chat too. Only ids that look like Matrix ids and
fit the wire's limits are taken from the list: it is data another client wrote. Imports matrix-nio: import
this module lazily.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from nio import InviteMemberEvent, UnknownAccountDataEvent

MAX_ID = 200
MAX_ROOMS = 1000  # per person: a list past this is someone else's garbage, not a user's chats


def _user_id(value: object) -> bool:
    return isinstance(value, str) and value.startswith("@") and ":" in value and len(value) <= MAX_ID


def _room_id(value: object) -> bool:
    return isinstance(value, str) and value.startswith("!") and len(value) <= 255


class DirectRooms:
    """The account's `m.direct` list as this device knows it (from syncs and its own additions)."""

    def __init__(self) -> None:
        self.peers: dict[str, list[str]] = {}  # the other person -> their direct rooms, oldest first
        self._peer_of: dict[str, str] = {}  # room -> the other person

    def peer(self, room_id: str) -> str | None:
        return self._peer_of.get(room_id)

    def update(self, account_data: list[Any]) -> None:
        """The newest `m.direct` among a sync's global account data replaces what was known."""
        for event in account_data:
            if isinstance(event, UnknownAccountDataEvent) and event.type == "m.direct":
                self._replace(event.content)

    def _replace(self, content: object) -> None:
        peers: dict[str, list[str]] = {}
        if isinstance(content, dict):
            for user, rooms in content.items():
                if _user_id(user) and isinstance(rooms, list):
                    kept = [room for room in rooms[:MAX_ROOMS] if _room_id(room)]
                    if kept:
                        peers[user] = kept
        self.peers = peers
        self._peer_of = {room: user for user, rooms in peers.items() for room in rooms}

    def add(self, peer: str, room_id: str) -> dict[str, list[str]] | None:
        """Mark `room_id` a direct chat with `peer`; the whole new list to store, or None if known."""
        if self._peer_of.get(room_id) == peer:
            return None
        self.peers.setdefault(peer, []).append(room_id)
        self._peer_of[room_id] = peer
        return {user: list(rooms) for user, rooms in self.peers.items()}


def invited_directly(invite_state: list[Any], me: str) -> str | None:
    """The inviter of an invitation marked `is_direct` (the other person of a direct chat), else None."""
    for event in invite_state:
        if (
            isinstance(event, InviteMemberEvent)
            and event.state_key == me
            and event.membership == "invite"
            and event.content.get("is_direct") is True
            and _user_id(event.sender)
        ):
            return str(event.sender)
    return None


def others(room: Any, me: str) -> set[str] | None:
    """Who else is in a room (a nio `MatrixRoom`; joined or invited); None for one no sync has brought."""
    if room is None:
        return None
    return {str(user) for user in (*room.users, *room.invited_users) if user != me}


def room_of_two(rooms: Mapping[str, Any], me: str, peer: str, *, first: Iterable[str]) -> str | None:
    """A known room whose only other member (joined or invited) is `peer`, trying the rooms `first` first:
    where a personal chat goes once a third person came into the room it used."""
    for room_id in dict.fromkeys([*first, *rooms]):
        room = rooms.get(room_id)
        if room is not None and room.member_count <= 2 and others(room, me) == {peer}:
            return room_id
    return None
