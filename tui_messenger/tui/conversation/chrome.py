"""What surrounds the open chat's history: the header, the business notice, the scam and request banners,
the consent line, the reply strip, the composer or the blocked bar, and the panel under the history (the
newest open interactive message's buttons, or the feedback prompt after a business's template)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from tui_messenger.domain.models import MessageKind
from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.widgets import interactive_model as im
from tui_messenger.tui.widgets.banners import (
    BlockedBar,
    ReplyStrip,
    RequestBanner,
    consent_line,
    system_notice,
)
from tui_messenger.tui.widgets.conversation_header import ConversationHeader
from tui_messenger.tui.widgets.interactive_panel import FeedbackPrompt, InteractivePanel
from tui_messenger.tui.widgets.static_text import show_text

if TYPE_CHECKING:
    from tui_messenger.services.port import Messenger
    from tui_messenger.tui.conversation.pane import ConversationPane

# "typing…" goes when the other side says it stopped, or their message comes; at the latest after this:
# a Matrix server forgets a typing user after 30 s unless told again (conversation/typing.py does).
TYPING_TIMEOUT = 30.0
SCAM_WARNING = "⚠ Reported as a scam. Never share codes, passwords or payment details here."


class Chrome(Controller):
    _typing_timer: Timer | None = None

    def __init__(self, pane: ConversationPane, messenger: Messenger) -> None:
        super().__init__(pane, messenger)
        self._panels_lock = asyncio.Lock()

    def run_button(self, action: str) -> bool:
        """A header, banner or menu button: its action; False if it is not the pane's (the screen's)."""
        account = self.pane.account
        buttons: dict[str, Callable[[], None]] = {
            "block": account.block,
            "report": account.report,
            "profile": account.profile,
            "stop-promotions": account.toggle_promotions,
            "resume-promotions": account.toggle_promotions,
            "add_contact": account.add_contact,
            "unblock": account.unblock,
            "continue": account.accept,
            "cancel-reply": lambda: self.pane.set_reply_to(None),
            "menu": self.chat_menu,
        }
        handler = buttons.get(action)
        if handler is not None:
            handler()
        return handler is not None

    def chat_menu(self) -> None:
        """The header's "⋯" menu: every action of the open chat, those that did not fit first."""
        if self.current is None:
            return
        from tui_messenger.tui.modals.chat_menu import ChatMenuModal

        def chosen(action: str | None) -> None:
            if action:
                self.run_button(action)

        menu = ChatMenuModal(self.pane.query_one(ConversationHeader).menu_actions)
        self.app.push_screen(menu, chosen)

    def show_typing(self, typing: bool) -> None:
        """ "typing…" under the history, for TYPING_TIMEOUT at most (never for a blocked contact)."""
        line, shown = self.pane.query_one("#typing-indicator"), typing and not self.pane.blocked
        if line.display != shown:  # (set, even to what it is, it lays the screen out again)
            line.display = shown
        if self._typing_timer is not None:
            self._typing_timer.stop()
        if typing:
            self._typing_timer = self.pane.set_timer(TYPING_TIMEOUT, lambda: self.show_typing(False))

    def refresh(self) -> None:
        pane, summary = self.pane, self.current
        pane.set_class(summary is None, "-empty")
        if summary is None:
            return
        peer, blocked, consent = summary.peer, summary.blocked, pane.consent
        consent_shown = peer.is_business and not blocked
        pane.query_one(ConversationHeader).show(
            summary,
            window=pane.window,
            marketing_stopped=consent.marketing_stopped if consent else None,
            now=pane.now(),
            consent=consent_line(consent) if consent_shown else None,  # one line when narrow
        )
        notice = pane.query_one("#system-notice", Static)
        notice.display = peer.is_business
        if peer.is_business:
            show_text(notice, system_notice(summary))
        scam = pane.query_one("#scam-banner", Static)
        scam.display = peer.scam
        if peer.scam:
            show_text(scam, Content(SCAM_WARNING))
        request = pane.query_one(RequestBanner)
        request.display = summary.chat.is_request and not blocked
        if request.display:
            request.show(summary)
        line = pane.query_one("#consent-line", Static)
        line.set_class(not consent_shown, "-hidden")  # a class: app.tcss hides it when narrow too
        if consent_shown:
            show_text(line, consent_line(consent))
        unblocked = not blocked and not pane.composer.display
        pane.composer.display = not blocked
        pane.view.read_only = blocked
        pane.query_one(BlockedBar).display = blocked
        self.show_reply_strip()
        if blocked:
            self.show_typing(False)
        self._keep_focus_shown(unblocked)

    def _keep_focus_shown(self, unblocked: bool) -> None:
        """A focused part just hidden (the request banner's buttons once it is answered, the composer of a
        blocked chat) would still take the keys, and a space would press a button no one sees: they go to
        the composer, or to the history when that is hidden too. A chat just unblocked (by ctrl+b, with
        the history focused as a blocked chat has it) gets its composer back, focused: what the user types
        next is a message, not keys lost on the history."""
        pane, focused = self.pane, self.pane.screen.focused
        if focused is None or pane not in focused.ancestors:
            return
        inside = [focused, *focused.ancestors[: focused.ancestors.index(pane)]]
        if unblocked or not all(node.display for node in inside):
            pane.focus_typing()

    def show_reply_strip(self) -> None:
        pane = self.pane
        strip = pane.query_one(ReplyStrip)
        strip.display = pane.reply_to is not None and not pane.blocked
        if pane.reply_to is not None:
            strip.show(pane.reply_to)

    async def refresh_panels(self) -> None:
        """The panel under the history, for the messages shown now.

        Its callers run in workers that a newer one may cancel (a chat opened again, another message
        arrived), and several may ask at once (a choice sent while the reply arrives). So one replaces the
        panel at a time, and the removal of the old one is shielded: Textual's `remove_children()` awaits
        the removed widgets' own message loops, and a cancellation arriving there cancelled them, which
        left a half-removed panel in the screen with no message loop (the app could no longer settle, and
        closing it raised CancelledError)."""
        async with self._panels_lock:
            await self._replace_panel()

    async def _replace_panel(self) -> None:
        slot = self.pane.query_one("#panel-slot")
        await asyncio.shield(slot.remove_children())  # a cancelled caller leaves the removal to end
        summary = self.current
        if summary is None or summary.blocked or not summary.peer.is_business:
            return
        messages = self.pane.view.messages
        if (message := im.latest_open_interactive(messages)) is not None:
            await slot.mount(InteractivePanel(message, id="interactive-panel"))
            return
        initiated = [m for m in messages[-10:] if m.kind is MessageKind.TEMPLATE and not m.outgoing]
        if initiated and messages[-1] is initiated[-1]:
            given = await self.messenger.feedback_for([initiated[-1].message_id])
            if not given:
                await slot.mount(FeedbackPrompt(initiated[-1], id="feedback-prompt"))
