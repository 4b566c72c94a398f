"""Files in and out: the checks a received file must pass, reading a file to send, and saving one.

These functions do blocking I/O and CPU work (base64, sha256): the facade runs them in a thread.

- A received file is taken only if its base64 decodes, its size is what the frame says and at most the cap,
  and its sha256 matches. A file that fails is not stored; its message is kept as a notice in the chat that
  says the file was refused and why (the frame is acked: sending it again would fail the same way).
- Saving writes a temporary file in the target folder, flushes it to disk, then links it under its final
  name: the link fails instead of overwriting, so `name (1).pdf` is tried next, and a reader never sees a
  half-written file under the final name.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import logging
import mimetypes
import os
import stat
import tempfile
from pathlib import Path

from tui_messenger.domain.clock import to_ms
from tui_messenger.domain.files import (
    BINARY,
    EMPTY,
    MAX_FILE_BYTES,
    SNIFF_BYTES,
    TEXT,
    FileRefused,
    display_name,
    human_size,
    safe_file_name,
    sniff,
    too_large,
)
from tui_messenger.domain.models import AttachmentInfo, ChatMessage
from tui_messenger.store.attachments import StoredFile
from tui_messenger.transport import wire

log = logging.getLogger(__name__)

MAX_NAME_CHARS = 255  # the wire's limit on a file name
MAX_COPIES = 10_000  # `name (n).ext` tried before giving up


def check_received(doc: wire.Document) -> StoredFile | str:
    """The file of a document frame (its bytes inline), or why it is refused (a short phrase)."""
    if doc.data is None:
        return "its data is missing"
    if len(doc.data) > (MAX_FILE_BYTES // 3 + 2) * 4:
        return f"it is larger than the {human_size(MAX_FILE_BYTES)} limit"
    try:
        data = base64.b64decode(doc.data, validate=True)
    except (binascii.Error, ValueError):
        return "its data is not valid base64"
    if len(data) > MAX_FILE_BYTES:
        return f"it is larger than the {human_size(MAX_FILE_BYTES)} limit"
    if len(data) != doc.size:
        return f"it holds {len(data):,} bytes, not the {doc.size:,} announced"
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        return "its contents do not match its checksum"
    return StoredFile(AttachmentInfo(doc.file_name, doc.mime_type, len(data), doc.sha256), data)


def fetched_file(info: AttachmentInfo, data: bytes) -> StoredFile:
    """A file fetched from the network when saved, checked against what its message claimed: its size, and
    its sha256 when the message named one. Raises FileRefused with a line fit to show."""
    shown = display_name(info.file_name)
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(too_large(shown, len(data), verb="saved"))
    if len(data) != info.size:
        raise FileRefused(f"{shown} holds {len(data):,} bytes, not the {info.size:,} announced: not saved")
    digest = hashlib.sha256(data).hexdigest()
    if info.sha256 and digest != info.sha256:
        raise FileRefused(f"{shown} does not match its checksum: not saved")
    return StoredFile(AttachmentInfo(info.file_name, info.mime_type, len(data), digest), data)


def refused_notice(file_name: str, reason: str) -> str:
    """The text of the notice kept in place of a refused file."""
    return f"⚠ A file was refused ({display_name(file_name, 60)}): {reason}."


def read_for_send(path: Path, *, cap: int = MAX_FILE_BYTES) -> StoredFile:
    """Read a file to send. Raises FileRefused with a line fit to show (missing, not a file, too large)."""
    path = Path(os.path.expanduser(path))
    shown = display_name(path.name or str(path))
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FileRefused(f"No such file: {display_name(str(path), 80)}") from None
    except OSError as exc:
        raise FileRefused(f"Cannot read {shown}: {exc.strerror or type(exc).__name__}") from None
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(f"{shown} is not a file")
    if info.st_size > cap:
        raise FileRefused(too_large(shown, info.st_size, cap))
    try:
        with path.open("rb") as handle:
            data = handle.read(cap + 1)
    except OSError as exc:
        raise FileRefused(f"Cannot read {shown}: {exc.strerror or type(exc).__name__}") from None
    if len(data) > cap:  # it grew since the stat
        raise FileRefused(too_large(shown, len(data), cap))
    if not data:
        raise FileRefused(f"{shown} is empty: there is nothing to send")
    kind = sniff(data[:SNIFF_BYTES])
    mime = kind.mime
    if kind in (BINARY, EMPTY, TEXT):  # the bytes do not say more: the name may (application/json)
        mime = mimetypes.guess_type(path.name, strict=False)[0] or kind.mime
    info_ = AttachmentInfo(_wire_name(path.name), mime, len(data), hashlib.sha256(data).hexdigest())
    return StoredFile(info_, data)


def _wire_name(name: str) -> str:
    """A name the wire takes (1-255 characters), shortened in the middle so the extension stays."""
    name = name or "file"
    if len(name) <= MAX_NAME_CHARS:
        return name
    stem, dot, ext = name.rpartition(".")
    ext = ext[:16] if dot else ""
    keep = MAX_NAME_CHARS - len(ext) - 2
    return (stem if dot else name)[:keep] + "…" + (f".{ext}" if ext else "")


def document_frame(message: ChatMessage, *, to: str, file: StoredFile, caption: str) -> wire.MessageFrame:
    """The frame for a file the user sends (its bytes as base64)."""
    info = file.info
    document = wire.Document(
        file_name=info.file_name, mime_type=info.mime_type, size=info.size, sha256=info.sha256,
        data=base64.b64encode(file.data).decode("ascii"), caption=caption,
    )  # fmt: skip
    context = wire.Context(message_id=message.reply_to) if message.reply_to else None
    return wire.MessageFrame(
        id=message.message_id, sender=message.sender_id, to=to, timestamp=to_ms(message.sent_at),
        client_txn_id=message.client_txn_id, kind="document", document=document, context=context,
    )  # fmt: skip


def save_file(folder: Path, file: StoredFile) -> Path:
    """Write `file` into `folder` under a safe name, never over an existing file; returns the path."""
    name = safe_file_name(file.info.file_name, sniff(file.data[:SNIFF_BYTES]))
    folder = Path(os.path.expanduser(folder))
    folder.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=folder, prefix=".tui-messenger-", suffix=".part", delete=False)
    tmp = Path(handle.name)
    try:
        with handle:
            handle.write(file.data)
            handle.flush()
            os.fsync(handle.fileno())
        return _claim_name(tmp, folder, name)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _claim_name(tmp: Path, folder: Path, name: str) -> Path:
    stem, suffix = _split(name)
    for n in range(MAX_COPIES):
        target = folder / (name if n == 0 else f"{stem} ({n}){suffix}")
        try:
            os.link(tmp, target)  # atomic, and fails if the name is taken: nothing is overwritten
            return target
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links: check, then rename (not atomic against races)
            if target.exists():
                continue
            tmp.rename(target)
            return target
    raise FileRefused(f"{display_name(name)} and {MAX_COPIES} numbered copies already exist in {folder}")


def _split(name: str) -> tuple[str, str]:
    stem, dot, ext = name.rpartition(".")
    return (stem, f".{ext}") if dot and stem else (name, "")
