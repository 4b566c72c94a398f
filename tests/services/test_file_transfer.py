"""Files through the service: received files are checked and stored with their message, sent files go
through the outbox, saved files never overwrite and never appear half-written."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest
from service_helpers import START, directory, person, settle

from tui_messenger.domain.clock import to_ms
from tui_messenger.domain.files import MAX_FILE_BYTES, FileRefused
from tui_messenger.domain.models import MessageKind, MessageStatus
from tui_messenger.services import files as file_service
from tui_messenger.services.errors import BlockedError
from tui_messenger.transport import wire

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def document(
    mid: str, data: bytes, *, name: str = "boarding-pass.pdf", sender: str = "anna", caption: str = "",
    size: int | None = None, sha: str | None = None, encoded: str | None = None,
) -> wire.MessageFrame:  # fmt: skip
    doc = wire.Document(
        file_name=name, mime_type="application/pdf", size=len(data) if size is None else size,
        sha256=sha or hashlib.sha256(data).hexdigest(),
        data=base64.b64encode(data).decode() if encoded is None else encoded, caption=caption,
    )  # fmt: skip
    return wire.MessageFrame(
        id=mid, sender=sender, to="me", timestamp=to_ms(START), kind="document", document=doc
    )  # type: ignore[call-arg]


async def _chat(messenger, transport) -> int:
    transport.push(directory(person("anna")))
    await settle(messenger, transport)
    return (await messenger.open_chat("anna")).chat.id


async def test_a_received_file_is_stored_with_its_message_and_described_in_pages(messenger, transport):
    transport.push(directory(person("anna")), document("d1", PDF, caption="Your pass"))
    await settle(messenger, transport)
    message = await messenger.message("d1")
    assert message.kind is MessageKind.DOCUMENT
    assert message.body == "📄 boarding-pass.pdf\nYour pass"
    assert message.attachment is not None and message.attachment.size == len(PDF)
    (page_message,) = await messenger.latest_page(message.chat_id)
    assert page_message.attachment == message.attachment
    assert (await messenger.summary(message.chat_id)).chat.last_preview.startswith("📄 boarding-pass.pdf")
    assert (await messenger.search("boarding"))[0].message.message_id == "d1"  # found by its name
    acks = [key for frame in transport.sent_of(wire.AckFrame) for key in frame.ids]
    assert "d1" in acks


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (document("bad-sha", PDF, sha="0" * 64), "do not match its checksum"),
        (document("bad-size", PDF, size=len(PDF) + 1), "not the"),
        (document("bad-b64", PDF, encoded="%%%not base64%%%"), "not valid base64"),
        (document("too-big", PDF, size=100, encoded="A" * (MAX_FILE_BYTES // 3 * 4 + 64)), "limit"),
    ],
)
async def test_a_bad_file_is_refused_with_a_notice_and_acked(messenger, transport, frame, reason) -> None:
    transport.push(directory(person("anna")), frame)
    await settle(messenger, transport)
    message = await messenger.message(frame.id)
    assert message.kind is MessageKind.SYSTEM and message.attachment is None
    assert "A file was refused (boarding-pass.pdf)" in message.body and reason in message.body
    assert messenger.attachments.get(message_id=frame.id) is None
    acks = [key for f in transport.sent_of(wire.AckFrame) for key in f.ids]
    assert frame.id in acks  # handled: sending it again would fail the same way


async def test_send_file_goes_through_the_outbox(messenger, transport, tmp_path: Path) -> None:
    chat_id = await _chat(messenger, transport)
    path = tmp_path / "statement.pdf"
    path.write_bytes(PDF)
    sent = await messenger.send_file(chat_id, path, caption="as asked")
    assert sent.status is MessageStatus.PENDING and sent.kind is MessageKind.DOCUMENT
    assert sent.attachment is not None and sent.attachment.mime_type == "application/pdf"
    await settle(messenger, transport)
    assert (await messenger.message(sent.message_id)).status is MessageStatus.SENT
    (frame,) = transport.sent_of(wire.MessageFrame)
    assert frame.kind == "document" and frame.document.caption == "as asked"
    assert base64.b64decode(frame.document.data) == PDF
    assert frame.document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert messenger.attachments.get(message_id=sent.message_id).data == PDF


async def test_send_file_refuses_over_the_cap_missing_and_folders(messenger, transport, tmp_path) -> None:
    chat_id = await _chat(messenger, transport)
    big = tmp_path / "video.mp4"
    big.write_bytes(b"\x00" * (MAX_FILE_BYTES + 1))
    with pytest.raises(
        FileRefused, match=r"^video.mp4 is 1,048,577 bytes: files up to 1,048,576 bytes can be sent$"
    ):
        await messenger.send_file(chat_id, big)
    with pytest.raises(FileRefused, match="No such file"):
        await messenger.send_file(chat_id, tmp_path / "nothing.pdf")
    with pytest.raises(FileRefused, match="is not a file"):
        await messenger.send_file(chat_id, tmp_path)
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(FileRefused, match="empty"):
        await messenger.send_file(chat_id, tmp_path / "empty.txt")
    assert transport.sent_of(wire.MessageFrame) == [] and messenger.outbox_repo.all() == []
    assert await messenger.latest_page(chat_id) == []


async def test_send_file_to_a_blocked_account_is_refused(messenger, transport, tmp_path) -> None:
    from tui_messenger.domain.models import BlockReason

    chat_id = await _chat(messenger, transport)
    (tmp_path / "a.pdf").write_bytes(PDF)
    await messenger.block("anna", BlockReason.SPAM)
    with pytest.raises(BlockedError):
        await messenger.send_file(chat_id, tmp_path / "a.pdf")


async def test_save_never_overwrites(messenger, transport, tmp_path: Path) -> None:
    transport.push(directory(person("anna")), document("d1", PDF), document("d2", b"%PDF-1.4 other"))
    await settle(messenger, transport)
    folder = tmp_path / "Downloads"
    folder.mkdir()
    (folder / "boarding-pass.pdf").write_bytes(b"mine, keep me")
    first = await messenger.save_attachment("d1", folder)
    second = await messenger.save_attachment("d2", folder)
    again = await messenger.save_attachment("d1", folder)
    assert [p.name for p in (first, second, again)] == [
        "boarding-pass (1).pdf", "boarding-pass (2).pdf", "boarding-pass (3).pdf",
    ]  # fmt: skip
    assert (folder / "boarding-pass.pdf").read_bytes() == b"mine, keep me"
    assert first.read_bytes() == PDF and second.read_bytes() == b"%PDF-1.4 other"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["boarding-pass.pdf", first.name, second.name, again.name]
    )  # no temporary file left behind


async def test_save_uses_the_downloads_folder_and_a_safe_name(messenger, transport, tmp_path) -> None:
    evil = "../../" + "invoice\u202efdp.exe"
    transport.push(directory(person("anna")), document("d1", b"MZ\x90\x00rest", name=evil))
    await settle(messenger, transport)
    messenger.downloads = tmp_path / "dl"
    assert await messenger.downloads_folder() == tmp_path / "dl"
    saved = await messenger.save_attachment("d1")
    assert saved == tmp_path / "dl" / "_._invoicefdp.exe"  # stays in the folder, shows its real ending
    with pytest.raises(FileRefused, match="no file"):
        await messenger.save_attachment("nope")


async def test_save_is_atomic_a_failed_write_leaves_nothing(messenger, transport, tmp_path, monkeypatch):
    transport.push(directory(person("anna")), document("d1", PDF))
    await settle(messenger, transport)

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(file_service.os, "fsync", broken_fsync)
    with pytest.raises(FileRefused, match="Input/output error"):
        await messenger.save_attachment("d1", tmp_path / "dl")
    assert list((tmp_path / "dl").iterdir()) == []


def test_claiming_a_name_links_so_a_race_cannot_overwrite(tmp_path: Path, monkeypatch) -> None:
    """Someone creates the target between our check and our write: the link fails, the next name wins."""
    real_link = os.link

    def racing_link(src, dst) -> None:
        if Path(dst).name == "a.pdf":
            Path(dst).write_bytes(b"theirs")  # appears just before we claim it
        real_link(src, dst)

    monkeypatch.setattr(file_service.os, "link", racing_link)
    stored = file_service.check_received(wire.Document(
        file_name="a.pdf", mime_type="application/pdf", size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(), data=base64.b64encode(PDF).decode(),
    ))  # fmt: skip
    saved = file_service.save_file(tmp_path, stored)
    assert saved.name == "a (1).pdf" and (tmp_path / "a.pdf").read_bytes() == b"theirs"


async def test_the_boarding_pass_arrives_from_the_fake_network_and_saves_as_a_pdf(db, tmp_path) -> None:
    from service_helpers import until

    from tui_messenger.domain.clock import ManualClock
    from tui_messenger.services.service import MessengerService
    from tui_messenger.transport.fake import FakePeer

    clock = ManualClock()
    peer = FakePeer.for_scenario("airline-delay", clock=clock)
    service = MessengerService(db, peer, clock=clock, user_id="me", downloads=tmp_path / "dl")
    await service.start()
    try:
        await until(service, lambda: service.settings.sync_token() is not None and service.idle)

        async def run_until(found) -> None:
            for _ in range(200):
                if (hit := await found()) is not None:
                    return hit
                peer.step()
                await until(service, lambda: service.idle and service.outbox_repo.all() == [])
            raise AssertionError("never arrived")

        chat_id = (await service.chat_for_account("skyways")).chat.id
        await service.send_text(chat_id, "Hi, is my flight SK 123 on time?")

        async def newest_of(kind: MessageKind):
            page = await service.latest_page(chat_id)
            return next((m for m in reversed(page) if m.kind is kind), None)

        notice = await run_until(lambda: newest_of(MessageKind.LIST))
        await service.send_choice(chat_id, notice, "sk125")
        boarding = await run_until(lambda: newest_of(MessageKind.DOCUMENT))
        assert boarding.attachment.file_name == "boarding-pass-SK125.pdf"
        saved = await service.save_attachment(boarding.message_id)
        assert saved == tmp_path / "dl" / "boarding-pass-SK125.pdf"
        assert saved.read_bytes().startswith(b"%PDF-1.4") and saved.stat().st_size == boarding.attachment.size
    finally:
        await service.stop()


async def test_pages_know_the_true_type_without_the_bytes(messenger, transport, tmp_path) -> None:
    from tui_messenger.domain.files import message_file

    zip_bytes = b"PK\x03\x04\x14\x00\x00\x00\x08\x00rest of an archive"
    transport.push(
        directory(person("anna")), document("d1", PDF), document("d2", zip_bytes, name="invoice.pdf")
    )
    await settle(messenger, transport)
    honest, liar = await messenger.latest_page((await messenger.message("d1")).chat_id)
    assert message_file(honest).true_type.label == "PDF document" and message_file(honest).warning is None
    assert message_file(liar).warning == "⚠ Named .pdf but it is a ZIP archive"
    chat_id = honest.chat_id
    (tmp_path / "notes.txt").write_bytes(b"plain words\n")
    sent = await messenger.send_file(chat_id, tmp_path / "notes.txt")
    assert message_file(sent).true_type.label == "text file"
    assert message_file(await messenger.message(sent.message_id)).true_type.label == "text file"


async def test_without_a_setting_files_go_to_the_system_downloads_folder(messenger) -> None:
    import platformdirs

    assert messenger.downloads is None
    assert await messenger.downloads_folder() == Path(platformdirs.user_downloads_dir())


async def test_a_file_sent_twice_is_stored_once(messenger, transport) -> None:
    from service_helpers import text

    frame = document("d1", PDF)
    transport.push(directory(person("anna")), frame, frame, text("t1", "anna", "did you get it?"))
    await settle(messenger, transport)
    transport.push(frame)  # again, in a later batch
    await settle(messenger, transport)
    page = await messenger.latest_page((await messenger.message("d1")).chat_id)
    assert [m.message_id for m in page] == ["d1", "t1"]
    assert page[0].attachment is not None and page[1].attachment is None


async def test_the_first_frame_messenger_forwards_the_file_calls(tmp_path) -> None:
    from tui_messenger.domain.clock import ManualClock
    from tui_messenger.services.deferred import DeferredMessenger
    from tui_messenger.store.chat_rows import QuickChatList

    class Service:
        async def downloads_folder(self) -> Path:
            return tmp_path / "dl"

        async def save_attachment(self, message_id: str, folder=None) -> Path:
            return tmp_path / "dl" / message_id

        async def send_file(self, chat_id: int, path, caption: str = "", *, reply_to=None):
            return (chat_id, path, caption, reply_to)

    (tmp_path / "m.db").touch()
    deferred = DeferredMessenger(
        Service, quick=QuickChatList(tmp_path / "m.db"), user_id="me", clock=ManualClock()
    )
    assert await deferred.downloads_folder() == tmp_path / "dl"
    assert await deferred.save_attachment("m1") == tmp_path / "dl" / "m1"
    assert await deferred.send_file(3, "a.pdf", "hi", reply_to="q") == (3, "a.pdf", "hi", "q")
