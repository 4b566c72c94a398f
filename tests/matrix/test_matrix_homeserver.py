"""`tui-messenger homeserver start|stop`: a loopback-only Synapse, run detached, stopped by its pid file."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tui_messenger.transport.matrix.homeserver import CONFIG, PID, free_port


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui_messenger", *args], capture_output=True, text=True, timeout=120
    )


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_matrix/client/versions", timeout=2) as reply:
            return bool(reply.status == 200)
    except OSError:
        return False


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def wait_gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def one_line_refusal(result: subprocess.CompletedProcess[str], word: str) -> None:
    assert result.returncode == 2, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert word in lines[0]
    assert "Traceback" not in result.stderr


def test_start_answers_on_loopback_then_stop_ends_it(tmp_path: Path) -> None:
    folder = tmp_path / "hs"
    started = run_cli("homeserver", "start", "--dir", str(folder))
    pid_file = folder / PID
    try:
        assert started.returncode == 0, started.stderr
        url = started.stdout.strip()
        assert url.startswith("http://127.0.0.1:")
        assert answers(url)
        pid = int(pid_file.read_text())
        assert alive(pid)
        config = json.loads((folder / CONFIG).read_text())
        assert config["server_name"] == "localhost"
        assert [bind for lst in config["listeners"] for bind in lst["bind_addresses"]] == ["127.0.0.1"]
        assert config["enable_registration"] is True
        assert config["rc_message"]["per_second"] >= 1000
        assert (folder / CONFIG).stat().st_mode & 0o777 == 0o600
        assert folder.stat().st_mode & 0o777 == 0o700
        one_line_refusal(run_cli("homeserver", "start", "--dir", str(folder)), "already running")
        assert int(pid_file.read_text()) == pid
    finally:
        stopped = run_cli("homeserver", "stop", "--dir", str(folder))
    assert stopped.returncode == 0, stopped.stderr
    assert f"pid {pid}" in stopped.stdout
    assert wait_gone(pid)
    assert not pid_file.exists()
    assert not answers(url)
    again = run_cli("homeserver", "stop", "--dir", str(folder))
    one_line_refusal(again, "no homeserver is running")


def test_a_synapse_that_cannot_start_is_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "hs"
    (folder / "homeserver.db").mkdir(parents=True)  # Synapse cannot open its database: it exits at start
    result = run_cli("homeserver", "start", "--dir", str(folder))
    one_line_refusal(result, "Synapse stopped at start")
    assert "unable to open database file" in result.stderr
    assert not (folder / PID).exists()


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("homeserver", "start", "--dir", str(tmp_path / "hs"), "--port", str(port))
    one_line_refusal(result, f"port {port}")


_ORPHAN = """
import sys, time
from pathlib import Path
from tui_messenger.transport.matrix.homeserver import spawn, write_config
folder = Path(sys.argv[1])
write_config(folder, int(sys.argv[2]))
print(spawn(folder, die_with_parent=True).pid, flush=True)
time.sleep(120)
"""


def test_the_test_server_dies_with_a_killed_parent(tmp_path: Path) -> None:
    """The fixture's promise: a SIGKILLed pytest leaves no Synapse (PR_SET_PDEATHSIG)."""
    parent = subprocess.Popen(
        [sys.executable, "-c", _ORPHAN, str(tmp_path / "hs"), str(free_port())],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    pid = int(parent.stdout.readline())
    try:
        assert alive(pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert wait_gone(pid), "Synapse outlived its killed parent"
    finally:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_a_restart_on_another_port_keeps_the_secrets(tmp_path: Path) -> None:
    from tui_messenger.transport.matrix.homeserver import write_config

    folder = tmp_path / "hs"
    first = json.loads(write_config(folder, 40001).read_text())
    second = json.loads(write_config(folder, 40002).read_text())
    assert second["listeners"][0]["port"] == 40002
    for key in ("macaroon_secret_key", "form_secret", "registration_shared_secret"):
        assert len(first[key]) >= 32
        assert second[key] == first[key]
    assert write_config(tmp_path / "other", 40001).read_text() != (folder / CONFIG).read_text()


def test_without_synapse_start_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui_messenger.transport.matrix import homeserver

    monkeypatch.setattr(homeserver, "find_spec", lambda name: None)
    with pytest.raises(homeserver.HomeserverError, match=r"tui-messenger\[server\]"):
        homeserver.start(tmp_path / "hs")
    assert not (tmp_path / "hs").exists()


def test_a_restart_without_a_port_answers_where_it_did(tmp_path: Path) -> None:
    """Accounts keep the URL they signed in to: a restart takes the port it had, while it is free."""
    from tui_messenger.transport.matrix.homeserver import _port_for, write_config

    folder = tmp_path / "hs"
    before = free_port()
    write_config(folder, before)
    assert _port_for(folder, None) == before
    with socket.socket() as taken:  # someone else holds it now: any free port
        taken.bind(("127.0.0.1", before))
        taken.listen()
        assert _port_for(folder, None) != before
    assert _port_for(tmp_path / "new", None) > 0


def test_a_port_left_in_time_wait_by_a_stopped_server_is_free_a_listened_one_is_not() -> None:
    import socket

    from tui_messenger.transport.matrix.homeserver import HomeserverError, free_port

    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    with pytest.raises(HomeserverError, match="in use"):
        free_port(port)  # someone listens there
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server's side closes first: its port's connection waits in TIME_WAIT
    server.close()
    client.close()
    assert free_port(port) == port
