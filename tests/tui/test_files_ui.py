"""Files on screen, on the real app (`build_test_app`: own database, fixed clock, the fake peer): the
boarding pass arrives as a card and is saved by key and by click into the test's downloads folder; files
are sent through the picker by keyboard and by mouse; the cap error shows inline; hostile names are shown
safely with their warning."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app_helpers import (
    SIZE,
    highlighted_command,
    make_app,
    open_chat_by_keyboard,
    settle,
    text,
    toasts,
    until_dialog,
    view_text,
    wait_for,
)
from fake_messenger import FakeMessenger
from textual.pilot import Pilot
from textual.widgets import Button, DirectoryTree, Input, Static

from tui_messenger.bootstrap import build_test_app
from tui_messenger.domain.files import MAX_FILE_BYTES, document_payload, sniff
from tui_messenger.domain.models import Account, AttachmentInfo, ChatMessage, Direction, MessageKind
from tui_messenger.tui.modals.file_picker import FilePickerModal
from tui_messenger.tui.modals.save_file import SaveFileModal
from tui_messenger.tui.widgets.composer import Composer
from tui_messenger.tui.widgets.message_view import MessageView

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"


async def open_account(pilot: Pilot[Any], account_id: str) -> int:
    summary = await pilot.app.messenger.chat_for_account(account_id)  # type: ignore[attr-defined]
    assert summary is not None
    await open_chat_by_keyboard(pilot, summary.chat.id)
    return summary.chat.id


async def boarding_pass(pilot: Pilot[Any]) -> MessageView:
    """Ask SkyWays for the boarding pass and let the fake network's clock run until the PDF is here."""
    await open_account(pilot, "skyways")
    composer = pilot.app.screen.query_one(Composer)
    composer.text = "boarding pass please"
    await pilot.press("enter")
    await settle(pilot)
    for _ in range(6):
        await pilot.app.messenger.jump_ahead(5)  # type: ignore[attr-defined]
        await settle(pilot)
        if "boarding-pass-SK123.pdf" in view_text(pilot):
            break
    view = pilot.app.screen.query_one(MessageView)
    assert "📄 boarding-pass-SK123.pdf · PDF document · " in view_text(pilot)
    assert "⤓ Save · s or click" in view_text(pilot)
    return view


def card_cell(view: MessageView, words: str = "⤓ Save") -> tuple[int, int]:
    for y in range(view.size.height):
        line = view.render_line(y).text
        if words in line:
            return line.index(words) + 1, y
    raise AssertionError(f"{words!r} is not on screen")


async def save_by_key(pilot: Pilot[Any]) -> MessageView:
    """From a fresh start: the boarding pass asked for, then saved with `s` on the newest message."""
    await settle(pilot)
    view = await boarding_pass(pilot)
    view.focus()
    await pilot.press("end", "s")
    return view


async def test_save_the_boarding_pass_by_key(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        view = await save_by_key(pilot)
        downloads = tmp_path / "downloads"
        await wait_for(pilot, lambda: (downloads / "boarding-pass-SK123.pdf").exists(), rounds=500)
        saved = (downloads / "boarding-pass-SK123.pdf").read_bytes()
        assert saved.startswith(b"%PDF-1.4") and b"Gate B22" in saved
        await wait_for(pilot, lambda: bool(toasts(pilot)), rounds=500)
        assert toasts(pilot) == [f"Saved to {downloads / 'boarding-pass-SK123.pdf'}"]
        await wait_for(pilot, lambda: "✓ Saved to" in view_text(pilot))  # the card says so
        assert "⤓ Save again · s or click" in view_text(pilot) and "⤓ Save ·" not in view_text(pilot)
        await pilot.press("s")  # again: a second copy, never over the first
        await wait_for(pilot, lambda: (downloads / "boarding-pass-SK123 (1).pdf").exists(), rounds=500)
        assert (downloads / "boarding-pass-SK123.pdf").read_bytes() == saved
        newest = view.messages[-1]
        await wait_for(pilot, lambda: view.messages[-1].attachment.saved_to is not None)
        assert view.messages[-1].message_id == newest.message_id
        assert view.messages[-1].attachment.saved_to == str(downloads / "boarding-pass-SK123 (1).pdf")


async def test_a_saved_file_says_so_after_a_restart(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await save_by_key(pilot)
        await wait_for(pilot, lambda: "✓ Saved to" in view_text(pilot), rounds=500)
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_account(pilot, "skyways")
        shown = view_text(pilot)
        assert "✓ Saved to" in shown and "⤓ Save again · s or click" in shown


async def test_save_the_boarding_pass_by_clicking_its_card(tmp_path: Path) -> None:
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await boarding_pass(pilot)
        x, y = card_cell(view)
        await pilot.click(MessageView, offset=(x, y))
        await until_dialog(pilot)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SaveFileModal), rounds=500)
        dialog = pilot.app.screen
        assert isinstance(dialog, SaveFileModal)
        shown = " ".join(text(pilot).split())
        assert "boarding-pass-SK123.pdf" in shown and "PDF document" in shown
        assert f"Into {tmp_path / 'downloads'} " in str(dialog.query_one("#save-folder", Static).render())
        await pilot.click("#save-no")  # Cancel writes nothing
        await settle(pilot)
        assert not (tmp_path / "downloads").exists()
        await pilot.click(MessageView, offset=card_cell(view))
        await until_dialog(pilot)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SaveFileModal), rounds=500)
        await pilot.click("#save-yes")
        await wait_for(
            pilot, lambda: (tmp_path / "downloads" / "boarding-pass-SK123.pdf").exists(), rounds=500
        )
        await wait_for(pilot, lambda: "✓ Saved to" in view_text(pilot))
        await pilot.click(MessageView, offset=card_cell(view, "⤓ Save again"))  # still a button
        await until_dialog(pilot)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, SaveFileModal), rounds=500)


def picker(pilot: Pilot[Any]) -> FilePickerModal:
    screen = pilot.app.screen
    assert isinstance(screen, FilePickerModal)
    return screen


async def sent_documents(pilot: Pilot[Any], chat_id: int) -> list[ChatMessage]:
    page = await pilot.app.messenger.latest_page(chat_id)  # type: ignore[attr-defined]
    return [m for m in page if m.kind is MessageKind.DOCUMENT and m.outgoing]


async def test_send_a_file_through_the_picker_by_keyboard(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "ticket.pdf").write_bytes(PDF)
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.conversation.files.picker_start = folder  # type: ignore[attr-defined]
        anna = await open_account(pilot, "anna")
        await pilot.press("ctrl+n")
        await until_dialog(pilot)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FilePickerModal), rounds=500)
        tree = picker(pilot).query_one(DirectoryTree)
        await wait_for(
            pilot, lambda: tree.cursor_node is not None and len(tree.root.children) == 1, rounds=500
        )
        assert tree.has_focus
        await pilot.press("down", "enter")  # the file under the folder: picked, then the caption
        await wait_for(pilot, lambda: not picker(pilot).query_one("#file-send", Button).disabled, rounds=500)
        assert picker(pilot).query_one("#file-path", Input).value == str(folder / "ticket.pdf")
        info = str(picker(pilot).query_one("#file-info", Static).render())
        assert "ticket.pdf · " in info and " B" in info
        await pilot.press(*"for saturday", "enter")
        await settle(pilot)
        (sent,) = await sent_documents(pilot, anna)
        assert sent.attachment.file_name == "ticket.pdf" and sent.body.endswith("\nfor saturday")
        assert sent.attachment.sha256 == hashlib.sha256(PDF).hexdigest()
        shown = view_text(pilot)
        assert "📄 ticket.pdf · PDF document" in shown and "for saturday" in shown


async def test_send_a_file_through_the_picker_by_mouse(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "notes.txt").write_bytes(b"plain words\n")
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.conversation.files.picker_start = folder  # type: ignore[attr-defined]
        anna = await open_account(pilot, "anna")
        from textual.widgets._footer import FooterKey  # noqa: PLC2701 - the footer's key is what one clicks

        key = next(k for k in pilot.app.screen.query(FooterKey) if k.key == "ctrl+n")
        await pilot.click(key)
        await until_dialog(pilot)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FilePickerModal), rounds=500)
        tree = picker(pilot).query_one(DirectoryTree)
        await wait_for(pilot, lambda: len(tree.root.children) == 1, rounds=500)
        await pilot.click(DirectoryTree, offset=(6, 2))  # the file's row: under the border and the folder
        await wait_for(pilot, lambda: not picker(pilot).query_one("#file-send", Button).disabled, rounds=500)
        await pilot.click("#file-send")
        await settle(pilot)
        (sent,) = await sent_documents(pilot, anna)
        assert sent.attachment.file_name == "notes.txt" and sent.attachment.mime_type == "text/plain"


async def test_a_path_typed_as_soon_as_the_picker_opens_goes_in_the_path_field(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(b"plain words\n")
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        anna = await open_account(pilot, "anna")
        await pilot.press("ctrl+n")
        await until_dialog(pilot)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FilePickerModal), rounds=500)
        assert picker(pilot).query_one(DirectoryTree).has_focus  # the tree first, as before
        await pilot.press(*str(tmp_path / "notes.txt"), "tab", *"my notes")
        dialog = picker(pilot)
        assert dialog.query_one("#file-path", Input).value == str(tmp_path / "notes.txt")
        assert dialog.query_one("#file-caption", Input).value == "my notes"
        await wait_for(pilot, lambda: not dialog.query_one("#file-send", Button).disabled, rounds=500)
        await pilot.press("enter")
        await settle(pilot)
        (sent,) = await sent_documents(pilot, anna)
        assert sent.attachment.file_name == "notes.txt" and sent.body.endswith("\nmy notes")


async def test_the_picker_says_inline_when_a_file_is_over_the_cap(tmp_path: Path) -> None:
    (tmp_path / "video.mp4").write_bytes(b"\x00" * (MAX_FILE_BYTES + 1))
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.conversation.files.picker_start = tmp_path  # type: ignore[attr-defined]
        anna = await open_account(pilot, "anna")
        await pilot.press("ctrl+n")
        await until_dialog(pilot)
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FilePickerModal), rounds=500)
        dialog = picker(pilot)
        path = dialog.query_one("#file-path", Input)
        path.focus()
        path.value = "video.mp4"  # relative to the folder shown
        info = dialog.query_one("#file-info", Static)
        await wait_for(pilot, lambda: "can be sent" in str(info.render()), rounds=500)
        assert str(info.render()) == "video.mp4 is 1,048,577 bytes: files up to 1,048,576 bytes can be sent"
        assert info.has_class("-error") and dialog.query_one("#file-send", Button).disabled
        await pilot.press("enter")  # refused: the dialog stays
        await pilot.pause()
        assert pilot.app.screen is dialog
        path.value = str(tmp_path / "missing.pdf")
        await wait_for(pilot, lambda: "No such file" in str(info.render()), rounds=500)
        await pilot.press("escape")
        await settle(pilot)
        assert await sent_documents(pilot, anna) == []


def hostile_world() -> FakeMessenger:
    m = FakeMessenger()
    chat = m.add_chat(Account("mallory", "Mallory"))
    for n, (name, data) in enumerate(
        [("invoice\u202efdp.exe", b"MZ\x90\x00 not really"), ("red\x1b[31m\x1b]2;pwned\x07.pdf", PDF)]
    ):
        info = AttachmentInfo(name, "application/pdf", len(data), hashlib.sha256(data).hexdigest())
        message = ChatMessage(
            message_id=f"f{n}", chat_id=chat.id, sender_id="mallory", direction=Direction.INBOUND,
            kind=MessageKind.DOCUMENT, body=f"📄 {name}", sent_at=datetime(2026, 1, 5, 9, n, tzinfo=UTC),
            attachment=info, payload=document_payload(sniff(data)),
        )  # fmt: skip
        m.put(message, unread=False)
    return m


async def test_hostile_file_names_are_shown_safely_with_their_warning() -> None:
    messenger = hostile_world()
    async with make_app(messenger).run_test(size=SIZE) as pilot:
        await settle(pilot)
        chat = (await messenger.chat_list())[0].chat.id
        await open_chat_by_keyboard(pilot, chat)
        shown = view_text(pilot)
        flat = " ".join(shown.split())  # the warning wraps inside the bubble
        assert "📄 invoice⟨U+202E⟩fdp.exe · Windows program · 15 B" in shown
        assert "⚠ This is a Windows program, named .exe: opening it runs code" in flat
        assert "📄 red.pdf · PDF document" in shown and "⚠ Its name hides characters" in shown
        assert not any(ch in shown for ch in "\u202e\x1b\x07")


async def test_send_a_file_is_in_help_the_palette_and_remappable(tmp_path: Path) -> None:
    from tui_messenger.tui.app import MessengerApp
    from tui_messenger.tui.keys import key_rows

    rows = {row.binding_id: row for row in key_rows(MessengerApp, {})}
    assert (rows["send-file"].keys, rows["send-file"].group) == ("ctrl+n", "Main screen")
    assert (rows["history-save-file"].keys, rows["history-save-file"].description) == ("s", "Save file")
    async with build_test_app(tmp_path, keymap={"send-file": "f2"}).run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_account(pilot, "anna")
        await pilot.press("f2")  # remapped
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FilePickerModal), rounds=500)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, FilePickerModal), rounds=500)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"send a file")
        await wait_for(pilot, lambda: "Send a file…" in highlighted_command(pilot), rounds=500)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FilePickerModal), rounds=500)


async def test_a_file_whose_name_hides_a_bidi_override_is_shown_safely_and_sent_as_it_is(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    tricky = "photo\u202egnp.exe"
    (folder / tricky).write_bytes(b"\x89PNG\r\n\x1a\n not really")
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.screen.conversation.files.picker_start = folder  # type: ignore[attr-defined]
        anna = await open_account(pilot, "anna")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FilePickerModal), rounds=500)
        tree = picker(pilot).query_one(DirectoryTree)
        await wait_for(pilot, lambda: len(tree.root.children) == 1, rounds=500)
        await pilot.pause()
        shown = " ".join(text(pilot).split())
        assert "photo⟨U+202E⟩gnp.exe" in shown and "\u202e" not in text(pilot)
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: not picker(pilot).query_one("#file-send", Button).disabled, rounds=500)
        await pilot.click("#file-send")
        await settle(pilot)
        (sent,) = await sent_documents(pilot, anna)
        assert sent.attachment.file_name == tricky  # the file's own name; the receiver is warned about it
        assert "📄 photo⟨U+202E⟩gnp.exe" in view_text(pilot) and "\u202e" not in view_text(pilot)
