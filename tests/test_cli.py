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


# Issue 12: only what is ours, exactly the file named, private ------------------------------------------
def _places_like(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")  # as a browser keeps it
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org/')")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("command", [(), ("report",)])
@pytest.mark.parametrize("version", [0, 1])
def test_another_programs_sqlite_file_is_refused_untouched(
    tmp_path: Path, command: tuple, version: int
) -> None:
    path = tmp_path / "places.sqlite"
    _places_like(path, version)
    before = digest(path)
    _assert_refused(run_cli("--db", str(path), *command), path, before, "not a tui-messenger database")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["places.sqlite"]  # no side file left either


def test_a_new_database_and_its_data_folder_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "tui-messenger"
    result = subprocess.run(
        ["sh", "-c", 'umask 022 && exec "$0" -m tui_messenger report', sys.executable],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "TUI_MESSENGER_DATA_DIR": str(folder)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert oct(os.stat(folder / "messenger.db").st_mode & 0o777) == oct(0o600)
    assert oct(os.stat(folder).st_mode & 0o777) == oct(0o700)
    assert oct(os.stat(folder.parent).st_mode & 0o777) == oct(0o700)  # every folder it had to make


def test_a_loosened_data_folder_and_database_are_tightened_with_a_notice(tmp_path: Path) -> None:
    from tui_messenger.store.database import open_database

    folder = tmp_path / "data"
    folder.mkdir()
    open_database(folder / "messenger.db").close()
    os.chmod(folder, 0o755)
    os.chmod(folder / "messenger.db", 0o644)
    result = run_cli("report", env={"TUI_MESSENGER_DATA_DIR": str(folder)})
    assert result.returncode == 0, result.stderr
    assert os.stat(folder).st_mode & 0o777 == 0o700
    assert os.stat(folder / "messenger.db").st_mode & 0o777 == 0o600
    notices = result.stderr.strip().splitlines()
    assert len(notices) == 2 and all("now 0" in line for line in notices), result.stderr


def test_a_database_path_that_cannot_be_looked_up_is_one_line(tmp_path: Path) -> None:
    # a folder the user cannot traverse needs another user; a name too long fails the same lookup as root
    path = tmp_path / ("x" * 300) / "m.db"
    for command in ((), ("report",)):
        result = run_cli("--db", str(path), *command)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
