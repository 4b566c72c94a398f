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
