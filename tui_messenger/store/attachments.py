"""Files next to their messages: the bytes go in once (in the transaction that stores the message), pages
of history get the files' descriptions in one query per page, and the bytes are read only to save one."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from tui_messenger.domain.files import FileType, document_payload
from tui_messenger.domain.models import AttachmentInfo, ChatMessage, MessageKind
from tui_messenger.store.base import Repository, raw, select_in

INSERT_ATTACHMENT = (
    "INSERT OR IGNORE INTO attachments (message_id, file_name, mime_type, size, sha256, data, source)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file checked by the services (size and sha256 match the bytes), ready to store; or a file still
    on the network: no bytes, and the transport's `source` to fetch them from (`info.remote`)."""

    info: AttachmentInfo
    data: bytes
    source: str | None = None


def insert_files(conn: sqlite3.Connection, files: Mapping[str, StoredFile]) -> None:
    """Store files by message id, inside the caller's transaction (the messages must be inserted)."""
    conn.executemany(
        INSERT_ATTACHMENT,
        [
            (message_id, f.info.file_name, f.info.mime_type, f.info.size, f.info.sha256, f.data, f.source)
            for message_id, f in files.items()
        ],
    )


def with_files(messages: Sequence[ChatMessage], infos: Mapping[str, AttachmentInfo]) -> list[ChatMessage]:
    """The messages with their files' descriptions filled in."""
    return [replace(m, attachment=infos[m.message_id]) if m.message_id in infos else m for m in messages]


def attach_infos(conn: sqlite3.Connection, messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """Fill `ChatMessage.attachment` for the documents among `messages`: one query (never the bytes)."""
    ids = [m.message_id for m in messages if m.kind is MessageKind.DOCUMENT and m.attachment is None]
    if not ids:
        return list(messages)
    rows = select_in(
        conn,
        "SELECT message_id, file_name, mime_type, size, sha256, source IS NOT NULL, saved_to FROM attachments"
        " WHERE message_id IN ({})",
        ids,
    )
    infos = {r[0]: AttachmentInfo(r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows}
    return with_files(messages, infos)


class AttachmentRepository(Repository):
    def mark_saved(self, *, message_id: str, path: str, true_type: FileType | None = None) -> None:
        """Remember where the user saved a message's file (its card says so from then on) and, for a file
        fetched from the network to be saved, the type its bytes turned out to be (the card showed only
        what its sender claimed until then, and now warns if the claim lied)."""
        with self.db.write() as session:
            conn = raw(session)
            conn.execute("UPDATE attachments SET saved_to = ? WHERE message_id = ?", (path, message_id))
            if true_type is not None:
                payload = json.dumps(document_payload(true_type), separators=(",", ":"))
                conn.execute("UPDATE messages SET payload = ? WHERE message_id = ?", (payload, message_id))

    def get(self, *, message_id: str) -> StoredFile | None:
        """A file's description and bytes (to save it), or its source when it is still on the network;
        None without a file."""
        with self.db.read() as session:
            row = (
                raw(session)
                .execute(
                    "SELECT file_name, mime_type, size, sha256, data, source FROM attachments"
                    " WHERE message_id = ?",
                    (message_id,),
                )
                .fetchone()
            )
            if row is None:
                return None
            source = row[5]
            info = AttachmentInfo(row[0], row[1], row[2], row[3], remote=source is not None)
            return StoredFile(info, bytes(row[4]), source)
