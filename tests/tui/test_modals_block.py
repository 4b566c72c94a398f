"""The block dialog by keyboard and by mouse."""

from __future__ import annotations

from modal_host import HOSTILE, HOSTILE_VISIBLE, ModalHost, assert_no_controls, screen_text, tab_to

from tui_messenger.domain.models import BlockReason
from tui_messenger.tui.modals import BlockModal, BlockResult

SIZE = (120, 40)


async def test_block_by_keyboard_with_report_unchecked() -> None:
    app = ModalHost(BlockModal("Nordbank", is_business=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app.screen)
        assert "Block Nordbank?" in text
        assert "Blocked contacts cannot message you." in text
        # Focus starts on the reasons with the cursor on the first; move down two to "Spam", choose it.
        assert app.focused is not None and app.focused.id == "block-reasons"
        await pilot.press("down", "down", "enter")
        await tab_to(pilot, "block-also-report")
        await pilot.press("space")  # uncheck "Also report"
        await tab_to(pilot, "block-confirm")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [BlockResult(reason=BlockReason.SPAM, also_report=False)]


async def test_block_by_mouse_keeps_report_checked() -> None:
    app = ModalHost(BlockModal("Anna Becker"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#block-reason-3")  # Offensive
        await pilot.click("#block-confirm")
        await pilot.pause()
    assert app.results == [BlockResult(reason=BlockReason.OFFENSIVE, also_report=True)]


async def test_block_default_reason_is_no_reason() -> None:
    app = ModalHost(BlockModal("Anna Becker"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await tab_to(pilot, "block-confirm")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [BlockResult(reason=BlockReason.NO_REASON, also_report=True)]


async def test_block_cancel_by_escape_and_by_click() -> None:
    app = ModalHost(BlockModal("Nordbank"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]
        app.push_screen(BlockModal("Nordbank"), app.results.append)
        await pilot.pause()
        await pilot.click("#block-cancel")
        await pilot.pause()
    assert app.results == [None, None]


async def test_block_hostile_name_is_literal() -> None:
    app = ModalHost(BlockModal(HOSTILE))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app.screen)
        for piece in HOSTILE_VISIBLE:
            assert piece in text
        assert_no_controls(app.screen)
        # The [@click=app.quit] in the name is not an action: clicking the title does nothing.
        await pilot.click("#dialog-title")
        await pilot.pause()
        assert app.is_running
