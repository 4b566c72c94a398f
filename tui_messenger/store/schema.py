"""What a database of ours holds, on the standard library alone: the check before anything opens a file.

A file is ours if every table, index, trigger and view in it is one of ours (triggers and the full-text
table word for word): an empty file, or one at schema version 0 with nothing in it, is a new database; a
file at the current version holds all of them; an older one a subset, which its migrations complete.
Anything else (another program's SQLite file, a view or trigger planted in ours, a table of ours dropped)
is refused before a byte is written. `tests/store/test_open_exactly.py` checks these names against what
the migrations make.
"""

from __future__ import annotations

from collections.abc import Iterable

# Full-text search over bodies: an external-content FTS5 index kept by triggers.
# The batch ingest path pauses the insert trigger inside its own transaction (a row in `fts_pause`) and
# indexes the whole batch with one INSERT ... SELECT: row by row, the trigger costs ~85 % of the insert
# time (13k vs 56k rows/s measured). Other connections never see the pause: it lives and dies inside one
# BEGIN IMMEDIATE transaction.
FTS_DDL = (
    "CREATE VIRTUAL TABLE message_fts USING fts5(body, content='messages', content_rowid='id')",
    "CREATE TABLE fts_pause (one INTEGER PRIMARY KEY CHECK (one = 1))",
    """CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
       WHEN NOT EXISTS (SELECT 1 FROM fts_pause) BEGIN
         INSERT INTO message_fts(rowid, body) VALUES (new.id, new.body);
       END""",
    """CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
         INSERT INTO message_fts(message_fts, rowid, body) VALUES ('delete', old.id, old.body);
       END""",
    """CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
         INSERT INTO message_fts(message_fts, rowid, body) VALUES ('delete', old.id, old.body);
         INSERT INTO message_fts(rowid, body) VALUES (new.id, new.body);
       END""",
)

TABLES = frozenset(
    {
        "accounts", "action_outbox", "attachments", "blocks", "chats", "consents", "contacts", "feedback",
        "fts_pause", "matrix_account", "matrix_events", "matrix_rooms", "message_fts", "message_fts_config",
        "message_fts_data", "message_fts_docsize", "message_fts_idx", "messages", "outbox", "reactions",
        "report_evidence", "reports", "settings", "waiting_changes",
    }
)  # fmt: skip
INDEXES = frozenset(
    {"ix_chats_list", "ix_feedback_business_id", "ix_messages_chat_position", "ix_reports_account_id",
     "ux_messages_client_txn"}
)  # fmt: skip
# Objects whose SQL must be ours word for word: code that runs on a write (triggers) or a module (FTS5).
EXACT = {"message_fts": FTS_DDL[0]} | {s.split()[2]: s for s in FTS_DDL if s.startswith("CREATE TRIGGER ")}
# SQLite's own: automatic indexes, AUTOINCREMENT's counters, ANALYZE's figures (no one can create others).
_SQLITE_TABLES = frozenset({"sqlite_sequence", "sqlite_stat1", "sqlite_stat4"})

SCHEMA_SQL = "SELECT type, name, sql FROM sqlite_master"


def _words(sql: str | None) -> str:
    return " ".join((sql or "").split()).upper()


def _ours(kind: str, name: str, sql: str | None) -> bool:
    words = _words(sql)
    if name in EXACT:
        return words == _words(EXACT[name])
    if kind == "index":
        if name.startswith("sqlite_autoindex_"):
            return sql is None
        return name in INDEXES and words.startswith(("CREATE INDEX ", "CREATE UNIQUE INDEX "))
    if kind == "table":
        if name in _SQLITE_TABLES:
            return words.startswith("CREATE TABLE ")
        return name in TABLES and words.startswith("CREATE TABLE ")
    return False  # a view, a trigger not ours, anything else


def schema_problem(rows: Iterable[tuple[str, str, str | None]], version: int, current: int) -> str | None:
    """Why the schema in `rows` (type, name, sql from sqlite_master) is not ours at `version`, or None."""
    found: set[str] = set()
    for kind, name, sql in rows:
        if not _ours(kind, name, sql):
            return f"it holds a {kind} {name[:60]!r} that tui-messenger does not make"
        if version == 0 and not name.startswith("sqlite_"):
            return f"it holds a {kind} {name[:60]!r} but no tui-messenger schema version"
        found.add(name)
    if version == current:
        missing = sorted((TABLES | INDEXES | EXACT.keys()) - found)
        if missing:
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            return f"{missing[0]!r} is missing{more}"
    return None
