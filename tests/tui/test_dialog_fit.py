"""Every button of the tall dialogs stays on screen on small terminals: the body between the title and
the buttons scrolls instead (found in a real 80x24 terminal: the report dialog's buttons were below it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import chat_id, open_chat_by_keyboard, settle, until_dialog
from modal_host import ModalHost, message
from textual.widgets import Button, Footer

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.models import BlockReason
from tui_messenger.tui.modals import BlockModal, ReportModal
from tui_messenger.tui.modals.confirm import ConfirmModal
from tui_messenger.tui.modals.export import ExportModal
from tui_messenger.tui.modals.file_picker import FilePickerModal
from tui_messenger.tui.modals.mute import MuteModal
from tui_messenger.tui.modals.sign_in import SignInModal

LONG = "A business name long enough to wrap the title of a dialog on a narrow screen, twice over"


def dialogs():
    return {
        "block": lambda: BlockModal(LONG, is_business=True),
        "report": lambda: ReportModal(LONG, [message(i, "word " * 60) for i in range(5)]),
        # found in a real 80x24 terminal: the file dialog's tree pushed its size line and buttons off
        "file": lambda: FilePickerModal(Path(__file__).parent, to=LONG),
        "export": lambda: ExportModal(LONG, "/tmp/chat.txt"),
        "sign-in": lambda: SignInModal("https://matrix.example.org", "@anna:example.org", _never),
        "mute": lambda: MuteModal(LONG, muted=False),
        "confirm": lambda: ConfirmModal(LONG, "word " * 80, yes="Delete for everyone"),
    }


async def _never(password: str) -> str | None:
    raise AssertionError("no sign-in is attempted here")


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (60, 20), (60, 16)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(dialogs()))
async def test_buttons_stay_on_screen(name: str, size: tuple[int, int]) -> None:
    app = ModalHost(dialogs()[name]())
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        dialog = screen.query_one("#dialog").region
        assert dialog.bottom <= size[1]
        for button in screen.query(Button):
            region = button.region
            assert region.height in (1, 3) and dialog.contains_region(region), (button.id, region, dialog)
        for body in screen.query("#dialog-body"):  # what scrolls when the rest leaves it too few rows
            assert body.region.bottom <= dialog.bottom


async def test_block_reasons_reachable_at_60x16() -> None:
    app = ModalHost(BlockModal(LONG, is_business=True))
    async with app.run_test(size=(60, 16)) as pilot:
        await pilot.pause()
        await pilot.press("up", "enter", "tab", "space")  # the last reason, then "Also report" off
        await pilot.click("#block-confirm")
        await pilot.pause()
    assert len(app.results) == 1
    assert app.results[0].reason is list(BlockReason)[-1] and app.results[0].also_report is False


async def test_compact_from_the_first_frame_and_back_when_the_screen_grows() -> None:
    """Compact before the first frame (a dialog that jumps after opening moves what a click aims at),
    full size again on a tall screen."""
    app = ModalHost(BlockModal(LONG, is_business=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        confirm = app.screen.query_one("#block-confirm", Button)
        assert confirm.compact and confirm.region.height == 1
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert not confirm.compact and confirm.region.height == 3


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_dialog_shows_its_own_keys_at_the_bottom(tmp_path: Path, size: tuple[int, int]) -> None:
    """The bottom row under a dialog says what works in it, not the keys of the screen behind (which
    the dialog takes: '^f Search' or '⏎ Send' there did nothing)."""
    async with build_test_app(tmp_path).run_test(size=size) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, await chat_id(pilot, "anna"))
        await pilot.press("ctrl+b")
        await until_dialog(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, BlockModal)
        footer = dialog.query_one(Footer)
        assert footer.region.bottom == size[1] and footer.region.width == size[0]
        bottom = " ".join(key.render_line(0).text for key in footer.query("FooterKey"))
        assert "Cancel" in bottom and "Search" not in bottom and "Send" not in bottom, bottom
        assert dialog.query_one("#dialog").region.bottom <= footer.region.y
