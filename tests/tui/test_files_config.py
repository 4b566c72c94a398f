"""Where saved files go: config.toml's [files] downloads, overridable by AppSettings and the test app."""

from __future__ import annotations

from pathlib import Path

from tui_messenger.bootstrap import build_test_app
from tui_messenger.settings import AppSettings, resolve
from tui_messenger.tui.config import parse_config


def test_the_config_file_names_the_downloads_folder() -> None:
    config = parse_config({"files": {"downloads": "~/Saved files"}})
    assert config.downloads == Path.home() / "Saved files" and config.problems == ()


def test_a_bad_downloads_setting_is_reported_and_ignored() -> None:
    for data in ({"files": {"downloads": 3}}, {"files": {"downloads": "  "}}, {"files": "Downloads"}):
        config = parse_config(data, "config.toml")
        assert config.downloads is None
        assert len(config.problems) == 1 and "[files]" in config.problems[0]


def test_settings_then_the_file_then_the_system_folder(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    folder.mkdir()
    assert resolve(AppSettings(config_dir=folder)).downloads is None  # the service asks platformdirs later
    (folder / "config.toml").write_text(f'[files]\ndownloads = "{tmp_path / "from-file"}"\n')
    assert resolve(AppSettings(config_dir=folder)).downloads == tmp_path / "from-file"
    assert resolve(AppSettings(config_dir=folder, downloads=tmp_path / "cli")).downloads == tmp_path / "cli"


async def test_the_test_app_saves_where_the_config_file_says(tmp_path: Path) -> None:
    assert build_test_app(tmp_path).messenger.downloads == tmp_path / "downloads"  # type: ignore[attr-defined]
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(f'[files]\ndownloads = "{tmp_path / "mine"}"\n')
    app = build_test_app(tmp_path)
    assert await app.messenger.downloads_folder() == tmp_path / "mine"  # type: ignore[attr-defined]
    other = build_test_app(tmp_path, downloads=tmp_path / "given")
    assert await other.messenger.downloads_folder() == tmp_path / "given"  # type: ignore[attr-defined]
