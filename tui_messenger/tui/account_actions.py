"""The main screen's actions on the open chat's account and the app: block, report, profile, requests,
promotions, the blocked list, search and the tester's clock. Each runs in a worker (dialogs are awaited
with `push_screen_wait`) and ends by refreshing what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui_messenger.domain.models import ChatSummary, ReportReason
from tui_messenger.domain.safe_text import clean_name
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.services.messenger import Messenger
    from tui_messenger.tui.conversation_pane import ConversationPane

DAY = 24 * 3600


class AccountActions:
    """Mixed into MainScreen, which provides `messenger`, `current`, `conversation`, `open_chat` and
    `refresh_chat_list`."""

    if TYPE_CHECKING:  # what the screen provides; declared for type checkers only
        messenger: Messenger
        app: Any
        current: ChatSummary | None
        conversation: ConversationPane

        def refresh_chat_list(self) -> Any: ...

        def open_chat(self, chat_id: int, select_id: str | None = None) -> None: ...

        def notify(self, message: str, **kwargs: Any) -> None: ...

        def refresh_bindings(self) -> None: ...

    def _need_chat(self) -> ChatSummary | None:
        if self.current is None:
            self.notify("Open a chat first.", severity="warning", markup=False)
        return self.current

    async def _after_account_change(self, chat_id: int) -> None:
        self.refresh_chat_list()
        self.conversation.open_chat(chat_id)

    # block and report --------------------------------------------------------------------------------
    def action_block(self) -> None:
        if (summary := self._need_chat()) is not None:
            self._block(summary)

    @worker(group="dialog", exclusive=True)
    async def _block(self, summary: ChatSummary) -> None:
        from tui_messenger.tui.modals import BlockModal

        peer = summary.peer
        result = await self.app.push_screen_wait(BlockModal(peer.display_name, is_business=peer.is_business))
        if result is None:
            return
        report = None
        if result.also_report:
            report = (
                ReportReason.IMPERSONATION
                if summary.looks_like
                else (ReportReason.SCAM if peer.scam else ReportReason.SPAM)
            )
        await self.messenger.block(peer.id, result.reason, report_reason=report)
        self.notify("Blocked" + (" and reported." if report else "."), markup=False)
        await self._after_account_change(summary.chat.id)

    def action_report(self) -> None:
        if (summary := self._need_chat()) is not None:
            self._report(summary)

    @worker(group="dialog", exclusive=True)
    async def _report(self, summary: ChatSummary) -> None:
        from tui_messenger.tui.modals import ReportModal

        peer = summary.peer
        evidence = await self.messenger.report_evidence(peer.id)
        result = await self.app.push_screen_wait(ReportModal(peer.display_name, evidence))
        if result is None:
            return
        await self.messenger.report(peer.id, result.reason, note=result.note, also_block=result.also_block)
        self.notify("Reported" + (" and blocked." if result.also_block else "."), markup=False)
        await self._after_account_change(summary.chat.id)

    def action_unblock(self) -> None:
        if (summary := self._need_chat()) is not None:
            self._unblock(summary)

    @worker(group="dialog", exclusive=True)
    async def _unblock(self, summary: ChatSummary) -> None:
        await self.messenger.unblock(summary.peer.id)
        await self._after_account_change(summary.chat.id)

    def action_accept_request(self) -> None:
        if (summary := self._need_chat()) is not None:
            self._accept(summary)

    def action_add_contact(self) -> None:
        """'Add to contacts' on the unknown-sender banner (or its key): accept and store the contact."""
        if (summary := self._need_chat()) is not None and summary.chat.is_request and not summary.blocked:
            self._accept(summary, add_contact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add_contact":  # the key (and its footer entry) only while a request is open
            current = self.current
            return bool(current is not None and current.chat.is_request and not current.blocked)
        return super().check_action(action, parameters)  # type: ignore[misc]

    @worker(group="dialog", exclusive=True)
    async def _accept(self, summary: ChatSummary, *, add_contact: bool = False) -> None:
        await self.messenger.accept_request(summary.chat.id, add_contact=add_contact)
        if add_contact:
            self.notify(f"{clean_name(summary.peer.display_name)} is now in your contacts.", markup=False)
        await self._after_account_change(summary.chat.id)
        self.refresh_bindings()

    # profile and promotions --------------------------------------------------------------------------
    def action_profile(self) -> None:
        if (summary := self._need_chat()) is not None:
            self._profile(summary)

    @worker(group="dialog", exclusive=True)
    async def _profile(self, summary: ChatSummary) -> None:
        from tui_messenger.tui.modals import ProfileAction, ProfileModal

        peer, m = summary.peer, self.messenger
        account = await m.account(peer.id) or peer
        consent = await m.consent(peer.id) if peer.is_business else None
        quality = (
            next((q for q in await m.quality() if q.business_id == peer.id), None)
            if peer.is_business
            else None
        )
        modal = ProfileModal(
            account, looks_like=summary.looks_like, consent=consent, quality=quality, blocked=summary.blocked
        )
        action = await self.app.push_screen_wait(modal)
        if action is ProfileAction.BLOCK:
            self._block(summary)
        elif action is ProfileAction.REPORT:
            self._report(summary)

    def action_toggle_promotions(self) -> None:
        summary = self._need_chat()
        if summary is None:
            return
        if not summary.peer.is_business:
            self.notify("Promotions come only from businesses.", markup=False)
            return
        self._toggle_promotions(summary)

    @worker(group="dialog", exclusive=True)
    async def _toggle_promotions(self, summary: ChatSummary) -> None:
        consent = await self.messenger.consent(summary.peer.id)
        stop = not consent.marketing_stopped
        await self.messenger.set_marketing_stopped(summary.peer.id, stop)
        self.notify("Promotions stopped." if stop else "Promotions resumed.", markup=False)
        self.conversation.refresh_state()

    # lists, search, clock ----------------------------------------------------------------------------
    def action_blocked_list(self) -> None:
        self._blocked_list()

    @worker(group="dialog", exclusive=True)
    async def _blocked_list(self) -> None:
        from tui_messenger.tui.modals import BlockedListModal

        items = await self.messenger.blocked()
        unblocked = await self.app.push_screen_wait(
            BlockedListModal(items, on_unblock=self.messenger.unblock)
        )
        if unblocked:
            self.refresh_chat_list()
            if self.current is not None:
                self.conversation.open_chat(self.current.chat.id)

    def action_search(self) -> None:
        self._search()

    @worker(group="dialog", exclusive=True)
    async def _search(self) -> None:
        from tui_messenger.tui.modals import SearchModal

        result = await self.app.push_screen_wait(SearchModal(self.messenger, now=self.app.now))
        if result is not None:
            self.open_chat(result.chat_id, result.message_id)

    def action_jump_ahead(self) -> None:
        self._jump_ahead()

    @worker(group="clock")
    async def _jump_ahead(self) -> None:
        await self.messenger.jump_ahead(DAY)
        self.notify("The clock jumped ahead 24 hours.", markup=False)
        self.refresh_chat_list()
        self.conversation.refresh_state()

    def action_switch_theme(self) -> None:
        self.app.search_themes()
