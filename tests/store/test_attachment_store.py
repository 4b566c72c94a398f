"""Attachments in the store: stored in the batch's transaction, described on pages by one query that
never reads the bytes, read whole only to save one."""

from __future__ import annotations

import hashlib

import pytest
from store_helpers import T0, apply, inbound, person

from tui_messenger.domain.models import AttachmentInfo
from tui_messenger.store import attachments
from tui_messenger.store.attachments import AttachmentRepository, StoredFile
from tui_messenger.store.messages import MessageRepository

DATA = b"%PDF-1.4 " + bytes(range(256)) * 64


def stored(name: str = "pass.pdf", data: bytes = DATA) -> StoredFile:
    info = AttachmentInfo(name, "application/pdf", len(data), hashlib.sha256(data).hexdigest())
    return StoredFile(info, data)


def document(mid: str, name: str = "pass.pdf", *, at: int = T0):
    return inbound(mid, "anna", f"📄 {name}", at=at, kind="document", attachment=stored(name))


def test_batch_stores_the_file_with_its_message_and_returns_its_description(db) -> None:
    result = apply(db, person("anna"), document("d1"), inbound("t1", "anna", "hello", at=T0 + 1))
    added = {m.message_id: m for m in result.added}
    assert added["d1"].attachment == stored().info and added["t1"].attachment is None
    assert result.notify[0].message_id == "t1"
    assert AttachmentRepository(db).get(message_id="d1") == stored()


def test_a_page_describes_its_files_in_one_query_without_the_bytes(db, monkeypatch) -> None:
    items = [document(f"d{n}", f"f{n}.pdf", at=T0 + n) for n in range(5)]
    apply(db, person("anna"), *items, inbound("t9", "anna", "text", at=T0 + 9))
    queries: list[str] = []
    real = attachments.select_in

    def spy(conn, sql, values, **kw):
        queries.append(sql)
        return real(conn, sql, values, **kw)

    monkeypatch.setattr(attachments, "select_in", spy)
    page = MessageRepository(db).latest_page(chat_id=1, limit=50)
    assert [m.attachment.file_name for m in page[:5]] == [f"f{n}.pdf" for n in range(5)]
    assert len(queries) == 1 and "data" not in queries[0].split("FROM")[0]


def test_pages_without_documents_ask_nothing(db, monkeypatch) -> None:
    apply(db, person("anna"), inbound("t1", "anna", "plain"))
    monkeypatch.setattr(attachments, "select_in", lambda *a, **k: pytest.fail("no documents: no query"))
    assert MessageRepository(db).latest_page(chat_id=1)[0].attachment is None


def test_a_document_whose_file_is_missing_has_no_description(db) -> None:
    apply(db, person("anna"), inbound("d1", "anna", "📄 lost.pdf", kind="document"))
    (message,) = MessageRepository(db).latest_page(chat_id=1)
    assert message.attachment is None and AttachmentRepository(db).get(message_id="d1") is None


def test_a_file_still_on_the_network_is_stored_as_its_source_and_described_as_remote(db) -> None:
    info = AttachmentInfo("far.pdf", "application/pdf", 5_000_000, "", remote=True)
    far = inbound("d1", "anna", "📄 far.pdf", kind="document", attachment=StoredFile(info, b"", "mxc-ref"))
    apply(db, person("anna"), far, document("d2", at=T0 + 1))
    page = {m.message_id: m for m in MessageRepository(db).latest_page(chat_id=1)}
    assert page["d1"].attachment == info and page["d2"].attachment == stored().info
    assert AttachmentRepository(db).get(message_id="d1") == StoredFile(info, b"", "mxc-ref")
    assert AttachmentRepository(db).get(message_id="d2") == stored()  # bytes here: no source
