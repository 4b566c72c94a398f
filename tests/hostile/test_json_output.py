"""No attacker byte reaches the terminal through JSON: `export --format json`, `report --json` and
`scenario play --json` escape C1 controls, bidi controls, tag characters and the rest as `\\uXXXX`
(`domain.safe_text.json_safe`), and stay valid JSON that decodes to the very same text. The text output
of `scenario play` shows tag characters as the app does (`⟨U+E0041⟩`), never raw."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tui_messenger.cli import main
from tui_messenger.domain.safe_text import json_safe

C1 = "".join(map(chr, range(0x80, 0xA0)))
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
TAGS = "".join(map(chr, range(0xE0000, 0xE0080)))
OTHER = "\x1b]2;pwned\x07\x1b[31m\x7f\u200b\ufeff\u2028\u2029\u061c\u200e\u200f"
CLASSES = {"c1": C1, "bidi": BIDI, "tags": TAGS, "other": OTHER}


def _dangerous(ch: str) -> bool:
    cp = ord(ch)
    return (
        cp < 0x20
        or 0x7F <= cp <= 0x9F
        or 0x202A <= cp <= 0x202E
        or 0x2066 <= cp <= 0x2069
        or 0xE0000 <= cp <= 0xE007F
        or 0xD800 <= cp <= 0xDFFF
        or ch in "\u2028\u2029\u200b\ufeff\u061c\u200e\u200f"
    )


def assert_terminal_safe(output: str) -> None:
    for line in output.splitlines():
        raw = sorted({f"U+{ord(c):04X}" for c in line if _dangerous(c)})
        assert raw == [], f"raw on the terminal: {raw[:12]}"


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_json_safe_escapes_each_class_and_decodes_to_the_same_text(kind: str) -> None:
    hostile = CLASSES[kind]
    value = {"name": f"Zoë {hostile} 👩🏽‍🚀", "list": [hostile, "Müller"], hostile[:3]: 1}
    for indent in (None, 2):
        text = json_safe(json.dumps(value, ensure_ascii=False, indent=indent))
        assert_terminal_safe(text)
        assert json.loads(text) == value
    assert "Zoë" in text and "Müller" in text and "👩🏽" in text  # ordinary letters and emoji stay


def test_json_safe_escapes_every_character_of_the_ranges_one_by_one() -> None:
    chars = [*C1, *BIDI, *TAGS, "\x7f", "\ud800", "\udfff"]
    for ch in chars:
        text = json_safe(json.dumps({"v": f"a{ch}b"}, ensure_ascii=False))
        assert text.isascii(), f"U+{ord(ch):04X} left raw"
        assert json.loads(text) == {"v": f"a{ch}b"}


def test_json_safe_keeps_pydantic_output_valid() -> None:
    from tui_messenger.transport import wire

    frame = wire.MessageFrame(
        id="m1", sender="x", to="me", timestamp=1, kind="text", text=wire.TextContent(body=C1 + BIDI + TAGS)
    )  # type: ignore[call-arg]
    text = json_safe(wire.encode(frame).decode())
    assert text.isascii()
    assert wire.decode(text.encode()) == frame


SCENARIO = """\
[scenario]
name = "hostile-json"
user = "me"

[[accounts]]
id = "biz"
display_name = "Biz {name}"
kind = "business"
opt_in = "app"

[[history]]
chat = "biz"
from = "biz"
ago = "1d"
text = "hello {body} there"

[[scheduled]]
from = "biz"
at = 1
text = "later {body}"
"""


def _toml_escape(text: str) -> str:
    return "".join(f"\\U{ord(c):08X}" if ord(c) > 0xFFFF else f"\\u{ord(c):04X}" for c in text)


def _scenario(tmp_path: Path) -> tuple[Path, str]:
    body = C1 + BIDI + TAGS + OTHER
    name = "".join(text[:6] for text in CLASSES.values())  # a sample of each class, under 256 characters
    path = tmp_path / "hostile-json.toml"
    path.write_text(
        SCENARIO.format(name=_toml_escape(name), body=_toml_escape(body)),
        encoding="utf-8",
    )
    return path, body


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TUI_MESSENGER_CONFIG_DIR": str(tmp_path / "config"),
        "TUI_MESSENGER_CACHE_DIR": str(tmp_path / "cache"),
    }
    return subprocess.run(
        [sys.executable, "-m", "tui_messenger", "--db", str(tmp_path / "m.db"), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="surrogateescape",
        timeout=120,
        env=env,
    )


def test_export_json_writes_no_hostile_character_raw(tmp_path: Path) -> None:
    path, body = _scenario(tmp_path)
    result = run_cli(tmp_path, "--scenario", str(path), "export", "biz", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert_terminal_safe(result.stdout)
    bodies = [json.loads(line)["frame"]["text"]["body"] for line in result.stdout.splitlines()]
    assert f"hello {body} there" in bodies  # escaped, not lost: the same text comes back


def test_report_json_writes_no_hostile_character_raw(tmp_path: Path) -> None:
    path, _ = _scenario(tmp_path)
    result = run_cli(tmp_path, "--scenario", str(path), "report", "--json")
    assert result.returncode == 0, result.stderr
    assert_terminal_safe(result.stdout)
    rows = json.loads(result.stdout)["businesses"]
    assert [row["id"] for row in rows] == ["biz"]


def test_scenario_play_json_and_text_write_no_hostile_character_raw(tmp_path: Path) -> None:
    path, body = _scenario(tmp_path)
    as_json = CliRunner().invoke(main, ["scenario", "play", str(path), "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert_terminal_safe(as_json.output)
    lines = [json.loads(line) for line in as_json.output.splitlines()]
    assert f"hello {body} there" in [line.get("text") for line in lines]
    assert any(line.get("name", "").startswith("Biz ") and "\U000e0001" in line["name"] for line in lines)
    as_text = CliRunner().invoke(main, ["scenario", "play", str(path)])
    assert as_text.exit_code == 0, as_text.output
    assert_terminal_safe(as_text.output)
    assert "⟨U+E0041⟩" in as_text.output or "hidden characters" in as_text.output
