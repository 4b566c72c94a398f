"""Measures of the real app: headless (`App.run_test`) for the screen, a subprocess for startup and memory.

open_chat, scroll_back and chat_list share one headless session on the big store (it is opened once):
each action is what a key press does (a chat chosen in the list, Home in the history, a filter tab), and
its time runs from the action to the first frame painted that shows its result (see `probe`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import app_under_test as aut
from corpus import Sizes, chat_id_of, peer_id
from probe import PaintProbe
from store_measures import store_reads
from timing import Result, median_ms, p95, ratio, unavailable

from tui_messenger.store.database import open_database

PAGES = 10
_sessions: dict[Path, dict[str, Any]] = {}


async def until(pilot: Any, condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await pilot.pause(0.01)


async def settle(app: Any, pilot: Any) -> None:
    """Until no worker runs (an exclusive worker replaced by a newer one counts as done)."""
    from textual.worker import WorkerCancelled

    for _ in range(100):
        try:
            await app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            continue
    await pilot.pause()


def _chat_facts(path: Path) -> dict[str, tuple[int, str]]:
    db = open_database(path)
    try:
        out = {}
        for name, peer in (("big", peer_id(0)), ("small", peer_id(1))):
            chat_id = chat_id_of(db, peer)
            with db.read() as session:
                conn = session.connection().connection.dbapi_connection
                assert conn is not None
                last = conn.execute("SELECT last_message_id FROM chats WHERE id = ?", (chat_id,)).fetchone()
            out[name] = (chat_id, last[0])
        return out
    finally:
        db.close()


async def _session(path: Path, sizes: Sizes) -> dict[str, Any]:
    from tui_messenger.domain.models import ChatFilter
    from tui_messenger.tui.widgets.chat_list import ChatList

    facts = _chat_facts(path)
    under = aut.make_app(path)
    app = under.app
    probe = PaintProbe(app)
    out: dict[str, Any] = {"note": under.note}
    try:
        async with app.run_test(size=aut.SIZE) as pilot:
            await until(pilot, lambda: aut.chat_options(app).option_count > 0)
            await settle(app, pilot)
            view = aut.message_view(app)

            async def open_chat(name: str) -> float:
                chat_id, last = facts[name]
                # The last page painted: the newest message held and the view scrolled to its end.
                shown = probe.expect(
                    lambda: (
                        bool(view.messages)
                        and view.messages[-1].message_id == last
                        and view.scroll_y >= view.max_scroll_y - 1
                        and view.size.height > 0
                    )
                )
                start = time.perf_counter()
                aut.choose_chat(app, chat_id)
                painted = await probe.wait(shown)
                await settle(app, pilot)
                return painted - start

            aut.choose_chat(app, facts["small"][0])  # warm-up: first layout, first styles
            await until(pilot, lambda: bool(view.messages))
            await settle(app, pilot)
            await open_chat("big")
            small, big = [], []
            for _ in range(sizes.runs):
                small.append(await open_chat("small"))
                big.append(await open_chat("big"))
            out["open_small"], out["open_big"] = small, big

            # scroll_back: the big chat is open at its newest page; Home goes to the top, which loads the
            # page before; the time runs to the frame that shows it.
            pages = []
            for _ in range(PAGES):
                first = view.messages[0].message_id
                shown = probe.expect(lambda first=first: view.messages[0].message_id != first)
                start = time.perf_counter()
                view.action_first()
                painted = await probe.wait(shown)
                pages.append(painted - start)
                await settle(app, pilot)
            out["pages"] = pages

            # chat_list: from the Business tab (few or no rows) back to All, until the rows are painted.
            chat_list = app.screen.query_one(ChatList)
            options = aut.chat_options(app)
            rows_all = options.option_count
            lists = []
            for _ in range(sizes.runs + 1):
                chat_list.select_filter(ChatFilter.BUSINESS)
                await until(pilot, lambda: options.option_count < rows_all)
                await settle(app, pilot)
                shown = probe.expect(lambda: options.option_count >= rows_all)
                start = time.perf_counter()
                chat_list.select_filter(ChatFilter.ALL)
                lists.append(await probe.wait(shown) - start)
                await settle(app, pilot)
            out["chat_list"], out["rows"] = lists[1:], rows_all
    finally:
        under.close()
    return out


def session(path: Path, sizes: Sizes) -> dict[str, Any]:
    if path not in _sessions:
        _sessions[path] = asyncio.run(_session(path, sizes))
    return _sessions[path]


def _status(note: str) -> dict[str, str]:
    return {"status": f"ok ({note})" if note else "ok"}


def open_chat(big: Path, sizes: Sizes) -> Result:
    s = session(big, sizes)
    reads = store_reads(big, sizes)
    small_ms, big_ms = median_ms(s["open_small"]), median_ms(s["open_big"])
    return _status(s["note"]) | {
        "small_chat_messages": sizes.small,
        "big_chat_messages": sizes.big,
        "small_ms": small_ms,
        "big_ms": big_ms,
        "ratio": ratio(big_ms, small_ms),
        "store_latest_page_big_ms": reads["latest_page_big_ms"],
        "target": "big < 100 ms and ratio <= 1.3",
        "met": big_ms < 100 and big_ms / small_ms <= 1.3,
    }


def scroll_back(big: Path, sizes: Sizes) -> Result:
    s = session(big, sizes)
    page_ms = median_ms(s["pages"])
    return _status(s["note"]) | {
        "pages": len(s["pages"]),
        "page_ms": page_ms,
        "max_page_ms": round(max(s["pages"]) * 1000, 3),
        "store_page_before_ms": store_reads(big, sizes)["page_before_ms"],
        "target": "< 30 ms a page",
        "met": page_ms < 30,
    }


def chat_list(big: Path, sizes: Sizes) -> Result:
    s = session(big, sizes)
    list_ms = median_ms(s["chat_list"])
    return _status(s["note"]) | {
        "rows": s["rows"],
        "show_ms": list_ms,
        "store_list_and_counts_ms": store_reads(big, sizes)["chat_list_ms"],
        "target": "< 50 ms",
        "met": list_ms < 50,
    }


WAITING = "needs MessengerService, not landed yet"
CHILD = Path(__file__).resolve().parent / "child.py"


def _child(args: list[str], out: Path, *, pty_run: bool, timeout: float = 120.0) -> tuple[float, dict]:
    """Run child.py (in a pseudo-terminal of SIZE when `pty_run`); returns (start time, what it wrote)."""
    import fcntl
    import json
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios
    import threading

    out.unlink(missing_ok=True)
    env = os.environ | {"TERM": "xterm-256color", "COLUMNS": str(aut.SIZE[0]), "LINES": str(aut.SIZE[1])}
    err = out.with_suffix(".err")
    with open(err, "wb") as err_file:
        if pty_run:
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", aut.SIZE[1], aut.SIZE[0], 0, 0))

            def drain() -> None:
                while True:
                    try:
                        if not os.read(master, 65536):
                            return
                    except OSError:
                        return

            reader = threading.Thread(target=drain, daemon=True)
            reader.start()
            start = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, str(CHILD), *args, str(out)],
                stdin=slave, stdout=slave, stderr=err_file, env=env, start_new_session=True,
            )  # fmt: skip
            os.close(slave)
        else:
            start = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, str(CHILD), *args, str(out)], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=err_file, env=env,
            )  # fmt: skip
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
        finally:
            if pty_run:
                os.close(master)
    if code != 0 or not out.exists():
        raise RuntimeError(f"child {args[0]} failed ({code}): {err.read_text()[-800:]}")
    return start, json.loads(out.read_text())


ROW_MARK = b"Person "  # the corpus's contacts: a chat list row of the big store is on screen
SCREEN_MARK = b"Search chats"  # the chat list's filter box: the main screen is on screen
MINIMAL_MARK = b"tui-messenger"  # the minimal app's one label


def _pty_run(command: list[str], marks: list[bytes], env: dict[str, str], timeout: float = 60.0) -> float:
    """Run `command` in a pseudo-terminal of SIZE; seconds from start until one of `marks` is written to
    the terminal (what the user sees), then end the process (its whole session)."""
    import fcntl
    import os
    import pty
    import select
    import signal
    import struct
    import subprocess
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", aut.SIZE[1], aut.SIZE[0], 0, 0))
    start = time.monotonic()
    proc = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )  # fmt: skip
    os.close(slave)
    seen, tail, shown = b"", b"", None
    try:
        while shown is None:
            left = start + timeout - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{command[-4:]} showed none of {marks} in {timeout} s")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{command[-4:]} ended before showing {marks}: {seen[-600:]!r}")
            now = time.monotonic()
            window = tail + chunk
            if any(mark in window for mark in marks):
                shown = now - start
            seen = (seen + chunk)[-4000:]
            tail = window[-64:]
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 5
        while proc.poll() is None and time.monotonic() < deadline:
            try:  # keep draining so the app never blocks on a full terminal while it exits
                if select.select([master], [], [], 0.05)[0]:
                    os.read(master, 65536)
            except OSError:
                break
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    return shown


def startup(big: Path, empty: Path, sizes: Sizes) -> Result:
    """Process start to the chat list on screen, for the real command line (`python -m tui_messenger --db
    STORE`) in a pseudo-terminal, runs interleaved with a minimal Textual app showing one label.

    "On screen" is read from what the process writes to the terminal: a chat row of the big store
    ("Person …"); the empty store has no chats, so its list is on screen with the main screen's filter box.
    The fake network drops every frame (`--drop 1`), so the runs never write the demo world into the store.
    """
    import os
    import sys

    home = big.parent / "startup-home"
    home.mkdir(exist_ok=True)
    env = os.environ | {
        "TERM": "xterm-256color", "COLUMNS": str(aut.SIZE[0]), "LINES": str(aut.SIZE[1]),
        "TUI_MESSENGER_CONFIG_DIR": str(home / "config"), "TUI_MESSENGER_DATA_DIR": str(home / "data"),
    }  # fmt: skip
    env.pop("TEXTUAL", None)
    # The warm-up round writes the bytecode, as a user's first start does (an environment that forbids it
    # would make every run compile the app from source).
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def cli(db: Path) -> list[str]:
        return [sys.executable, "-m", "tui_messenger", "--db", str(db), "--drop", "1"]

    plan = {
        "big": (cli(big), [ROW_MARK]),
        "empty": (cli(empty), [SCREEN_MARK]),
        "minimal": ([sys.executable, str(CHILD), "minimal", str(home / "minimal.json")], [MINIMAL_MARK]),
    }
    samples: dict[str, list[float]] = {name: [] for name in plan}
    for run in range(sizes.runs + 1):
        for name, (command, marks) in plan.items():
            shown = _pty_run(command, marks, env)
            if run:  # the first round warms the file cache and the bytecode
                samples[name].append(shown)
    big_ms, empty_ms, minimal_ms = (median_ms(samples[k]) for k in ("big", "empty", "minimal"))
    return _status("") | {
        "big_ms": big_ms,
        "empty_ms": empty_ms,
        "minimal_ms": minimal_ms,
        "ratio": ratio(big_ms, empty_ms),
        "ratio_to_minimal": ratio(big_ms, minimal_ms),
        "target": "ratio <= 1.2 and ratio_to_minimal <= 2",
        "met": big_ms / empty_ms <= 1.2 and big_ms / minimal_ms <= 2,
    }


def memory(big: Path, empty: Path, sizes: Sizes) -> Result:
    """Peak RSS of a fresh process after opening the biggest chat and scrolling back 10 pages."""
    out = big.parent / "memory.json"
    peaks: dict[str, list[int]] = {"big": [], "empty": []}
    pages = 0
    for _ in range(sizes.runs):
        for name, path in (("big", big), ("empty", empty)):
            _, data = _child(["memory", str(path)], out, pty_run=False)
            peaks[name].append(data["rss_kib"])
            if name == "big":
                pages = data["pages"]
    big_mib = sorted(peaks["big"])[len(peaks["big"]) // 2] / 1024
    empty_mib = sorted(peaks["empty"])[len(peaks["empty"]) // 2] / 1024
    return _status("") | {
        "big_pages_scrolled": pages,
        "big_mib": round(big_mib, 1),
        "empty_mib": round(empty_mib, 1),
        "ratio": ratio(big_mib, empty_mib),
        "target": "ratio < 1.3",
        "met": big_mib / empty_mib < 1.3,
    }


KEY_EVERY = 0.05  # a key press every 50 ms during the burst
PUSH_CHUNK = 50  # frames the fake network puts on the wire between two turns of the loop (~12 ms)
SENDER = "anna"  # a contact in the default world


async def _ingest(work: Path, sizes: Sizes) -> Result:
    from textual import events

    under = aut.make_app(work)
    if under.peer is None:
        under.close()
        return unavailable(WAITING)
    app, service, peer = under.app, under.messenger, under.peer
    probe = PaintProbe(app)
    try:
        async with app.run_test(size=aut.SIZE) as pilot:
            await until(pilot, lambda: aut.chat_options(app).option_count > 0)
            summary = None
            while summary is None:  # the fake network's first sync brings the default world
                await pilot.pause(0.05)
                summary = await service.chat_for_account(SENDER)
            aut.choose_chat(app, summary.chat.id)
            view = aut.message_view(app)
            await until(pilot, lambda: bool(view.messages) and view.messages[-1].chat_id == summary.chat.id)
            await settle(app, pilot)
            composer = app.screen.query_one("#composer")
            composer.focus()
            await settle(app, pilot)
            before = await asyncio.to_thread(lambda: service.messages.count(chat_id=summary.chat.id))

            running = True
            gaps: list[float] = []
            keys: list[float] = []

            async def monitor() -> None:
                last = time.perf_counter()
                while running:
                    await asyncio.sleep(0.001)
                    now = time.perf_counter()
                    gaps.append(now - last)
                    last = now

            async def typist() -> None:
                while running:
                    await asyncio.sleep(KEY_EVERY)
                    if not running:
                        return
                    length = len(composer.text)
                    shown = probe.expect(lambda length=length: len(composer.text) > length)
                    start = time.perf_counter()
                    app.post_message(events.Key("x", "x"))
                    keys.append(await probe.wait(shown, timeout=60) - start)

            tasks = [asyncio.create_task(monitor()), asyncio.create_task(typist())]
            last_id = None
            start = time.perf_counter()
            for n in range(sizes.burst):
                last_id = peer.push_text(SENDER, f"burst message {n} of {sizes.burst}") or last_id
                if n % PUSH_CHUNK == PUSH_CHUNK - 1:
                    await asyncio.sleep(0)
            pushed = time.perf_counter()
            shown = probe.expect(lambda: bool(view.messages) and view.messages[-1].message_id == last_id)
            painted = await probe.wait(shown, timeout=300)
            running = False
            await asyncio.gather(*tasks)
            after = await asyncio.to_thread(lambda: service.messages.count(chat_id=summary.chat.id))
            await settle(app, pilot)
    finally:
        under.close()
    stall_ms = round((max(gaps) - 0.001) * 1000, 1) if gaps else 0.0
    key_p95 = round(p95(keys) * 1000, 1) if keys else float("nan")
    shown_s = round(painted - start, 3)
    return _status("") | {
        "messages": sizes.burst,
        "stored": after - before,
        "push_s": round(pushed - start, 3),
        "shown_s": shown_s,
        "max_stall_ms": stall_ms,
        "key_presses": len(keys),
        "key_p95_ms": key_p95,
        "target": "shown < 10 s, stall < 100 ms, key p95 < 100 ms",
        "met": shown_s < 10 and stall_ms < 100 and key_p95 < 100 and after - before == sizes.burst,
    }


def ingest(base: Path, tmp: Path, sizes: Sizes) -> Result:
    """A burst from the fake network into the running app with its chat open; keys typed meanwhile."""
    import shutil

    work = tmp / "ingest.db"
    shutil.copy(base, work)
    try:
        return asyncio.run(_ingest(work, sizes))
    finally:
        for suffix in ("", "-wal", "-shm"):
            work.with_name(work.name + suffix).unlink(missing_ok=True)
