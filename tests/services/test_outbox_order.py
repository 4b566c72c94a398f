"""A message never overtakes one written before it: after a reconnect (or a restart), the pass that sends
every waiting entry goes first, and what is written meanwhile goes after the older ones (issue 14: "a
client killed while sending 100 messages, restarted: the other side has each once, in order")."""

from __future__ import annotations

import asyncio

from service_helpers import directory, person, settle, until

from tui_messenger.transport import wire
from tui_messenger.transport.base import TransportClosed


async def two_in_flight(messenger, transport) -> tuple[int, int]:
    """Anna's chat with "one" and "two" sent and never answered (they stay in the outbox, waiting for
    their retry): the chat, and how many messages were sent so far."""
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    chat = (await messenger.open_chat("anna")).chat.id
    transport.on_send = None  # the network takes the sends but says nothing: they stay in the outbox
    await messenger.send_text(chat, "one")
    await messenger.send_text(chat, "two")
    await settle(messenger, transport)
    await asyncio.sleep(0.05)  # the outbox's loop has sent them and waits for their next retry
    return chat, len(transport.sent_of(wire.MessageFrame))


async def test_a_new_message_waits_behind_the_resend_of_older_ones(messenger, transport) -> None:
    chat, before = await two_in_flight(messenger, transport)
    # The connection came back: its pass that sends every waiting entry is due and has not run yet
    # (`reconnected()` without waking the loop: the moment between the two, held still).
    messenger.outbox._resend_all = True  # noqa: SLF001
    await messenger.send_text(chat, "three")
    await until(messenger, lambda: len(transport.sent_of(wire.MessageFrame)) >= before + 3)
    after = [f.body for f in transport.sent_of(wire.MessageFrame)[before:]]
    assert after[:3] == ["one", "two", "three"]  # not "three" first


async def test_a_message_whose_send_failed_is_not_overtaken_by_the_next(
    messenger, transport, clock, monkeypatch
) -> None:
    """One request fails while the connection stays (a timeout, a busy server): the next message waits
    behind it, and both go, in order, when the loop tries again. The review's 100-message kill test on a
    loaded machine had "message 035" before "033"."""
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    chat = (await messenger.open_chat("anna")).chat.id
    send, failing = transport.send, {"one"}

    async def flaky(frame: bytes) -> None:
        decoded = wire.decode(frame)
        if isinstance(decoded, wire.MessageFrame) and decoded.body in failing:
            raise TransportClosed("that request failed; the connection stays")
        await send(frame)

    monkeypatch.setattr(transport, "send", flaky)
    await messenger.send_text(chat, "one")
    await messenger.send_text(chat, "two")
    await settle(messenger, transport)
    assert messenger.online
    assert not transport.sent_of(wire.MessageFrame)  # "two" did not go ahead of "one"
    failing.clear()
    clock.advance(messenger.outbox.policy.first_delay)  # the loop tries again, soon: no busy spin
    await until(messenger, lambda: len(transport.sent_of(wire.MessageFrame)) >= 2)
    assert [f.body for f in transport.sent_of(wire.MessageFrame)] == ["one", "two"]


async def test_a_pass_that_meets_a_reconnect_leaves_its_due_entries_to_the_resend(
    messenger, transport, monkeypatch
) -> None:
    """A pass for what is due had read its entries (only those due: "three", written while offline)
    when the connection came back; it sent "three" before the pass that resends "one" and "two" (sent
    once, in flight when the last connection or process ended). The 100-message kill test had "message
    034" before "033" in CI that way (a restart: 033 was in flight when the process was killed)."""
    chat, before = await two_in_flight(messenger, transport)
    outbox, entries = messenger.outbox, messenger.outbox_repo.entries

    def reconnect_meanwhile(*, due_by=None):
        found = entries(due_by=due_by)
        if due_by is not None:
            outbox.reconnected()  # lands while the pass reads (it reads in a thread)
        return found

    monkeypatch.setattr(outbox._repo, "entries", reconnect_meanwhile)  # noqa: SLF001
    outbox._behind = True  # noqa: SLF001 - an older entry may wait unsent: "three" goes through the loop
    await messenger.send_text(chat, "three")
    await until(messenger, lambda: len(transport.sent_of(wire.MessageFrame)) >= before + 3)
    after = [f.body for f in transport.sent_of(wire.MessageFrame)[before:]]
    assert after[:3] == ["one", "two", "three"]  # not "three" first


async def test_messages_sent_in_quick_succession_go_out_in_the_order_they_were_sent(
    messenger, transport
) -> None:
    """Enter pressed many times faster than a message is stored (each a send of its own, as the
    composer's workers make them): the network gets them in that order, not in the order their writes
    happened to win the database's lock (seen in tmux: 50 messages typed 20 ms apart reached the other
    person with a dozen out of order)."""
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    chat = (await messenger.open_chat("anna")).chat.id
    bodies = [f"quick {n}" for n in range(60)]
    sends = [asyncio.create_task(messenger.send_text(chat, body)) for body in bodies]
    stored = await asyncio.gather(*sends)
    await settle(messenger, transport)
    assert [f.body for f in transport.sent_of(wire.MessageFrame)] == bodies
    page = await messenger.latest_page(chat, limit=100)
    assert [m.body for m in page] == bodies  # the chat shows them in that order too
    assert [m.message_id for m in stored] == [m.message_id for m in page]
