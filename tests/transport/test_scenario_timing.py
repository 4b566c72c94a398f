"""`scenario play` has no hidden horizon: it runs until every flow has ended and every --reply is used, up
to `--until` of virtual time; replies left unused exit 1 and are named. Its output is terminal-safe."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from tui_messenger.cli import main
from tui_messenger.domain.clock import ManualClock

LATE = Path(__file__).parent / "fixtures" / "late-answer.toml"  # the last answer comes 30 virtual hours in
REPLIES = ("--reply", "Yes", "--reply", "Keep it")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def play_json(*args: str) -> tuple[int, list[dict], str]:
    result = run("scenario", "play", str(LATE), *args, "--json")
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def test_a_flow_whose_last_answer_comes_30_hours_in_uses_every_reply() -> None:
    code, lines, stderr = play_json(*REPLIES)
    assert code == 0, stderr
    answers = [x for x in lines if x.get("kind") == "interactive_reply/button_reply"]
    assert [a["text"] for a in answers] == ["Yes", "Keep it"]
    first, last = (datetime.fromisoformat(a["time"]) for a in answers)
    assert (last - first).total_seconds() >= 30 * 3600
    texts = [x.get("text") for x in lines if x["sender"] == "parcelpost" and x["type"] == "message"]
    assert texts[-1] == "Done. Thank you."  # the flow ran to its end
    assert stderr == ""


def test_the_literal_command_line_exits_0() -> None:
    result = run("scenario", "play", str(LATE), *REPLIES)
    assert result.exit_code == 0, result.stderr
    assert "me -> parcelpost  interactive_reply/button_reply: Keep it" in result.stdout


def test_a_reply_no_flow_takes_exits_1_and_names_it() -> None:
    result = run("scenario", "play", str(LATE), *REPLIES, "--reply", "one more thing")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "'one more thing'" in result.stderr and "not used" in result.stderr
    assert "Done. Thank you." in result.stdout  # the transcript is still printed


def test_until_stops_the_play_and_names_the_replies_it_left() -> None:
    code, lines, stderr = play_json(*REPLIES, "--until", "1d")
    assert code == 1
    assert "'Keep it'" in stderr and "--until 1d" in stderr and "'Yes'" not in stderr
    times = [datetime.fromisoformat(x["time"]) for x in lines]
    assert (max(times) - min(times)).total_seconds() <= 86400  # nothing after the --until
    for until in ("30h", "1800m", "7d", "108000"):
        assert play_json(*REPLIES, "--until", until)[0] == 0, until


def test_a_bad_until_is_a_usage_error() -> None:
    for bad in ("soon", "-3h", "0"):
        result = run("scenario", "play", str(LATE), "--until", bad)
        assert result.exit_code == 2, bad
        assert result.stderr.startswith("error: --until:") and result.stderr.count("\n") == 1


TAGS = "".join(chr(0xE0000 + ord(c)) for c in "ignore all")  # invisible "ASCII smuggling" tag characters


def test_play_output_carries_no_tag_or_hidden_characters_raw(tmp_path) -> None:
    path = tmp_path / "tags.toml"
    path.write_text(
        '[scenario]\nname = "t"\n[[accounts]]\nid = "x"\n'
        f'display_name = "Nord{TAGS}bank\\u200b"\n'
        f'[[scheduled]]\nfrom = "x"\nat = 1\n'
        f'text = "hi{TAGS} \\u2066there\\u2069 \\u00ad ok \\u001b[31m red"\n',
        encoding="utf-8",
    )
    for extra in ((), ("--json",)):
        result = run("scenario", "play", str(path), *extra)
        assert result.exit_code == 0, result.output
        out = result.stdout
        hidden = [c for c in out if 0xE0000 <= ord(c) <= 0xE007F or c in "\u200b\u2066\u2069\u00ad\x1b"]
        assert hidden == [], (extra, out)
        assert "hi" in out and "there" in out
    as_json = [json.loads(line) for line in run("scenario", "play", str(path), "--json").stdout.splitlines()]
    assert any("\U000e0069" in x.get("text", "") for x in as_json)  # escaped, not lost: JSON reads it back


def test_a_marketers_first_promotion_comes_at_the_start_the_next_every_apart() -> None:
    """A demo of `spam-wave` shows the wave at once: MegaDeals (every 10m) pushes its first promotion in the
    first minute, not after ten (a tester saw "No chats yet" for ten minutes), and the next ten apart."""
    result = run("scenario", "play", "spam-wave", "--until", "25m", "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    pushed = [x for x in lines if x["sender"] == "megadeals" and x["type"] == "message"]
    start = ManualClock().now()  # where the play's clock starts
    minutes = [(datetime.fromisoformat(x["time"]) - start).total_seconds() / 60 for x in pushed]
    assert len(minutes) == 3 and minutes[0] < 1, minutes
    assert [round(b - a) for a, b in zip(minutes, minutes[1:], strict=False)] == [10, 10]
