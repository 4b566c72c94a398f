"""A message that goes at once costs one write: its entry is stored as sent once, due again after the
first delay; the send itself writes nothing more, and the outbox's loop only sets its timer (no pass, no
read of the store). One that cannot go at once is made due, never sent, and the loop sends it (issue 14:
each write after the send is a commit, ~1 ms on a busy machine, just when the other side and the server
work on the message)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from service_helpers import directory, person, settle, until

from tui_messenger.transport import wire


async def _chat(messenger, transport) -> int:
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    return (await messenger.open_chat("anna")).chat.id


def _spy_on_records(messenger, monkeypatch) -> list[int]:
    recorded: list[int] = []
    attempted = messenger.outbox_repo.attempted

    def spy(*, message_id: str, attempts: int, next_attempt_at) -> None:
        recorded.append(attempts)
        attempted(message_id=message_id, attempts=attempts, next_attempt_at=next_attempt_at)

    monkeypatch.setattr(messenger.outbox_repo, "attempted", spy)
    return recorded


async def test_a_message_sent_at_once_is_written_once(messenger, transport, clock, monkeypatch) -> None:
    chat = await _chat(messenger, transport)
    transport.on_send = None  # the network takes the send and says nothing: the entry stays
    recorded = _spy_on_records(messenger, monkeypatch)
    passes = []
    entries = messenger.outbox_repo.entries
    monkeypatch.setattr(messenger.outbox_repo, "entries", lambda **kw: passes.append(kw) or entries(**kw))
    written_at = clock.now()
    await messenger.send_text(chat, "hello")
    await settle(messenger, transport)
    assert [f.body for f in transport.sent_of(wire.MessageFrame)] == ["hello"]
    await asyncio.sleep(0.05)  # time for a pass of the loop, if it made one
    assert recorded == []  # no second write for the first attempt
    assert passes == []  # nor a pass of the loop
    (entry,) = messenger.outbox_repo.all()
    first_delay = messenger.outbox.policy.first_delay
    assert entry.attempts == 1
    assert entry.next_attempt_at == written_at + timedelta(seconds=first_delay)
    clock.advance(first_delay)  # no answer: the loop sends it again, and records that one
    await until(messenger, lambda: len(transport.sent_of(wire.MessageFrame)) == 2)
    await until(messenger, lambda: recorded == [2])
    assert messenger.outbox_repo.all()[0].attempts == 2


async def test_a_message_that_cannot_go_at_once_is_due_and_never_counted(
    messenger, transport, clock, monkeypatch
) -> None:
    chat = await _chat(messenger, transport)
    transport.refuse_connect = 1
    transport.disconnect()
    await until(messenger, lambda: not messenger.online)
    recorded = _spy_on_records(messenger, monkeypatch)
    await messenger.send_text(chat, "while offline")
    assert transport.sent_of(wire.MessageFrame) == []
    assert recorded == [0]
    (entry,) = messenger.outbox_repo.all()
    assert entry.attempts == 0 and entry.next_attempt_at is not None
    clock.advance(60)  # the next try to connect (after the refused one) succeeds; its pass sends it
    await until(messenger, lambda: messenger.online)
    await until(messenger, lambda: len(transport.sent_of(wire.MessageFrame)) == 1)
