"""`export` and `report` on a fresh demo database: wire frames and the pilot's figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tui_messenger.transport import wire


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui_messenger", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ,
    )


def test_export_json_prints_valid_wire_frames(tmp_path: Path) -> None:
    result = run_cli("export", "Anna Becker", "--format", "json", "--db", str(tmp_path / "m.db"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    frames = [wire.decode(line.encode()) for line in lines]
    messages = [f for f in frames if isinstance(f, wire.MessageFrame)]
    assert len(messages) >= 3
    assert {m.sender for m in messages} == {"anna", "me"}
    assert [m.timestamp for m in messages] == sorted(m.timestamp for m in messages)
    assert any(isinstance(f, wire.StatusFrame) for f in frames)


def test_export_text_and_an_unknown_chat(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    text = run_cli("--db", db, "export", "nordbank")
    assert text.returncode == 0 and "Nordbank: " in text.stdout
    missing = run_cli("--db", db, "export", "Nobody")
    assert missing.returncode == 2
    assert len(missing.stderr.strip().splitlines()) == 1 and "Traceback" not in missing.stderr


def test_report_json_has_the_figures_of_each_business(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "m.db"), "report", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)["businesses"]}
    for name in ("Nordbank", "SkyWays Airlines", "MegaDeals 24"):
        row = rows[name]
        for key in ("delivered", "replies", "useful_feedback", "negative_feedback", "blocks", "reports"):
            assert isinstance(row[key], int)
        assert row["rating"] in ("green", "yellow", "red")
    assert rows["Nordbank"]["verified"] and not rows["MegaDeals 24"]["verified"]
    assert rows["Nordbank"]["delivered"] >= 1
