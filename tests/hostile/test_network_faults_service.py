"""Faults of the network, through the whole service (issue 6, point 3).

MessengerService runs on the real FakePeer (a clock shared by both) whose FaultPlan drops,
duplicates, reorders, delays, garbles and disconnects 10 % of the frames each. Over more than 10,000
inbound messages from several accounts, interleaved with the user's own sends, every message is stored
exactly once, in the server's order; the status of what the user sent never goes backwards; the outbox
ends empty and the network took every composed message exactly once.

Time moves only when the test moves it, one event at a time (the peer's next due action or the service's
next wake-up, whichever comes first), and after each step the test waits until the service is quiet: every
frame on the wire taken in and stored, the outbox and the action sender between passes. The service's own
sleeps wait for the clock (`StepClock`) instead of moving it, so no retry or retransmission can fall due
while the store's threads are still working on the step before.

The smaller tests use the scripted transport (tests/conftest.py) for receipts out of order or for unknown
messages, two messages with the same timestamp, and one id with two contents.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tui_messenger.domain.events import MessageAdded, MessageChanged
from tui_messenger.domain.models import Direction, MessageStatus, PageCursor
from tui_messenger.services.service import MessengerService
from tui_messenger.transport import wire
from tui_messenger.transport.fake import FakePeer, FaultPlan, parse_world

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import StepClock  # noqa: E402
from service_helpers import T0, directory, person, settle, status, text, until  # noqa: E402

WORLD = """
[scenario]
name = "faults"

[[accounts]]
id = "anna"
display_name = "Anna"
contact = true
bot = "silent"

[[accounts]]
id = "ben"
display_name = "Ben"
contact = true
bot = "silent"

[[accounts]]
id = "cara"
display_name = "Cara"
contact = true
bot = "silent"

[[accounts]]
id = "dora"
display_name = "Dora"
contact = true
bot = "person"
"""

ALL_TEN_PERCENT = FaultPlan(
    drop=0.1, duplicate=0.1, reorder=0.1, delay=0.1, garble=0.1, disconnect=0.1, seed=11
)
NO_DISCONNECTS = FaultPlan(drop=0.1, duplicate=0.1, reorder=0.1, delay=0.1, garble=0.1, seed=11)
SENDERS = ("anna", "ben", "cara", "dora")
INBOUND = 10_000
SEND_EVERY = 50  # the user sends one message per this many inbound ones (200 in all)
BURST = 25  # inbound messages pushed before the service is given time to take them in


class DrivenClock(StepClock):
    """A StepClock that says when the next of the service's sleeps (retry, reconnect) ends."""

    def next_wake(self) -> datetime | None:
        return min((deadline for deadline, fut in self._sleepers if not fut.done()), default=None)


def _delivered_to_client(peer: FakePeer) -> bool:
    conn = peer.timeline.conn  # the bytes on their way to the client
    return conn is None or not conn.open or (not conn.frames and not conn.held)


def _between_passes(sender: object) -> bool:
    """The outbox (or the action sender) is not in a pass and has no pass pending."""
    return not sender._lock.locked() and not sender._wake.is_set()  # type: ignore[attr-defined]


def _quiet(service: MessengerService, peer: FakePeer) -> bool:
    peer.pump()  # what fell due meanwhile at the current time (a reordered frame's release)
    return (
        peer.connected
        and service.online
        and _delivered_to_client(peer)
        and service.idle
        and _between_passes(service.outbox)
        and _between_passes(service.actions)
    )


def _why_not_quiet(service: MessengerService, peer: FakePeer) -> str:
    return (
        f"never quiet: connected={peer.connected} online={service.online} "
        f"delivered={_delivered_to_client(peer)} idle={service.idle} "
        f"outbox={_between_passes(service.outbox)} actions={_between_passes(service.actions)}"
    )


async def _catch_up(service: MessengerService, peer: FakePeer) -> None:
    """Wait until the service has read and stored all the peer put on the wire (reconnecting if it
    broke) and its senders are between passes; quiet over several turns of the loop, not for one."""
    while True:
        try:
            await until(service, lambda: _quiet(service, peer))
        except AssertionError:
            raise AssertionError(_why_not_quiet(service, peer)) from None
        for _ in range(10):
            await asyncio.sleep(0)
            if not _quiet(service, peer):
                break
        else:
            return


async def _advance(service: MessengerService, peer: FakePeer, clock: DrivenClock, seconds: float) -> None:
    """Move time ahead by `seconds`, one due event at a time, the service quiet after each."""
    target = clock.now() + timedelta(seconds=seconds)
    while True:
        due = [t for t in (peer.next_due(), clock.next_wake()) if t is not None and t <= target]
        if not due:
            break
        step = (min(due) - clock.now()).total_seconds()
        if step > 0:
            clock.advance(step)  # wakes the service's sleepers that are due
        peer.pump()  # runs the peer's actions that are due
        await _catch_up(service, peer)
    if target > clock.now():
        clock.advance((target - clock.now()).total_seconds())
    peer.pump()
    await _catch_up(service, peer)


async def _whole_history(service: MessengerService, chat_id: int) -> list:
    """Every message of a chat, oldest first, page by page (a page holds at most 500)."""
    page = await service.latest_page(chat_id, limit=500)
    out = list(page)
    while page:
        page = await service.page_before(chat_id, PageCursor(page[0].position, page[0].id), limit=500)
        out[:0] = page
    return out


def _server_messages(peer: FakePeer) -> list[wire.MessageFrame]:
    """The server's timeline (ground truth): every message to the user, in the server's order."""
    out = []
    for record in peer.timeline.records:
        frame = wire.decode(record.raw)
        if isinstance(frame, wire.MessageFrame) and frame.sender != peer.user_id:
            out.append(frame)
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    "plan",
    [
        pytest.param(NO_DISCONNECTS, id="drop-dup-reorder-delay-garble"),
        pytest.param(ALL_TEN_PERCENT, id="all-six-faults"),
    ],
)  # fmt: skip
async def test_ten_thousand_frames_under_faults_lose_nothing_and_repeat_nothing(db, plan) -> None:
    clock = DrivenClock()
    peer = FakePeer(parse_world(WORLD, "faults.toml"), clock=clock, seed=3, faults=plan, ack_timeout=1.0)
    service = MessengerService(db, peer, clock=clock, user_id="me")  # the default retry policy
    ranks: dict[str, list[int]] = defaultdict(list)

    def record(event: object) -> None:
        if isinstance(event, MessageAdded | MessageChanged) and event.message.outgoing:
            ranks[event.message.message_id].append(event.message.status.rank)

    service.subscribe(record)
    await service.start()
    await until(service, lambda: service.online)
    for _ in range(200):  # the directory and the first sync token, through the faults
        if service.settings.sync_token() is not None and service.accounts.get(account_id="dora") is not None:
            break
        await _advance(service, peer, clock, 0.5)
    dora = await service.open_chat("dora")

    composed: list[str] = []
    for n in range(INBOUND):
        peer.push_text(SENDERS[n % len(SENDERS)], f"{SENDERS[n % len(SENDERS)]} says {n}")
        if n % SEND_EVERY == 0:
            composed.append((await service.send_text(dora.chat.id, f"my message {n}")).message_id)
        if n % BURST == BURST - 1:
            await _advance(service, peer, clock, 0.2)  # retransmissions and delayed frames fall due

    for _ in range(2_000):  # the tail: until the network holds nothing un-acked and the outbox is empty
        if not peer.timeline.unacked and service.outbox_repo.all() == [] and peer.next_due() is None:
            break
        await _advance(service, peer, clock, 2.0)
    await _catch_up(service, peer)

    expected = _server_messages(peer)
    assert len(expected) >= INBOUND
    stored: list = []
    by_chat: dict[int, list] = {}
    for summary in await service.chat_list():
        page = await _whole_history(service, summary.chat.id)
        by_chat[summary.chat.id] = page
        stored.extend(page)
    inbound = [m for m in stored if m.direction is Direction.INBOUND]
    counts = Counter(m.message_id for m in inbound)
    assert max(counts.values()) == 1  # exactly once
    assert set(counts) == {f.id for f in expected}  # nothing lost, nothing invented
    bodies = {m.message_id: m.body for m in inbound}
    assert all(bodies[f.id] == f.body for f in expected)
    server_order = {f.id: n for n, f in enumerate(expected)}
    for page in by_chat.values():  # in each chat, shown order is the server's order
        shown = [m.message_id for m in sorted(page, key=lambda m: (m.position, m.id))]
        assert shown == [m.message_id for m in page]
        theirs = [mid for mid in shown if mid in server_order]
        assert theirs == sorted(theirs, key=server_order.__getitem__)

    assert service.outbox_repo.all() == []
    user_log = Counter(e.message_id for e in peer.log if e.kind == "user")
    assert user_log == Counter(composed)  # the network took every composed message exactly once
    for message_id in composed:
        seen = ranks[message_id]
        assert seen == sorted(seen), (message_id, seen)  # status never went backwards
        assert (await service.message(message_id)).status is MessageStatus.READ

    faults = peer.fault_counts
    for fault in ("drop", "duplicate", "reorder", "delay", "garble", "disconnect"):
        if getattr(plan, fault):
            assert faults.get(fault, 0) > 100, faults  # each fault really happened, many times
    assert service.receiver.stats.malformed > 100
    print(f"\ninbound={len(expected)} composed={len(composed)} faults={faults} "
          f"malformed={service.receiver.stats.malformed}")  # fmt: skip
    await service.stop()


# receipts, timestamps and conflicts on the scripted transport -----------------------------------------
async def _chat_with_anna(messenger, transport) -> int:
    transport.push(directory(person("anna")), text("a.0", "anna", "hi"))
    await settle(messenger, transport)
    summary = await messenger.chat_for_account("anna")
    assert summary is not None
    return summary.chat.id


async def test_receipts_for_unknown_ids_and_out_of_order_change_nothing_wrong(messenger, transport) -> None:
    chat_id = await _chat_with_anna(messenger, transport)
    sent = await messenger.send_text(chat_id, "are you there?")
    await settle(messenger, transport)
    assert (await messenger.message(sent.message_id)).status is MessageStatus.SENT
    events: list[object] = []
    messenger.subscribe(events.append)
    before = await messenger.latest_page(chat_id, limit=100)

    transport.push(status("nobody.1", "read", sender="anna"), status("nobody.2", "delivered", sender="anna"),
                   status("nobody.3", "failed", code=131026))  # fmt: skip
    await settle(messenger, transport)
    assert await messenger.message("nobody.1") is None and await messenger.message("nobody.3") is None
    assert await messenger.latest_page(chat_id, limit=100) == before
    assert not [e for e in events if isinstance(e, MessageAdded | MessageChanged)]

    transport.push(status(sent.message_id, "read", sender="anna"))
    transport.push(status(sent.message_id, "delivered", sender="anna"))  # late: read came first
    transport.push(status(sent.message_id, "sent"))
    transport.push(status(sent.message_id, "failed", code=131026))  # failed after read: ignored
    await settle(messenger, transport)
    assert (await messenger.message(sent.message_id)).status is MessageStatus.READ
    seen = [e.message.status.rank for e in events if isinstance(e, MessageChanged)]
    assert seen == sorted(seen) and seen[-1] == MessageStatus.READ.rank

    # a receipt claiming the status of a message the peer sent us changes it into nothing outgoing
    transport.push(status("a.0", "read", sender="anna"))
    await settle(messenger, transport)
    theirs = await messenger.message("a.0")
    assert theirs is not None and theirs.direction is Direction.INBOUND and theirs.body == "hi"


async def test_two_messages_with_the_same_timestamp_are_both_kept_in_a_stable_order(
    messenger, transport
) -> None:
    chat_id = await _chat_with_anna(messenger, transport)
    at = T0 + 60_000
    transport.push(text("same.b", "anna", "second to arrive? no, first", at=at),
                   text("same.a", "anna", "same millisecond", at=at))  # fmt: skip
    await settle(messenger, transport)
    transport.push(text("same.c", "anna", "and a third, a batch later", at=at))
    await settle(messenger, transport)
    page = await messenger.latest_page(chat_id, limit=100)
    same = [m for m in page if m.message_id.startswith("same.")]
    assert [m.message_id for m in same] == ["same.b", "same.a", "same.c"]  # arrival order breaks the tie
    assert len({m.position for m in same}) == 1
    again = await messenger.latest_page(chat_id, limit=100)
    assert [m.message_id for m in again] == [m.message_id for m in page]  # stable on every read


async def test_the_same_id_with_different_content_keeps_the_first_and_logs_it(
    messenger, transport, caplog
) -> None:
    chat_id = await _chat_with_anna(messenger, transport)
    caplog.set_level(logging.WARNING)
    transport.push(text("dup.1", "anna", "the original"))
    await settle(messenger, transport)
    transport.push(text("dup.1", "anna", "a forgery with the same id"))
    await settle(messenger, transport)
    # and within one batch
    transport.push(text("dup.2", "anna", "first in the batch"), text("dup.2", "anna", "second in the batch"))
    await settle(messenger, transport)

    assert (await messenger.message("dup.1")).body == "the original"
    assert (await messenger.message("dup.2")).body == "first in the batch"
    page = await messenger.latest_page(chat_id, limit=100)
    assert Counter(m.message_id for m in page)["dup.1"] == 1
    assert Counter(m.message_id for m in page)["dup.2"] == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("dup.1" in w and "different content" in w for w in warnings), warnings
    assert any("dup.2" in w and "different content" in w for w in warnings), warnings
    # an exact duplicate (a retransmission) is no conflict
    caplog.clear()
    transport.push(text("dup.1", "anna", "the original"))
    await settle(messenger, transport)
    assert not [r for r in caplog.records if "dup.1" in r.getMessage()]
