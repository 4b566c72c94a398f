"""Keys: every binding has an id and a description, the help screen lists them (F1, ?, palette), and
config.toml remaps them; a bad file is one toast, never a crash."""

from __future__ import annotations

from pathlib import Path

from app_helpers import SIZE, settle, text

from tui_messenger.bootstrap import build_test_app
from tui_messenger.tui.app import MessengerApp
from tui_messenger.tui.config import load_config
from tui_messenger.tui.keys import binding_groups
from tui_messenger.tui.modals.help import HelpModal
from tui_messenger.tui.widgets.composer import Composer


def test_every_binding_has_a_kebab_case_id_and_a_description() -> None:
    for _, bindings in binding_groups(MessengerApp):
        for binding in bindings:
            assert binding.id and binding.id == binding.id.lower() and " " not in binding.id, binding
            assert binding.description, binding


def test_config_file_parsing(tmp_path: Path) -> None:
    assert load_config(tmp_path) == load_config(tmp_path / "missing")
    (tmp_path / "config.toml").write_text('[keys]\nhelp = "ctrl+k"\n[notifications]\nbell = true\n')
    config = load_config(tmp_path)
    assert config.keymap == {"help": "ctrl+k"} and config.bell and not config.problems
    (tmp_path / "config.toml").write_text("[keys\nnot toml [")
    assert load_config(tmp_path).problems and load_config(tmp_path).keymap == {}
    (tmp_path / "config.toml").write_bytes(b"\xff\xfe\x00")
    assert load_config(tmp_path).problems


async def test_f1_and_question_mark_open_help_escape_closes(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Help" in text(pilot)  # in the footer
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpModal)
        shown = text(pilot)
        assert "find-in-chat" in shown and "Find in chat" in shown and "Main screen" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HelpModal)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpModal)
        await pilot.click("#help-close")  # by mouse
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HelpModal)


async def test_question_mark_in_the_composer_is_text(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        anna = await pilot.app.messenger.chat_for_account("anna")  # type: ignore[attr-defined]
        pilot.app.screen.open_chat(anna.chat.id)
        await settle(pilot)
        composer = pilot.app.screen.query_one(Composer)
        composer.focus()
        await pilot.press("o", "k", "question_mark")
        assert composer.text.endswith("ok?")
        assert not isinstance(pilot.app.screen, HelpModal)


async def test_config_remaps_a_key_and_help_shows_it(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('[keys]\nhelp = "ctrl+k"\n')
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")  # no longer bound
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HelpModal)
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpModal)
        assert "^k" in text(pilot).lower() or "ctrl+k" in text(pilot).lower()


async def test_a_bad_config_is_one_toast_and_ignored(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('[keys]\nno-such-binding = "x"\nhelp = 3\n[bogus]\n')
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        toasts = list(pilot.app.shown_toasts)
        assert len(toasts) == 1 and "no-such-binding" in toasts[0].message
        await pilot.press("f1")  # defaults still work
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpModal)
