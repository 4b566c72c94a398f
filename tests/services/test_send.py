"""Sending: outbox, retries with capped backoff on the clock, failed with a retry action, restarts."""

from __future__ import annotations

import pytest
from service_helpers import business, directory, person, settle, status, until

from tui_messenger.domain.events import MessageChanged
from tui_messenger.domain.models import MessageStatus
from tui_messenger.services.errors import BlockedError, InvalidMessageError
from tui_messenger.services.retry_loop import RetryPolicy
from tui_messenger.services.service import MessengerService
from tui_messenger.store.database import open_database
from tui_messenger.transport import wire


async def _chat(messenger, transport, account: str = "anna") -> int:
    transport.push(directory(person("anna"), business("bank")))
    await settle(messenger, transport)
    return (await messenger.open_chat(account)).chat.id


async def test_send_is_acked_and_leaves_the_outbox(messenger, transport) -> None:
    chat_id = await _chat(messenger, transport)
    sent = await messenger.send_text(chat_id, "hello", reply_to=None)
    assert sent.status is MessageStatus.PENDING and sent.client_txn_id
    await settle(messenger, transport)
    assert (await messenger.message(sent.message_id)).status is MessageStatus.SENT
    assert messenger.outbox_repo.all() == []
    (frame,) = transport.sent_of(wire.MessageFrame)
    assert (frame.id, frame.sender, frame.to, frame.client_txn_id) == (
        sent.message_id,
        "me",
        "anna",
        sent.client_txn_id,
    )
    summary = await messenger.summary(chat_id)
    assert summary.chat.last_preview == "hello"


async def test_empty_and_blocked_sends_are_refused(messenger, transport) -> None:
    chat_id = await _chat(messenger, transport)
    with pytest.raises(InvalidMessageError):
        await messenger.send_text(chat_id, "   \n")
    await messenger.block(
        "anna", reason=__import__("tui_messenger.domain.models").domain.models.BlockReason.SPAM
    )
    with pytest.raises(BlockedError):
        await messenger.send_text(chat_id, "hi")


async def test_retries_back_off_then_fail_with_a_retry_action(messenger, transport, clock) -> None:
    transport.on_send = None  # the network never answers
    chat_id = await _chat(messenger, transport)
    events: list = []
    messenger.subscribe(events.append)
    sent = await messenger.send_text(chat_id, "anyone?")
    policy = messenger.outbox.policy
    assert len(transport.sent_of(wire.MessageFrame)) == 1
    for attempt in range(1, policy.max_attempts):
        clock.advance(policy.delay(attempt) - 0.5)
        await settle(messenger, transport)
        assert len(transport.sent_of(wire.MessageFrame)) == attempt  # not yet
        clock.advance(0.5)
        await until(messenger, lambda n=attempt: len(transport.sent_of(wire.MessageFrame)) == n + 1)
    frames = transport.sent_of(wire.MessageFrame)
    assert len({f.client_txn_id for f in frames}) == 1  # the same send, idempotent by txn id
    clock.advance(policy.delay(policy.max_attempts))
    await until(messenger, lambda: any(isinstance(e, MessageChanged) for e in events))
    assert (await messenger.message(sent.message_id)).status is MessageStatus.FAILED
    clock.advance(3600)
    await settle(messenger, transport)
    assert len(transport.sent_of(wire.MessageFrame)) == policy.max_attempts  # parked: no more attempts
    transport.on_send = lambda f: (
        [status(f.id, "sent", txn=f.client_txn_id)] if isinstance(f, wire.MessageFrame) else []
    )
    await messenger.retry(sent.message_id)
    await until(messenger, lambda: len(transport.sent_of(wire.MessageFrame)) == policy.max_attempts + 1)
    await settle(messenger, transport)
    assert (await messenger.message(sent.message_id)).status is MessageStatus.SENT


async def test_a_flapping_connection_does_not_use_up_the_attempts(messenger, transport, clock) -> None:
    """Sent again at each reconnect, a message still fails only on the clock's schedule (60 s), not
    after the fifth reconnect (it failed within a second when every resend counted)."""
    transport.on_send = None  # the network never answers
    chat_id = await _chat(messenger, transport)
    sent = await messenger.send_text(chat_id, "through a bad line")
    for n in range(2, 2 * messenger.outbox.policy.max_attempts):
        transport.disconnect()
        await until(messenger, lambda n=n: len(transport.sent_of(wire.MessageFrame)) == n)  # resent at once
    await settle(messenger, transport)
    assert (await messenger.message(sent.message_id)).status is MessageStatus.PENDING
    assert messenger.outbox_repo.all()[0].attempts == 1
    for attempts in range(2, messenger.outbox.policy.max_attempts + 1):  # the schedule: 2, 6, 14, 30 s
        clock.advance(30)
        await until(messenger, lambda n=attempts: messenger.outbox_repo.all()[0].attempts == n)
    clock.advance(30)  # and failed at 60 s
    await until(messenger, lambda: messenger.outbox_repo.all()[0].next_attempt_at is None)
    assert (await messenger.message(sent.message_id)).status is MessageStatus.FAILED


def test_backoff_is_capped() -> None:
    policy = RetryPolicy(first_delay=2, factor=2, max_delay=30, max_attempts=10)
    assert [policy.delay(n) for n in range(1, 7)] == [2, 4, 8, 16, 30, 30]


async def test_consent_error_from_the_network_fails_the_message(messenger, transport) -> None:
    chat_id = await _chat(messenger, transport, "bank")
    transport.on_send = lambda f: (
        [status(f.id, "failed", txn=f.client_txn_id, code=wire.ERROR_OUTSIDE_WINDOW)]
        if isinstance(f, wire.MessageFrame) else []
    )  # fmt: skip
    sent = await messenger.send_text(chat_id, "hi bank")
    await settle(messenger, transport)
    failed = await messenger.message(sent.message_id)
    assert failed.status is MessageStatus.FAILED and failed.error_code == wire.ERROR_OUTSIDE_WINDOW
    assert messenger.outbox_repo.all()[0].next_attempt_at is None  # parked for the retry action


async def test_offline_sends_wait_and_go_after_reconnect(messenger, transport) -> None:
    chat_id = await _chat(messenger, transport)
    transport.refuse_connect = 1
    transport.disconnect()
    await until(messenger, lambda: not messenger.online)
    sent = await messenger.send_text(chat_id, "while offline")
    assert transport.sent_of(wire.MessageFrame) == []
    assert (await messenger.message(sent.message_id)).status is MessageStatus.PENDING


async def test_nothing_composed_is_lost_across_a_restart(db_path, transport, clock) -> None:
    db = open_database(db_path)
    first = MessengerService(db, transport, clock=clock)
    await first.start()
    await until(first, lambda: first.online)
    transport.push(directory(person("anna")))
    await settle(first, transport)
    chat_id = (await first.open_chat("anna")).chat.id
    transport.disconnect()
    transport.refuse_connect = 100
    await until(first, lambda: not first.online)
    composed = [await first.send_text(chat_id, f"draft {i}") for i in range(3)]
    await first.stop()
    db.close()

    transport.refuse_connect = 0
    transport.on_send = lambda f: (
        [status(f.id, "sent", txn=f.client_txn_id)] if isinstance(f, wire.MessageFrame) else []
    )
    db = open_database(db_path)
    second = MessengerService(db, transport, clock=clock)
    await second.start()
    await until(second, lambda: len(transport.sent_of(wire.MessageFrame)) >= 3)  # resends are idempotent
    await settle(second, transport)
    page = await second.latest_page(chat_id)
    assert [m.body for m in page] == ["draft 0", "draft 1", "draft 2"]
    assert all(m.status is MessageStatus.SENT for m in page)
    assert {f.id for f in transport.sent_of(wire.MessageFrame)} == {m.message_id for m in composed}
    await second.stop()
    db.close()
