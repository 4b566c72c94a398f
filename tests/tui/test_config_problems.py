"""Settings problems (issue 12, items 10 and 12): a theme file or a `[keys]` id named with an escape
sequence is reported in printable text (the sequence never reaches the terminal); a key remapped to a
word that names no key is reported and ignored, and no remap can take quit away; more than five problems
end with "… and N more"."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import SIZE, settle, toasts
from fake_messenger import FakeMessenger

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.app import MessengerApp
from tui_messenger.tui.config import PROBLEMS_SHOWN, load_config
from tui_messenger.tui.themes import packaged_theme_dirs, register_themes

TITLE = "\x1b]0;PWNED\x07"  # OSC 0: sets the terminal's title
CLIPBOARD = "\x1b]52;c;UFdORUQ=\x07"  # OSC 52: writes the clipboard


def printable(text: str) -> bool:
    return not any(ch in text for ch in "\x1b\x07\x9b\x9d")


def write_config(tmp_path: Path, text: str) -> None:
    (tmp_path / "config").mkdir(exist_ok=True)
    (tmp_path / "config" / "config.toml").write_text(text, encoding="utf-8")


async def test_a_theme_file_named_with_an_escape_sequence_is_reported_printably(tmp_path: Path) -> None:
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / f"evil{TITLE}{CLIPBOARD}.toml").write_text('name = "x"\n')  # no primary: skipped
    app = MessengerApp(
        FakeMessenger(), register_themes=lambda a: register_themes(a, [*packaged_theme_dirs(), themes])
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = [t for t in toasts(pilot) if "evil" in t]
        assert shown and "skipped" in shown[0]
        assert all(printable(t) for t in toasts(pilot)), toasts(pilot)


async def test_a_keys_id_with_an_escape_sequence_is_reported_printably(tmp_path: Path) -> None:
    toml = f'[keys]\n"evil{TITLE}" = "ctrl+t"\n"odd{CLIPBOARD}" = "ctrl+y"\n'
    write_config(tmp_path, toml.replace("\x1b", "\\u001b").replace("\x07", "\\u0007"))  # TOML escapes
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("no binding" in t and "evil" in t for t in toasts(pilot)), toasts(pilot)
        assert all(printable(t) for t in toasts(pilot)), toasts(pilot)


@pytest.mark.parametrize(
    ("keys", "named"),
    [('quit = "notakey"', "quit"), ('help = "notakey"', "help"), ('help = "ctrl+q"', "help")],
    ids=["quit-to-no-key", "help-to-no-key", "help-takes-quit's-key"],
)
async def test_a_bad_remap_is_reported_and_quit_still_quits(tmp_path: Path, keys: str, named: str) -> None:
    write_config(tmp_path, f"[keys]\n{keys}\n")
    app = build_test_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any(named in t and "ignored" in t for t in toasts(pilot)), toasts(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code is not None  # ctrl+q left the app


def test_notakey_is_not_a_key(tmp_path: Path) -> None:
    write_config(tmp_path, '[keys]\nquit = "notakey"\nhelp = "f5"\nfind-in-chat = "ctrl+g,question_mark"\n')
    config = load_config(tmp_path / "config")
    assert config.keymap == {"help": "f5", "find-in-chat": "ctrl+g,question_mark"}
    assert len(config.problems) == 1 and "notakey" in config.problems[0]


async def test_more_problems_than_shown_are_counted(tmp_path: Path) -> None:
    extra = 3
    sections = "".join(f"[bogus{i}]\n" for i in range(PROBLEMS_SHOWN + extra))
    write_config(tmp_path, sections)
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        toast = next(t for t in toasts(pilot) if "bogus" in t)
        lines = toast.splitlines()
        assert len(lines) == PROBLEMS_SHOWN + 1
        assert lines[-1] == f"… and {extra} more"
