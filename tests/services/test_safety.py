"""Block, report, report-and-block: rules tested by their effects."""

from __future__ import annotations

from service_helpers import T0, directory, person, settle, status, text, typing

from tui_messenger.domain.events import MessageAdded, Notified, TypingChanged
from tui_messenger.domain.models import BlockReason, ReportReason
from tui_messenger.transport import wire


async def test_a_blocked_account_leaves_no_trace(messenger, transport) -> None:
    transport.push(directory(person("anna"), person("pest")), text("p0", "pest", "before the block"))
    await settle(messenger, transport)
    chat = await messenger.chat_for_account("pest")
    await messenger.mark_read(chat.chat.id)
    await messenger.block("pest", BlockReason.SPAM)
    before = await messenger.summary(chat.chat.id)
    assert before.blocked
    sent_before = len(transport.sent)
    events: list = []
    messenger.subscribe(events.append)

    frames = [text(f"p{i}", "pest", f"spam {i}", at=T0 + i) for i in range(1, 101)]
    transport.push(*frames, typing("pest"), status("p0", "read", sender="pest"))
    await settle(messenger, transport)

    after = await messenger.summary(chat.chat.id)
    assert after.chat == before.chat  # no preview, no unread, no activity change
    assert [m.message_id for m in await messenger.latest_page(chat.chat.id)] == ["p0"]
    assert not [e for e in events if isinstance(e, MessageAdded | Notified | TypingChanged)]
    answered = transport.sent[sent_before:]
    assert all(isinstance(f, wire.AckFrame) for f in answered)  # acked at transport level, nothing else
    assert {k for f in answered for k in f.ids} >= {f"p{i}" for i in range(1, 101)}
    ((block, account),) = await messenger.blocked()
    assert account.id == "pest" and block.dropped_count >= 101
    assert await messenger.search("spam") == []

    await messenger.unblock("pest")
    await settle(messenger, transport)
    assert [m.message_id for m in await messenger.latest_page(chat.chat.id)] == ["p0"]
    assert not (await messenger.summary(chat.chat.id)).blocked
    transport.push(text("p200", "pest", "after unblock", at=T0 + 500))
    await settle(messenger, transport)
    assert (await messenger.summary(chat.chat.id)).chat.last_preview == "after unblock"


async def test_no_read_receipts_to_a_blocked_account(messenger, transport) -> None:
    transport.push(directory(person("pest")), text("p1", "pest", "hi"))
    await settle(messenger, transport)
    chat = await messenger.chat_for_account("pest")
    await messenger.block("pest", BlockReason.NO_REASON)
    await messenger.mark_read(chat.chat.id)
    assert not [f for f in transport.sent_of(wire.StatusFrame) if f.status == "read"]
    assert (await messenger.summary(chat.chat.id)).chat.unread_count == 0


async def test_report_sends_nothing_and_keeps_the_last_five_as_evidence(messenger, transport) -> None:
    transport.push(
        directory(person("x", contact=False)), *[text(f"x{i}", "x", f"m{i}", at=T0 + i) for i in range(7)]
    )
    await settle(messenger, transport)
    evidence = await messenger.report_evidence("x")
    assert [m.message_id for m in evidence] == ["x6", "x5", "x4", "x3", "x2"]
    sent_before = len(transport.sent)
    report = await messenger.report("x", ReportReason.SCAM, note="asked for my PIN")
    assert [m.message_id for m in report.evidence] == ["x6", "x5", "x4", "x3", "x2"]
    assert report.note == "asked for my PIN"
    assert transport.sent[sent_before:] == []  # the reported account is never notified
    assert not await messenger.is_blocked("x")


async def test_report_and_block(messenger, transport) -> None:
    transport.push(directory(person("x", contact=False)), text("x1", "x", "hello"))
    await settle(messenger, transport)
    report = await messenger.report("x", ReportReason.SPAM, also_block=True)
    assert await messenger.is_blocked("x") and len(report.evidence) == 1
    ((block, _),) = await messenger.blocked()
    assert block.reason is BlockReason.SPAM


async def test_block_with_report_reason(messenger, transport) -> None:
    transport.push(directory(person("x", contact=False)), text("x1", "x", "hello"))
    await settle(messenger, transport)
    await messenger.block("x", BlockReason.DIDNT_SIGN_UP, report_reason=ReportReason.OFFENSIVE, note="n")
    assert await messenger.is_blocked("x")
    (report,) = messenger.safety._reports.for_account(account_id="x")
    assert report.reason is ReportReason.OFFENSIVE
