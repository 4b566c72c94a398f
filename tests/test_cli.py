"""The command line's promises: help, version, and a clear refusal of a database it cannot use."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tui_messenger import __version__


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui_messenger", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_help_and_version() -> None:
    help_run = run_cli("--help")
    assert help_run.returncode == 0
    assert "--db" in help_run.stdout
    version_run = run_cli("--version")
    assert version_run.returncode == 0
    assert __version__ in version_run.stdout


def _assert_refused(result: subprocess.CompletedProcess[str], path: Path, before: str, word: str) -> None:
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert word in lines[0]
    assert "Traceback" not in result.stderr
    assert digest(path) == before


def test_newer_schema_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t(x)")
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    before = digest(path)
    _assert_refused(run_cli("--db", str(path)), path, before, "newer")


def test_random_bytes_are_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "random.db"
    path.write_bytes(os.urandom(64 * 1024))
    before = digest(path)
    _assert_refused(run_cli("--db", str(path)), path, before, "not a tui-messenger database")


def test_env_var_names_the_database(tmp_path: Path) -> None:
    path = tmp_path / "env.db"
    path.write_bytes(b"not a database at all, but long enough to have a header" * 200)
    before = digest(path)
    _assert_refused(run_cli(env={"TUI_MESSENGER_DB": str(path)}), path, before, "env.db")


def test_a_directory_is_refused(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run the check as another user")
def test_read_only_database_is_refused_untouched(tmp_path: Path) -> None:
    from tui_messenger.store.database import open_database

    path = tmp_path / "ro.db"
    open_database(path).close()
    os.chmod(tmp_path, 0o755)
    os.chmod(path, 0o644)
    before = digest(path)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tui_messenger", "--db", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            user="nobody",
            cwd="/",
        )
    except PermissionError:
        pytest.skip("the interpreter is not reachable by the user nobody here")
    if "No module named" in result.stderr:
        pytest.skip("the package is not readable by the user nobody here")
    _assert_refused(result, path, before, "")
