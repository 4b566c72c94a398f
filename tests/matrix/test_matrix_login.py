"""`tui-messenger login` and `logout` against a real Synapse (no mock of nio).

The account lives in the database (0600, folder 0700), the keys beside it (0700, files 0600); a refused or
unreachable server is one line, exit 2, and leaves nothing behind; logout revokes the token on the server.
"""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tui_messenger.transport.matrix.homeserver import Homeserver, free_port

PASSWORD = "correct horse battery"


def run_cli(*args: str, password: str | None = PASSWORD, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUI_MESSENGER_")}
    env["TUI_MESSENGER_CACHE_DIR"] = str(cache)
    if password is not None:
        env["TUI_MESSENGER_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "tui_messenger", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def account_row(db: Path) -> dict[str, object] | None:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute("SELECT * FROM matrix_account").fetchone()
    finally:
        conn.close()
    return dict(row) if row is not None else None


def api(
    url: str, path: str, token: str, body: dict[str, object] | None = None
) -> tuple[int, dict[str, object]]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data=data, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def one_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_register_signs_in_and_keeps_the_account_privately(
    synapse: Homeserver, unique_user: str, tmp_path: Path
) -> None:
    user = f"@{unique_user}:localhost"
    db = tmp_path / "new" / "anna.db"
    result = run_cli(
        "login",
        synapse.url,
        user,
        "--register",
        "--device-name",
        "laptop",
        "--db",
        str(db),
        cache=tmp_path / "c",
    )
    assert result.returncode == 0, result.stderr
    assert user in result.stdout
    row = account_row(db)
    assert row is not None
    assert (row["homeserver"], row["user_id"]) == (synapse.url, user)
    token, device = str(row["access_token"]), str(row["device_id"])
    assert token and device and row["pickle_key"]
    assert token not in result.stdout + result.stderr
    assert (mode(db), mode(db.parent)) == (0o600, 0o700)
    keys = db.with_name("anna.db.keys")
    assert mode(keys) == 0o700
    stores = list(keys.iterdir())
    assert stores and all(mode(p) == 0o600 for p in stores)
    assert any(device in p.name for p in stores)  # nio's key store for this device
    assert api(synapse.url, "/_matrix/client/v3/account/whoami", token)[1]["user_id"] == user
    # the device's encryption keys are on the server: others can encrypt to it
    status, found = api(synapse.url, "/_matrix/client/v3/keys/query", token, {"device_keys": {user: []}})
    assert status == 200
    device_keys = found["device_keys"][user][device]  # type: ignore[index]
    assert {"curve25519:" + device, "ed25519:" + device} <= set(device_keys["keys"])
    log = tmp_path / "c" / "messenger.log"
    assert not log.exists() or token not in log.read_text()

    # the same account on another database: a second device, by password
    other = tmp_path / "second.db"
    again = run_cli("login", synapse.url, user, "--db", str(other), cache=tmp_path / "c")
    assert again.returncode == 0, again.stderr
    second = account_row(other)
    assert second is not None and second["device_id"] != device


def test_a_wrong_password_is_one_line_and_leaves_nothing(
    synapse: Homeserver, unique_user: str, tmp_path: Path
) -> None:
    user = f"@{unique_user}:localhost"
    first = tmp_path / "first.db"
    assert (
        run_cli("login", synapse.url, user, "--register", "--db", str(first), cache=tmp_path).returncode == 0
    )
    db = tmp_path / "wrong.db"
    result = run_cli("login", synapse.url, user, "--db", str(db), password="not it", cache=tmp_path)
    one_line(result, "Invalid username or password")
    assert not db.exists()
    assert not db.with_name("wrong.db.keys").exists()


def test_a_server_that_is_down_is_one_line(unique_user: str, tmp_path: Path) -> None:
    db = tmp_path / "down.db"
    url = f"http://127.0.0.1:{free_port()}"
    result = run_cli("login", url, f"@{unique_user}:localhost", "--db", str(db), cache=tmp_path)
    one_line(result, "cannot reach", url)
    assert not db.exists()


def test_an_account_signed_in_is_not_replaced(synapse: Homeserver, unique_user: str, tmp_path: Path) -> None:
    user = f"@{unique_user}:localhost"
    db = tmp_path / "a.db"
    assert run_cli("login", synapse.url, user, "--register", "--db", str(db), cache=tmp_path).returncode == 0
    before = account_row(db)
    one_line(run_cli("login", synapse.url, user, "--db", str(db), cache=tmp_path), "already")
    one_line(run_cli("login", synapse.url, user + "x", "--db", str(db), cache=tmp_path), "already")
    assert account_row(db) == before


def test_logout_revokes_the_token_and_removes_it_and_the_keys(
    synapse: Homeserver, unique_user: str, tmp_path: Path
) -> None:
    user = f"@{unique_user}:localhost"
    db = tmp_path / "out.db"
    assert run_cli("login", synapse.url, user, "--register", "--db", str(db), cache=tmp_path).returncode == 0
    row = account_row(db)
    assert row is not None
    token = str(row["access_token"])
    keys = db.with_name("out.db.keys")
    assert keys.is_dir()
    result = run_cli("logout", "--db", str(db), cache=tmp_path, password=None)
    assert result.returncode == 0, result.stderr
    status, answer = api(synapse.url, "/_matrix/client/v3/account/whoami", token)
    assert (status, answer["errcode"]) == (401, "M_UNKNOWN_TOKEN")
    after = account_row(db)
    assert after is not None and after["user_id"] == user  # the history stays the account's
    assert (after["access_token"], after["device_id"], after["pickle_key"]) == (None, None, None)
    assert not keys.exists()
    one_line(run_cli("logout", "--db", str(db), cache=tmp_path, password=None), "not signed in")
    # the same account may sign in again; another may not
    one_line(run_cli("login", synapse.url, "@someone:localhost", "--db", str(db), cache=tmp_path), user)
    assert run_cli("login", synapse.url, user, "--db", str(db), cache=tmp_path).returncode == 0


def test_logout_with_the_server_down_keeps_everything_unless_local(
    synapse: Homeserver, unique_user: str, tmp_path: Path
) -> None:
    user = f"@{unique_user}:localhost"
    db = tmp_path / "kept.db"
    assert run_cli("login", synapse.url, user, "--register", "--db", str(db), cache=tmp_path).returncode == 0
    conn = sqlite3.connect(db)
    with conn:  # the server moved away: nobody answers there now
        conn.execute("UPDATE matrix_account SET homeserver = ?", (f"http://127.0.0.1:{free_port()}",))
    conn.close()
    before = account_row(db)
    one_line(run_cli("logout", "--db", str(db), cache=tmp_path, password=None), "cannot reach", "--local")
    assert account_row(db) == before
    assert db.with_name("kept.db.keys").is_dir()
    assert run_cli("logout", "--local", "--db", str(db), cache=tmp_path, password=None).returncode == 0
    assert not db.with_name("kept.db.keys").exists()


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (("ftp://example.org", "@a:example.org"), "not a homeserver URL"),
        (("https://example.org", "anna"), "not a Matrix user id"),
        (("https://exa mple.org", "@a:example.org"), "not a homeserver URL"),
    ],
)
def test_bad_input_is_refused_before_anything(args: tuple[str, str], word: str, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    one_line(run_cli("login", *args, "--db", str(db), cache=tmp_path), word)
    assert not db.exists()


def test_a_key_store_path_that_is_a_link_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "linked.db"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    db.with_name("linked.db.keys").symlink_to(elsewhere)
    url = f"http://127.0.0.1:{free_port()}"
    one_line(run_cli("login", url, "@a:localhost", "--db", str(db), cache=tmp_path), "not a plain folder")
    assert list(elsewhere.iterdir()) == []


def test_logout_of_no_database_makes_none(tmp_path: Path) -> None:
    db = tmp_path / "none.db"
    one_line(run_cli("logout", "--db", str(db), cache=tmp_path, password=None), "no such database")
    assert not db.exists()


def test_no_password_without_a_terminal_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = run_cli(
        "login", "https://example.org", "@a:example.org", "--db", str(db), password=None, cache=tmp_path
    )
    one_line(result, "TUI_MESSENGER_PASSWORD")
    assert not db.exists()


def test_the_demo_world_is_not_turned_into_an_account(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    conn = sqlite3.connect(db)
    conn.close()
    subprocess.run(
        [sys.executable, "-m", "tui_messenger", "export", "nobody", "--db", str(db)],
        capture_output=True,
        timeout=120,
    )  # opens the demo world in it (the chat is not found: exit 2)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM chats").fetchone()[0] > 0
    one_line(
        run_cli("login", "http://127.0.0.1:9", "@a:localhost", "--db", str(db), cache=tmp_path), "demo world"
    )


@contextmanager
def web_server(well_known: dict[str, object] | None) -> Iterator[str]:
    """A plain web server (no Matrix API) on loopback, serving `well_known` as .well-known/matrix/client."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path == "/.well-known/matrix/client" and well_known is not None:
                body = json.dumps(well_known).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(404)

        def do_POST(self) -> None:  # noqa: N802
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_server_name_finds_its_homeserver_through_well_known(
    synapse: Homeserver, unique_user: str, tmp_path: Path
) -> None:
    db = tmp_path / "wk.db"
    with web_server({"m.homeserver": {"base_url": synapse.url + "/"}}) as site:
        result = run_cli(
            "login", site, f"@{unique_user}:localhost", "--register", "--db", str(db), cache=tmp_path
        )
    assert result.returncode == 0, result.stderr
    row = account_row(db)
    assert row is not None and row["homeserver"] == synapse.url  # the API's address, not the site's


def test_a_web_server_that_is_no_homeserver_is_one_line(unique_user: str, tmp_path: Path) -> None:
    db = tmp_path / "web.db"
    with web_server(None) as site:
        result = run_cli("login", site, f"@{unique_user}:localhost", "--db", str(db), cache=tmp_path)
    one_line(result, "did not answer as a Matrix homeserver")
    assert not db.exists()


def run_in_terminal(args: list[str], answers: list[str], *, cache: Path) -> tuple[int, bytes]:
    """The command on a pseudo-terminal, typing each answer when a password prompt shows: its exit code
    and everything the terminal showed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUI_MESSENGER_")}
    env["TUI_MESSENGER_CACHE_DIR"] = str(cache)
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_messenger", *args],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,
    )
    os.close(child)
    shown, typed = b"", 0
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.1)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            shown += chunk
            if typed < len(answers) and shown.count(b"Password") > typed:
                os.write(main, answers[typed].encode() + b"\r")
                typed += 1
        return proc.wait(timeout=30), shown
    finally:
        os.close(main)
        if proc.poll() is None:
            proc.kill()


def test_the_password_is_asked_for_without_echo(
    synapse: Homeserver, unique_user: str, tmp_path: Path
) -> None:
    user = f"@{unique_user}:localhost"
    db = tmp_path / "typed.db"
    args = ["login", synapse.url, user, "--register", "--db", str(db)]
    code, shown = run_in_terminal(args, ["first-secret", "other-secret"], cache=tmp_path)
    assert code == 2 and b"the two passwords differ" in shown and b"Traceback" not in shown
    assert b"first-secret" not in shown and b"other-secret" not in shown
    assert not db.exists()
    code, shown = run_in_terminal(args, ["typed-secret", "typed-secret"], cache=tmp_path)
    assert code == 0, shown
    assert b"typed-secret" not in shown and user.encode() in shown
    assert account_row(db) is not None


def test_a_revoked_token_or_a_signed_out_database_is_one_line_at_the_command_line(
    synapse: Homeserver, unique_user: str, tmp_path: Path
) -> None:
    """A subcommand on an account the server no longer knows says so in one line (exit 2), without
    waiting, and nio's own complaint goes to the log file, not the terminal."""
    user = f"@{unique_user}:localhost"
    db = tmp_path / "gone.db"
    assert run_cli("login", synapse.url, user, "--register", "--db", str(db), cache=tmp_path).returncode == 0
    row = account_row(db)
    assert row is not None
    api(synapse.url, "/_matrix/client/v3/logout", str(row["access_token"]), {})  # ended elsewhere
    line = one_line(run_cli("--db", str(db), "report", cache=tmp_path, password=None), user, "sign in again")
    assert "ended the session" in line
    assert "user_id" in (tmp_path / "messenger.log").read_text()  # nio's "Error validating response"
    assert run_cli("logout", "--local", "--db", str(db), cache=tmp_path, password=None).returncode == 0
    one_line(
        run_cli("--db", str(db), "export", "anyone", cache=tmp_path, password=None), user, "not signed in"
    )
