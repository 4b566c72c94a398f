"""The batch ingest path: dedupe, blocked senders, requests, chat summaries in the same transaction."""

from __future__ import annotations

import logging

from store_helpers import START, T0, apply, business, inbound, own, person

from tui_messenger.domain.models import BlockReason, ChatFilter, MessageStatus
from tui_messenger.store.chats import ChatRepository
from tui_messenger.store.ingest import Dropped, SyncToken
from tui_messenger.store.messages import MessageRepository, StatusChange
from tui_messenger.store.safety import BlockRepository
from tui_messenger.store.settings import SettingsRepository


def test_messages_create_the_chat_and_its_summary(db) -> None:
    result = apply(
        db, person("anna"), inbound("m1", "anna", "hello", at=T0), inbound("m2", "anna", "again", at=T0 + 5)
    )
    assert [m.message_id for m in result.added] == ["m1", "m2"]
    (summary,) = result.chats.values()
    chat = summary.chat
    assert (chat.title, chat.unread_count, chat.last_preview, chat.last_message_id) == (
        "Anna",
        2,
        "again",
        "m2",
    )
    assert chat.is_request is False
    assert [m.message_id for m in result.notify] == ["m2"]


def test_duplicates_are_ignored_and_a_conflict_keeps_the_first(db, caplog) -> None:
    apply(db, person("anna"), inbound("m1", "anna", "original"))
    with caplog.at_level(logging.WARNING):
        result = apply(
            db, inbound("m1", "anna", "tampered"), inbound("m2", "anna", "x"), inbound("m2", "anna", "y")
        )
    assert result.duplicates == 2 and result.conflicts == 2
    assert "m1" in caplog.text
    messages = MessageRepository(db)
    assert messages.get(message_id="m1").body == "original"
    assert messages.get(message_id="m2").body == "x"
    assert ChatRepository(db).for_peer(account_id="anna").chat.unread_count == 2


def test_blocked_sender_leaves_no_trace_but_the_drop_count(db) -> None:
    apply(db, person("spam"), inbound("m0", "spam", "before"))
    chat_before = ChatRepository(db).for_peer(account_id="spam").chat
    BlockRepository(db).block(account_id="spam", reason=BlockReason.SPAM, now=START)
    items = [inbound(f"s{i}", "spam", f"buy {i}", at=T0 + i + 1) for i in range(100)]
    result = apply(db, *items, Dropped("spam"))
    assert result.added == [] and result.notify == []
    assert result.dropped == {"spam": 101}
    assert BlockRepository(db).get(account_id="spam").dropped_count == 101
    assert ChatRepository(db).for_peer(account_id="spam").chat == chat_before
    assert MessageRepository(db).count(chat_id=chat_before.id) == 1
    assert MessageRepository(db).search(query="buy") == []
    BlockRepository(db).unblock(account_id="spam")
    assert [m.message_id for m in MessageRepository(db).latest_page(chat_id=chat_before.id)] == ["m0"]


def test_requests_strangers_and_businesses_without_opt_in(db) -> None:
    apply(
        db, person("anna"), person("stranger", contact=False), business("bank"), business("ads", opt_in=False)
    )
    from store_helpers import Incoming

    result = apply(
        db,
        inbound("a", "anna"),
        inbound("b", "stranger"),
        inbound("c", "unknown-account"),
        Incoming("d", "bank", "bank", "in", "template", "Your code", T0, template_category="authentication"),
        Incoming("e", "ads", "ads", "in", "template", "Sale!", T0, template_category="marketing"),
        inbound("f", "bank", "free-form outside the window", at=T0 + 1),
    )
    requests = {s.peer.id: s.chat.is_request for s in result.chats.values()}
    assert requests == {"anna": False, "stranger": True, "unknown-account": True, "bank": True, "ads": True}
    assert ChatRepository(db).for_peer(account_id="unknown-account").peer.display_name == "unknown-account"


def test_business_free_form_inside_the_window_is_admitted(db) -> None:
    apply(db, business("bank"))
    result = apply(db, own("o1", "bank", at=T0), inbound("b1", "bank", "reply", at=T0 + 60_000))
    (summary,) = result.chats.values()
    assert summary.chat.is_request is False
    assert summary.chat.unread_count == 1


def test_history_from_own_id_becomes_outbound_and_reads_older_messages(db) -> None:
    apply(db, person("anna"))
    result = apply(
        db,
        inbound("i1", "anna", at=T0),
        own("o1", "anna", "seen it", at=T0 + 10),
        inbound("i2", "anna", at=T0 + 20),
    )
    page = MessageRepository(db).latest_page(chat_id=result.added[0].chat_id)
    assert [(m.message_id, m.direction.value, m.status) for m in page] == [
        ("i1", "in", MessageStatus.DELIVERED),
        ("o1", "out", MessageStatus.SENT),
        ("i2", "in", MessageStatus.DELIVERED),
    ]
    assert ChatRepository(db).for_peer(account_id="anna").chat.unread_count == 1


def test_older_history_does_not_replace_the_last_message(db) -> None:
    apply(db, person("anna"), inbound("new", "anna", "newest", at=T0 + 1000))
    apply(db, inbound("old", "anna", "older", at=T0))
    chat = ChatRepository(db).for_peer(account_id="anna").chat
    assert (chat.last_message_id, chat.last_preview) == ("new", "newest")


def test_sync_token_and_statuses_in_the_same_batch(db) -> None:
    apply(db, person("anna"), own("o1", "anna", txn="t1"))
    result = apply(
        db,
        StatusChange("o1", MessageStatus.READ, reporter_id="anna"),
        StatusChange("o1", MessageStatus.DELIVERED, reporter_id="anna"),  # late: never backwards
        SyncToken("tok-2"),
    )
    assert [m.status for m in result.changed] == [MessageStatus.READ]
    assert MessageRepository(db).get(message_id="o1").status is MessageStatus.READ
    assert SettingsRepository(db).sync_token() == "tok-2"


def test_echo_of_own_send_by_txn_id_is_not_a_second_row(db) -> None:
    apply(db, person("anna"), own("o1", "anna", txn="t1"))
    result = apply(db, own("o1-server", "anna", txn="t1"))
    assert result.added == [] and result.duplicates == 1
    assert MessageRepository(db).get(message_id="o1-server") is None


def test_preview_is_one_safe_line(db) -> None:
    apply(db, person("anna"), inbound("m", "anna", "line one\n\x1b]2;pwned\x07line two \u202eevil"))
    preview = ChatRepository(db).for_peer(account_id="anna").chat.last_preview
    assert "\n" not in preview and "\x1b" not in preview and "\u202e" not in preview
    assert preview.startswith("line one line two")


def test_filter_counts(db) -> None:
    apply(db, person("anna"), business("bank"), inbound("a", "anna"), own("b", "bank"))
    counts = ChatRepository(db).counts()
    assert counts == {ChatFilter.ALL: 2, ChatFilter.UNREAD: 1, ChatFilter.PERSONAL: 1, ChatFilter.BUSINESS: 1}


def test_the_users_own_receipt_reads_the_chat_up_to_it_and_silences_what_it_covers(db) -> None:
    """Read on another device (or before this login): the messages up to the receipt's are read here too,
    the count keeps those after it, and only those are notified; in the batch that brought them too."""
    messages = [inbound(f"m{n}", "anna", f"hi {n}", at=T0 + n) for n in range(5)]
    result = apply(db, person("anna"), *messages, StatusChange("m2", MessageStatus.READ, reporter_id="me"))
    assert result.chats[1].chat.unread_count == 2
    assert [m.message_id for m in result.notify] == ["m4"]
    statuses = {m.message_id: m.status for m in MessageRepository(db).latest_page(chat_id=1, limit=10)}
    assert [statuses[f"m{n}"] is MessageStatus.READ for n in range(5)] == [True] * 3 + [False] * 2

    later = apply(db, StatusChange("m4", MessageStatus.READ, reporter_id="me"))  # a later batch: all read
    assert later.chats[1].chat.unread_count == 0
    again = apply(db, StatusChange("m1", MessageStatus.READ, reporter_id="me"))  # older: nothing changes
    assert again.chats == {} and ChatRepository(db).for_peer(account_id="anna").chat.unread_count == 0
    assert MessageRepository(db).mark_read(chat_id=1) == []  # nothing left unread for our own receipts


def test_a_receipt_of_the_user_on_a_message_not_here_or_on_their_own_reads_nothing_after_it(db) -> None:
    apply(db, person("anna"), inbound("m1", "anna", at=T0), own("o1", "anna", at=T0 + 1))
    apply(db, inbound("m2", "anna", at=T0 + 2))
    assert apply(db, StatusChange("$unknown", MessageStatus.READ, reporter_id="me")).chats == {}
    assert apply(db, StatusChange("o1", MessageStatus.READ, reporter_id="me")).chats == {}
    assert ChatRepository(db).for_peer(account_id="anna").chat.unread_count == 1  # m2 came after it
    own_message = MessageRepository(db).get(message_id="o1")
    assert own_message is not None and own_message.status is not MessageStatus.READ  # not the peer's receipt
