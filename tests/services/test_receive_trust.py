"""What a received frame may do: receipts only from the recipient or the server (issue 12, item 6), and a
frame the store cannot take is dropped alone, the rest of its batch stored and acked (item 7)."""

from __future__ import annotations

import pytest
from service_helpers import T0, directory, person, settle, status, text

from tui_messenger.domain.models import MessageStatus
from tui_messenger.transport import wire


def _acks(transport) -> set[str]:
    return {key for frame in transport.sent_of(wire.AckFrame) for key in frame.ids}


async def test_a_third_party_cannot_forge_receipts(messenger, transport) -> None:
    transport.push(directory(person("anna"), person("mallory")))
    await settle(messenger, transport)
    chat = await messenger.open_chat("anna")
    sent = await messenger.send_text(chat.chat.id, "see you at 6")
    await settle(messenger, transport)
    transport.push(status(sent.message_id, "sent", txn=sent.client_txn_id))
    await settle(messenger, transport)
    transport.push(
        status(sent.message_id, "read", sender="mallory"),
        status(sent.message_id, "failed", sender="mallory", code=wire.ERROR_OUTSIDE_WINDOW),
    )
    await settle(messenger, transport)
    message = await messenger.message(sent.message_id)
    assert message is not None and message.status is MessageStatus.SENT and message.error_code is None
    # handled, so acked: the network does not send them again and again
    assert {f"status:{sent.message_id}:read", f"status:{sent.message_id}:failed"} <= _acks(transport)
    transport.push(status(sent.message_id, "read", sender="anna"))  # the recipient may
    await settle(messenger, transport)
    assert (await messenger.message(sent.message_id)).status is MessageStatus.READ


async def test_the_server_may_fail_a_message(messenger, transport) -> None:
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    chat = await messenger.open_chat("anna")
    sent = await messenger.send_text(chat.chat.id, "hello")
    await settle(messenger, transport)
    transport.push(status(sent.message_id, "failed", code=wire.ERROR_OUTSIDE_WINDOW))
    await settle(messenger, transport)
    message = await messenger.message(sent.message_id)
    assert message.status is MessageStatus.FAILED and message.error_code == wire.ERROR_OUTSIDE_WINDOW


@pytest.mark.parametrize("bad", [2**70, 10**17, -(10**17)])
async def test_one_frame_with_an_impossible_time_is_dropped_alone(messenger, transport, bad) -> None:
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    transport.push(
        text("g1", "anna", "before", at=T0),
        text("bad", "anna", "from beyond time", at=bad),
        text("g2", "anna", "after", at=T0 + 1),
    )
    await settle(messenger, transport)
    assert await messenger.message("bad") is None
    assert [m.body for m in await messenger.latest_page((await messenger.chat_list())[0].chat.id)] == [
        "before",
        "after",
    ]
    assert {"g1", "g2", "bad"} <= _acks(transport)  # the bad one too: it would fail on every re-send


async def test_a_directory_with_an_impossible_opt_in_time_drops_only_itself(messenger, transport) -> None:
    broken = wire.DirectoryEntry(
        id="shop", display_name="Shop", kind="business", opt_in=wire.OptIn(source="demo", timestamp=10**17)
    )
    transport.push(
        wire.DirectoryFrame(accounts=[broken], version=7), directory(person("anna")), text("m1", "anna", "hi")
    )
    await settle(messenger, transport)
    assert (await messenger.message("m1")).body == "hi"
    assert {"directory:7", "m1"} <= _acks(transport)
