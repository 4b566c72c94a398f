"""A matrix-nio client that reads its big answers off the event loop.

nio turns a response's JSON into its objects (`SyncResponse.from_dict`) on the event loop, and checks every
event against a JSON schema as it goes: a login's first sync of 50 rooms (~2,000 events) held the loop
~180 ms here, a stall the user sees. This client decodes and builds syncs and history pages in a worker
thread (pure parsing: no I/O, no client state) and hands the result back to nio's own handling, which
updates its rooms and keys on the loop as before. A small answer (a message or two) is parsed on the loop:
the hop to the thread and back costs more. `KeyStore` is nio's key store without its write for nothing
after every sync. Imports matrix-nio: import this module lazily.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import ClientResponse
from nio import AsyncClient, Response, RoomMessagesResponse, SyncResponse
from nio.store import DefaultStore

OFF_LOOP = (SyncResponse, RoomMessagesResponse)
SMALL = 32 * 1024  # bytes: a sync this small (a message or two) is read on the loop; the thread's hop
# costs more than the parsing (about a millisecond each way here while the app paints)


class OffLoopClient(AsyncClient):  # type: ignore[misc]  # nio has no type hints
    async def create_matrix_response(
        self,
        response_class: type,
        transport_response: ClientResponse,
        data: tuple[Any, ...] | None = None,
        save_to: Any = None,
    ) -> Response:
        if response_class not in OFF_LOOP or transport_response.content_type != "application/json":
            return await super().create_matrix_response(response_class, transport_response, data, save_to)
        body = await transport_response.read()
        if len(body) <= SMALL:
            resp: Response = build_response(response_class, body, data or ())
        else:
            resp = await asyncio.to_thread(build_response, response_class, body, data or ())
        resp.transport_response = transport_response
        return resp


class KeyStore(DefaultStore):  # type: ignore[misc]  # nio has no type hints
    """nio's key store, which nio also tells after every sync which rooms it found encrypted: nearly
    always none, and each time an account query and a transaction for nothing, before the sync's events
    reach anyone (the newest message waited ~0.5 ms for it here)."""

    def save_encrypted_rooms(self, rooms: Any) -> None:
        if rooms:
            super().save_encrypted_rooms(rooms)


def build_response(  # in a worker thread: pure parsing
    response_class: Any, body: bytes, data: tuple[Any, ...]
) -> Response:
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = {}
    return response_class.from_dict(parsed if isinstance(parsed, dict) else {}, *data)
