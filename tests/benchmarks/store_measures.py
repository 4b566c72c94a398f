"""Measures below the screen: the store's write rate against raw sqlite3, and search against LIKE."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

from corpus import COMMON_WORD, NOW, RARE_WORD, USER_ID, Sizes, peer_id
from timing import Result, median_ms, ratio, timed

from tui_messenger.services.consent import admits
from tui_messenger.store.database import BUSY_TIMEOUT_MS, CACHE_KIB, open_database
from tui_messenger.store.ingest import INSERT_MESSAGE, Incoming, IngestRepository
from tui_messenger.store.messages import MessageRepository

WRITE_BATCH = 1000  # messages per transaction, for the store and for raw sqlite3 alike
PRAGMAS = (
    "journal_mode=WAL",
    "synchronous=FULL",
    "foreign_keys=ON",
    f"busy_timeout={BUSY_TIMEOUT_MS}",
    f"cache_size=-{CACHE_KIB}",
)


def _burst(n: int, chats: int, *, prefix: str) -> list[Incoming]:
    t0 = int(NOW.timestamp() * 1000)
    return [
        Incoming(
            message_id=f"{prefix}{i:08d}",
            peer_id=peer_id(i % chats),
            sender_id=peer_id(i % chats),
            direction="in",
            kind="text",
            body=f"burst message {i} {COMMON_WORD} with a few more words in it",
            timestamp=t0 + i,
        )
        for i in range(n)
    ]


def _store_rate(base: Path, work: Path, items: list[Incoming]) -> float:
    shutil.copy(base, work)
    db = open_database(work)
    repo = IngestRepository(db)
    start = time.perf_counter()
    for s in range(0, len(items), WRITE_BATCH):
        repo.apply(items=items[s : s + WRITE_BATCH], now=NOW, admit=admits, user_id=USER_ID)
    elapsed = time.perf_counter() - start
    db.close()
    return len(items) / elapsed


def _raw_rate(base: Path, work: Path, items: list[Incoming]) -> float:
    """Plain `executemany` of the same rows into the same schema (its FTS trigger included)."""
    shutil.copy(base, work)
    conn = sqlite3.connect(work, isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")
    chat_ids = dict(conn.execute("SELECT peer_id, id FROM chats"))
    rows = [
        (None, i.message_id, None, chat_ids[i.peer_id], i.sender_id, "in", "text", None, i.body, None,
         None, i.timestamp, i.timestamp, i.timestamp, "delivered", None)
        for i in items
    ]  # fmt: skip
    start = time.perf_counter()
    for s in range(0, len(rows), WRITE_BATCH):
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(INSERT_MESSAGE, rows[s : s + WRITE_BATCH])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return len(rows) / elapsed


def _clean(path: Path) -> None:
    for p in path.parent.glob(path.name + "*"):
        p.unlink()


def store_write(base: Path, tmp: Path, sizes: Sizes) -> Result:
    """`base` has the accounts and one message per chat (the chats exist); each run writes into a copy."""
    items = _burst(sizes.write, sizes.chats, prefix="w")
    store, raw = [], []
    for run in range(sizes.runs):
        work = tmp / f"write-{run}.db"
        store.append(_store_rate(base, work, items))
        _clean(work)
        raw.append(_raw_rate(base, work, items))
        _clean(work)
    store_rate = sorted(store)[len(store) // 2]
    raw_rate = sorted(raw)[len(raw) // 2]
    return {
        "messages": sizes.write,
        "batch": WRITE_BATCH,
        "store_msgs_per_s": round(store_rate),
        "raw_msgs_per_s": round(raw_rate),
        "ratio": ratio(store_rate, raw_rate),
        "target": "ratio >= 0.30",
        "met": store_rate / raw_rate >= 0.30,
    }


def search(db_path: Path, sizes: Sizes) -> Result:
    """Newest 50 hits by FTS (through the repository) against a LIKE scan with the same ordering."""
    db = open_database(db_path)
    try:
        repo = MessageRepository(db)
        rare = timed(lambda: repo.search(query=RARE_WORD, limit=50), sizes.runs)
        common = timed(lambda: repo.search(query=COMMON_WORD, limit=50), sizes.runs)
        hits = len(repo.search(query=RARE_WORD, limit=50))
        with db.read() as session:
            conn = session.connection().connection.dbapi_connection
            assert conn is not None
            like_sql = "SELECT id FROM messages WHERE body LIKE ? ORDER BY id DESC LIMIT 50"
            like = timed(lambda: conn.execute(like_sql, (f"%{RARE_WORD}%",)).fetchall(), sizes.runs)
            rare_total = conn.execute(
                "SELECT count(*) FROM message_fts WHERE message_fts MATCH ?", (RARE_WORD,)
            ).fetchone()[0]
    finally:
        db.close()
    rare_ms, common_ms, like_ms = median_ms(rare), median_ms(common), median_ms(like)
    return {
        "rare_word_messages": rare_total,
        "rare_hits_returned": hits,
        "rare_ms": rare_ms,
        "like_ms": like_ms,
        "ratio": ratio(like_ms, rare_ms),
        "common_ms": common_ms,
        "target": "rare and common < 50 ms; LIKE/rare >= 20",
        "met": rare_ms < 50 and common_ms < 50 and like_ms / rare_ms >= 20,
    }


def store_reads(db_path: Path, sizes: Sizes) -> dict[str, float]:
    """What the screens ask the store for, without the screen: pages and the chat list."""
    from corpus import chat_id_of

    from tui_messenger.domain.models import PageCursor
    from tui_messenger.store.chats import ChatRepository

    db = open_database(db_path)
    try:
        messages, chats = MessageRepository(db), ChatRepository(db)
        big, small = chat_id_of(db, peer_id(0)), chat_id_of(db, peer_id(1))
        latest_big = timed(lambda: messages.latest_page(chat_id=big, limit=50), sizes.runs)
        latest_small = timed(lambda: messages.latest_page(chat_id=small, limit=50), sizes.runs)
        page = messages.latest_page(chat_id=big, limit=50)
        pages = []
        for _ in range(10):
            oldest = page[0]
            assert oldest.id is not None
            cursor = PageCursor(oldest.position, oldest.id)
            start = time.perf_counter()
            page = messages.page_before(chat_id=big, cursor=cursor, limit=50)
            pages.append(time.perf_counter() - start)
        chat_list = timed(lambda: (chats.list(), chats.counts()), sizes.runs)
    finally:
        db.close()
    return {
        "latest_page_small_ms": median_ms(latest_small),
        "latest_page_big_ms": median_ms(latest_big),
        "page_before_ms": median_ms(pages),
        "chat_list_ms": median_ms(chat_list),
    }
