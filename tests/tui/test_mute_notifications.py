"""Per-chat mute for 8 hours, a week or always (dialog by keyboard and mouse, and the palette), and the
optional terminal bell with the toast for other chats."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path

from app_helpers import SIZE, chat_id, palette, settle, until_dialog

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.events import Notified
from tui_messenger.tui.modals.mute import MuteModal


async def test_mute_for_8_hours_by_keyboard_always_by_mouse_unmute_from_palette(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        anna = await chat_id(pilot, "anna")
        pilot.app.screen.open_chat(anna)
        await settle(pilot)
        messenger = pilot.app.messenger
        now = pilot.app.now()
        await pilot.press("ctrl+t")
        await until_dialog(pilot)
        assert isinstance(pilot.app.screen, MuteModal)
        await pilot.press("enter")  # "8 hours" has the focus
        await settle(pilot)
        chat = (await messenger.summary(anna)).chat  # type: ignore[attr-defined]
        assert chat.muted and chat.muted_until == now + timedelta(hours=8)
        await pilot.press("ctrl+t")
        await until_dialog(pilot)
        await pilot.click("#mute-always")
        await settle(pilot)
        chat = (await messenger.summary(anna)).chat  # type: ignore[attr-defined]
        assert chat.muted and chat.muted_until is None
        await palette(pilot, "unmute")
        chat = (await messenger.summary(anna)).chat  # type: ignore[attr-defined]
        assert not chat.muted
        await palette(pilot, "mute for 1 week")
        chat = (await messenger.summary(anna)).chat  # type: ignore[attr-defined]
        assert chat.muted and chat.muted_until == now + timedelta(weeks=1)


async def test_escape_cancels_the_mute_dialog(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        anna = await chat_id(pilot, "anna")
        pilot.app.screen.open_chat(anna)
        await settle(pilot)
        await pilot.press("ctrl+t")
        await until_dialog(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not (await pilot.app.messenger.summary(anna)).chat.muted  # type: ignore[attr-defined]


async def test_bell_rings_with_the_toast_for_other_chats_only_when_configured(tmp_path: Path) -> None:
    for bell, expected in ((True, 1), (False, 0)):
        async with build_test_app(tmp_path / str(bell), bell=bell).run_test(size=SIZE) as pilot:
            await settle(pilot)
            rung: list[int] = []
            pilot.app.bell = partial(rung.append, 1)  # type: ignore[method-assign]
            anna = await chat_id(pilot, "anna")
            pilot.app.screen.open_chat(anna)
            await settle(pilot)
            other = await chat_id(pilot, "nordbank")
            pilot.app._on_event(Notified(chat_id=other, title="Nordbank", body="hi"))
            await settle(pilot)
            assert len(rung) == expected
            assert any("hi" in n.message for n in pilot.app.shown_toasts)


async def test_bell_from_config_file(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("[notifications]\nbell = true\n")
    app = build_test_app(tmp_path)
    assert app.bell_on_notify
