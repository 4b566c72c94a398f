"""`tui-messenger scenario list|check|play`: what testers run, exit codes and output."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tui_messenger.cli import main

BROKEN = """\
[scenario]
name = "broken"

[[accounts]]
id = "bank"
display_name = "Bank"
kind = "business"

[[flows]]
id = "f"
business = "bank"

[[flows.steps]]
id = "a"
text = "Pick"
buttons = [{ title = "A very long button title" }]
branches = [{ choice = "A very long button title", goto = "missing" }]
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_list_names_the_five_builtins() -> None:
    result = run("scenario", "list")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == ["default", "bank-fraud-alert", "airline-delay", "spam-wave", "impersonation"]


def test_check_passes_each_builtin() -> None:
    for name in ("default", "bank-fraud-alert", "airline-delay", "spam-wave", "impersonation"):
        result = run("scenario", "check", name)
        assert result.exit_code == 0, result.output
        assert f"{name}: ok:" in result.output


def test_check_reports_a_broken_file_with_lines(tmp_path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN, encoding="utf-8")
    result = run("scenario", "check", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:16: flows[0].steps[0].buttons[0].title: button title 'A very long button title' has 24 "
        "characters; the limit is 20",
        f"{path}:17: flows[0].steps[0].branches[0].goto: branch to a missing step 'missing'",
    ]


def test_check_bad_toml(tmp_path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[scenario]\nname = "x"\nname = "again"\n', encoding="utf-8")
    result = run("scenario", "check", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:3: bad TOML:")


def test_play_airline_delay_json() -> None:
    result = run("scenario", "play", "airline-delay", "--reply", "SK 125 today 14:05", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    notice = next(x for x in lines if x.get("kind") == "interactive/list")
    assert notice["sender"] == "skyways" and notice["name"] == "SkyWays Airlines"
    assert "SK 125 today 14:05" in notice["options"]
    choice = next(x for x in lines if x.get("kind") == "interactive_reply/list_reply")
    assert choice["sender"] == "me" and choice["context_id"] == notice["id"]
    confirmations = [x["text"] for x in lines if x["sender"] == "skyways" and x["type"] == "message"]
    assert any(t.startswith("Confirmed: you are rebooked on SK 125") for t in confirmations)
    assert any(x["type"] == "status" and x["kind"] == "read" for x in lines)


def test_play_same_seed_same_transcript() -> None:
    args = ("scenario", "play", "default", "--flow", "delay", "--reply", "Cancel and refund", "--seed", "4")
    assert run(*args).output == run(*args).output


def test_play_unknown_scenario_is_one_line_exit_2() -> None:
    result = run("scenario", "play", "no-such-scenario")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_play_unknown_flow_is_one_line_exit_2() -> None:
    result = run("scenario", "play", "default", "--flow", "nope")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: no flow 'nope' in scenario 'default'"


def test_play_text_output_is_terminal_safe(tmp_path) -> None:
    path = tmp_path / "hostile.toml"
    path.write_text(
        '[scenario]\nname = "h"\n[[accounts]]\nid = "x"\ndisplay_name = "Evil\\u001b]2;pwned\\u0007"\n'
        '[[scheduled]]\nfrom = "x"\nat = 1\ntext = "hi \\u202e there \\u009b"\n',
        encoding="utf-8",
    )
    result = run("scenario", "play", str(path))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output and "\x9b" not in result.output
    assert "<U+001B>" in result.output
    as_json = run("scenario", "play", str(path), "--json").output
    assert "\x1b" not in as_json and "\u202e" not in as_json and "\\u202e" in as_json
