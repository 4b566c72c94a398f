"""The factory: the real app refuses a bad scenario with one line; the test app shows the demo world."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_messenger.bootstrap import BootError, UiState, build_app, build_test_app, load_world
from tui_messenger.settings import AppSettings
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
        app = build_app(settings, db=db)
        assert app.theme == "tui-light"
        assert UiState(tmp_path / "cfg").load()["theme"] == "tui-light"
        again = build_app(AppSettings(config_dir=tmp_path / "cfg"), db=db)
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


def test_damage_in_the_history_found_after_the_first_frame_closes_the_app_untouched(tmp_path: Path) -> None:
    """The history's check runs after the first frame (store/preflight.py): a damage there closes the app
    with the one line and exit code 2 of a damage found before the screen, and nothing was written."""
    import hashlib
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    sys.path.insert(0, str(Path(__file__).parent / "store"))
    from test_preflight_deferred import damaged

    path = tmp_path / "history.db"
    damaged(path, "messages")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    master, slave = pty.openpty()
    env = os.environ | {"TERM": "xterm-256color", "TUI_MESSENGER_CONFIG_DIR": str(tmp_path / "config")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui_messenger", "--db", str(path), "--drop", "1"],
        stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    os.close(slave)
    deadline = time.monotonic() + 60
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.returncode == 2, err[-2000:]
    assert "Traceback" not in err
    # Textual draws on stderr; the message is the one line after the terminal is restored.
    last = err.strip().splitlines()[-1]
    assert f"tui-messenger: {path}: database is damaged (quick_check: " in last
    assert last.endswith(")")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_the_collector_is_off_only_while_the_app_starts(tmp_path: Path) -> None:
    """run_app turns the cyclic collector off for the imports and the first frame; tune_gc (once the service
    is built) and any way out of run_app turn it back on."""
    import gc

    from tui_messenger.bootstrap import run_app
    from tui_messenger.tui.quiet_gc import tune_gc

    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database, " * 512)
    with pytest.raises(BootError):
        run_app(AppSettings(db_path=bad, config_dir=tmp_path / "cfg"))
    assert gc.isenabled()
    gc.disable()
    try:
        tune_gc()
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


# Issue 12: state.json is a small private file of ours ----------------------------------------------------
def test_state_is_saved_0600_in_a_0700_folder_through_a_fresh_temporary_name(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "cfg" / "deeper"
    old = os.umask(0o022)
    try:
        os.makedirs(tmp_path / "elsewhere")
        victim = tmp_path / "elsewhere" / "victim"
        victim.write_text("keep", encoding="utf-8")
        folder.mkdir(parents=True, mode=0o700)
        (folder / "state.tmp").symlink_to(victim)  # the fixed name the old code wrote through
        UiState(folder).save(theme="tui-light")
        assert victim.read_text(encoding="utf-8") == "keep"
        assert UiState(folder).load() == {"theme": "tui-light"}
        assert (folder / "state.json").stat().st_mode & 0o777 == 0o600
        assert sorted(p.name for p in folder.iterdir()) == ["state.json", "state.tmp"]  # no temp left
        fresh = tmp_path / "new" / "cfg"
        UiState(fresh).save(theme="tui-dark")
        assert fresh.stat().st_mode & 0o777 == 0o700 and fresh.parent.stat().st_mode & 0o777 == 0o700
    finally:
        os.umask(old)


def test_a_hostile_state_file_is_ignored_at_once(tmp_path: Path) -> None:
    import os
    import threading

    folder = tmp_path / "cfg"
    folder.mkdir()
    state = folder / "state.json"
    os.mkfifo(state)  # a FIFO would block the start-up for ever
    result: list[dict[str, str]] = []
    reader = threading.Thread(target=lambda: result.append(UiState(folder).load()), daemon=True)
    reader.start()
    reader.join(timeout=5)
    assert result == [{}], "loading a FIFO as state.json blocked"
    state.unlink()
    state.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")  # RecursionError in json
    assert UiState(folder).load() == {}
    state.write_text('{"theme": "' + "x" * 300_000 + '"}', encoding="utf-8")  # over the size cap
    assert UiState(folder).load() == {}


def test_loosened_config_and_cache_folders_are_tightened_with_a_notice(tmp_path: Path, monkeypatch) -> None:
    import os

    from tui_messenger.bootstrap import private_folders

    config, cache = tmp_path / "cfg", tmp_path / "cache"
    for folder in (config, cache):
        folder.mkdir()
        os.chmod(folder, 0o755)
    monkeypatch.setenv("TUI_MESSENGER_CACHE_DIR", str(cache))
    notices = private_folders(AppSettings(config_dir=config))
    assert len(notices) == 2 and all("0755" in line and "now 0700" in line for line in notices), notices
    assert config.stat().st_mode & 0o777 == cache.stat().st_mode & 0o777 == 0o700
    assert private_folders(AppSettings(config_dir=config)) == []
