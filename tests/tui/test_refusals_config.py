"""`[testers] show_refusals` in config.toml: the "Refused by the platform" lines, on by default only in
scenario mode (`--scenario` given)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tui_messenger.bootstrap import AppSettings, build_test_app, show_refusals
from tui_messenger.tui.config import parse_config


def test_the_setting_is_read_and_a_bad_one_reported() -> None:
    assert parse_config({"testers": {"show_refusals": True}}).show_refusals is True
    assert parse_config({"testers": {"show_refusals": False}}).show_refusals is False
    assert parse_config({}).show_refusals is None
    for data in ({"testers": {"show_refusals": "yes"}}, {"testers": 1}):
        config = parse_config(data, "config.toml")
        assert (
            config.show_refusals is None and len(config.problems) == 1 and "[testers]" in config.problems[0]
        )


def test_default_is_scenario_mode_and_the_file_wins(tmp_path: Path) -> None:
    assert show_refusals(AppSettings(config_dir=tmp_path)) is False
    assert show_refusals(AppSettings(config_dir=tmp_path, scenario_given=True)) is True
    (tmp_path / "config.toml").write_text("[testers]\nshow_refusals = false\n")
    assert show_refusals(AppSettings(config_dir=tmp_path, scenario_given=True)) is False
    (tmp_path / "config.toml").write_text("[testers]\nshow_refusals = true\n")
    assert show_refusals(AppSettings(config_dir=tmp_path)) is True


def test_the_test_app_follows_the_file(tmp_path: Path) -> None:
    assert build_test_app(tmp_path).messenger.show_refusals is False  # type: ignore[attr-defined]
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("[testers]\nshow_refusals = true\n")
    assert build_test_app(tmp_path).messenger.show_refusals is True  # type: ignore[attr-defined]


@pytest.mark.parametrize(("args", "given"), [((), False), (("--scenario", "default"), True)])
def test_the_command_line_tells_scenario_mode(monkeypatch, args: tuple[str, ...], given: bool) -> None:
    from tui_messenger import bootstrap
    from tui_messenger.cli import main

    seen: list[AppSettings] = []
    monkeypatch.setattr(bootstrap, "run_app", lambda settings: seen.append(settings) or 0)
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    assert seen[0].scenario_given is given
