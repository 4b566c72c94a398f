"""Reactions in the store: one per person per message, newest word wins, blocked accounts and unknown or
hidden messages dropped, and ONE query for the chips of a whole page."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event
from store_helpers import START, T0, apply, inbound, own, person

from tui_messenger.domain.models import BlockReason, ReactionCount
from tui_messenger.store.base import raw
from tui_messenger.store.chats import ChatRepository
from tui_messenger.store.database import Database
from tui_messenger.store.messages import MessageRepository
from tui_messenger.store.reactions import (
    ReactionChange,
    ReactionReceived,
    ReactionRefused,
    ReactionRepository,
)
from tui_messenger.store.safety import BlockRepository


def received(message_id: str, reactor: str, emoji: str, at: int = T0 + 100) -> ReactionReceived:
    return ReactionReceived(ReactionChange(message_id, reactor, emoji, at), user_id="me")


@pytest.fixture
def chat(db: Database) -> int:
    apply(
        db, person("anna"), person("bob"), inbound("m1", "anna", "hi"), own("m2", "anna", "hello", at=T0 + 1)
    )
    apply(db, inbound("b1", "bob", "yo"))
    return ChatRepository(db).for_peer(account_id="anna").chat.id


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Every SQL statement run on the database's connections while inside (sqlite's own trace)."""
    seen: list[str] = []

    def on_checkout(dbapi_conn: sqlite3.Connection, *_: object) -> None:
        dbapi_conn.set_trace_callback(seen.append)

    event.listen(db.engine, "checkout", on_checkout)
    try:
        yield seen
    finally:
        event.remove(db.engine, "checkout", on_checkout)


def test_a_peer_reaction_is_stored_and_reported_with_its_chat(db, chat) -> None:
    result = apply(db, received("m2", "anna", "❤️"))
    update = result.reactions["m2"]
    assert (update.chat_id, update.reactions) == (chat, (ReactionCount("❤️", 1, mine=False),))


def test_a_new_reaction_replaces_the_old_and_empty_takes_it_back(db, chat) -> None:
    repo = ReactionRepository(db)
    apply(db, received("m2", "anna", "❤️", T0 + 100))
    apply(db, received("m2", "anna", "😂", T0 + 200))
    assert [r[1] for r in repo.all_for(message_id="m2")] == ["😂"]
    result = apply(db, received("m2", "anna", "", T0 + 300))
    assert result.reactions["m2"].reactions == ()
    assert (
        repo.fill(messages=MessageRepository(db).latest_page(chat_id=chat), user_id="me")[-1].reactions == ()
    )


def test_a_late_reordered_frame_cannot_undo_a_newer_one(db, chat) -> None:
    apply(db, received("m2", "anna", "", T0 + 300), received("m2", "anna", "👍", T0 + 200))
    assert [r[1] for r in ReactionRepository(db).all_for(message_id="m2")] == [""]  # the later word stands
    apply(db, received("m2", "anna", "👍", T0 + 400))
    result = apply(db, received("m2", "anna", "😢", T0 + 350))  # older than the stored one
    assert result.reactions == {}
    assert [r[1] for r in ReactionRepository(db).all_for(message_id="m2")] == ["👍"]


def test_reactions_to_unknown_hidden_or_deleted_messages_are_dropped(db, chat) -> None:
    with db.write() as session:
        raw(session).execute("UPDATE messages SET hidden = 1 WHERE message_id = 'm1'")
        raw(session).execute("UPDATE messages SET deleted_at = 1 WHERE message_id = 'm2'")
    result = apply(
        db, received("nope", "anna", "👍"), received("m1", "anna", "👍"), received("m2", "anna", "👍")
    )
    assert result.reactions == {}
    with db.read() as session:
        assert raw(session).execute("SELECT count(*) FROM reactions").fetchone()[0] == 0
    with pytest.raises(ReactionRefused):
        ReactionRepository(db).set_own(change=ReactionChange("m2", "me", "👍", T0))


def test_only_the_chat_peer_or_the_user_reacts_in_a_chat(db, chat) -> None:
    result = apply(db, received("m2", "bob", "👎"), received("m1", "me", "👍"))
    assert set(result.reactions) == {"m1"}  # bob is not in anna's chat; the user's own (other device) is
    assert result.reactions["m1"].reactions == (ReactionCount("👍", 1, mine=True),)


def test_text_or_markup_as_an_emoji_is_dropped(db, chat) -> None:
    result = apply(db, received("m2", "anna", "[b]x"), received("m2", "anna", "\x1b[2J"))
    assert result.reactions == {}


def test_a_blocked_account_s_reactions_are_counted_never_stored_nor_shown(db, chat) -> None:
    apply(db, received("m2", "anna", "❤️", T0 + 100))
    BlockRepository(db).block(account_id="anna", reason=BlockReason.SPAM, now=START)
    result = apply(db, received("m1", "anna", "😂", T0 + 200))
    assert result.reactions == {} and result.dropped == {"anna": 1}
    assert [r[1] for r in ReactionRepository(db).all_for(message_id="m1")] == []
    page = ReactionRepository(db).fill(messages=MessageRepository(db).latest_page(chat_id=chat), user_id="me")
    assert all(m.reactions == () for m in page)  # the one from before the block is not shown either
    BlockRepository(db).unblock(account_id="anna")
    page = ReactionRepository(db).fill(messages=MessageRepository(db).latest_page(chat_id=chat), user_id="me")
    assert page[-1].reactions == (ReactionCount("❤️", 1),)


def test_own_reaction_is_stored_with_the_outbox_write_in_one_transaction(db, chat) -> None:
    seen: list[tuple[int, str]] = []

    def also(session, target) -> None:
        seen.append((target.chat_id, target.peer_id))
        raise RuntimeError("the outbox write failed")

    repo = ReactionRepository(db)
    with pytest.raises(RuntimeError):
        repo.set_own(change=ReactionChange("m1", "me", "🔥", T0), also=also)
    assert seen == [(chat, "anna")]
    assert repo.all_for(message_id="m1") == []  # rolled back with it
    update = repo.set_own(change=ReactionChange("m1", "me", "🔥", T0))
    assert update.reactions == (ReactionCount("🔥", 1, mine=True),)


def test_own_choice_wins_over_a_newer_stored_time(db, chat) -> None:
    apply(db, received("m1", "me", "👍", T0 + 500))  # from another device, later by the server's clock
    update = ReactionRepository(db).set_own(change=ReactionChange("m1", "me", "", T0))
    assert update.reactions == ()


def test_a_page_gets_its_chips_with_one_query(db, chat) -> None:
    items = [inbound(f"p{i}", "anna", f"n{i}", at=T0 + 10 + i) for i in range(60)]
    apply(db, *items)
    reactions = [received(f"p{i}", "anna", "👍" if i % 2 else "❤️", T0 + 1000 + i) for i in range(60)]
    reactions += [received(f"p{i}", "me", "👍", T0 + 2000 + i) for i in range(0, 60, 3)]
    apply(db, *reactions)
    page = MessageRepository(db).latest_page(chat_id=chat, limit=50)
    repo = ReactionRepository(db)
    with statements(db) as seen:
        filled = repo.fill(messages=page, user_id="me")
    queries = [s for s in seen if "FROM reactions" in s]
    assert len(queries) == 1, seen
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1
    by_id = {m.message_id: m.reactions for m in filled}
    assert by_id["p59"] == (ReactionCount("👍", 1),)
    assert by_id["p57"] == (ReactionCount("👍", 2, mine=True),)  # anna's and mine
    assert by_id["p54"] == (ReactionCount("❤️", 1), ReactionCount("👍", 1, mine=True))
    assert [m.message_id for m in filled if not m.reactions] == []  # p10..p59, each with chips
