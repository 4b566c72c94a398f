"""Crafted files in the user's folders: config.toml, a theme, state.json, a scenario. Deeply nested,
thousands of dotted key parts, a FIFO, a folder, oversized, not UTF-8: start-up goes on with the defaults
and one problem line naming the file (config, themes, state) or stops with one line and exit 2 (a
scenario, for the app and every command); never a traceback, never a hang."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui_messenger.bootstrap import BootError, UiState, build_app, load_world
from tui_messenger.cli import main
from tui_messenger.settings import AppSettings
from tui_messenger.store.database import open_database
from tui_messenger.tui.config import load_config
from tui_messenger.tui.themes import load_themes, packaged_theme_dirs

DEEP_TOML = "a = " + "[" * 20_000 + "]" * 20_000 + "\n"  # RecursionError in tomllib
DOTTED_TOML = "a" + ".a" * 5_000 + " = 1\n"  # 10 KB; tomllib's cost grows with the square of the parts


def within(seconds: float, call: Callable[[], object]) -> object:
    """`call()`'s result or exception; fails if it takes longer (reading a FIFO blocks for ever)."""
    box: list[object] = []

    def run() -> None:
        try:
            box.append(call())
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"still running after {seconds} s"
    return box[0]


def plant(path: Path, kind: str) -> str:
    """A hostile `path` of `kind`; returns words its problem line must hold."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "deep":
        path.write_text(DEEP_TOML, encoding="utf-8")
        return "nested more than"
    if kind == "dotted":
        path.write_text(DOTTED_TOML, encoding="utf-8")
        return "dotted parts"
    if kind == "fifo":
        os.mkfifo(path)
        return "not a regular file"
    if kind == "folder":
        path.mkdir()
        return "cannot read"
    if kind == "oversized":
        path.write_text("# a comment\n" * (64 * 1024 // 12 + 1), encoding="utf-8")
        return "larger than"
    if kind == "not-utf8":
        path.write_bytes(b"[notifications]\nbell = true\n# \xff\xfe\n")
        return "not UTF-8"
    raise AssertionError(kind)


KINDS = ["deep", "dotted", "fifo", "folder", "oversized", "not-utf8"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_hostile_config_file_is_the_defaults_and_one_problem(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "config.toml"
    words = plant(path, kind)
    config = within(5, lambda: load_config(tmp_path))
    assert not isinstance(config, BaseException), repr(config)
    assert config.keymap == {} and config.bell is False and config.downloads is None
    assert len(config.problems) == 1
    problem = config.problems[0]
    assert problem.startswith(str(path)) and words in problem and "\n" not in problem


@pytest.mark.parametrize("kind", ["deep", "dotted", "fifo", "not-utf8"])
def test_a_hostile_theme_file_is_skipped_with_one_problem(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "themes" / "mine.toml"
    words = plant(path, kind)
    loaded = within(5, lambda: load_themes([*packaged_theme_dirs(), tmp_path / "themes"]))
    assert not isinstance(loaded, BaseException), repr(loaded)
    themes, problems = loaded
    assert {"tui-dark", "tui-light"} <= {theme.name for theme in themes}  # the good ones still load
    assert len(problems) == 1 and str(path) in problems[0] and words in problems[0]


async def test_the_app_starts_past_a_hostile_config_theme_and_state(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "cfg"
    monkeypatch.setenv("TUI_MESSENGER_CONFIG_DIR", str(folder))  # where user themes are looked for
    plant(folder / "config.toml", "deep")
    plant(folder / "themes" / "deep.toml", "deep")
    plant(folder / "themes" / "fifo.toml", "fifo")
    (folder / "state.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    db = open_database(tmp_path / "m.db")
    try:
        app = within(30, lambda: build_app(AppSettings(db_path=tmp_path / "m.db", config_dir=folder), db=db))
        assert not isinstance(app, BaseException), repr(app)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            toasts = [str(n.message) for n in pilot.app.shown_toasts]
            assert any(str(folder / "config.toml") in t and "nested more than" in t for t in toasts), toasts
            for name in ("deep.toml", "fifo.toml"):
                assert any(name in t and "skipped" in t for t in toasts), toasts
            assert pilot.app.theme == "tui-dark"  # the default: state.json was not usable
    finally:
        db.close()
    assert UiState(folder).load() == {}


SCENARIO_KINDS = ["deep", "dotted", "fifo", "folder", "not-utf8"]


@pytest.mark.parametrize("kind", SCENARIO_KINDS)
@pytest.mark.parametrize("command", [["scenario", "check"], ["scenario", "play"]])
def test_a_hostile_scenario_is_one_line_and_exit_2(tmp_path: Path, kind: str, command: list[str]) -> None:
    path = tmp_path / "flow.toml"
    words = plant(path, kind)
    result = within(10, lambda: CliRunner().invoke(main, [*command, str(path)]))
    assert not isinstance(result, BaseException), repr(result)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(str(path)) and words in lines[0], lines
    assert "Traceback" not in result.output


@pytest.mark.parametrize("kind", SCENARIO_KINDS)
def test_the_app_and_subcommands_refuse_a_hostile_scenario_in_one_line(tmp_path: Path, kind: str) -> None:
    """`--scenario FILE` for the app, report and export all load it through bootstrap.load_world."""
    path = tmp_path / "flow.toml"
    words = plant(path, kind)
    error = within(10, lambda: load_world(str(path)))
    assert isinstance(error, BootError) and error.exit_code == 2, repr(error)
    assert str(error).startswith(str(path)) and words in str(error) and "\n" not in str(error)


def test_a_scenario_over_the_size_cap_is_refused_unread(tmp_path: Path, monkeypatch) -> None:
    from tui_messenger.transport.fake import loader

    monkeypatch.setattr(loader, "SCENARIO_MAX_BYTES", 1000)
    path = tmp_path / "big.toml"
    path.write_text("# padding\n" * 101, encoding="utf-8")
    result = CliRunner().invoke(main, ["scenario", "check", str(path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"{path}: larger than 1,000 bytes"]
