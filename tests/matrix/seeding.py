"""Rooms with long histories on a real Synapse, made quickly by bare matrix-nio clients (no encryption).

Used by the history tests and by the `matrix.first_screen` benchmark: an account that already has many
long chats, for a fresh login to open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from nio import AsyncClient, AsyncClientConfig, JoinResponse, RoomCreateResponse, RoomSendResponse

PASSWORD = "correct horse battery"


async def register(url: str, name: str, password: str = PASSWORD) -> AsyncClient:
    """A bare client of a new account `@name:localhost` (no encryption, no store)."""
    client = AsyncClient(url, f"@{name}:localhost", config=AsyncClientConfig(encryption_enabled=False))
    resp = await client.register(name, password)
    assert getattr(resp, "access_token", None), resp
    return client


async def long_chats(
    owner: AsyncClient, others: Sequence[AsyncClient], events: int, *, parallel: int = 8, prefix: str = "msg"
) -> list[str]:
    """Each of `others` starts a direct room with `owner` (who joins) and writes `events` messages in it,
    bodies f"{prefix} {room index} {n:04d}" in order; the room ids. Rooms are filled `parallel` at once."""
    gate = asyncio.Semaphore(parallel)

    async def one(index: int, other: AsyncClient) -> str:
        async with gate:
            made = await other.room_create(is_direct=True, invite=[owner.user_id])
            assert isinstance(made, RoomCreateResponse), made
            joined = await owner.join(made.room_id)
            assert isinstance(joined, JoinResponse), joined
            for n in range(events):
                content = {"msgtype": "m.text", "body": f"{prefix} {index} {n:04d}"}
                sent = await other.room_send(made.room_id, "m.room.message", content)
                assert isinstance(sent, RoomSendResponse), sent
            return str(made.room_id)

    return list(await asyncio.gather(*(one(i, other) for i, other in enumerate(others))))
