"""A chat exported into a file (the palette's "Export this chat…"): the same lines as
`tui-messenger export`, read page by page through the `Messenger` protocol and written off the UI loop.

The file is written under a temporary name in the target folder, flushed, then linked under its final
name; the link fails instead of overwriting, so `name (1).json` is tried next, and no reader ever sees a
half-written export under the final name.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from tui_messenger.domain.files import safe_file_name
from tui_messenger.domain.models import ChatSummary
from tui_messenger.services.export import export_frames, export_text
from tui_messenger.services.port import Messenger

FORMATS = {"text": "txt", "json": "jsonl"}
BATCH = 500  # lines handed to the writer thread at a time
MAX_COPIES = 1000


class ExportError(Exception):
    """The export could not be written; the message is one line fit to show."""


@dataclass(frozen=True, slots=True)
class Exported:
    path: Path
    lines: int
    size: int


def default_name(title: str, fmt: str, day: datetime) -> str:
    """`Anna Becker 2026-01-05.jsonl`: a safe single file name."""
    return safe_file_name(f"{title} {day:%Y-%m-%d}.{FORMATS[fmt]}")


def resolve_target(path: str | Path, folder: Path, name: str) -> Path:
    """Where the user asked to write: `~` expanded, a relative path taken in `folder`, an existing
    folder (or a path ending in a separator) given the default `name`."""
    text = str(path).strip()
    target = Path(os.path.expanduser(text)) if text else folder
    if not target.is_absolute():
        target = folder / target
    if not text or text.endswith(os.sep) or target.is_dir():
        target = target / name
    return target


async def export_chat(messenger: Messenger, summary: ChatSummary, target: Path, *, fmt: str) -> Exported:
    """Write the chat to `target` (or `target (1)` and so on: never over an existing file)."""
    if fmt not in FORMATS:
        raise ExportError(f"Unknown export format {fmt!r}; use text or json.")
    lines: AsyncIterator[str]
    if fmt == "json":
        lines = export_frames(messenger, summary.chat.id, user_id=messenger.user_id, peer_id=summary.peer.id)
    else:
        lines = export_text(messenger, summary.chat.id, title=summary.peer.display_name)
    try:
        handle = await asyncio.to_thread(_open_temp, target.parent)
    except OSError as exc:
        raise ExportError(
            f"Cannot write into {target.parent}: {exc.strerror or type(exc).__name__}"
        ) from None
    tmp = Path(handle.name)
    count = 0
    try:
        batch: list[str] = []
        async for line in lines:
            batch.append(line)
            if len(batch) >= BATCH:
                await asyncio.to_thread(_write, handle, batch)
                count += len(batch)
                batch = []
        await asyncio.to_thread(_write, handle, batch)
        count += len(batch)
        await asyncio.to_thread(_finish, handle)
        final = await asyncio.to_thread(_claim_name, tmp, target)
        return Exported(final, count, final.stat().st_size)
    except OSError as exc:
        raise ExportError(f"Cannot write {target}: {exc.strerror or type(exc).__name__}") from None
    finally:
        handle.close()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _open_temp(folder: Path) -> IO[bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    return tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed by export_chat
        dir=folder, prefix=".tui-messenger-export-", suffix=".part", delete=False
    )


def _write(handle: IO[bytes], lines: list[str]) -> None:
    if lines:
        handle.write("".join(f"{line}\n" for line in lines).encode("utf-8"))


def _finish(handle: IO[bytes]) -> None:
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()


def _claim_name(tmp: Path, target: Path) -> Path:
    stem, suffix = target.stem, target.suffix
    for n in range(MAX_COPIES):
        candidate = target if n == 0 else target.with_name(f"{stem} ({n}){suffix}")
        try:
            os.link(tmp, candidate)  # atomic, and fails if the name is taken: nothing is overwritten
            return candidate
        except FileExistsError:
            continue
        except OSError:  # no hard links here: check, then rename (not atomic against a racing writer)
            if candidate.exists():
                continue
            tmp.rename(candidate)
            return candidate
    raise ExportError(f"{target.name} and {MAX_COPIES} numbered copies already exist in {target.parent}")
