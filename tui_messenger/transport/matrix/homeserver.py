"""A local Synapse for demos and tests: a loopback-only config written here, started, waited for, stopped.

`start` writes `homeserver.yaml` into its folder (JSON, which YAML reads: no quoting to get wrong), starts
Synapse as a separate program (it is AGPL-3.0: run, never imported), polls `/_matrix/client/versions` until
it answers and leaves a pid file; `stop` ends the process the pid file names. The config is for one
machine and for tests: `server_name: localhost`, one plain-HTTP client listener on 127.0.0.1 only, no
federation, registration open without verification, every rate limit raised (with Synapse's defaults 20
sends take ~55 s, nio retrying each 429 silently), `bcrypt_rounds: 4` (20-50 ms a login instead of
~0.25 s), logs at WARNING to `homeserver.log`. Secrets are made once and kept across restarts, with the
database: a restart on another port is the same server (user ids name `localhost`, not the port).

Synapse has no ready signal, and a config error ends it with a traceback on stderr and nothing in the log:
its output goes to `synapse.out`, and a failed start is one line taken from there. Standard library only.
"""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

from tui_messenger.domain.private import FILE_MODE, make_private_folder
from tui_messenger.domain.safe_text import clean_name

CONFIG = "homeserver.yaml"
LOG_CONFIG = "log_config.yaml"
LOG = "homeserver.log"
OUTPUT = "synapse.out"
PID = "homeserver.pid"
SERVER_NAME = "localhost"
READY_TIMEOUT = 90.0  # seconds; 1-3 s measured, far more on a loaded machine
STOP_TIMEOUT = 10.0
_POLL = 0.02
_MODULE = "synapse.app.homeserver"
_PR_SET_PDEATHSIG = 1
_RAISED = {"per_second": 10000, "burst_count": 100000}
_LIMITS = (
    "rc_message", "rc_registration", "rc_registration_token_validity", "rc_admin_redaction",
    "rc_joins_per_room", "rc_key_requests", "rc_3pid_validation", "rc_third_party_invite",
    "rc_media_create", "rc_delayed_event_mgmt", "rc_room_creation", "rc_reports", "rc_user_directory",
    "rc_profile",
)  # fmt: skip
_NESTED_LIMITS = {
    "rc_login": ("address", "account", "failed_attempts"),
    "rc_joins": ("local", "remote"),
    "rc_invites": ("per_room", "per_user", "per_issuer"),
    "rc_presence": ("per_user",),
}
_NOT_INSTALLED = 'Synapse is not installed: pip install "tui-messenger[server]" (or matrix-synapse)'
_SECRETS = ("macaroon_secret_key", "form_secret", "registration_shared_secret")


class HomeserverError(Exception):
    """A homeserver that cannot start or stop: one line for the user."""


@dataclass(frozen=True, slots=True)
class Homeserver:
    folder: Path
    port: int
    pid: int

    @property
    def url(self) -> str:
        return url_for(self.port)


def url_for(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def synapse_installed() -> bool:
    return find_spec("synapse") is not None


def free_port(port: int = 0) -> int:
    """`port` (any when 0) if nobody listens on it now (bound and released: another program may take it
    meanwhile); HomeserverError if it is taken."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # as Synapse binds: connections of a server just stopped (TIME_WAIT) do not hold the port, a
        # listener does (else a restart moved to another port, and every account lost its server)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            raise HomeserverError(f"port {port} on 127.0.0.1 is in use ({exc.strerror})") from exc
        found: int = sock.getsockname()[1]
        return found


def _old_secrets(path: Path) -> dict[str, str]:
    """The secrets of the config made before, so a restart keeps the server's identity; none when there
    is no readable one. (The config is ours: it is rewritten at every start, edits are not kept.)"""
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(old, dict):
        return {}
    return {key: old[key] for key in _SECRETS if isinstance(old.get(key), str) and old[key]}


def _old_port(path: Path) -> int | None:
    """The port of the config made before: a restart answers where the accounts signed in to it look."""
    try:
        port = json.loads(path.read_text(encoding="utf-8"))["listeners"][0]["port"]
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return None
    return port if isinstance(port, int) and 0 < port < 65536 else None


def _port_for(folder: Path, port: int | None) -> int:
    """`port`, else the one this folder's server had (if free), else any free one."""
    if port is None and (old := _old_port(folder / CONFIG)) is not None:
        try:
            return free_port(old)
        except HomeserverError:
            pass  # taken meanwhile: another port; accounts signed in to the old one must sign in again
    return free_port(port or 0)  # Synapse would die on a taken port, and another server answer there


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, FILE_MODE)


def config_for(folder: Path, port: int, kept: dict[str, str] | None = None) -> dict[str, object]:
    """The Synapse config for `folder` and `port` (absolute paths; secrets from `kept`, else new)."""
    folder = folder.resolve()
    limits: dict[str, object] = {name: dict(_RAISED) for name in _LIMITS}
    limits |= {name: {part: dict(_RAISED) for part in parts} for name, parts in _NESTED_LIMITS.items()}
    made = {key: (kept or {}).get(key) or secrets.token_urlsafe(32) for key in _SECRETS}
    return {
        "server_name": SERVER_NAME,
        "public_baseurl": url_for(port) + "/",
        "pid_file": str(folder / "synapse.pid"),  # Synapse's own (when it daemonizes); ours is PID
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(folder / "homeserver.db")}},
        "media_store_path": str(folder / "media_store"),
        "signing_key_path": str(folder / f"{SERVER_NAME}.signing.key"),
        "log_config": str(folder / LOG_CONFIG),
        **made,
        "enable_registration": True,
        "enable_registration_without_verification": True,
        "bcrypt_rounds": 4,
        "report_stats": False,
        "enable_metrics": False,
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "federation_domain_whitelist": [],
        "user_directory": {"enabled": True, "search_all_users": True},
        **limits,
    }


def log_config_for(folder: Path) -> dict[str, object]:
    return {
        "version": 1,
        "formatters": {"plain": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
        "handlers": {
            "file": {
                "class": "logging.FileHandler",
                "formatter": "plain",
                "filename": str(folder.resolve() / LOG),
                "encoding": "utf8",
            }
        },
        "root": {"level": "WARNING", "handlers": ["file"]},
        "disable_existing_loggers": False,
    }


def write_config(folder: Path, port: int) -> Path:
    """Write (or rewrite, keeping its secrets) the config in `folder` (made 0700): its path."""
    make_private_folder(folder)
    path = folder / CONFIG
    config = config_for(folder, port, _old_secrets(path))
    _write_private(folder / LOG_CONFIG, json.dumps(log_config_for(folder), indent=2) + "\n")
    _write_private(path, json.dumps(config, indent=2) + "\n")
    return path


def _die_with_parent() -> None:  # runs in the child, between fork and exec
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def spawn(folder: Path, *, die_with_parent: bool = False) -> subprocess.Popen[bytes]:
    """Start Synapse on the config in `folder`, in its own session, output to `synapse.out`.

    With `die_with_parent` (tests), the kernel sends it SIGTERM when this process dies, even by SIGKILL."""
    if not synapse_installed():
        raise HomeserverError(_NOT_INSTALLED)
    with open(folder / OUTPUT, "wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", _MODULE, "-c", str((folder / CONFIG).resolve())],
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if die_with_parent else None,  # noqa: PLW1509
        )


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_matrix/client/versions", timeout=2) as reply:
            return bool(reply.status == 200 and b"versions" in reply.read())
    except (OSError, ValueError):
        return False


def _last_words(folder: Path) -> str:
    """The line that says why Synapse stopped: the last line of its output that is not blank, a frame of
    asterisks or the pointer to the logs (which hold nothing for an error at start)."""
    try:
        lines = (folder / OUTPUT).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    said = [line.strip() for line in lines if line.strip(" *") and "more information in the logs" not in line]
    return clean_name(said[-1], 200) if said else "no output"


def wait_ready(
    proc: subprocess.Popen[bytes], folder: Path, port: int, timeout: float = READY_TIMEOUT
) -> None:
    """Poll until Synapse answers; if it ends first (or never answers), HomeserverError with its reason."""
    url = url_for(port)
    deadline = time.monotonic() + timeout
    while proc.poll() is not None or not _answers(url):  # an answer from another server is not ours
        code = proc.poll()
        if code is not None:
            raise HomeserverError(f"Synapse stopped at start (exit {code}): {_last_words(folder)}")
        if time.monotonic() > deadline:
            terminate(proc)
            raise HomeserverError(
                f"Synapse did not answer on {url} within {timeout:.0f} s; see {folder / LOG}"
            )
        time.sleep(_POLL)


def terminate(proc: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _ours(pid: int, folder: Path) -> bool:
    """Whether `pid` is a Synapse running on this folder's config (a pid file can outlive its process,
    and the number be reused by another program)."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    config = os.fsencode(str((folder / CONFIG).resolve()))
    return _MODULE.encode() in args and config in args


def running(folder: Path) -> int | None:
    """The pid of the Synapse this folder's pid file names, if it runs; else None."""
    try:
        pid = int((folder / PID).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    return pid if _ours(pid, folder) else None


def start(folder: Path, port: int | None = None) -> Homeserver:
    """Configure and start a Synapse in `folder` that outlives this process; return once it answers."""
    folder = folder.expanduser()
    if not synapse_installed():
        raise HomeserverError(_NOT_INSTALLED)
    if folder.exists() and not folder.is_dir():
        raise HomeserverError(f"{folder}: not a folder")
    pid = running(folder)
    if pid is not None:
        raise HomeserverError(f"a homeserver is already running from {folder} (pid {pid}); stop it first")
    port = _port_for(folder, port)
    try:
        write_config(folder, port)
    except OSError as exc:
        raise HomeserverError(f"{folder}: cannot write the config: {exc.strerror}") from exc
    proc = spawn(folder)
    _write_private(folder / PID, f"{proc.pid}\n")
    try:
        wait_ready(proc, folder, port)
    except BaseException:
        terminate(proc)
        (folder / PID).unlink(missing_ok=True)
        raise
    return Homeserver(folder, port, proc.pid)


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")  # a zombie has ended; its parent will reap it


def stop(folder: Path, timeout: float = STOP_TIMEOUT) -> int:
    """End the Synapse started from `folder` (SIGTERM, then SIGKILL after `timeout`): its pid."""
    folder = folder.expanduser()
    pid = running(folder)
    if pid is None:
        stale = (folder / PID).exists()
        (folder / PID).unlink(missing_ok=True)
        raise HomeserverError(f"no homeserver is running from {folder}" + (" (old pid file removed)" * stale))
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while not _gone(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            deadline = float("inf")
        time.sleep(_POLL)
    (folder / PID).unlink(missing_ok=True)
    return pid
