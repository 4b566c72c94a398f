"""Block, unblock, report, report-and-block.

A block hides everything the account sends from then on (the receive path drops it, see receive.py) and
stops receipts and typing signals to it; the chat stays in the list with its old history. A report keeps
a copy of the last 5 messages from the account as evidence. The reported account is never notified:
nothing here sends a frame. Where the network keeps a block list of its own or takes reports (Matrix), it
is told too, on a best-effort basis: the block list again after every reconnect (`tell_network`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from tui_messenger.domain.clock import Clock
from tui_messenger.domain.events import ChatChanged
from tui_messenger.domain.models import (
    Account,
    Block,
    BlockReason,
    ChatMessage,
    ChatSummary,
    Report,
    ReportReason,
)
from tui_messenger.services.blocklist import BlockList
from tui_messenger.services.hub import EventHub
from tui_messenger.store.chats import ChatRepository
from tui_messenger.store.messages import MessageRepository
from tui_messenger.store.safety import BlockRepository, ReportRepository
from tui_messenger.transport.base import Transport

log = logging.getLogger(__name__)

EVIDENCE = 5

_BLOCK_REASON_FOR_REPORT = {
    ReportReason.SPAM: BlockReason.SPAM,
    ReportReason.SCAM: BlockReason.SPAM,
    ReportReason.OFFENSIVE: BlockReason.OFFENSIVE,
}


class Safety:
    def __init__(
        self,
        *,
        blocks: BlockRepository,
        reports: ReportRepository,
        messages: MessageRepository,
        chats: ChatRepository,
        clock: Clock,
        hub: EventHub,
        blocked: BlockList,
        decorate: Callable[[ChatSummary], ChatSummary],
        network: Transport,
        on_block: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self._network = network
        self._on_block = on_block  # the receive path's part: what waits from that account goes
        self._blocks = blocks
        self._reports = reports
        self._messages = messages
        self._chats = chats
        self._clock = clock
        self._hub = hub
        self.blocked = blocked  # the live set the receive path filters with
        self._decorate = decorate

    async def load(self) -> None:
        self.blocked.replace(await asyncio.to_thread(self._blocks.ids))

    async def block(
        self,
        account_id: str,
        reason: BlockReason,
        *,
        report_reason: ReportReason | None = None,
        note: str = "",
    ) -> Block:
        if report_reason is not None:
            await self._report(account_id, report_reason, note, also_blocked=True)
        # The set first: a frame arriving while the row is written is already filtered.
        self.blocked.add(account_id)
        block = await asyncio.to_thread(
            self._blocks.block, account_id=account_id, reason=reason, now=self._clock.now()
        )
        await self._chat_changed(account_id)
        await self.tell_network()
        if self._on_block is not None:
            await self._on_block(account_id)
        return block

    async def unblock(self, account_id: str) -> None:
        await asyncio.to_thread(self._blocks.unblock, account_id=account_id)
        self.blocked.discard(account_id)
        await self._chat_changed(account_id)
        await self.tell_network()

    async def tell_network(self, *, empty_too: bool = True) -> None:
        """The network's copy of the block list (best effort: again on the next connect, where an empty
        list is not sent: it would undo what another app of the user's blocked)."""
        if not empty_too and not len(self.blocked):
            return
        try:
            await self._network.set_blocked(list(self.blocked))
        except Exception as exc:  # offline, refused: the local rules hold; told again on reconnect
            log.info("the network did not take the block list: %s", exc)

    async def blocked_list(self) -> list[tuple[Block, Account]]:
        return await asyncio.to_thread(self._blocks.all)

    async def evidence(self, account_id: str) -> list[ChatMessage]:
        """Exactly what a report sends: the last 5 messages from the account, newest first."""
        return await asyncio.to_thread(self._messages.from_account, account_id=account_id, limit=EVIDENCE)

    async def report(
        self, account_id: str, reason: ReportReason, *, note: str = "", also_block: bool = False
    ) -> Report:
        report = await self._report(account_id, reason, note, also_blocked=also_block)
        if also_block:
            await self.block(account_id, _BLOCK_REASON_FOR_REPORT.get(reason, BlockReason.NO_REASON))
        return report

    async def _report(
        self, account_id: str, reason: ReportReason, note: str, *, also_blocked: bool
    ) -> Report:
        evidence = await self.evidence(account_id)
        try:
            await self._network.report(account_id, [m.message_id for m in evidence], reason.value)
        except Exception as exc:  # the report and its evidence are kept here either way
            log.info("the network did not take the report: %s", exc)
        return await asyncio.to_thread(
            self._reports.add,
            account_id=account_id,
            reason=reason,
            note=note,
            evidence=evidence,
            also_blocked=also_blocked,
            now=self._clock.now(),
        )

    async def _chat_changed(self, account_id: str) -> None:
        summary = await asyncio.to_thread(self._chats.for_peer, account_id=account_id)
        if summary is not None:
            self._hub.emit(ChatChanged(self._decorate(summary)))
