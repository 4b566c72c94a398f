"""Start-up refusals before any work: an unknown `--theme` (nothing saved) and no terminal at all (no CPU
left burning), while the subcommands still work from scripts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tui_messenger.tui.themes import theme_names


def run_cli(
    tmp_path: Path, *args: str, timeout: float = 60
) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {
        **os.environ,
        "TUI_MESSENGER_CONFIG_DIR": str(tmp_path / "config"),
        "TUI_MESSENGER_CACHE_DIR": str(tmp_path / "cache"),
    }
    start = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tui_messenger", "--db", str(tmp_path / "m.db"), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired as exc:  # the old app waited for a terminal, one core at ~98 %
        raise AssertionError(f"still running after {timeout} s without a terminal") from exc
    return result, time.monotonic() - start


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_an_unknown_theme_is_refused_with_the_themes_there_are_and_nothing_saved(tmp_path: Path) -> None:
    result, _ = run_cli(tmp_path, "--theme", "nosuchtheme", timeout=20)
    line = _one_line(result)
    assert "nosuchtheme" in line
    for name in ("tui-dark", "tui-light", "tui-high-contrast", "gruvbox"):
        assert name in line
    assert not (tmp_path / "config" / "state.json").exists()
    assert not (tmp_path / "m.db").exists()


def test_a_theme_name_with_an_escape_sequence_is_refused_in_printable_text(tmp_path: Path) -> None:
    result, _ = run_cli(tmp_path, "--theme", "x\x1b]0;pwned\x07\x9b31m", timeout=20)
    line = _one_line(result)
    assert "\x1b" not in line and "\x07" not in line and "\x9b" not in line
    assert not (tmp_path / "config").exists()


def test_every_theme_offered_is_one_the_app_registers() -> None:
    names = theme_names()
    assert names[:3] == ["tui-dark", "tui-high-contrast", "tui-light"]
    assert "gruvbox" in names and len(names) == len(set(names))


def test_no_terminal_is_one_line_and_exit_2_at_once(tmp_path: Path) -> None:
    result, seconds = run_cli(tmp_path, timeout=10)
    assert "terminal" in _one_line(result)
    assert seconds < 2.0, f"took {seconds:.2f} s"


def test_a_known_theme_without_a_terminal_is_refused_and_not_saved(tmp_path: Path) -> None:
    result, seconds = run_cli(tmp_path, "--theme", "tui-light", timeout=10)
    assert "terminal" in _one_line(result)
    assert seconds < 2.0
    assert not (tmp_path / "config" / "state.json").exists()


def test_subcommands_work_without_a_terminal(tmp_path: Path) -> None:
    report, _ = run_cli(tmp_path, "report", "--json")
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["businesses"]
    export, _ = run_cli(tmp_path, "export", "Anna Becker")
    assert export.returncode == 0 and export.stdout.strip(), export.stderr
    scenario, _ = run_cli(tmp_path, "scenario", "check", "default")
    assert scenario.returncode == 0 and "ok" in scenario.stdout
