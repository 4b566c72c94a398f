"""Files (`send_file`, `save_attachment`, `downloads_folder`): a feature object owned by `MessengerService`,
built with what it needs. Reading, encoding and writing files run in a thread."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from tui_messenger.domain.events import ChatChanged, MessageAdded, MessageChanged
from tui_messenger.domain.files import (
    MAX_FILE_BYTES,
    SNIFF_BYTES,
    FileRefused,
    display_name,
    document_body,
    document_payload,
    sniff,
    too_large,
)
from tui_messenger.domain.models import ChatMessage, MessageKind, outbound
from tui_messenger.services import files
from tui_messenger.services.errors import BlockedError
from tui_messenger.store.convert import clean_name
from tui_messenger.transport import wire
from tui_messenger.transport.base import FileUnavailable, TransportClosed

if TYPE_CHECKING:
    from collections.abc import Callable

    from tui_messenger.domain.clock import Clock
    from tui_messenger.domain.models import ChatSummary
    from tui_messenger.services.hub import EventHub
    from tui_messenger.services.outbox import Outbox
    from tui_messenger.store.attachments import AttachmentRepository, StoredFile
    from tui_messenger.store.messages import MessageRepository
    from tui_messenger.store.outbox import OutboxRepository


class Fetch(Protocol):
    """`Transport.fetch_file`: the bytes of a file still on the network."""

    def __call__(self, source: str, *, max_bytes: int) -> Awaitable[bytes]: ...


def default_downloads() -> Path:
    """The user's downloads folder (platformdirs), looked up when first needed."""
    import platformdirs

    return Path(platformdirs.user_downloads_dir())


class FileSending:
    def __init__(
        self, *, user_id: str, clock: Clock, hub: EventHub, outbox: Outbox, outbox_repo: OutboxRepository,
        attachments: AttachmentRepository, messages: MessageRepository, downloads: Path | None,
        new_id: Callable[[], str], summary: Callable[[int], Awaitable[ChatSummary]],
        decorate: Callable[[ChatSummary], ChatSummary],
        fetch: Fetch,
    ) -> None:  # fmt: skip
        self.user_id, self.clock, self.hub, self.outbox = user_id, clock, hub, outbox
        self.outbox_repo, self.attachments, self.downloads = outbox_repo, attachments, downloads
        self.messages = messages
        self._new_id, self.summary, self.decorate, self.fetch = new_id, summary, decorate, fetch

    async def send_file(
        self, chat_id: int, path: str | Path, caption: str = "", *, reply_to: str | None = None
    ) -> ChatMessage:
        """Send a file from disk through the outbox, like text. Raises FileRefused (missing, not a file,
        empty, over the cap) with a line fit to show, or BlockedError."""
        summary = await self.summary(chat_id)
        if summary.blocked:
            raise BlockedError(f"{clean_name(summary.chat.title)} is blocked; unblock to send files")
        now = self.clock.now()
        base = outbound(
            message_id=self._new_id(), chat_id=chat_id, sender_id=self.user_id, kind=MessageKind.DOCUMENT,
            body="", at=now, txn_id=self._new_id(), reply_to=reply_to,
        )  # fmt: skip

        def prepare() -> tuple[ChatMessage, StoredFile, bytes]:
            file = files.read_for_send(Path(path))
            message = replace(
                base,
                body=document_body(file.info.file_name, caption),
                attachment=file.info,
                payload=document_payload(sniff(file.data[:SNIFF_BYTES])),
            )
            raw = wire.encode(files.document_frame(message, to=summary.peer.id, file=file, caption=caption))
            if len(raw) > wire.MAX_FRAME_BYTES:
                raise FileRefused("The file and its caption are too large to send together")
            return message, file, raw

        async with self.outbox.writing:  # in the order sent, as text (messenger_api._compose)
            message, file, raw = await asyncio.to_thread(prepare)
            stored, after = await asyncio.to_thread(
                self.outbox_repo.compose,
                message=message,
                frame=raw,
                now=now,
                attachment=file,
                retry_at=self.outbox.retry_at(now),
            )
        self.hub.emit(MessageAdded(chat_id, stored))
        self.hub.emit(ChatChanged(self.decorate(after)))
        await self.outbox.send_new(stored.message_id, raw)
        return stored

    async def downloads_folder(self) -> Path:
        """Where `save_attachment` writes by default: the config file's folder, else the user's
        downloads folder."""
        return self.downloads or default_downloads()

    async def save_attachment(self, message_id: str, folder: str | Path | None = None) -> Path:
        """Write a message's file into `folder` (the downloads folder by default) under a safe name,
        never over an existing file (`name (1).pdf`); returns the path written. A file still on the
        network is fetched first (and checked). Its card then says where it went. Raises FileRefused."""
        target = Path(folder) if folder is not None else await self.downloads_folder()
        stored = await asyncio.to_thread(self.attachments.get, message_id=message_id)
        if stored is None:
            raise FileRefused("This message has no file to save")
        fetched = stored.source is not None
        if stored.source is not None:
            stored = await self._fetch(stored, stored.source)
        try:
            path = await asyncio.to_thread(files.save_file, target, stored)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise FileRefused(f"Cannot save into {clean_name(str(target), 120)}: {reason}") from None
        true_type = sniff(stored.data[:SNIFF_BYTES]) if fetched else None
        await asyncio.to_thread(
            self.attachments.mark_saved, message_id=message_id, path=str(path), true_type=true_type
        )
        if (message := await asyncio.to_thread(self.messages.get, message_id=message_id)) is not None:
            self.hub.emit(MessageChanged(message.chat_id, message))
        return path

    async def _fetch(self, stored: StoredFile, source: str) -> StoredFile:
        """The bytes of a file still on the network, from the transport, checked: at most the cap (its
        claimed size first, then what came), exactly the size claimed, and the sha256 when one is known."""
        info = stored.info
        shown = display_name(info.file_name)
        if info.size > MAX_FILE_BYTES:
            raise FileRefused(too_large(shown, info.size, verb="saved"))
        try:
            data = await self.fetch(source, max_bytes=MAX_FILE_BYTES)
        except FileUnavailable as exc:
            raise FileRefused(f"Cannot download {shown}: {clean_name(str(exc), 160)}") from None
        except TransportClosed:
            raise FileRefused(f"Cannot download {shown}: not connected to the network") from None
        return await asyncio.to_thread(files.fetched_file, info, data)
