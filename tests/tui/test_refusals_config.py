"""`[testers] show_refusals` in config.toml: the "Refused by the platform" lines, shown by default (the app
always runs a scenario on the fake network); the test app starts without them unless asked."""

from __future__ import annotations

from pathlib import Path

from tui_messenger.bootstrap import build_test_app
from tui_messenger.settings import AppSettings, show_refusals
from tui_messenger.tui.config import parse_config


def test_the_setting_is_read_and_a_bad_one_reported() -> None:
    assert parse_config({"testers": {"show_refusals": True}}).show_refusals is True
    assert parse_config({"testers": {"show_refusals": False}}).show_refusals is False
    assert parse_config({}).show_refusals is None
    for data in ({"testers": {"show_refusals": "yes"}}, {"testers": 1}):
        config = parse_config(data, "config.toml")
        assert (
            config.show_refusals is None and len(config.problems) == 1 and "[testers]" in config.problems[0]
        )


def test_shown_by_default_and_the_file_decides(tmp_path: Path) -> None:
    assert show_refusals(AppSettings(config_dir=tmp_path)) is True
    (tmp_path / "config.toml").write_text("[testers]\nshow_refusals = false\n")
    assert show_refusals(AppSettings(config_dir=tmp_path)) is False
    (tmp_path / "config.toml").write_text("[testers]\nshow_refusals = true\n")
    assert show_refusals(AppSettings(config_dir=tmp_path)) is True


def test_the_test_app_follows_the_file(tmp_path: Path) -> None:
    assert build_test_app(tmp_path).messenger.show_refusals is False  # type: ignore[attr-defined]
    assert build_test_app(tmp_path, refusals=True).messenger.show_refusals is True  # type: ignore[attr-defined]
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("[testers]\nshow_refusals = true\n")
    assert build_test_app(tmp_path).messenger.show_refusals is True  # type: ignore[attr-defined]


def test_the_real_app_shows_them_unless_the_file_says_no(tmp_path: Path) -> None:
    from tui_messenger.bootstrap import build_app
    from tui_messenger.store.database import open_database

    db = open_database(tmp_path / "m.db")
    try:
        settings = AppSettings(db_path=tmp_path / "m.db", config_dir=tmp_path / "config")
        assert build_app(settings, db=db).messenger.show_refusals is True  # type: ignore[attr-defined]
        (tmp_path / "config").mkdir()
        (tmp_path / "config" / "config.toml").write_text("[testers]\nshow_refusals = false\n")
        assert build_app(settings, db=db).messenger.show_refusals is False  # type: ignore[attr-defined]
    finally:
        db.close()
