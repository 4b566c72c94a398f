"""The Matrix measures (issue 14), against a local Synapse this benchmark starts in its folder.

- latency: a message sent by one person's service (in its own process; from its call to send, on the
  system's monotonic clock) until it is drawn in the other person's open chat (the real app, headless),
  median over 50, plain and encrypted rooms; against a bare matrix-nio client pair in the same run
  (send until the receiver's sync callback has it). Both bare
  clients sync, as every client does (the messenger's sender must too: it learns of replies, receipts and
  its other devices that way), so the homeserver serves the same two long polls in both. Target: ratio
  <= 1.3. The pair whose sender never syncs (a send-only bot, not a client) is measured too and reported
  beside it (`*_nio_send_only_ms`), not used for the ratio. The pairs take turns, one message each:
  a slow moment of the shared machine falls on all of them alike.
- startup: process start until the chat list is on screen (the real command line in a pseudo-terminal)
  for a Matrix account's database, against the demo world's empty store. Target: ratio <= 1.2.
- first_screen: an account with 50 rooms x 200 events signs in on a fresh database; its chat list on
  screen and the longest UI stall while the first sync is stored (matrix_first_screen.py).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import matrix_first_screen
from timing import Result

SENDS = 50
WARM = 3  # the first sends share the room key and warm the caches: not counted
GAP = 0.05  # seconds between two messages (of any pair): what one leaves to do is done before the next
WAIT = 10.0  # seconds a message may take before it counts as lost (reported, never waited for forever)


class Arrivals:
    """When each message reached the receiver (by body), and a wait for one. The wait polls nothing: a
    poll in the receiver's process would wake its loop every millisecond and take the interpreter from
    the app under test (whose store runs in a thread) while it works."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self._waiting: dict[str, asyncio.Future[None]] = {}

    def arrived(self, body: str, now: float) -> None:
        if body not in self.times:
            self.times[body] = now
            waiter = self._waiting.pop(body, None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

    async def since(self, body: str, start: float) -> float | None:
        """Seconds from `start` until `body` arrived; None after `WAIT` (lost)."""
        if body not in self.times:
            waiter = self._waiting[body] = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait_for(waiter, WAIT - (time.perf_counter() - start))
            except TimeoutError:
                return None
            finally:
                self._waiting.pop(body, None)
        return self.times[body] - start


def _median(samples: list[float | None]) -> tuple[float, int]:
    got = [s for s in samples[WARM:] if s is not None]
    return (statistics.median(got) if got else float("nan")), sum(1 for s in samples if s is None)


PASSWORD = "bench password"
ENCRYPTED = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": "m.megolm.v1.aes-sha2"}}


@contextmanager
def synapse(folder: Path) -> Iterator[str]:
    from tui_messenger.transport.matrix.homeserver import (
        free_port,
        spawn,
        terminate,
        wait_ready,
        write_config,
    )

    port = free_port()
    write_config(folder, port)
    proc = spawn(folder, die_with_parent=True)
    try:
        wait_ready(proc, folder, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        terminate(proc)


async def _account(url: str, folder: Path, name: str) -> Path:
    from tui_messenger.services.matrix_accounts import sign_in
    from tui_messenger.store.database import open_database

    path = folder / f"{name}.db"
    db = open_database(path)
    try:
        await sign_in(db, url, f"@{name}:localhost", PASSWORD, register=True, device_name=name)
    finally:
        db.close()
    return path


def matrix(folder: Path, empty: Path, sizes: Any) -> Result:
    from screen_measures import SCREEN_MARK, _pty_run

    home = folder / "matrix"
    home.mkdir(exist_ok=True)
    with synapse(home / "synapse") as url:
        stamp = int(time.time())
        sends = SENDS if sizes.runs >= 5 else 5  # --tiny only keeps the script from rotting
        latency = asyncio.run(_latencies(url, home, stamp, sends))
        path = asyncio.run(_account(url, home, f"start{stamp}"))
        startup = _startup(path, empty, home, sizes.runs, _pty_run, SCREEN_MARK)
        first_screen = matrix_first_screen.first_screen(
            url, home, stamp, sizes, _pty_run, _env(home), SCREEN_MARK
        )
    return {
        "latency": latency,
        "first_screen": first_screen,
        "startup": startup,
        "met": bool(latency["met"] and first_screen["met"] and startup["met"]),
    }


def _env(home: Path) -> dict[str, str]:
    """The command line's environment in the pseudo-terminal: its own folders, no Textual dev tools."""
    import os

    env = os.environ | {
        "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40",
        "TUI_MESSENGER_CONFIG_DIR": str(home / "config"), "TUI_MESSENGER_DATA_DIR": str(home / "data"),
        "TUI_MESSENGER_CACHE_DIR": str(home / "cache"),
    }  # fmt: skip
    env.pop("TEXTUAL", None)
    return env


def _startup(matrix_db: Path, empty: Path, home: Path, runs: int, pty_run: Any, mark: bytes) -> Result:
    import sys

    from timing import median_ms

    env = _env(home)
    plan = {
        "matrix": [sys.executable, "-m", "tui_messenger", "--db", str(matrix_db)],
        "demo": [sys.executable, "-m", "tui_messenger", "--db", str(empty), "--drop", "1"],
    }
    samples: dict[str, list[float]] = {name: [] for name in plan}
    for run in range(runs + 1):  # quick and full: 5 and 7 rounds; --tiny: 1
        for name, command in plan.items():
            shown = pty_run(command, [mark], env)
            if run:  # the first round warms the caches
                samples[name].append(shown)
    matrix_ms, demo_ms = median_ms(samples["matrix"]), median_ms(samples["demo"])
    ratio = round(matrix_ms / demo_ms, 3)
    return {
        "matrix_ms": matrix_ms,
        "demo_ms": demo_ms,
        "ratio": ratio,
        "target": "ratio <= 1.2",
        "met": ratio <= 1.2,
    }


async def _latencies(url: str, home: Path, stamp: int, sends: int) -> Result:
    result: Result = {}
    for encrypted in (False, True):
        label = "encrypted" if encrypted else "plain"
        tag = f"{label}{stamp}"
        async with (
            _ours(url, home, tag, encrypted) as ours,
            _bare(url, home, tag, encrypted) as bare,
            _bare(url, home, tag + "o", encrypted, sender_syncs=False) as send_only,
        ):
            samples = await _interleaved({"ours": ours, "bare": bare, "send_only": send_only}, sends)
        (ours_ms, ours_lost), (bare_ms, bare_lost) = _median(samples["ours"]), _median(samples["bare"])
        result |= {
            f"{label}_ms": round(ours_ms * 1000, 2),
            f"{label}_nio_ms": round(bare_ms * 1000, 2),
            f"{label}_ratio": round(ours_ms / bare_ms, 3),
            f"{label}_lost": ours_lost,
            f"{label}_nio_lost": bare_lost,
            f"{label}_nio_send_only_ms": round(_median(samples["send_only"])[0] * 1000, 2),
        }
    met = all(
        result[f"{label}_ratio"] <= 1.3 and not result[f"{label}_lost"] for label in ("plain", "encrypted")
    )
    return result | {"sends": sends, "target": "ratio <= 1.3, plain and encrypted", "met": met}


Send = Callable[[str], Awaitable[float | None]]


async def _interleaved(pairs: dict[str, Send], sends: int) -> dict[str, list[float | None]]:
    """Each pair's latencies: after `WARM` each, the pairs take turns one message at a time, `GAP`
    seconds apart, so that a slow moment of the machine or of the homeserver (a shared 2-core VM; the
    same pair measured a minute apart differed by a fifth, and Synapse's slow spells last about a
    second) falls on all of them alike. In turns of ten messages a spell fell on one pair's turn: over
    14 runs on one Synapse the ratio's spread was sd 0.096 that way, 0.047 one at a time (means 1.155
    and 1.184)."""
    samples: dict[str, list[float | None]] = {name: [] for name in pairs}
    for name, send in pairs.items():
        for n in range(WARM):
            samples[name].append(await send(f"{name} warm {n}"))
            await asyncio.sleep(GAP)
    for n in range(WARM, WARM + sends):
        for name, send in pairs.items():
            samples[name].append(await send(f"{name} {n}"))
            await asyncio.sleep(GAP)
    return samples


@asynccontextmanager
async def _bare(
    url: str, home: Path, tag: str, encrypted: bool, *, sender_syncs: bool = True
) -> AsyncIterator[Send]:
    """Two bare nio clients: a send until the receiver's sync callback has the message (seconds). The
    sender syncs too (`sync_forever`, as nio's examples and every client do) unless `sender_syncs` is
    False."""
    from nio import AsyncClient, AsyncClientConfig, RoomMessageText

    clients = []
    for who in ("a", "b"):
        store = home / f"nio-{tag}-{who}"
        store.mkdir(parents=True, exist_ok=True)
        config = AsyncClientConfig(store_sync_tokens=False, encryption_enabled=True)
        client = AsyncClient(url, f"@nio{tag}{who}:localhost", store_path=str(store), config=config)
        await client.register(f"nio{tag}{who}", PASSWORD)
        if client.should_upload_keys:  # as our sign-in does: the device's keys on the server from the start
            await client.keys_upload()
        clients.append(client)
    sender, receiver = clients
    tasks: list[asyncio.Task[Any]] = []
    try:
        await sender.sync(timeout=0, full_state=True)
        state = [ENCRYPTED] if encrypted else []
        room = (
            await sender.room_create(is_direct=True, invite=[receiver.user_id], initial_state=state)
        ).room_id
        await receiver.sync(timeout=0, full_state=True)
        await receiver.join(room)
        arrivals = Arrivals()

        async def on_message(_room: Any, event: Any) -> None:
            arrivals.arrived(event.body, time.perf_counter())

        receiver.add_event_callback(on_message, RoomMessageText)
        tasks.append(asyncio.create_task(receiver.sync_forever(timeout=30000)))
        await sender.sync(timeout=0)
        await sender.keys_query() if sender.should_query_keys else None
        if sender_syncs:
            tasks.append(asyncio.create_task(sender.sync_forever(timeout=30000)))
            await asyncio.sleep(0.5)  # its long poll is waiting, as the messenger's is

        async def send(body: str) -> float | None:
            start = time.perf_counter()
            await sender.room_send(
                room, "m.room.message", {"msgtype": "m.text", "body": body}, ignore_unverified_devices=True
            )
            return await arrivals.since(body, start)

        yield send
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for client in clients:
            await client.close()


SENDER = """
import asyncio, sys, time
from tui_messenger.bootstrap_matrix import matrix_service
from tui_messenger.domain.clock import VirtualClock
from tui_messenger.store.database import open_database
from tui_messenger.transport.matrix import chat_rooms

async def main(path, peer, plain):
    if plain:  # a room without encryption: a harmless state event in its place
        chat_rooms.ENCRYPTION = {"type": "m.room.history_visibility", "state_key": "",
                                 "content": {"history_visibility": "shared"}}
    service = matrix_service(open_database(path), clock=VirtualClock())  # wall time, as the app's
    from tui_messenger.tui.quiet_gc import tune_gc
    tune_gc()  # as `run_app` does once the service is built
    await service.start()
    chat = await service.open_chat(peer)
    await service.send_text(chat.chat.id, "hello")
    print("ready", flush=True)
    lines = asyncio.StreamReader()  # read on the loop, as a terminal's keys are: no thread in between
    loop = asyncio.get_running_loop()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(lines), sys.stdin)
    while line := await lines.readline():
        body = line.decode().rstrip("\\n")
        start = time.perf_counter()  # the system's monotonic clock: the same in the benchmark's process
        await service.send_text(chat.chat.id, body)
        print(repr(start), body, flush=True)
    await service.stop()

asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3] == "plain"))
"""


@asynccontextmanager
async def _ours(url: str, home: Path, tag: str, encrypted: bool) -> AsyncIterator[Send]:
    """The sender's service in a process of its own (as another person's messenger is) and the receiver's
    real app here (headless, the chat open): from the sender's call to send (it reports the time of
    each; the pipe that brings it the line is not the messenger's) until the text is drawn in the
    receiver's history (seconds)."""
    import subprocess
    import sys

    from tui_messenger.bootstrap import build_app
    from tui_messenger.settings import AppSettings
    from tui_messenger.store.database import open_database
    from tui_messenger.tui.quiet_gc import tune_gc
    from tui_messenger.tui.widgets import history_window
    from tui_messenger.tui.widgets.message_view import MessageView

    sender_path = await _account(url, home, f"s{tag}")
    receiver_path = await _account(url, home, f"r{tag}")
    receiver_db = open_database(receiver_path)
    arrivals = Arrivals()
    original = history_window.HistoryWindow.append_many

    def append_many(self: Any, messages: Any) -> None:
        original(self, messages)
        now = time.perf_counter()
        for message in messages:
            arrivals.arrived(message.body, now)

    history_window.HistoryWindow.append_many = append_many  # type: ignore[method-assign]
    app = build_app(AppSettings(db_path=receiver_path, config_dir=home / f"config-{tag}"), db=receiver_db)
    tune_gc()  # as `run_app` does once the service is built (app_under_test.make_app too)
    command = [
        sys.executable,
        "-c",
        SENDER,
        str(sender_path),
        f"@r{tag}:localhost",
        "enc" if encrypted else "plain",
    ]
    sender = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert sender.stdin is not None and sender.stdout is not None
    try:
        ready = await asyncio.to_thread(sender.stdout.readline)
        assert ready.strip() == "ready", "the sender did not start"
        async with app.run_test(size=(120, 40)) as pilot:
            messenger: Any = app.messenger
            for _ in range(400):
                summary = await messenger.chat_for_account(f"@s{tag}:localhost")
                if summary is not None:
                    break
                await pilot.pause(0.05)
            assert summary is not None, "the first message did not arrive"
            peer = await messenger.account(f"@s{tag}:localhost")
            assert peer is not None and peer.encrypted == encrypted, "the room is not what was asked"
            # A chat, not a request (a request is sent no read receipts): the receipts flow as they do
            # in every chat the user answered, and the server serves them in the same run.
            await messenger.accept_request(summary.chat.id)
            app.screen.open_chat(summary.chat.id)  # type: ignore[attr-defined]
            for _ in range(200):
                if app.screen.query(MessageView):
                    break
                await pilot.pause(0.05)
            await pilot.pause(0.5)
            lines, replies = sender.stdin, sender.stdout

            async def send(body: str) -> float | None:
                lines.write(body + "\n")
                lines.flush()
                if await arrivals.since(body, time.perf_counter()) is None:
                    return None  # lost
                # From the sender's call to send, as the bare pair's: not the pipe to its process.
                while line := await asyncio.to_thread(replies.readline):
                    start, _, sent = line.rstrip("\n").partition(" ")
                    if sent == body:
                        return arrivals.times[body] - float(start)
                return None  # the sender ended

            yield send
    finally:
        history_window.HistoryWindow.append_many = original  # type: ignore[method-assign]
        sender.stdin.close()
        try:
            sender.wait(timeout=15)
        except subprocess.TimeoutExpired:
            sender.kill()
        receiver_db.close()
