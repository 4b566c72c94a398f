"""The open chat's account: block, report, unblock, accept a request, add to contacts, the profile and
promotions. Each runs in a worker (dialogs are awaited with `push_screen_wait`) and ends by showing what
changed: the chat again, and the chat list (`ConversationPane.ListChanged`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_messenger.domain.models import ReportReason
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from collections.abc import Callable

    from tui_messenger.domain.models import ChatSummary


def report_reason(summary: ChatSummary) -> ReportReason:
    """What "Block and report" reports: an impersonator, a scam, else spam."""
    if summary.looks_like:
        return ReportReason.IMPERSONATION
    return ReportReason.SCAM if summary.peer.scam else ReportReason.SPAM


class Account(Controller):
    def _for_open_chat(self, then: Callable[[ChatSummary], object]) -> None:
        if (summary := self.need_chat()) is not None:
            then(summary)

    async def _changed(self, chat_id: int) -> None:
        self.pane.post_message(self.pane.ListChanged())
        self.pane.open_chat(chat_id)

    # block and report --------------------------------------------------------------------------------
    def block(self) -> None:
        self._for_open_chat(self._block)

    @worker(group="dialog", exclusive=True)
    async def _block(self, summary: ChatSummary) -> None:
        from tui_messenger.tui.modals import BlockModal

        peer = summary.peer
        result = await self.app.push_screen_wait(BlockModal(peer.display_name, is_business=peer.is_business))
        if result is None:
            return
        report = report_reason(summary) if result.also_report else None
        await self.messenger.block(peer.id, result.reason, report_reason=report)
        self.notify("Blocked" + (" and reported." if report else "."))
        await self._changed(summary.chat.id)

    def report(self) -> None:
        self._for_open_chat(self._report)

    @worker(group="dialog", exclusive=True)
    async def _report(self, summary: ChatSummary) -> None:
        from tui_messenger.tui.modals import ReportModal

        peer = summary.peer
        evidence = await self.messenger.report_evidence(peer.id)
        result = await self.app.push_screen_wait(ReportModal(peer.display_name, evidence))
        if result is None:
            return
        await self.messenger.report(peer.id, result.reason, note=result.note, also_block=result.also_block)
        self.notify("Reported" + (" and blocked." if result.also_block else "."))
        await self._changed(summary.chat.id)

    def unblock(self) -> None:
        self._for_open_chat(self._unblock)

    @worker(group="dialog", exclusive=True)
    async def _unblock(self, summary: ChatSummary) -> None:
        await self.messenger.unblock(summary.peer.id)
        self.notify(f"Unblocked {clean_name(summary.peer.display_name)}: their new messages show again.")
        await self._changed(summary.chat.id)

    # requests ----------------------------------------------------------------------------------------
    def accept(self) -> None:
        self._for_open_chat(self._accept)

    def add_contact(self) -> None:
        """'Add to contacts' on the unknown-sender banner (or its key): accept and store the contact."""
        if (summary := self.need_chat()) is not None and summary.chat.is_request and not summary.blocked:
            self._accept(summary, add_contact=True)

    @worker(group="dialog", exclusive=True)
    async def _accept(self, summary: ChatSummary, *, add_contact: bool = False) -> None:
        await self.messenger.accept_request(summary.chat.id, add_contact=add_contact)
        if add_contact:
            self.notify(f"{clean_name(summary.peer.display_name)} is now in your contacts.")
        await self._changed(summary.chat.id)

    # profile and promotions --------------------------------------------------------------------------
    def profile(self) -> None:
        self._for_open_chat(self._profile)

    @worker(group="dialog", exclusive=True)
    async def _profile(self, summary: ChatSummary) -> None:
        from tui_messenger.tui.modals import ProfileAction, ProfileModal

        peer, m = summary.peer, self.messenger
        account = await m.account(peer.id) or peer
        consent = quality = devices = is_contact = None
        if peer.is_business:
            consent = await m.consent(peer.id)
            quality = next((q for q in await m.quality() if q.business_id == peer.id), None)
        else:
            devices = await m.devices(peer.id)
            is_contact = any(contact.id == peer.id for contact in await m.contact_list())
        modal = ProfileModal(
            account, looks_like=summary.looks_like, consent=consent, quality=quality, blocked=summary.blocked,
            devices=devices, is_contact=is_contact,
        )  # fmt: skip
        action = await self.app.push_screen_wait(modal)
        if action is ProfileAction.BLOCK:
            self._block(summary)
        elif action is ProfileAction.REPORT:
            self._report(summary)

    def toggle_promotions(self) -> None:
        summary = self.need_chat()
        if summary is None:
            return
        if not summary.peer.is_business:
            self.notify("Promotions come only from businesses.")
            return
        self._toggle_promotions(summary)

    @worker(group="dialog", exclusive=True)
    async def _toggle_promotions(self, summary: ChatSummary) -> None:
        consent = await self.messenger.consent(summary.peer.id)
        stop = not consent.marketing_stopped
        await self.messenger.set_marketing_stopped(summary.peer.id, stop)
        self.notify("Promotions stopped." if stop else "Promotions resumed.")
        self.pane.refresh_state()
