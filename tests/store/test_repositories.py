"""Repositories: accounts and badges, the chat list, keyset pages, search, outbox, safety, consent."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import event
from store_helpers import START, T0, apply, business, inbound, person

from tui_messenger.domain.models import (
    ChatFilter,
    ChatMessage,
    ConsentSource,
    Direction,
    FeedbackKind,
    MessageKind,
    MessageStatus,
    PageCursor,
    ReportReason,
)
from tui_messenger.store.accounts import AccountRepository, ContactRepository
from tui_messenger.store.chats import ChatRepository
from tui_messenger.store.consent import ConsentRepository, FeedbackRepository
from tui_messenger.store.database import open_database
from tui_messenger.store.messages import MessageRepository, StatusChange, fts_query
from tui_messenger.store.outbox import OutboxRepository
from tui_messenger.store.quality import QualityRepository
from tui_messenger.store.safety import BlockRepository, ReportRepository


# accounts -------------------------------------------------------------------------------------------
def test_renamed_verified_business_loses_the_badge_until_reverified(db) -> None:
    apply(db, business("bank", name="Nordbank"))
    accounts = AccountRepository(db)
    assert accounts.get(account_id="bank").badge
    changed = apply(db, business("bank", name="Nordbank Support")).accounts
    assert changed and not changed[0].badge
    assert accounts.get(account_id="bank").verified_name == "Nordbank"
    apply(db, business("bank", name="Nordbank Support", verified=False))
    apply(db, business("bank", name="Nordbank Support"))  # the directory verifies it again
    assert accounts.get(account_id="bank").badge
    assert accounts.verified_names() == {"bank": "Nordbank Support"}


def test_unverified_business_never_has_a_badge(db) -> None:
    apply(db, business("fake", name="Nordbank ✓", verified=False))
    assert not AccountRepository(db).get(account_id="fake").badge


def test_contacts_and_opt_in_from_the_directory(db) -> None:
    apply(db, person("anna"), person("bob", contact=False), business("bank"))
    contacts = ContactRepository(db)
    assert contacts.all() == ["anna"]
    contacts.add(account_id="bob", now=START)
    assert contacts.is_contact(account_id="bob")
    consent = ConsentRepository(db).get(business_id="bank")
    assert consent.opted_in and consent.source is ConsentSource.DEMO


# chat list ------------------------------------------------------------------------------------------
def test_chat_list_sorted_pinned_then_last_activity(db) -> None:
    apply(db, person("a"), person("b"), person("c"))
    apply(db, inbound("1", "a", at=T0), inbound("2", "b", at=T0 + 10), inbound("3", "c", at=T0 + 20))
    chats = ChatRepository(db)
    assert [s.peer.id for s in chats.list()] == ["c", "b", "a"]
    a = chats.for_peer(account_id="a").chat
    chats.update(chat_id=a.id, pinned=True)
    assert [s.peer.id for s in chats.list()] == ["a", "c", "b"]
    chats.update(chat_id=a.id, archived=True)
    assert [s.peer.id for s in chats.list()] == ["c", "b"]
    assert [s.peer.id for s in chats.list(archived=True)] == ["a"]
    assert chats.counts()[ChatFilter.ALL] == 2
    with pytest.raises(ValueError):
        chats.update(chat_id=a.id, peer_id="x")


def test_chat_list_uses_the_index(db) -> None:
    with db.read() as session:
        conn = session.connection().connection.dbapi_connection
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM chats WHERE archived = 0"
            " ORDER BY pinned DESC, last_activity DESC, id DESC"
        ).fetchall()
    text = " ".join(str(row[-1]) for row in plan)
    assert "ix_chats_list" in text and "TEMP B-TREE" not in text


# history pages --------------------------------------------------------------------------------------
@pytest.fixture
def long_chat(db) -> int:
    apply(db, person("anna"))
    # 300 messages, with ties in position every 3 messages (ties break by row id)
    result = apply(db, *[inbound(f"m{i:03}", "anna", f"n{i}", at=T0 + i // 3) for i in range(300)])
    return result.added[0].chat_id


def test_keyset_pages_walk_the_history_in_order(db, long_chat) -> None:
    messages = MessageRepository(db)
    page = messages.latest_page(chat_id=long_chat, limit=50)
    assert [m.message_id for m in page] == [f"m{i:03}" for i in range(250, 300)]
    seen = [m.message_id for m in page]
    while page:
        cursor = PageCursor(page[0].position, page[0].id)
        page = messages.page_before(chat_id=long_chat, cursor=cursor, limit=50)
        assert len(page) <= 50
        seen = [m.message_id for m in page] + seen
    assert seen == [f"m{i:03}" for i in range(300)]


def test_page_around_and_after(db, long_chat) -> None:
    messages = MessageRepository(db)
    around = messages.page_around(chat_id=long_chat, message_id="m100", limit=20)
    ids = [m.message_id for m in around]
    assert len(ids) == 20 and "m100" in ids and ids == sorted(ids)
    after = messages.page_after(
        chat_id=long_chat, cursor=PageCursor(around[-1].position, around[-1].id), limit=5
    )
    assert [m.message_id for m in after] == [f"m{int(ids[-1][1:]) + k:03}" for k in range(1, 6)]
    assert messages.page_around(chat_id=long_chat, message_id="nope") == []


def test_pages_never_return_the_whole_chat(db, long_chat) -> None:
    messages = MessageRepository(db)
    assert len(messages.latest_page(chat_id=long_chat, limit=10_000)) == 300  # capped by MAX_PAGE (500)
    apply(db, *[inbound(f"x{i}", "anna", at=T0 + 1000 + i) for i in range(600)])
    assert len(messages.latest_page(chat_id=long_chat, limit=10_000)) == 500


# search ---------------------------------------------------------------------------------------------
HOSTILE = ['"', '""', "*", "NEAR(a b)", "a NEAR b", "-x", "a OR b", "a AND", "NOT", "^x", "col:x", "(", ")",
           "'", "\\", "\x00", "\u202e", "a*b", "{body}:x", "a + b", " ", ""]  # fmt: skip


def test_search_quotes_user_text(db) -> None:
    apply(
        db,
        person("anna"),
        inbound("m1", "anna", 'say "NEAR" or -not'),
        inbound("m2", "anna", "near the bank"),
    )
    messages = MessageRepository(db)
    assert [h.message.message_id for h in messages.search(query="near")] == ["m2", "m1"]  # newest first
    assert [h.message.message_id for h in messages.search(query='"NEAR" -not')] == ["m1"]
    assert messages.search(query="near bank")[0].chat_title == "Anna"
    for query in HOSTILE:
        messages.search(query=query)  # never raises
    assert fts_query('a"b') == '"a""b"'


def test_search_newest_first_with_limit(db) -> None:
    apply(db, person("anna"), *[inbound(f"m{i}", "anna", f"word {i}", at=T0 + i) for i in range(30)])
    hits = MessageRepository(db).search(query="word", limit=5)
    assert [h.message.message_id for h in hits] == ["m29", "m28", "m27", "m26", "m25"]


# outbox ---------------------------------------------------------------------------------------------
def _outgoing(chat_id: int, mid: str = "o1") -> ChatMessage:
    return ChatMessage(
        message_id=mid, chat_id=chat_id, sender_id="me", direction=Direction.OUTBOUND, kind=MessageKind.TEXT,
        body="composed", sent_at=START, position=T0, client_txn_id=f"txn-{mid}",
    )  # fmt: skip


def test_composed_message_survives_a_restart(db_path) -> None:
    first = open_database(db_path)
    apply(first, business("bank", opt_in=False))
    chat = ChatRepository(first).open_with(account_id="bank", now=START)
    stored, summary = OutboxRepository(first).compose(
        message=_outgoing(chat.chat.id), frame=b"frame", now=START
    )
    assert summary.chat.last_preview == "composed" and stored.status is MessageStatus.PENDING
    first.close()  # the app dies before any ack
    second = open_database(db_path)
    (entry,) = OutboxRepository(second).entries(due_by=START)
    assert (entry.message_id, entry.frame, entry.attempts) == ("o1", b"frame", 0)
    assert MessageRepository(second).get(message_id="o1").status is MessageStatus.PENDING
    consent = ConsentRepository(second).get(business_id="bank")  # writing to a business is an opt-in
    assert consent.opted_in and consent.source is ConsentSource.USER_MESSAGE
    second.close()


def test_outbox_fail_park_and_retry(db) -> None:
    apply(db, person("anna"))
    chat = ChatRepository(db).open_with(account_id="anna", now=START)
    outbox = OutboxRepository(db)
    outbox.compose(message=_outgoing(chat.chat.id), frame=b"f", now=START)
    outbox.attempted(message_id="o1", attempts=1, next_attempt_at=START + timedelta(seconds=2))
    assert outbox.entries(due_by=START) == []
    assert len(outbox.entries(due_by=START + timedelta(seconds=2))) == 1
    failed = outbox.fail(message_id="o1")
    assert failed.status is MessageStatus.FAILED
    assert outbox.entries() == [] and outbox.all()[0].next_attempt_at is None  # parked, kept
    retried = outbox.retry(message_id="o1", now=START)
    assert retried.status is MessageStatus.PENDING
    assert outbox.entries(due_by=START)[0].attempts == 0


# safety, consent, feedback, quality -----------------------------------------------------------------
def test_report_keeps_copies_of_the_evidence(db) -> None:
    apply(db, person("x", contact=False), *[inbound(f"m{i}", "x", f"scam {i}", at=T0 + i) for i in range(8)])
    evidence = MessageRepository(db).from_account(account_id="x", limit=5)
    assert [m.message_id for m in evidence] == ["m7", "m6", "m5", "m4", "m3"]
    reports = ReportRepository(db)
    report = reports.add(
        account_id="x", reason=ReportReason.SCAM, note="n", evidence=evidence, also_blocked=False, now=START
    )
    apply(db, inbound("m9", "x", "later"))
    (stored,) = reports.for_account(account_id="x")
    assert stored.id == report.id and [m.body for m in stored.evidence] == [
        f"scam {i}" for i in range(7, 2, -1)
    ]
    assert reports.count_since(account_id="x", since=START) == 1


def test_blocks_list_and_unblock(db) -> None:
    blocks = BlockRepository(db)
    from tui_messenger.domain.models import BlockReason

    blocks.block(account_id="never-seen", reason=BlockReason.NO_REASON, now=START)
    ((block, account),) = blocks.all()
    assert block.reason is BlockReason.NO_REASON and account.id == "never-seen"
    assert blocks.ids() == {"never-seen"}
    assert blocks.unblock(account_id="never-seen") and not blocks.unblock(account_id="never-seen")


def test_marketing_stop_and_resume_with_times(db) -> None:
    apply(db, business("bank"))
    consents = ConsentRepository(db)
    stopped = consents.set_marketing_stopped(business_id="bank", stopped=True, now=START)
    assert stopped.marketing_stopped and stopped.marketing_changed_at == START
    later = START + timedelta(hours=1)
    resumed = consents.set_marketing_stopped(business_id="bank", stopped=False, now=later)
    assert not resumed.marketing_stopped and resumed.marketing_changed_at == later and resumed.opted_in


def test_feedback_and_quality_figures(db) -> None:
    apply(db, business("bank"), *[inbound(f"b{i}", "bank", at=T0 + i) for i in range(10)])
    feedback = FeedbackRepository(db)
    feedback.give(message_id="b1", business_id="bank", kind=FeedbackKind.USEFUL, now=START)
    feedback.give(message_id="b2", business_id="bank", kind=FeedbackKind.SPAM, now=START)
    feedback.give(
        message_id="b2", business_id="bank", kind=FeedbackKind.NOT_INTERESTED, now=START
    )  # replaces
    assert feedback.for_messages(message_ids=["b1", "b2", "b3"]) == {
        "b1": FeedbackKind.USEFUL,
        "b2": FeedbackKind.NOT_INTERESTED,
    }
    (figures,) = QualityRepository(db).figures(since=START - timedelta(days=7))
    assert (figures.delivered, figures.useful, figures.not_interested, figures.spam) == (10, 1, 1, 0)
    (later,) = QualityRepository(db).figures(since=START + timedelta(days=1))
    assert later.delivered == 0 and later.useful == 0


def test_mark_read_returns_only_the_unread(db) -> None:
    apply(db, person("anna"), *[inbound(f"m{i}", "anna", at=T0 + i) for i in range(5)])
    chat_id = ChatRepository(db).for_peer(account_id="anna").chat.id
    messages = MessageRepository(db)
    read = messages.mark_read(chat_id=chat_id)
    assert [m.message_id for m in read] == [f"m{i}" for i in range(5)]
    assert all(m.status is MessageStatus.READ for m in read)
    assert messages.mark_read(chat_id=chat_id) == []
    ChatRepository(db).update(chat_id=chat_id, unread_count=1)  # "mark as unread"
    assert messages.mark_read(chat_id=chat_id) == []  # already read: no second receipt
    assert replace(read[0], status=MessageStatus.READ) == read[0]


def test_a_late_attempt_record_never_unparks_a_failed_entry(db) -> None:
    apply(db, person("anna"))
    chat = ChatRepository(db).open_with(account_id="anna", now=START)
    outbox = OutboxRepository(db)
    outbox.compose(message=_outgoing(chat.chat.id), frame=b"f", now=START)
    MessageRepository(db).apply_statuses(
        changes=[StatusChange("o1", MessageStatus.FAILED, "server", "txn-o1", 131047)]
    )
    outbox.attempted(message_id="o1", attempts=1, next_attempt_at=START)  # recorded after the answer
    assert outbox.all()[0].next_attempt_at is None and outbox.entries() == []


def test_the_outbox_pass_reads_the_outbox_not_the_history(db) -> None:
    """A pass over the waiting entries costs the same over a long history: SQLite was free to walk every
    message in id order to skip the sort (a million in the benchmark's store: a whole scan at each pass,
    and its pages held in memory, peak RSS 157 MB against 99)."""
    messages = 3000
    apply(db, person("anna"), *(inbound(f"m{n}", "anna", at=T0 + n) for n in range(messages)))
    chat = ChatRepository(db).open_with(account_id="anna", now=START)
    OutboxRepository(db).compose(message=_outgoing(chat.chat.id), frame=b"f", now=START)
    instructions = [0]

    def count() -> int:
        instructions[0] += 1
        return 0  # go on

    event.listen(db.engine, "connect", lambda conn, _record: conn.set_progress_handler(count, 1))
    db.engine.dispose()  # the next read opens a connection that counts
    (entry,) = OutboxRepository(db).entries()
    assert entry.message_id == "o1"
    assert 0 < instructions[0] < messages  # a walk over the messages takes one instruction each at least
