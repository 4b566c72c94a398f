"""What the other side learns of the user besides their messages: read receipts and typing.

Both are best effort: a closed connection drops them (the next read sends its receipts; typing ends by
itself on the other side). Both tell something of the user, so neither goes to a blocked account, nor to
a request not accepted yet: an unknown sender learns nothing of the user until they accept it or reply
(then the receipts it was owed are sent). Typing signals go out in the order they were made: a "stopped"
never overtakes its "typing" (the other side would show typing until its own time limit)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence

from tui_messenger.domain.clock import Clock, to_ms
from tui_messenger.domain.models import ChatMessage, ChatSummary
from tui_messenger.services.blocklist import BlockList
from tui_messenger.services.errors import NotFoundError
from tui_messenger.transport import wire
from tui_messenger.transport.base import Transport, TransportClosed


class Signals:
    def __init__(
        self,
        *,
        transport: Transport,
        user_id: str,
        clock: Clock,
        blocked: BlockList,
        summary: Callable[[int], Awaitable[ChatSummary]],
    ) -> None:
        self._transport = transport
        self._user_id = user_id
        self._clock = clock
        self._blocked = blocked
        self._summary = summary
        self._typing = asyncio.Lock()  # FIFO: signals go in the order made, each read and sent in turn

    def _allowed(self, summary: ChatSummary) -> bool:
        return not (summary.blocked or summary.peer.id in self._blocked or summary.chat.is_request)

    async def read(self, summary: ChatSummary, read: Sequence[ChatMessage]) -> None:
        """Read receipts for `read`, messages of the chat `summary`."""
        if not self._allowed(summary):
            return
        now = to_ms(self._clock.now())
        await self._send(
            wire.StatusFrame(
                message_id=message.message_id,
                status="read",
                sender=self._user_id,
                to=message.sender_id,
                timestamp=now,
            )
            for message in read
        )

    async def typing(self, chat_id: int, typing: bool) -> None:
        """The user started (or stopped) typing in the chat `chat_id`."""
        async with self._typing:
            try:
                summary = await self._summary(chat_id)
            except NotFoundError:  # the chat is gone (deleted meanwhile): no one to tell
                return
            if self._allowed(summary):
                await self._send([wire.TypingFrame(sender=self._user_id, to=summary.peer.id, typing=typing)])

    async def _send(self, frames: Iterable[wire.Frame]) -> None:
        try:
            for frame in frames:
                await self._transport.send(wire.encode(frame))
        except TransportClosed:
            return
