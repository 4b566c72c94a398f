"""Edits and deletions in the store: what is kept, what the views and the search see, the chat list."""

from __future__ import annotations

from datetime import timedelta

from store_helpers import START, T0, apply, inbound, own, person

from tui_messenger.domain.edits import DELETED_TEXT
from tui_messenger.store.action_outbox import ActionOutboxRepository, OutgoingAction
from tui_messenger.store.chats import ChatRepository
from tui_messenger.store.edits import EditRepository, RemoteChange
from tui_messenger.store.messages import MessageRepository

LATER = START + timedelta(minutes=1)


def _allow(_message):
    return None


def _action(frame_id: str, kind: str, message_id: str) -> OutgoingAction:
    return OutgoingAction(frame_id, kind, message_id, b"frame")


def _row(db, message_id: str) -> tuple:
    with db.read() as session:
        from tui_messenger.store.base import raw

        return (
            raw(session)
            .execute(
                "SELECT body, payload, edited_at, deleted_at, hidden FROM messages WHERE message_id = ?",
                (message_id,),
            )
            .fetchone()
        )


def _seed(db) -> int:
    result = apply(
        db,
        person("anna"),
        inbound("a1", "anna", "see you at gate B12", at=T0),
        own("o1", "anna", "thanks, on my way", at=T0 + 1000),
    )
    return next(iter(result.chats))


def test_an_edit_replaces_the_text_and_the_search_follows(db) -> None:
    chat_id = _seed(db)
    repo, messages = EditRepository(db), MessageRepository(db)
    change = repo.edit(
        message_id="o1",
        body="thanks, running late",
        at=LATER,
        action=_action("e1", "edit", "o1"),
        check=_allow,
    )
    assert change.message is not None and change.message.body == "thanks, running late"
    assert change.message.edited_at == LATER and not change.message.deleted
    assert change.summary is not None and change.summary.chat.last_preview == "thanks, running late"
    assert [m.edited_at for m in messages.latest_page(chat_id=chat_id)] == [None, LATER]
    assert messages.search(query="way") == []  # the old text is gone from the index
    assert [h.message.message_id for h in messages.search(query="running")] == ["o1"]
    assert [e.frame_id for e in ActionOutboxRepository(db).all()] == ["e1"]  # stored with the edit


def test_a_refused_change_stores_nothing(db) -> None:
    _seed(db)
    change = EditRepository(db).edit(
        message_id="o1", body="x", at=LATER, action=_action("e1", "edit", "o1"), check=lambda m: "too late"
    )
    assert change.refused == "too late" and change.summary is None
    assert _row(db, "o1")[0] == "thanks, on my way"
    assert ActionOutboxRepository(db).all() == []


def test_delete_for_everyone_leaves_a_tombstone_and_no_text(db) -> None:
    chat_id = _seed(db)
    with db.write() as session:  # a reaction and a file on it, which must go with the text
        from tui_messenger.store.base import raw

        conn = raw(session)
        conn.execute("INSERT INTO reactions VALUES ('o1', 'anna', '👍', ?)", (T0,))
        conn.execute(
            "INSERT INTO attachments (message_id, file_name, mime_type, size, sha256, data, source)"
            " VALUES ('o1', 'a.txt', 'text/plain', 1, ?, x'41', NULL)",
            ("0" * 64,),
        )
    EditRepository(db).edit(
        message_id="o1", body="edited first", at=LATER, action=_action("e1", "edit", "o1"), check=_allow
    )
    change = EditRepository(db).delete_for_everyone(
        message_id="o1", at=LATER, action=_action("d1", "delete", "o1"), check=_allow
    )
    assert change.message is not None and change.message.deleted and change.message.body == ""
    body, payload, _, deleted_at, hidden = _row(db, "o1")
    assert (body, payload, deleted_at is not None, hidden) == ("", None, True, 0)
    assert change.summary is not None and change.summary.chat.last_preview == DELETED_TEXT
    assert MessageRepository(db).search(query="edited") == []
    with db.read() as session:
        from tui_messenger.store.base import raw

        conn = raw(session)
        assert conn.execute("SELECT count(*) FROM reactions WHERE message_id = 'o1'").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM attachments WHERE message_id = 'o1'").fetchone()[0] == 0
    # the unsent edit was superseded by the deletion: only the delete frame waits
    assert [e.frame_id for e in ActionOutboxRepository(db).all()] == ["d1"]
    page = MessageRepository(db).latest_page(chat_id=chat_id)
    assert [(m.message_id, m.deleted) for m in page] == [("a1", False), ("o1", True)]


def test_delete_for_me_hides_the_message_everywhere_and_a_duplicate_keeps_it_hidden(db) -> None:
    chat_id = _seed(db)
    repo, messages = EditRepository(db), MessageRepository(db)
    change = repo.delete_for_me(message_id="o1")
    assert change.summary is not None
    assert (change.summary.chat.last_message_id, change.summary.chat.last_preview) == (
        "a1",
        "see you at gate B12",
    )  # the newest visible message takes over the preview
    assert _row(db, "o1")[0] == "" and _row(db, "o1")[4] == 1  # no text kept
    assert [m.message_id for m in messages.latest_page(chat_id=chat_id)] == ["a1"]
    assert messages.search(query="way") == []
    repo.delete_for_me(message_id="a1")
    assert ChatRepository(db).get(chat_id=chat_id).chat.last_preview == ""
    result = apply(db, inbound("a1", "anna", "see you at gate B12", at=T0))  # the network sends it again
    assert result.added == [] and result.duplicates == 1
    assert messages.latest_page(chat_id=chat_id) == []
    assert repo.is_hidden(message_id="a1")


def _remote(message_id: str, actor: str, body: str | None, *, at: int, frame_id: str = "f1") -> RemoteChange:
    return RemoteChange(frame_id, message_id, actor, at, START + timedelta(minutes=20), body)


def test_remote_edits_follow_the_rules(db) -> None:
    chat_id = _seed(db)
    minute = 60_000
    result = apply(
        db,
        _remote("a1", "mallory", "hacked", at=T0 + minute),  # not the author
        _remote("nope", "anna", "hello", at=T0 + minute),  # unknown message: it waits for it
        _remote("a1", "anna", "too late", at=T0 + 17 * minute),  # past the window and the skew
        now=START + timedelta(minutes=20),
    )
    assert result.changed == []
    assert [c.target for c in result.waiting] == ["nope"]
    assert _row(db, "a1")[0] == "see you at gate B12"
    result = apply(db, _remote("a1", "anna", "see you at gate C3", at=T0 + 14 * minute))
    assert [m.body for m in result.changed] == ["see you at gate C3"]
    assert chat_id in result.chats and result.chats[chat_id].chat.last_preview == "thanks, on my way"
    older = _remote("a1", "anna", "an older correction", at=T0 + 5 * minute, frame_id="f0")
    assert apply(db, older).changed == []  # a late, reordered edit does not undo the newer one
    assert apply(db, _remote("a1", "anna", "see you at gate C3", at=T0 + 14 * minute)).changed == []
    result = apply(db, _remote("a1", "anna", None, at=T0 + 15 * minute))
    assert [m.deleted for m in result.changed] == [True]
    assert apply(db, _remote("a1", "anna", "back from the dead", at=T0 + 15 * minute + 1)).changed == []
    assert _row(db, "a1")[0] == ""


def test_hidden_messages_ignore_remote_changes(db) -> None:
    _seed(db)
    EditRepository(db).delete_for_me(message_id="a1")
    assert apply(db, _remote("a1", "anna", "new text", at=T0 + 60_000)).changed == []
    assert _row(db, "a1")[0] == ""


def test_only_text_is_edited_but_anything_can_be_deleted(db) -> None:
    apply(db, person("shop"), inbound("t1", "shop", "Your code is 1234", at=T0, kind="template"))
    assert apply(db, _remote("t1", "shop", "Your code is 9999", at=T0 + 60_000)).changed == []
    assert [m.deleted for m in apply(db, _remote("t1", "shop", None, at=T0 + 60_000)).changed] == [True]


def test_an_edit_made_while_the_message_was_queued_is_accepted(db) -> None:
    """The network gave the message its time when it arrived, after the edit was made: no lower bound."""
    _seed(db)
    assert len(apply(db, _remote("a1", "anna", "made before", at=T0 - 10 * 60_000)).changed) == 1


def test_the_original_coming_again_after_an_edit_is_a_duplicate_not_a_conflict(db) -> None:
    _seed(db)
    apply(db, _remote("a1", "anna", "see you at gate C3", at=T0 + 60_000))
    again = apply(db, inbound("a1", "anna", "see you at gate B12", at=T0))  # a full sync re-sends it
    assert (again.duplicates, again.conflicts) == (1, 0)
    assert _row(db, "a1")[0] == "see you at gate C3"
    other = apply(db, inbound("a1", "mallory", "see you at gate B12", at=T0))  # another sender: a conflict
    assert other.conflicts == 1


def test_report_evidence_leaves_out_what_the_user_deleted_for_themselves(db) -> None:
    _seed(db)
    apply(db, inbound("a2", "anna", "second", at=T0 + 2000))
    EditRepository(db).delete_for_me(message_id="a2")
    assert [m.message_id for m in MessageRepository(db).from_account(account_id="anna")] == ["a1"]
