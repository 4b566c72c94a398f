"""The other person's devices, as this device's key store knows them (for the profile).

End-to-end encryption shares each message's key with every device of the people in the room; the user
may want to see which those are. nio keeps them in its device store (from the server's key queries);
someone not in it yet is queried once. Device verification is a later issue: these are not verified.
Imports matrix-nio: import this module lazily.
"""

from __future__ import annotations

import logging

from tui_messenger.domain.models import Device
from tui_messenger.transport.matrix.account import MatrixError
from tui_messenger.transport.matrix.client import MatrixClient

log = logging.getLogger(__name__)

MAX_DEVICES = 100  # shown at most; an account with more is cut (their names are the owner's text)


async def devices_of(client: MatrixClient, account_id: str) -> list[Device]:
    """`account_id`'s active devices, by device id; the server is asked first if none are known."""
    nio = client.nio
    if account_id not in nio.device_store.users and nio.olm is not None:
        nio.olm.users_for_key_query.add(account_id)
        try:
            await client.upkeep()
        except MatrixError as exc:
            log.warning("could not ask for the devices of %s: %s", account_id, exc)
    found = [
        Device(str(device.device_id), str(device.display_name or ""))
        for device in nio.device_store.active_user_devices(account_id)
    ]
    return sorted(found, key=lambda d: d.device_id)[:MAX_DEVICES]
