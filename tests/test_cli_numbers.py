"""Numbers on the command line (issue 12, item 11): a speed or fault rate that is not finite, or out of
its range, is refused in one line with exit 2, by the messenger and by `scenario play`, before anything
starts."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tui_messenger.cli import main

BAD = [
    ("--speed", "1e308"),
    ("--speed", "inf"),
    ("--speed", "nan"),
    ("--speed", "-inf"),
    ("--speed", "0.001"),
    ("--speed", "10001"),
    ("--drop", "nan"),
    ("--delay", "inf"),
    ("--disconnect", "1.5"),
    ("--garble", "-0.1"),
]


def _one_line(result, option: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and option in lines[0] and lines[0].startswith("tui-messenger: ")
    assert "Traceback" not in result.output and "Usage:" not in result.stderr


@pytest.mark.parametrize(("option", "value"), BAD)
def test_the_messenger_refuses_a_bad_number(tmp_path, monkeypatch, option: str, value: str) -> None:
    import tui_messenger.bootstrap as bootstrap

    started = []
    monkeypatch.setattr(bootstrap, "run_app", lambda settings: started.append(settings) or 0)
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "m.db"), option, value])
    _one_line(result, option)
    assert started == []  # refused before the app starts


@pytest.mark.parametrize(("option", "value"), [b for b in BAD if b[0] != "--speed"])
def test_scenario_play_refuses_a_bad_rate(option: str, value: str) -> None:
    result = CliRunner().invoke(main, ["scenario", "play", "default", "--until", "1m", option, value])
    _one_line(result, option)
    assert result.stdout == ""


def test_good_numbers_still_pass(tmp_path, monkeypatch) -> None:
    import tui_messenger.bootstrap as bootstrap

    started = []
    monkeypatch.setattr(bootstrap, "run_app", lambda settings: started.append(settings) or 0)
    args = ["--db", str(tmp_path / "m.db"), "--speed", "10000", "--drop", "0.5", "--delay", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert started[0].speed == 10_000.0 and started[0].faults["drop"] == 0.5


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--until", "99999999999d"], "--until"),
        (["--until", "3661d"], "--until"),
        (["--reply", "\udcff"], "--reply"),  # the byte 0xFF typed as an argument: not UTF-8
        (["--flow", "x\udcfe"], "--flow"),
    ],
)
def test_scenario_play_refuses_huge_times_and_bytes_that_are_not_text(args: list[str], option: str) -> None:
    result = CliRunner().invoke(main, ["scenario", "play", "default", "--json", *args])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert option in line and "Traceback" not in result.output and result.stdout == ""
