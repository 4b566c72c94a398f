"""Files that stay on the network until saved (Matrix media): a document frame that names its bytes by a
`source` is stored as that reference and shown with the sender's name, type and size; saving asks the
transport for the bytes (`Transport.fetch_file`), checks them (cap, size, sha256) and writes them through
the same safe save path. A transport that keeps no files elsewhere (the fake peer, the base class) refuses
in one line."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from service_helpers import START, directory, person, settle

from tui_messenger.domain.clock import to_ms
from tui_messenger.domain.files import (
    ELF,
    MAX_FILE_BYTES,
    REMOTE,
    FileRefused,
    file_facts,
    message_file,
)
from tui_messenger.domain.files import PDF as PDF_TYPE
from tui_messenger.domain.models import MessageKind
from tui_messenger.transport import wire
from tui_messenger.transport.base import FileUnavailable, TransportClosed

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def referenced(mid: str, *, name: str = "statement.pdf", size: int = len(PDF), sha: str = "",
               source: str = "media-1", caption: str = "") -> wire.MessageFrame:  # fmt: skip
    doc = wire.Document(
        file_name=name, mime_type="application/pdf", size=size, sha256=sha, source=source, caption=caption
    )
    return wire.MessageFrame(
        id=mid, sender="anna", to="me", timestamp=to_ms(START), kind="document", document=doc
    )  # type: ignore[call-arg]


async def _received(messenger: Any, transport: Any, *frames: wire.Frame) -> None:
    transport.push(directory(person("anna")), *frames)
    await settle(messenger, transport)


async def test_a_referenced_file_is_shown_without_its_bytes_and_the_base_transport_refuses_to_fetch(
    messenger: Any, transport: Any, tmp_path: Path
) -> None:
    await _received(messenger, transport, referenced("r1", caption="March"))
    message = await messenger.message("r1")
    assert message.kind is MessageKind.DOCUMENT and message.body == "📄 statement.pdf\nMarch"
    info = message.attachment
    assert info is not None and info.remote and info.size == len(PDF) and info.sha256 == ""
    (page_message,) = await messenger.latest_page(message.chat_id)
    assert page_message.attachment == info  # pages know it is still on the network
    stored = await asyncio.to_thread(messenger.attachments.get, message_id="r1")
    assert stored.data == b"" and stored.source == "media-1"
    with pytest.raises(FileRefused, match=r"^Cannot download statement\.pdf: this network keeps no files"):
        await messenger.save_attachment("r1", tmp_path / "dl")
    assert not (tmp_path / "dl").exists() or not any((tmp_path / "dl").iterdir())


class Fetching:
    """What `fetch_file` gives for each source, swapped onto the scripted transport."""

    def __init__(self, files: dict[str, bytes | Exception]) -> None:
        self.files = files
        self.asked: list[tuple[str, int]] = []

    async def __call__(self, source: str, *, max_bytes: int) -> bytes:
        self.asked.append((source, max_bytes))
        found = self.files[source]
        if isinstance(found, Exception):
            raise found
        return found


@pytest.fixture
def fetching(messenger: Any) -> Fetching:
    fetch = Fetching({})
    messenger.file_sending.fetch = fetch
    return fetch


async def test_saving_fetches_checks_and_writes_through_the_safe_path(
    messenger: Any, transport: Any, fetching: Fetching, tmp_path: Path
) -> None:
    fetching.files["good"] = PDF
    await _received(messenger, transport, referenced("r1", name="../../etc/passwd.pdf", source="good"))
    path = await messenger.save_attachment("r1", tmp_path / "dl")
    assert path.parent == tmp_path / "dl" and path.read_bytes() == PDF and "/" not in path.name
    assert fetching.asked == [("good", MAX_FILE_BYTES)]
    again = await messenger.save_attachment("r1", tmp_path / "dl")  # fetched again, never over the first
    assert again != path and again.read_bytes() == PDF and len(fetching.asked) == 2


async def test_once_saved_the_card_knows_what_the_bytes_are_and_warns_if_the_claim_lied(
    messenger: Any, transport: Any, fetching: Fetching, tmp_path: Path
) -> None:
    program = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
    fetching.files["honest"], fetching.files["liar"] = PDF, program
    await _received(
        messenger, transport, referenced("r1", source="honest"),
        referenced("r2", source="liar", size=len(program)),
    )  # fmt: skip
    before = [message_file(await messenger.message(mid)) for mid in ("r1", "r2")]
    assert [(c.true_type, c.warning) for c in before] == [(REMOTE, None), (REMOTE, None)]  # unknown yet
    for mid in ("r1", "r2"):
        await messenger.save_attachment(mid, tmp_path / "dl")
    honest, liar = [await messenger.message(mid) for mid in ("r1", "r2")]
    assert message_file(honest).true_type is PDF_TYPE and message_file(honest).warning is None
    assert file_facts(honest.attachment, PDF_TYPE) == f"PDF document · {len(PDF)} B"
    checked = message_file(liar)
    assert checked.true_type is ELF and checked.warning and "program" in checked.warning.lower()
    (_, paged) = await messenger.latest_page(liar.chat_id)  # a page of history knows it as well
    assert message_file(paged).true_type is ELF


@pytest.mark.parametrize(
    ("frame", "fetched", "line"),
    [
        (
            referenced("r", size=MAX_FILE_BYTES + 1),
            PDF,
            "statement.pdf is 1,048,577 bytes: files up to 1,048,576 bytes can be saved",
        ),
        (
            referenced("r", size=5 * MAX_FILE_BYTES),
            PDF,
            "statement.pdf is 5 MB: files up to 1 MB can be saved",
        ),
        (
            referenced("r", size=10),
            PDF,
            f"statement.pdf holds {len(PDF)} bytes, not the 10 announced: not saved",
        ),
        (referenced("r", sha="0" * 64), PDF, "statement.pdf does not match its checksum: not saved"),
        (
            referenced("r"),
            b"x" * (MAX_FILE_BYTES + 1),
            "statement.pdf is 1,048,577 bytes: files up to 1,048,576 bytes can be saved",
        ),
        (
            referenced("r"),
            FileUnavailable("the server no longer has it"),
            "Cannot download statement.pdf: the server no longer has it",
        ),
        (
            referenced("r"),
            TransportClosed("gone"),
            "Cannot download statement.pdf: not connected to the network",
        ),
        (
            referenced("r", name="\x1b[31mred\x1b[0m.pdf"),
            FileUnavailable("\x1b]0;pwned\x07bad\nline"),
            "Cannot download red.pdf: bad line",
        ),
    ],
    ids=["just-over-cap", "over-cap", "size-lie", "hash-lie", "fetched-over", "gone", "offline", "escapes"],
)
async def test_a_file_that_fails_at_save_is_one_clear_line_and_nothing_is_written(
    messenger: Any, transport: Any, fetching: Fetching, tmp_path: Path, frame: wire.MessageFrame,
    fetched: bytes | Exception, line: str,
) -> None:  # fmt: skip
    fetching.files["media-1"] = fetched
    await _received(messenger, transport, frame)
    with pytest.raises(FileRefused) as refused:
        await messenger.save_attachment("r", tmp_path / "dl")
    assert str(refused.value) == line
    assert "\x1b" not in str(refused.value) and "\n" not in str(refused.value)
    assert not (tmp_path / "dl").exists() or not any((tmp_path / "dl").iterdir())


def test_a_document_carries_its_bytes_or_a_source_and_inline_bytes_keep_the_cap() -> None:
    common = {"file_name": "a.pdf", "mime_type": "application/pdf"}
    sha = hashlib.sha256(b"x").hexdigest()
    with pytest.raises(ValidationError):
        wire.Document(**common, size=1, sha256=sha)  # neither
    with pytest.raises(ValidationError):
        wire.Document(**common, size=1, sha256=sha, data="eA==", source="m")  # both
    with pytest.raises(ValidationError):
        wire.Document(**common, size=MAX_FILE_BYTES + 1, sha256=sha, data="eA==")  # inline over the cap
    with pytest.raises(ValidationError):
        wire.Document(**common, size=1, data="eA==")  # inline without its checksum
    with pytest.raises(ValidationError):
        wire.Document(**common, size=-1, source="m")
    with pytest.raises(ValidationError):
        wire.Document(**common, size=1, source="m" * (wire.MAX_SOURCE_CHARS + 1))
    claimed = wire.Document(**common, size=5 * MAX_FILE_BYTES, source="m")  # a claim: refused at save
    assert claimed.size == 5 * MAX_FILE_BYTES and claimed.data is None
