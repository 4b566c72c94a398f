"""`matrix.first_screen` (issue 14): an account with 50 rooms x 200 events signs in on a fresh database and
starts the app. Targets: its chat list on screen <= 2 s after start; no UI stall > 100 ms while the first
sync is stored.

The rooms are written first by bare matrix-nio clients (tests/matrix/seeding.py): 50 other people, each
starting a plain direct room with the account and writing 200 messages (rooms filled 8 at once; ~40
messages/s here, so ~4 minutes: with `--keep DIR` a later run reuses the server's folder and the rooms).
Then:
- shown_s: the real command line in a pseudo-terminal, from process start until a row of the chat list
  (one of the 50 names) is written to the terminal; the median of a few fresh logins. main_screen_s: the
  same until the main screen itself is drawn (before any sync): what is left is the network's part;
- all_rooms_s, max_stall_ms: the real app in this process (headless, imports done, the collector tuned as
  `run_app` tunes it), from building it until a frame shows all 50 rows; meanwhile a task that sleeps 1 ms
  at a time records the longest gap of the event loop (as the `ingest` measure does) until the first
  sync is stored.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from timing import Result

ROOMS, EVENTS = 50, 200
FRESH_RUNS = 3
SHOWN_TARGET_S, STALL_TARGET_MS = 2.0, 100.0


def first_screen(
    url: str, home: Path, stamp: int, sizes: Any, pty_run: Any, env: dict[str, str], screen_mark: bytes
) -> Result:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "matrix"))
    rooms, events = (ROOMS, EVENTS) if sizes.runs >= 5 else (5, 20)  # --tiny keeps the script from rotting
    kept = home / f"first-screen-{rooms}x{events}.json"  # --keep: the rooms are on the server already
    if kept.exists():
        owner, peers, seeded_s = *json.loads(kept.read_text()), 0.0
    else:
        owner, peers, seeded_s = asyncio.run(_seed(url, stamp, rooms, events))
        kept.write_text(json.dumps([owner, peers]))
    shown, screen = [], []
    for run in range(FRESH_RUNS if sizes.runs >= 5 else 1):
        path = asyncio.run(_fresh_login(url, home, owner, f"pty{stamp}-{run}"))
        shown.append(pty_run(_command(path), [p.encode() for p in peers], env))
        path = asyncio.run(_fresh_login(url, home, owner, f"screen{stamp}-{run}"))
        screen.append(pty_run(_command(path), [screen_mark], env))  # the main screen, before any sync
    path = asyncio.run(_fresh_login(url, home, owner, f"headless{stamp}"))
    listed, stall_ms, stored = asyncio.run(_headless(path, home, rooms))
    shown_s = round(statistics.median(shown), 3)
    return {
        "rooms": rooms,
        "events_per_room": events,
        "seeded_s": round(seeded_s, 1),
        "shown_s": shown_s,
        "main_screen_s": round(statistics.median(screen), 3),
        "all_rooms_s": round(listed, 3),
        "max_stall_ms": stall_ms,
        "messages_stored": stored,
        "target": f"shown <= {SHOWN_TARGET_S:g} s, stall <= {STALL_TARGET_MS:g} ms",
        "met": shown_s <= SHOWN_TARGET_S and stall_ms <= STALL_TARGET_MS,
    }


def _command(path: Path) -> list[str]:
    return [sys.executable, "-m", "tui_messenger", "--db", str(path)]


async def _seed(url: str, stamp: int, rooms: int, events: int) -> tuple[str, list[str], float]:
    from seeding import long_chats, register

    start = time.perf_counter()
    owner = await register(url, f"fs{stamp}")
    others = [await register(url, f"fs{stamp}p{n:02d}") for n in range(rooms)]
    try:
        await long_chats(owner, others, events)
    finally:
        for client in (owner, *others):
            await client.close()
    return owner.user_id, [f"fs{stamp}p{n:02d}" for n in range(rooms)], time.perf_counter() - start


async def _fresh_login(url: str, home: Path, user_id: str, tag: str) -> Path:
    from seeding import PASSWORD

    from tui_messenger.services.matrix_accounts import sign_in
    from tui_messenger.store.database import open_database

    path = home / f"first-screen-{tag}.db"
    db = open_database(path)
    try:
        await sign_in(db, url, user_id, PASSWORD, register=False, device_name=f"bench {tag}")
    finally:
        db.close()
    return path


async def _headless(path: Path, home: Path, rooms: int) -> tuple[float, float, int]:
    from app_under_test import SIZE, chat_options
    from probe import PaintProbe

    from tui_messenger.bootstrap import build_app
    from tui_messenger.settings import AppSettings
    from tui_messenger.store.database import open_database
    from tui_messenger.tui.quiet_gc import tune_gc

    start = time.perf_counter()
    db = open_database(path)
    app = build_app(AppSettings(db_path=path, config_dir=home / "config-first-screen"), db=db)
    tune_gc()  # as `run_app` does once the service is built (app_under_test.make_app too)
    probe = PaintProbe(app)
    gaps: list[float] = []
    running = True

    async def monitor() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    try:
        async with app.run_test(size=SIZE) as pilot:
            task = asyncio.create_task(monitor())
            listed = probe.expect(lambda: _rows(app, chat_options) >= rooms)
            shown = await probe.wait(listed, timeout=120) - start
            service: Any = app.messenger
            while not (await _synced(service)):  # the first sync stored, every frame of it
                await pilot.pause(0.05)
            running = False
            await task
            stored = await asyncio.to_thread(_count, service)
    finally:
        db.close()
    return shown, round((max(gaps) - 0.001) * 1000, 1) if gaps else 0.0, stored


def _rows(app: Any, chat_options: Any) -> int:
    try:
        return int(chat_options(app).option_count)
    except Exception:  # not mounted yet
        return 0


async def _synced(service: Any) -> bool:
    token = await asyncio.to_thread(service.settings.sync_token)
    return bool(token) and service.idle


def _count(service: Any) -> int:
    with service.db.read() as session:
        from tui_messenger.store.base import raw

        return int(raw(session).execute("SELECT count(*) FROM messages").fetchone()[0])
