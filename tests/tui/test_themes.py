"""Theme files: the built-in ones load and carry every app colour; broken files are reported once and
skipped; the wheel ships them; the App registers them and the palette's picker can switch."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from modal_host import ModalHost

from tui_messenger.tui.modals import ConfirmModal
from tui_messenger.tui.themes import (
    DEFAULT_THEME,
    THEME_VARIABLE_DEFAULTS,
    load_theme,
    load_themes,
    packaged_theme_dirs,
    theme_dirs,
    user_theme_dir,
)

REPO = Path(__file__).resolve().parents[2]
BUILT_IN = {"tui-dark", "tui-light", "tui-high-contrast"}


def test_built_in_themes_load_with_every_app_colour() -> None:
    themes, problems = load_themes(packaged_theme_dirs())
    assert problems == []
    by_name = {theme.name: theme for theme in themes}
    assert BUILT_IN <= set(by_name)
    assert DEFAULT_THEME in by_name
    for theme in by_name.values():
        assert set(THEME_VARIABLE_DEFAULTS) <= set(theme.variables), theme.name
    assert by_name["tui-light"].dark is False and by_name["tui-dark"].dark is True


def test_theme_dirs_reads_the_checkout_and_the_given_user_folder(tmp_path: Path) -> None:
    dirs = theme_dirs(user_dir=tmp_path)
    assert dirs[0] == REPO / "themes"
    assert dirs[-1] == tmp_path


def test_user_theme_dir_is_not_created_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TUI_MESSENGER_CONFIG_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    path = user_theme_dir()
    assert path == tmp_path / "tui-messenger" / "themes"
    assert not path.exists()
    old = os.umask(0o022)
    try:
        assert user_theme_dir(create=True).is_dir()
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == path.parent.stat().st_mode & 0o777 == 0o700  # issue 12: private


def test_user_theme_dir_follows_the_config_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUI_MESSENGER_CONFIG_DIR", str(tmp_path / "cfg"))
    assert user_theme_dir() == tmp_path / "cfg" / "themes"
    assert theme_dirs()[-1] == tmp_path / "cfg" / "themes"


GOOD = """name = "my-theme"
primary = "#336699"
dark = false
[variables]
badge = "#0000ff"
"""

BROKEN = {
    "not-toml.toml": "name = ",
    "no-primary.toml": 'name = "x"\n',
    "bad-colour.toml": 'name = "x"\nprimary = "notacolour"\n',
    "bad-variable.toml": 'name = "x"\nprimary = "#123456"\n[variables]\nbadge = "red; } X { }"\n',
    "css-smuggling.toml": 'name = "x"\nprimary = "#123456"\n[variables]\nfooter-x = "a; }"\n',
    "unknown-key.toml": 'name = "x"\nprimary = "#123456"\ncolour = "red"\n',
    "bad-name.toml": 'name = "[b]x"\nprimary = "#123456"\n',
    "bad-dark.toml": 'name = "x"\nprimary = "#123456"\ndark = "yes"\n',
    "not-utf8.toml": b'name = "\xff"\nprimary = "#123456"\n',
}


@pytest.mark.parametrize("file_name", sorted(BROKEN))
def test_a_broken_file_is_one_problem_and_skipped(tmp_path: Path, file_name: str) -> None:
    (tmp_path / "good.toml").write_text(GOOD)
    content = BROKEN[file_name]
    path = tmp_path / file_name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    themes, problems = load_themes([tmp_path])
    assert [theme.name for theme in themes] == ["my-theme"]
    assert len(problems) == 1
    assert file_name in problems[0] and "skipped" in problems[0]


def test_missing_folders_are_silent_and_user_themes_override(tmp_path: Path) -> None:
    (tmp_path / "dark.toml").write_text('name = "tui-dark"\nprimary = "#ff0000"\n')
    themes, problems = load_themes([*packaged_theme_dirs(), tmp_path / "missing", tmp_path])
    assert problems == []
    assert {theme.name: theme for theme in themes}["tui-dark"].primary == "#ff0000"


def test_load_theme_of_a_directory_reports_it(tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    themes, problems = load_themes([tmp_path])
    assert themes == [] and len(problems) == 1 and "folder.toml" in problems[0]
    with pytest.raises(ValueError):
        load_theme(folder)


@pytest.mark.parametrize("name", sorted(BUILT_IN))
async def test_each_theme_applies_with_the_app_css(name: str) -> None:
    # Switching theme regenerates every stylesheet: an unknown $variable or a bad colour fails here.
    app = ModalHost(ConfirmModal("Unblock Nordbank?", "They will be able to message you again."))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.theme = name
        await pilot.pause()
        assert app.current_theme.name == name
        assert app.get_css_variables()["scam-banner"] == app.current_theme.variables["scam-banner"]


async def test_textual_theme_without_our_variables_uses_the_defaults() -> None:
    app = ModalHost(ConfirmModal("Hi"))
    async with app.run_test(size=(120, 40)) as pilot:
        app.theme = "nord"
        await pilot.pause()
        assert app.get_css_variables()["badge"] == THEME_VARIABLE_DEFAULTS["badge"]


async def test_theme_picker_in_the_palette_lists_our_themes() -> None:
    app = ModalHost(ConfirmModal("Hi"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.search_themes()
        await pilot.pause()
        await pilot.press(*"tui-high")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "tui-high-contrast"


@pytest.mark.slow
def test_the_wheel_ships_the_themes(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)]
    # With the build backend installed the build needs no network; without it pip fetches hatchling.
    if importlib.util.find_spec("hatchling") is not None:
        command.insert(5, "--no-build-isolation")
    started = time.monotonic()
    built = subprocess.run(command, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("tui_messenger-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in BUILT_IN:
        assert f"tui_messenger/themes/{name}.toml" in names
    assert "tui_messenger/tui/themes.py" in names
    # An installed package finds them next to itself: unpack and load from there.
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    themes, problems = load_themes([tmp_path / "site" / "tui_messenger" / "themes"])
    assert BUILT_IN <= {theme.name for theme in themes} and problems == []
    assert time.monotonic() - started < 120
