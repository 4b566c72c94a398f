"""Faults of the machine: kill -9 at many points, and databases the app must refuse without harm.

(a) A child process sends and receives against the fake peer and is killed with SIGKILL right after
its k-th committed write (17 points spread over the run's ~60 writes); after a restart the file passes
`integrity_check` and holds every message the child composed or acknowledged to the network before it
died; then the restarted app runs against the network (which remembers what it took before the crash,
as a server would) until its outbox is empty: every message the user composed reached the network
exactly once, over both runs, and is marked sent.
(b) The command line refuses a file it cannot use: exit 2, exactly one line on stderr, no traceback,
the file byte-identical.
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import logging
import os
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tui_messenger.domain.models import Direction, MessageStatus
from tui_messenger.transport import wire
from tui_messenger.transport.fake import FakePeer
from tui_messenger.transport.fake.peer import SERVER

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def _step_clock() -> type:
    """tests/conftest.py's StepClock, by path: `from conftest import` finds whichever conftest pytest
    imported last (tests/transport has one too)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("tests_root_conftest", HERE.parent / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.StepClock


StepClock = _step_clock()

KILL_POINTS = [1, 2, 3, 5, 7, 9, 12, 15, 19, 23, 27, 31, 36, 41, 47, 53, 58]  # a whole run: ~61 writes
ROUNDS = 15  # 12 made ~61 writes until a sent message took one write, not two


class RestartedPeer(FakePeer):
    """The network after the client's crash: it still holds the user's messages it took before (by
    client transaction id), so a retry of one is answered with its receipt and taken no second time."""

    taken_before: set[str] = set()

    def _user_message(self, frame: wire.MessageFrame) -> None:
        txn = frame.client_txn_id or frame.id
        if txn in self.taken_before and txn not in self._txns:
            answer = wire.StatusFrame(
                message_id=frame.id, status="sent", sender=SERVER, to=self.user_id,
                timestamp=self.timeline.next_ts(), client_txn_id=frame.client_txn_id,
            )  # type: ignore[call-arg]  # fmt: skip
            self._txns[txn] = self._publish(answer)
            self.note("retry", self.user_id, "taken before the crash", message_id=frame.id)
            return
        super()._user_message(frame)


async def _restart_and_drain(
    path: Path, taken_before: set[str]
) -> tuple[list[str], int, dict[str, MessageStatus]]:
    """Run the app's service on the recovered file until its outbox is empty. Returns the ids the
    network took in this run, how many sends it answered as retries of what it took before the crash,
    and the status of every message the user composed."""
    from tui_messenger.services.service import MessengerService
    from tui_messenger.store.database import open_database

    _LOG.lines.clear()
    app_log = logging.getLogger("tui_messenger")
    level, app_log.level = app_log.level, logging.DEBUG
    app_log.addHandler(_LOG)
    db = open_database(path, exclusive=True)
    clock = StepClock()  # only the test moves time: the outbox's sleeps wait for it (see `_settled`)
    peer = RestartedPeer.for_scenario("default", clock=clock, seed=1)
    peer.taken_before = taken_before
    service = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    await service.start()
    try:
        for _ in range(400):
            await _settled(service, peer)
            if service.online and service.outbox_repo.all() == []:
                break
            await peer.jump(1.0)  # only once all that came is stored: a retry falls due on time only
        await service.wait_idle()
        left = {e.message_id: (e.attempts, e.next_attempt_at) for e in service.outbox_repo.all()}
        for message_id in list(left):
            message = await service.message(message_id)
            left[message_id] += (message.status if message else None,)  # type: ignore[assignment]
        assert left == {}, (  # what is left, and why, if this ever fails again
            f"the outbox did not drain after the restart: online={service.online} left={left}"
            f" now={clock.now()} peer log tail={[(e.kind, e.detail[:40]) for e in peer.log[-8:]]}"
            f" rows={_rows_of(path, list(left))} unacked={sorted(peer.timeline.unacked)[:20]}"
            f" sleepers={clock.sleeping} peer_connected={peer.connected}"
            f" unsent_acks={len(service.receiver._unsent_acks)} log={_LOG.lines[-12:]}"
            f" ended={[(t.get_name(), repr(t.exception())) for t in service._tasks if t.done()]}"
        )
        outgoing: dict[str, MessageStatus] = {}
        for summary in await service.chat_list():
            for message in await service.latest_page(summary.chat.id, limit=500):
                if message.direction is Direction.OUTBOUND and message.client_txn_id:  # composed here
                    outgoing[message.message_id] = message.status
        retries = sum(1 for e in peer.log if e.kind == "retry")
        return [e.message_id for e in peer.log if e.kind == "user"], retries, outgoing
    finally:
        await service.stop()
        db.close()
        app_log.removeHandler(_LOG)
        app_log.setLevel(level)


class _Recent(logging.Handler):
    """The app's last log lines, for the message of a failure."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()[:200]}")
        del self.lines[:-50]


_LOG = _Recent()


def _rows_of(path: Path, message_ids: list[str]) -> list[tuple]:
    """The stored rows of these messages and of any other with the same client transaction id."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = []
        for message_id in message_ids:
            query = (
                "SELECT message_id, client_txn_id, status, direction, chat_id FROM messages"
                " WHERE message_id = ? OR client_txn_id ="
                " (SELECT client_txn_id FROM messages WHERE message_id = ?)"
            )
            found += conn.execute(query, (message_id, message_id)).fetchall()
        return found
    finally:
        conn.close()


async def _settled(service: Any, peer: FakePeer, *, wall_timeout: float = 60.0) -> None:
    """Wait until every frame the peer put on the line is stored, woken by the service's progress signal
    (a fixed sleep was too short under load: with ManualClock, whose `sleep` moves time itself, the
    outbox ran through its five attempts before the store took in the network's answer). Offline, it
    also waits until the service sleeps on the test's clock (a reconnect's backoff): while it is still
    connecting, its store threads slow on a loaded machine, the test must not move time 400 times in a
    row and find nothing done."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wall_timeout
    while True:
        conn = peer.timeline.conn
        for _ in range(5):
            await asyncio.sleep(0)
        waiting = service.online or service.clock.sleeping > 0
        if service.idle and waiting and (conn is None or not conn.frames):
            return
        if loop.time() > deadline:
            raise AssertionError("the service never took in what the network sent")
        service.progress.clear()
        try:
            await asyncio.wait_for(service.progress.wait(), timeout=1.0)
        except TimeoutError:
            pass


def _stored_ids(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {row[0] for row in conn.execute("SELECT message_id FROM messages")}
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", KILL_POINTS)
async def test_kill_9_at_the_kth_write_loses_nothing_promised(tmp_path: Path, kill_at: int) -> None:
    path = tmp_path / "crash.db"
    child = subprocess.run(
        [sys.executable, str(HERE / "crash_child.py"), str(path), str(kill_at), str(ROUNDS)],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr[-3000:]
    promised = {
        line.split()[1] for line in child.stdout.splitlines() if line.split()[0] in ("composed", "acked")
    }

    # the restart: the app's own open (preflight, migrations, the instance lock) accepts the file
    from tui_messenger.store.database import open_database

    open_database(path, exclusive=True).close()
    stored = _stored_ids(path)
    assert promised <= stored, f"lost after kill at write {kill_at}: {sorted(promised - stored)}"
    if kill_at >= 16:
        assert promised, "the child died before promising anything: the test would prove nothing"

    # the restarted app delivers what it composed: each message reaches the network exactly once
    taken = [line.split()[1:] for line in child.stdout.splitlines() if line.startswith("taken ")]
    taken_now, retries, outgoing = await _restart_and_drain(path, {txn for _, txn in taken})
    composed = {line.split()[1] for line in child.stdout.splitlines() if line.startswith("composed ")}
    assert composed <= set(outgoing)
    over_both_runs = Counter([mid for mid, _ in taken] + taken_now)
    assert {mid: over_both_runs[mid] for mid in outgoing} == dict.fromkeys(outgoing, 1), (
        f"kill at write {kill_at}: not taken exactly once: {over_both_runs}"
    )
    print(f"\nkill at write {kill_at}: {len(outgoing)} composed, {len(taken)} taken before the crash,"
          f" {len(taken_now)} after the restart, {retries} sent again and recognised")  # fmt: skip
    not_sent = {mid: s for mid, s in outgoing.items() if s.rank < MessageStatus.SENT.rank}
    assert not not_sent, f"kill at write {kill_at}: still unsent after the restart: {not_sent}"


# refusals --------------------------------------------------------------------------------------------
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run_cli(*args: str, **kw) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "tui_messenger", *args], capture_output=True, text=True, timeout=60, **kw
    )


def _assert_refused(result: subprocess.CompletedProcess[str], path: Path, before: str | None) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    if before is not None:
        assert _digest(path) == before
    return lines[0]


def _real_db(path: Path, messages: int = 400) -> None:
    from tui_messenger.store.database import open_database

    open_database(path).close()
    conn = sqlite3.connect(path)
    # filler in one of our tables: a table not ours would be refused as such, before the check under test
    conn.executemany("INSERT INTO settings VALUES (?, ?)", [(f"k{i}", "x" * 500) for i in range(messages)])
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()


def test_corrupt_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    _real_db(path)
    data = bytearray(path.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    for i in range(middle + 8, middle + page - 8, 7):  # flip bytes inside a middle page, header kept
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    before = _digest(path)
    line = _assert_refused(_run_cli("--db", str(path)), path, before)
    assert "corrupt" in line.lower() or "damaged" in line.lower() or "malformed" in line.lower(), line


def test_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    _real_db(path, messages=1)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 9999")
    conn.commit()
    conn.close()
    before = _digest(path)
    assert "newer" in _assert_refused(_run_cli("--db", str(path)), path, before)


def test_random_bytes_are_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "random.db"
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(100_000))  # even with a plausible header
    before = _digest(path)
    _assert_refused(_run_cli("--db", str(path)), path, before)


def test_a_database_locked_by_another_instance_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    _real_db(path, messages=1)
    before = _digest(path)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, sys, time; f = open(sys.argv[1], 'rb'); fcntl.flock(f, fcntl.LOCK_EX);"
         " print('held', flush=True); time.sleep(60)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        line = _assert_refused(_run_cli("--db", str(path)), path, before)
        assert "in use" in line or "locked" in line, line
    finally:
        holder.kill()
        holder.wait()
    # and once the other instance is gone, the same file opens
    with open(path, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)


def test_a_read_only_database_is_refused_untouched(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        path = tmp_path / "ro.db"
        _real_db(path, messages=1)
        os.chmod(path, 0o444)
        os.chmod(tmp_path, 0o555)
        try:
            before = _digest(path)
            _assert_refused(_run_cli("--db", str(path)), path, before)
        finally:
            os.chmod(tmp_path, 0o755)
        return
    # as root file modes do not stop writes: run as the user nobody
    os.chmod(tmp_path, 0o755)
    path = tmp_path / "ro.db"
    _real_db(path, messages=1)
    os.chmod(path, 0o644)
    before = _digest(path)
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import tui_messenger"],
            capture_output=True,
            text=True,
            user="nobody",
            cwd="/",
        )
    except PermissionError:
        probe = None
    if probe is None or probe.returncode != 0:
        pytest.skip("the interpreter or the package is not reachable by the user nobody here")
    result = _run_cli("--db", str(path), user="nobody", cwd="/")
    line = _assert_refused(result, path, before)
    assert "read-only" in line or "permission" in line.lower() or "write" in line.lower(), line


FULL_DISK_CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), int(sys.argv[2])))
import signal
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
sys.argv = ["tui-messenger", "--db", sys.argv[1]]
from tui_messenger.cli import main
main()
"""


@pytest.mark.parametrize("limit", [0])
def test_a_full_disk_gives_one_clear_line(tmp_path: Path, limit: int) -> None:
    path = tmp_path / "full.db"
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK_CHILD, str(path), str(limit)],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    line = _assert_refused(result, path, None)
    assert "full" in line.lower() or "space" in line.lower() or "write" in line.lower(), line
