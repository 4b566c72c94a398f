"""Locked messages opened when their key comes (end-to-end encryption, store/unlock.py): the receiver's
converter for `UnlockFrame`. The content is read as any message frame is (`frames.incoming`), so an
opened message is shown exactly as it would have been had its key come with it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui_messenger.services import frames
from tui_messenger.services.blocklist import BlockList
from tui_messenger.store.ingest import BatchItem, Dropped
from tui_messenger.store.unlock import Unlock
from tui_messenger.transport import wire


def unlock_converters(*, user_id: str, blocked: BlockList) -> dict[type, Callable[[Any], BatchItem | None]]:
    def convert(frame: wire.UnlockFrame) -> BatchItem | None:
        if frame.message.sender in blocked:
            return Dropped(frame.message.sender)  # nothing from a blocked account shows, opened or not
        content = frames.incoming(frame.message, user_id)
        return None if content is None else Unlock(content)

    return {wire.UnlockFrame: convert}
