"""A file still on the network (Matrix media, fetched only when saved) on screen: its card shows the type
its sender claims, its size, "over the limit" when it is, and "Download and save"; the name is shown
safely, and only a lie the name itself tells is warned of (the bytes are not here to compare)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from app_helpers import SIZE, make_app, open_chat_by_keyboard, settle, view_text
from fake_messenger import FakeMessenger
from textual.widgets import Static

from tui_messenger.domain.files import MAX_FILE_BYTES, REMOTE, document_payload
from tui_messenger.domain.models import Account, AttachmentInfo, ChatMessage, Direction, MessageKind
from tui_messenger.tui.modals.save_file import SaveFileModal


def far_world() -> FakeMessenger:
    m = FakeMessenger()
    chat = m.add_chat(Account("anna", "Anna"))
    files = [("report.pdf", 84 * 1024), ("movie.mp4", 5 * MAX_FILE_BYTES), ("red\x1b[31m.pdf.exe", 2000)]
    for n, (name, size) in enumerate(files):
        info = AttachmentInfo(name, "application/pdf", size, "", remote=True)
        message = ChatMessage(
            message_id=f"f{n}", chat_id=chat.id, sender_id="anna", direction=Direction.INBOUND,
            kind=MessageKind.DOCUMENT, body=f"📄 {name}", sent_at=datetime(2026, 1, 5, 9, n, tzinfo=UTC),
            attachment=info, payload=document_payload(REMOTE),
        )  # fmt: skip
        m.put(message, unread=False)
    return m


async def test_a_file_still_on_the_network_shows_its_claimed_type_size_and_download_and_save() -> None:
    messenger = far_world()
    async with make_app(messenger).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, (await messenger.chat_list())[0].chat.id)
        shown = view_text(pilot)
        flat = " ".join(shown.split())
        assert "📄 report.pdf · application/pdf · 84 KB" in shown
        assert "movie.mp4 · application/pdf · 5 MB · over the 1 MB limit" in flat
        assert shown.count("⤓ Download and save · s or click") == 3 and "⤓ Save · s" not in shown
        assert "⚠ Its name ends in .exe: opening it runs code" in flat
        assert "not a PDF" not in flat and "\x1b" not in shown


async def test_the_save_dialog_of_a_file_still_on_the_network_says_it_is_downloaded_then(
    tmp_path: Path,
) -> None:
    messenger = far_world()
    async with make_app(messenger).run_test(size=SIZE) as pilot:
        await settle(pilot)
        message = await messenger.message("f0")
        pilot.app.push_screen(SaveFileModal(message, tmp_path))
        await settle(pilot)
        dialog = pilot.app.screen
        assert str(dialog.query_one("#save-facts", Static).render()) == "application/pdf · 84 KB"
        assert (
            str(dialog.query_one("#save-fetch", Static).render())
            == "Downloaded from the server when you save"
        )
