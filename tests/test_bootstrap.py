"""The factory: the real app refuses a bad scenario with one line; the test app shows the demo world."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_messenger.bootstrap import AppSettings, BootError, UiState, build_app, build_test_app, load_world
from tui_messenger.store.database import open_database


def test_bad_scenario_file_is_one_line_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[scenario]\nname = "x"\n[[accounts]\nid = 1\n', encoding="utf-8")
    with pytest.raises(BootError) as caught:
        load_world(str(bad))
    assert str(caught.value).startswith(f"{bad}:")
    assert "\n" not in str(caught.value)
    assert caught.value.exit_code == 2


def test_theme_choice_is_remembered(tmp_path: Path) -> None:
    db = open_database(tmp_path / "m.db")
    try:
        settings = AppSettings(db_path=tmp_path / "m.db", theme="tui-light", config_dir=tmp_path / "cfg")
        app = build_app(settings, db)
        assert app.theme == "tui-light"
        assert UiState(tmp_path / "cfg").load()["theme"] == "tui-light"
        again = build_app(AppSettings(config_dir=tmp_path / "cfg"), db)
        assert again.theme == "tui-light"
    finally:
        db.close()


async def test_test_app_shows_the_demo_world(tmp_path: Path) -> None:
    app = build_test_app(tmp_path, seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(5):
            await pilot.pause()
            await app.workers.wait_for_complete()
        rows = "\n".join(app.screen.query_one("#chat-options").render_line(y).text for y in range(30))
    for name in ("Anna Becker", "Nordbank", "SkyWays Airlines", "MegaDeals 24", "N0rdbank Support"):
        assert name in rows
    assert "looks like Nordbank" in rows
