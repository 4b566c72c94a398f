"""The benchmark's stores, built through the project's own batch ingest (`IngestRepository.apply`).

A store has `chats` chats with people who are contacts: chat 1 holds `big` messages, chat 2 holds `small`,
the rest share what is left. Messages are interleaved in time across chats (as a real history is), bodies
are a few pseudo-words from a seeded vocabulary, `RARE_WORD` is in `rare` messages spread over the whole
history and `COMMON_WORD` in every second message.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tui_messenger.domain.clock import to_ms
from tui_messenger.services.consent import admits
from tui_messenger.store.accounts import DirectoryRecord
from tui_messenger.store.database import Database, open_database
from tui_messenger.store.ingest import Incoming, IngestRepository

RARE_WORD = "zanzibar"
COMMON_WORD = "okay"
USER_ID = "me"
BUILD_BATCH = 20_000
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
STEP_MS = 20_000  # one message every 20 s across all chats: a million span about seven months


@dataclass(frozen=True)
class Sizes:
    total: int  # messages in the big store
    chats: int
    big: int  # messages in the big chat
    small: int  # messages in the small chat
    rare: int  # messages holding RARE_WORD
    burst: int  # inbound messages of the ingest measure
    write: int  # messages of the store_write measure
    runs: int  # repetitions of each timed measure (the median is reported)


FULL = Sizes(1_000_000, 200, 100_000, 100, 300, 10_000, 30_000, 7)
QUICK = Sizes(100_000, 200, 10_000, 100, 300, 2_000, 20_000, 5)
TINY = Sizes(6_000, 20, 2_000, 100, 30, 200, 2_000, 1)  # only keeps the script from rotting


def peer_id(index: int) -> str:
    return f"p{index:04d}"


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(letters, k=rng.randint(2, 9))))
    words -= {RARE_WORD, COMMON_WORD}
    return sorted(words)


def chat_sequence(sizes: Sizes, rng: random.Random) -> list[int]:
    """Which chat (0-based) each message of the history goes to, in time order."""
    rest = sizes.total - sizes.big - sizes.small
    others = sizes.chats - 2
    seq = [0] * sizes.big + [1] * sizes.small
    for n in range(others):
        seq.extend([n + 2] * (rest // others + (1 if n < rest % others else 0)))
    rng.shuffle(seq)
    return seq


def messages(sizes: Sizes, *, seed: int = 5) -> Iterator[Incoming]:
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    seq = chat_sequence(sizes, rng)
    rare_every = max(sizes.total // sizes.rare, 1)
    t0 = to_ms(NOW) - sizes.total * STEP_MS
    for i, chat in enumerate(seq):
        words = rng.choices(vocab, k=rng.randint(3, 14))
        if i % 2 == 0:
            words[rng.randrange(len(words))] = COMMON_WORD
        if i % rare_every == rare_every // 2 and i // rare_every < sizes.rare:
            words.append(RARE_WORD)
        peer = peer_id(chat)
        outgoing = rng.random() < 0.4
        yield Incoming(
            message_id=f"h{i:08d}",
            peer_id=peer,
            sender_id=USER_ID if outgoing else peer,
            direction="out" if outgoing else "in",
            kind="text",
            body=" ".join(words),
            timestamp=t0 + i * STEP_MS,
        )


def directory(sizes: Sizes) -> list[DirectoryRecord]:
    return [DirectoryRecord(peer_id(n), f"Person {n:04d}", contact=True) for n in range(sizes.chats)]


def populate(db: Database, sizes: Sizes, *, with_messages: bool = True) -> None:
    """Accounts and chats, then the history in batches of BUILD_BATCH through the ingest path."""
    repo = IngestRepository(db)
    repo.apply(items=directory(sizes), now=NOW, admit=admits, user_id=USER_ID)
    if not with_messages:
        return
    batch: list[Incoming] = []
    for item in messages(sizes):
        batch.append(item)
        if len(batch) >= BUILD_BATCH:
            repo.apply(items=batch, now=NOW, admit=admits, user_id=USER_ID)
            batch = []
    if batch:
        repo.apply(items=batch, now=NOW, admit=admits, user_id=USER_ID)


def fresh(path: Path) -> None:
    """Remove the store at `path` with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def build(path: Path, sizes: Sizes, *, with_messages: bool = True) -> float:
    """Create the store at `path` (replacing one that is there); returns the seconds it took."""
    fresh(path)
    start = time.perf_counter()
    db = open_database(path)
    try:
        populate(db, sizes, with_messages=with_messages)
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    return time.perf_counter() - start


def build_base(path: Path, sizes: Sizes) -> None:
    """Accounts and one message per chat, so every chat exists: the start of the write measures."""
    fresh(path)
    db = open_database(path)
    try:
        repo = IngestRepository(db)
        repo.apply(items=directory(sizes), now=NOW, admit=admits, user_id=USER_ID)
        first = [
            Incoming(f"b{n:05d}", peer_id(n), peer_id(n), "in", "text", "hello", to_ms(NOW) - 1000 + n)
            for n in range(sizes.chats)
        ]
        repo.apply(items=first, now=NOW, admit=admits, user_id=USER_ID)
    finally:
        db.close()


def chat_id_of(db: Database, peer: str) -> int:
    with db.read() as session:
        conn = session.connection().connection.dbapi_connection
        assert conn is not None
        return conn.execute("SELECT id FROM chats WHERE peer_id = ?", (peer,)).fetchone()[0]
