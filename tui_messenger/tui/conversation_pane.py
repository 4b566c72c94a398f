"""The right pane's controller: loads and pages the open chat, sends, answers interactive messages,
keeps the draft, and shows the banners a chat needs. Account actions (block, report, profile,
promotions, requests) bubble up to the main screen, which owns the dialogs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static, TextArea

from tui_messenger.domain.models import (
    ChatMessage,
    ChatSummary,
    Consent,
    Direction,
    MessageKind,
    MessageStatus,
    PageCursor,
    WindowState,
)
from tui_messenger.services.messenger import Messenger
from tui_messenger.tui.choice_actions import ChoiceActions
from tui_messenger.tui.drafts import Drafts
from tui_messenger.tui.editing import MessageEditing
from tui_messenger.tui.widgets import interactive_model as im
from tui_messenger.tui.widgets.banners import (
    BlockedBar,
    ReplyStrip,
    RequestBanner,
    consent_line,
    system_notice,
)
from tui_messenger.tui.widgets.composer import Composer
from tui_messenger.tui.widgets.conversation_header import ConversationHeader
from tui_messenger.tui.widgets.edit_strip import EditStrip
from tui_messenger.tui.widgets.interactive_panel import FeedbackPrompt, InteractivePanel
from tui_messenger.tui.widgets.message_view import MessageView
from tui_messenger.tui.workers import start, worker

PAGE = 50
TYPING_TIMEOUT = 8.0


class ConversationPane(ChoiceActions, MessageEditing, Drafts, Vertical):
    def __init__(self, messenger: Messenger, *, now: Callable[[], datetime], id: str | None = None) -> None:
        super().__init__(id=id)
        self.messenger = messenger
        self._now = now
        self.summary: ChatSummary | None = None
        self.window: WindowState | None = None
        self.consent: Consent | None = None
        self.reply_to: ChatMessage | None = None
        self._typing_timer: Timer | None = None
        self._restoring_draft = False
        self._pending: list[ChatMessage] = []  # added messages waiting for the next turn of the loop

    @property
    def chat_id(self) -> int | None:
        return self.summary.chat.id if self.summary else None

    def compose(self) -> ComposeResult:
        yield Static(Content("Choose a chat on the left, or press ctrl+p to find one."), id="empty-state")
        yield ConversationHeader(id="conversation-header")
        yield Static(id="system-notice", markup=False)
        yield Static(id="scam-banner", markup=False)
        yield RequestBanner(id="request-banner")
        yield Static(id="consent-line", markup=False)
        yield MessageView(now=self._now, id="message-view")
        yield Static(Content("typing…"), id="typing-indicator")
        yield Vertical(id="panel-slot")
        yield ReplyStrip(id="reply-strip")
        yield EditStrip(id="edit-strip")
        yield Composer(id="composer")
        yield BlockedBar(id="blocked-bar")

    def on_mount(self) -> None:
        self.set_class(True, "-empty")
        self.set_interval(60, self._tick)

    @property
    def view(self) -> MessageView:
        return self.query_one(MessageView)

    @property
    def composer(self) -> Composer:
        return self.query_one(Composer)

    # opening and paging ------------------------------------------------------------------------------
    @worker(group="open-chat", exclusive=True, failed="Chat not opened")
    async def open_chat(self, chat_id: int, select_id: str | None = None) -> None:
        """Show a chat: the newest page, or the page around `select_id` (a search hit, a quote)."""
        m = self.messenger
        if self.summary is not None and self.summary.chat.id != chat_id:
            self.set_editing(None)  # leaving the chat: the edit is dropped, the draft comes back
            await self.leave_draft()
        summary = await m.summary(chat_id)
        if select_id is None and summary.chat.unread_count and not summary.blocked:
            select_id = await m.first_unread(chat_id)  # open at the first unread message
        if select_id is not None:
            messages = await m.page_around(chat_id, select_id, limit=PAGE)
            newest = summary.chat.last_message_id
            has_newer = bool(messages) and newest is not None and messages[-1].message_id != newest
        else:
            messages, has_newer = await m.latest_page(chat_id, limit=PAGE), False
        switching = self.summary is None or self.summary.chat.id != chat_id
        self.summary = summary
        await self._load_business_state()
        if switching:
            self.reply_to = None
            self._restoring_draft = True
            self.composer.text = self.draft_for(chat_id, summary.chat.draft)
            self._restoring_draft = False
        self.view.set_messages(
            messages, has_older=len(messages) >= PAGE, has_newer=has_newer, select_id=select_id
        )
        self._refresh_chrome()
        await self._refresh_panels()
        if summary.chat.unread_count and not summary.blocked:
            self._mark_read(chat_id)  # its own worker: a failure there is no failure to open

    async def _load_business_state(self) -> None:
        summary = self.summary
        if summary is None or not summary.peer.is_business:
            self.window = self.consent = None
            return
        self.window = await self.messenger.window(summary.peer.id)
        self.consent = await self.messenger.consent(summary.peer.id)

    # Not exclusive: pages are fetched ahead (MessageView asks as a window opens), and a page that no longer
    # fits is dropped by the view; cancelling one in flight would only throw away a finished query.
    @worker(group="history")
    async def _load_older(self, oldest: ChatMessage) -> None:
        if self.summary is None or oldest.id is None:
            return
        chat_id = self.summary.chat.id
        older = await self.messenger.page_before(chat_id, PageCursor(oldest.position, oldest.id), limit=PAGE)
        if self.chat_id == chat_id:
            self.view.receive_older(oldest.message_id, older, has_older=len(older) >= PAGE)

    @on(MessageView.OlderRequested)
    def _older(self, event: MessageView.OlderRequested) -> None:
        self._load_older(event.oldest)

    @on(MessageView.NewestRequested)
    def _newest(self) -> None:
        if self.chat_id is not None:
            self.open_chat(self.chat_id)

    @on(MessageView.QuoteActivated)
    def _quote(self, event: MessageView.QuoteActivated) -> None:
        if not self.view.select_message(event.quoted_id) and self.chat_id is not None:
            self.open_chat(self.chat_id, event.quoted_id)

    @on(MessageView.FullTextRequested)
    def _read_all(self, event: MessageView.FullTextRequested) -> None:
        from tui_messenger.tui.modals.reader import MessageReaderModal  # loads on first use

        self.app.push_screen(MessageReaderModal(event.message))

    @on(MessageView.MessageActivated)
    def _activated(self, event: MessageView.MessageActivated) -> None:
        message = event.message
        if message.outgoing and message.status is MessageStatus.FAILED:
            self._retry(message.message_id)
        elif message.kind is not MessageKind.SYSTEM and not self._blocked:
            self.set_reply_to(message)

    @worker(group="send", failed="Not sent again")
    async def _retry(self, message_id: str) -> None:
        await self.messenger.retry(message_id)

    # events from the messenger (forwarded by the screen) ---------------------------------------------
    def message_added(self, message: ChatMessage) -> None:
        """Buffered: a burst of thousands is shown with one layout, one mark-read and one panels
        refresh per turn of the loop, not one each per message."""
        self._pending.append(message)
        if len(self._pending) == 1:
            self.call_later(self._flush_added)

    def _flush_added(self) -> None:
        batch, self._pending = self._pending, []
        if not batch:
            return
        if batch[0].chat_id != self.chat_id:
            batch = [m for m in batch if m.chat_id == self.chat_id]
            if not batch:
                return
        self.view.append_many(batch)
        if any(m.direction is Direction.INBOUND for m in batch):
            self.show_typing(False)
            if self.chat_id is not None and not self._blocked:
                self._mark_read(self.chat_id)
        self._refresh_panels_later()

    def _refresh_panels_later(self) -> None:
        start(self, self._refresh_panels, group="panels", exclusive=True)

    def message_changed(self, message: ChatMessage) -> None:
        if self._pending:
            self._flush_added()  # keep the order: the message may still wait to be added
        self.view.update(message)

    def summary_changed(self, summary: ChatSummary) -> None:
        was_blocked = self._blocked
        self.summary = summary
        if was_blocked != summary.blocked:
            self.open_chat(summary.chat.id)  # blocked or unblocked: show what the service shows now
        else:
            self._refresh_chrome()

    def show_typing(self, typing: bool) -> None:
        indicator = self.query_one("#typing-indicator")
        indicator.display = typing and not self._blocked
        if self._typing_timer is not None:
            self._typing_timer.stop()
        if typing:
            self._typing_timer = self.set_timer(TYPING_TIMEOUT, lambda: self.show_typing(False))

    def refresh_state(self) -> None:
        """The clock jumped or the directory changed: reread the window and consent."""
        if self.chat_id is not None:
            start(self, self._reload_state, group="state", exclusive=True)

    async def _reload_state(self) -> None:
        if self.chat_id is None:
            return
        self.summary = await self.messenger.summary(self.chat_id)
        await self._load_business_state()
        self._refresh_chrome()

    def _tick(self) -> None:
        if self.window is not None and self.window.open and self.window.closes_at is not None:
            if self._now() >= self.window.closes_at:
                self.refresh_state()
            elif self.summary is not None:
                self._refresh_chrome()  # at midnight "tomorrow 09:00" becomes "today 09:00"

    @worker(group="mark-read", exclusive=True, failed="Not marked as read")
    async def _mark_read(self, chat_id: int) -> None:
        await self.messenger.mark_read(chat_id)

    # what surrounds the history ------------------------------------------------------------------------
    @property
    def _blocked(self) -> bool:
        return bool(self.summary and self.summary.blocked)

    def _refresh_chrome(self) -> None:
        summary = self.summary
        self.set_class(summary is None, "-empty")
        if summary is None:
            return
        peer, blocked = summary.peer, summary.blocked
        stopped = self.consent.marketing_stopped if self.consent else None
        consent_shown = peer.is_business and not blocked
        self.query_one(ConversationHeader).show(
            summary,
            window=self.window,
            marketing_stopped=stopped,
            now=self._now(),
            consent=consent_line(self.consent) if consent_shown else None,  # one line when narrow
        )
        notice = self.query_one("#system-notice", Static)
        notice.display = peer.is_business
        if peer.is_business:
            notice.update(system_notice(summary))
        scam = self.query_one("#scam-banner", Static)
        scam.display = peer.scam
        if peer.scam:
            scam.update(
                Content("⚠ Reported as a scam. Never share codes, passwords or payment details here.")
            )
        request = self.query_one(RequestBanner)
        request.display = summary.chat.is_request and not blocked
        if request.display:
            request.show(summary)
        consent = self.query_one("#consent-line", Static)
        consent.set_class(not consent_shown, "-hidden")  # a class: app.tcss hides it when narrow too
        if consent_shown:
            consent.update(consent_line(self.consent))
        self.composer.display = not blocked
        self.query_one(BlockedBar).display = blocked
        self._show_reply_strip()
        if blocked:
            self.show_typing(False)
            if self.composer.has_focus:
                self.view.focus()  # the composer is gone: keep the keys (and the footer) useful

    async def _refresh_panels(self) -> None:
        slot = self.query_one("#panel-slot")
        await slot.remove_children()
        summary = self.summary
        if summary is None or summary.blocked or not summary.peer.is_business:
            return
        messages = self.view.messages
        if (message := im.latest_open_interactive(messages)) is not None:
            await slot.mount(InteractivePanel(message, id="interactive-panel"))
            return
        initiated = [m for m in messages[-10:] if m.kind is MessageKind.TEMPLATE and not m.outgoing]
        if initiated and messages[-1] is initiated[-1]:
            given = await self.messenger.feedback_for([initiated[-1].message_id])
            if not given:
                await slot.mount(FeedbackPrompt(initiated[-1], id="feedback-prompt"))

    # sending ---------------------------------------------------------------------------------------
    def set_reply_to(self, message: ChatMessage | None) -> None:
        self.reply_to = message
        self._show_reply_strip()
        if message is not None:
            self.composer.focus()

    def _show_reply_strip(self) -> None:
        strip = self.query_one(ReplyStrip)
        strip.display = self.reply_to is not None and not self._blocked
        if self.reply_to is not None:
            strip.show(self.reply_to)

    @on(Composer.Submitted)
    def _submitted(self, event: Composer.Submitted) -> None:
        if self.summary is None or self._blocked:
            return
        if self.editing is not None:
            self.finish_editing(event.text)
            return
        reply = self.reply_to.message_id if self.reply_to else None
        self.set_reply_to(None)
        self._send(self.summary.chat.id, event.text, reply)

    @worker(group="send", failed="Not sent")
    async def _send(self, chat_id: int, text: str, reply_to: str | None) -> None:
        try:
            message = await self.messenger.send_text(chat_id, text, reply_to=reply_to)
        except Exception:
            self.give_back(chat_id, text)
            raise
        if self.chat_id == chat_id and self.view.get(message.message_id) is None:
            self.view.append(message)  # not shown yet by its MessageAdded (which may carry a newer status)
        self._sent(chat_id)

    @worker(group="send")
    async def _sent(self, chat_id: int) -> None:
        """After a send: the draft is gone, and a business chat's window is open again."""
        await self.messenger.save_draft(chat_id, "")
        if self.chat_id == chat_id and self.summary is not None and self.summary.peer.is_business:
            await self._load_business_state()
            self._refresh_chrome()

    @on(FeedbackPrompt.Given)
    def _feedback(self, event: FeedbackPrompt.Given) -> None:
        self._give_feedback(event)

    @worker(group="feedback", failed="Feedback not recorded")
    async def _give_feedback(self, event: FeedbackPrompt.Given) -> None:
        try:
            await self.messenger.give_feedback(event.message.message_id, event.kind)
        except Exception:
            self._refresh_panels_later()  # the prompt disabled itself on the click: offer it again
            raise
        self.app.notify("Thanks — your feedback was recorded.", markup=False)
        await self._refresh_panels()

    @on(TextArea.Changed, "#composer")
    def _draft_changed(self) -> None:
        self.draft_changed()
