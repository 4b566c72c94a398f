"""`--scenario` naming nothing is refused before the app starts (issue 12, item 12): one line, exit 2,
no empty app, and no "line 0"."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tui_messenger.bootstrap import BootError, run_app
from tui_messenger.cli import main
from tui_messenger.settings import AppSettings


@pytest.fixture
def no_app(monkeypatch) -> list[object]:
    from tui_messenger.tui.app import MessengerApp

    ran: list[object] = []
    monkeypatch.setattr(MessengerApp, "run", lambda self, *a, **k: ran.append(self))
    monkeypatch.setattr("tui_messenger.bootstrap.needs_terminal", lambda: None)  # pytest has no terminal
    return ran


@pytest.mark.parametrize("name", ["nosuch", "nosuch.toml", "no/such"])
def test_an_unknown_scenario_is_refused_before_the_app_starts(tmp_path: Path, no_app, name: str) -> None:
    settings = AppSettings(db_path=tmp_path / "m.db", scenario=name, config_dir=tmp_path / "cfg")
    with pytest.raises(BootError) as caught:
        run_app(settings)
    assert no_app == []
    message = str(caught.value)
    assert message.startswith(f"{name}: no such file or built-in scenario") and ":0" not in message
    assert caught.value.exit_code == 2


def test_the_command_says_it_in_one_line(tmp_path: Path, no_app) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "m.db"), "--scenario", "nosuch"])
    assert result.exit_code == 2 and no_app == []
    assert result.stderr.splitlines() == [
        "tui-messenger: nosuch: no such file or built-in scenario"
        " (built-ins: default, bank-fraud-alert, airline-delay, spam-wave, impersonation)"
    ]


def test_a_built_in_scenario_still_starts(tmp_path: Path, no_app) -> None:
    settings = AppSettings(db_path=tmp_path / "m.db", scenario="airline-delay", config_dir=tmp_path / "cfg")
    assert run_app(settings) == 0
    assert len(no_app) == 1


BAD_TOML = "[[accounts\nid ="


@pytest.mark.parametrize("command", [[], ["export", "Anna Becker"], ["report"]])
def test_a_refused_start_leaves_no_database_behind(tmp_path: Path, no_app, command: list[str]) -> None:
    """A bad scenario file is refused before anything is kept: no new database file (empty, or made and
    migrated by a subcommand) is left where there was none, to be taken for the user's own next time."""
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_TOML)
    db = tmp_path / "new" / "m.db"
    result = CliRunner().invoke(main, ["--scenario", str(bad), *command, "--db", str(db)])
    assert result.exit_code == 2 and no_app == []
    assert "bad TOML" in result.stderr
    assert not db.exists() and not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()


def test_a_refused_start_keeps_a_database_that_was_there(tmp_path: Path, no_app) -> None:
    db = tmp_path / "m.db"
    assert run_app(AppSettings(db_path=db, config_dir=tmp_path / "cfg")) == 0  # made by a first start
    before = db.read_bytes()
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_TOML)
    result = CliRunner().invoke(main, ["--scenario", str(bad), "--db", str(db)])
    assert result.exit_code == 2
    assert db.read_bytes() == before


def test_a_refused_start_without_a_terminal_leaves_no_database_behind(tmp_path: Path, monkeypatch) -> None:
    def no_terminal() -> None:
        raise BootError("needs a terminal")

    monkeypatch.setattr("tui_messenger.bootstrap.needs_terminal", no_terminal)
    db = tmp_path / "m.db"
    with pytest.raises(BootError):
        run_app(AppSettings(db_path=db, config_dir=tmp_path / "cfg"))
    assert not db.exists()
