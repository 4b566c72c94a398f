"""Where a palette export goes: default names, typed paths, and never over an existing file."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tui_messenger.services.export_file import ExportError, _claim_name, default_name, resolve_target

DAY = datetime(2026, 1, 5, tzinfo=UTC)


def test_default_name_is_one_safe_file_name() -> None:
    assert default_name("Anna Becker", "json", DAY) == "Anna Becker 2026-01-05.jsonl"
    assert default_name("Anna Becker", "text", DAY) == "Anna Becker 2026-01-05.txt"
    hostile = default_name("../../etc/\u202epasswd\x1b]0;x\x07", "text", DAY)
    assert "/" not in hostile and "\u202e" not in hostile and "\x1b" not in hostile
    assert hostile.endswith(".txt") and not hostile.startswith(".")


def test_resolve_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "downloads"
    assert resolve_target("", folder, "a.txt") == folder / "a.txt"
    assert resolve_target("chats/b.txt", folder, "a.txt") == folder / "chats" / "b.txt"
    assert resolve_target(str(tmp_path), folder, "a.txt") == tmp_path / "a.txt"  # an existing folder
    assert resolve_target(f"{tmp_path}/new{os.sep}", folder, "a.txt") == tmp_path / "new" / "a.txt"
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_target("~/x.txt", folder, "a.txt") == tmp_path / "x.txt"


def test_claim_name_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "chat.txt"
    target.write_text("old")
    (tmp_path / "chat (1).txt").write_text("older")
    tmp = tmp_path / ".part"
    tmp.write_text("new")
    assert _claim_name(tmp, target) == tmp_path / "chat (2).txt"
    assert target.read_text() == "old" and (tmp_path / "chat (1).txt").read_text() == "older"
    assert (tmp_path / "chat (2).txt").read_text() == "new"


def test_claim_name_gives_up_with_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui_messenger.services.export_file as ef

    monkeypatch.setattr(ef, "MAX_COPIES", 2)
    target = tmp_path / "chat.txt"
    target.write_text("a")
    (tmp_path / "chat (1).txt").write_text("b")
    tmp = tmp_path / ".part"
    tmp.write_text("new")
    with pytest.raises(ExportError, match="numbered copies already exist"):
        _claim_name(tmp, target)
