"""The right pane: loads and pages the open chat, sends, and routes what its children ask for.

Every message of the pane's children (the history, the find bar, the edit strip, the panel under the
history, the header and the banners) is handled here and delegated to one of the small controllers the
pane owns (`self.editing`, `self.account`, ...). Messenger events reach the pane from the main screen."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static, TextArea

from tui_messenger.domain.models import (
    ChatMessage,
    ChatSummary,
    Consent,
    MessageKind,
    MessageStatus,
    PageCursor,
    WindowState,
)
from tui_messenger.services.port import Messenger
from tui_messenger.tui.conversation.account import Account
from tui_messenger.tui.conversation.arrivals import Arrivals
from tui_messenger.tui.conversation.choices import Choices
from tui_messenger.tui.conversation.chrome import Chrome
from tui_messenger.tui.conversation.drafts import Drafts
from tui_messenger.tui.conversation.editing import Editing
from tui_messenger.tui.conversation.export import Export
from tui_messenger.tui.conversation.files import Files
from tui_messenger.tui.conversation.find import Find
from tui_messenger.tui.conversation.links import Links
from tui_messenger.tui.conversation.message_menu import MessageMenu
from tui_messenger.tui.conversation.reactions import Reactions
from tui_messenger.tui.conversation.sending import Sending
from tui_messenger.tui.conversation.typing import Typing
from tui_messenger.tui.widgets.banners import BannerPressed, BlockedBar, ReplyStrip, RequestBanner
from tui_messenger.tui.widgets.composer import Composer
from tui_messenger.tui.widgets.conversation_header import ConversationHeader
from tui_messenger.tui.widgets.edit_strip import EditStrip
from tui_messenger.tui.widgets.find_bar import FindBar
from tui_messenger.tui.widgets.folding_line import FoldingLine
from tui_messenger.tui.widgets.interactive_panel import FeedbackPrompt, InteractivePanel
from tui_messenger.tui.widgets.message_view import MessageView
from tui_messenger.tui.workers import start, worker

PAGE = 50
EMPTY_STATE = "Choose a chat on the left, or press ctrl+p to find one."


class ConversationPane(Vertical):
    class ListChanged(Message):
        """What the chat list shows changed here (a block, an accepted request): the screen refreshes it."""

    def __init__(self, messenger: Messenger, *, now: Callable[[], datetime], id: str | None = None) -> None:
        super().__init__(id=id)
        self.messenger = messenger
        self.now = now
        self.summary: ChatSummary | None = None
        self.opening: int | None = None  # the chat `open_chat` is reading, until its messages are shown
        self._changed_while_opening = False
        self._early: list[Callable[[], None]] = []  # what came for it meanwhile: applied once shown
        self.window: WindowState | None = None
        self.consent: Consent | None = None
        self.reply_to: ChatMessage | None = None
        self.arrivals = Arrivals(self, messenger)
        self.chrome = Chrome(self, messenger)
        self.drafts = Drafts(self, messenger)
        self.typing = Typing(self, messenger)
        self.editing = Editing(self, messenger)
        self.menu = MessageMenu(self, messenger)
        self.choices = Choices(self, messenger)
        self.account = Account(self, messenger)
        self.find = Find(self, messenger)
        self.files = Files(self, messenger)
        self.reactions = Reactions(self, messenger)
        self.links = Links(self, messenger)
        self.export = Export(self, messenger)
        self.sending = Sending(self, messenger)

    @property
    def chat_id(self) -> int | None:
        return self.summary.chat.id if self.summary else None

    @property
    def blocked(self) -> bool:
        return bool(self.summary and self.summary.blocked)

    def compose(self) -> ComposeResult:
        yield Static(Content(EMPTY_STATE), id="empty-state")
        yield ConversationHeader(id="conversation-header")
        yield FoldingLine(id="system-notice", markup=False)
        yield Static(id="scam-banner", markup=False)
        yield RequestBanner(id="request-banner")
        yield Static(id="consent-line", markup=False)
        yield MessageView(now=self.now, id="message-view")
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
        self.opening, self._changed_while_opening, self._early = chat_id, False, []
        self.arrivals.opening(chat_id)
        if self.summary is not None and self.summary.chat.id != chat_id:
            self.editing.set(None)  # leaving the chat: the edit is dropped, the draft comes back
            await self.drafts.leave()
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
            for line in self.query(FoldingLine):
                line.fold()
            self.reply_to = None
            self.drafts.put(self.drafts.draft_for(chat_id, summary.chat.draft))
        # A short page may still have older history on the network (a new login holds only the newest
        # events of each chat): the view asks, and an empty answer ends the asking.
        self.view.set_messages(
            messages,
            has_older=bool(messages),
            has_newer=has_newer,
            select_id=select_id,
            peer_name=summary.peer.display_name,
        )
        if self.opening == chat_id:
            self.opening = None
        early, self._early = self._early, []
        for apply in early:  # after the page they may be missing from (a page read before they came)
            apply()
        self.chrome.refresh()
        self.screen.refresh_bindings()  # keys that depend on the chat: F2 for a request, Block or Unblock
        await self.chrome.refresh_panels()
        if summary.chat.unread_count and not summary.blocked:
            self.arrivals.read(chat_id)  # its own worker: a failure there is no failure to open
        if self._changed_while_opening:  # (a new chat's name, told just as it opens): read it again
            self.refresh_state()

    async def _load_business_state(self) -> None:
        summary = self.summary
        if summary is None or not summary.peer.is_business:
            self.window = self.consent = None
            return
        window = await self.messenger.window(summary.peer.id)
        consent = await self.messenger.consent(summary.peer.id)
        if self.chat_id == summary.chat.id:  # not another chat's, opened meanwhile
            self.window, self.consent = window, consent

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

    def jump_to(self, message_id: str) -> None:
        """Select `message_id`: in place if it is on screen, else the page around it is loaded."""
        if not self.view.select_message(message_id) and self.chat_id is not None:
            self.open_chat(self.chat_id, message_id)

    # what the children ask for (each delegated) ------------------------------------------------------
    @on(MessageView.OlderRequested)
    def _older(self, event: MessageView.OlderRequested) -> None:
        self._load_older(event.oldest)

    @on(MessageView.NewestRequested)
    def _newest(self) -> None:
        if self.chat_id is not None:
            self.open_chat(self.chat_id)

    @on(MessageView.QuoteActivated)
    def _quote(self, event: MessageView.QuoteActivated) -> None:
        self.jump_to(event.quoted_id)

    @on(MessageView.FullTextRequested)
    def _full_text(self, event: MessageView.FullTextRequested) -> None:
        from tui_messenger.tui.modals.reader import MessageReaderModal  # loads on first use

        self.app.push_screen(MessageReaderModal(event.message))

    @on(MessageView.MessageActivated)
    def _activated(self, event: MessageView.MessageActivated) -> None:
        """Enter on a message: a failed one of ours is sent again; any other is replied to."""
        message = event.message
        if message.outgoing and message.status is MessageStatus.FAILED:
            self.sending.retry(message.message_id)
        elif message.kind is not MessageKind.SYSTEM and not self.blocked:
            self.set_reply_to(message)

    @on(MessageView.EditRequested)
    def _edit(self, event: MessageView.EditRequested) -> None:
        self.editing.begin(event.message)

    @on(MessageView.DeleteRequested)
    def _delete(self, event: MessageView.DeleteRequested) -> None:
        self.menu.open(event.message, offer_edit=False)

    @on(MessageView.MenuRequested)
    def _menu(self, event: MessageView.MenuRequested) -> None:
        self.menu.open(event.message, offer_edit=True)

    @on(MessageView.ReactRequested)
    def _react(self, event: MessageView.ReactRequested) -> None:
        self.reactions.pick(event.message, event.typeahead)

    @on(MessageView.ReactionToggled)
    def _reaction_toggled(self, event: MessageView.ReactionToggled) -> None:
        self.reactions.toggle(event.message, event.emoji)

    @on(MessageView.LinkRequested)
    def _link(self, event: MessageView.LinkRequested) -> None:
        self.links.open(event.message, event.index)

    @on(MessageView.FileRequested)
    def _file(self, event: MessageView.FileRequested) -> None:
        self.files.save(event.message, ask=event.ask)

    @on(MessageView.ChoiceRequested)
    def _choice(self, event: MessageView.ChoiceRequested) -> None:
        self.choices.answer(event.message, event.choice_id)

    @on(MessageView.ChoicesOffered)
    def _choices(self, event: MessageView.ChoicesOffered) -> None:
        self.choices.offer(event.message)

    @on(InteractivePanel.Chosen)
    def _chosen(self, event: InteractivePanel.Chosen) -> None:
        self.choices.answer(event.message, event.choice_id)
        self._typing_goes_on()

    @on(FindBar.QueryChanged)
    def _find_query(self, event: FindBar.QueryChanged) -> None:
        self.find.query_changed(event)

    @on(FindBar.Stepped)
    def _find_step(self, event: FindBar.Stepped) -> None:
        self.find.step(event.step)

    @on(FindBar.Closed)
    def _find_closed(self) -> None:
        self.find.closed()

    @on(EditStrip.Cancelled)
    def _edit_cancelled(self) -> None:
        self.editing.stop()

    @on(EditStrip.Saved)
    def _edit_saved(self) -> None:
        if text := self.composer.text.strip():  # an empty edit is refused by the service: keep editing
            self.editing.finish(text)

    @on(ConversationHeader.ActionPressed)
    def _header(self, event: ConversationHeader.ActionPressed) -> None:
        if self.chrome.run_button(event.action):
            event.stop()  # else ("back") the screen's: it owns the layout

    @on(BannerPressed)
    def _banner(self, event: BannerPressed) -> None:
        if self.chrome.run_button(event.action):
            event.stop()

    @on(FeedbackPrompt.Given)
    def _feedback(self, event: FeedbackPrompt.Given) -> None:
        self.sending.give_feedback(event.message, event.kind)
        self._typing_goes_on()

    def _typing_goes_on(self) -> None:
        """After a press in the panel under the history (its buttons are disabled, then gone, and the
        focus with them): the next keys go to the composer, not nowhere."""
        focused = self.screen.focused
        if focused is None or self.query_one("#panel-slot") in focused.ancestors:
            self.focus_typing()

    def focus_typing(self) -> None:
        """The composer, or the history in a chat without one (blocked)."""
        (self.composer if self.composer.display else self.view).focus()

    @on(Composer.Submitted)
    def _submitted(self, event: Composer.Submitted) -> None:
        if self.summary is None or self.blocked:
            return
        if self.editing.message is not None:
            self.editing.finish(event.text)
            return
        reply = self.reply_to.message_id if self.reply_to else None
        self.set_reply_to(None)
        self.sending.send(self.summary.chat.id, event.text, reply)

    @on(TextArea.Changed, "#composer")
    def _draft_changed(self) -> None:
        self.drafts.changed()
        self.typing.changed()

    # events from the messenger (forwarded by the screen) ---------------------------------------------
    def for_chat(self, chat_id: int, apply: Callable[..., None], *args: Any) -> None:
        """A message of chat `chat_id` added or changed: `apply(*args)` if that chat is shown, kept until
        it is if it is being opened (its page may have been read before this came); else nothing."""
        if chat_id == self.opening:
            self._early.append(partial(apply, *args))
        elif chat_id == self.chat_id:
            apply(*args)

    def message_added(self, message: ChatMessage) -> None:
        self.arrivals.added(message)

    def refresh_panels_later(self) -> None:
        start(self, self.chrome.refresh_panels, group="panels", exclusive=True)

    def message_changed(self, message: ChatMessage) -> None:
        self.arrivals.flush()  # keep the order: the message may still wait to be added
        self.view.update(message)

    def message_removed(self, message_id: str) -> None:
        self.editing.removed(message_id)
        self.view.remove_message(message_id)

    def summary_changed(self, summary: ChatSummary) -> None:
        """A chat's summary changed: the open one's is shown; the one being opened is read again once
        open (the summary it read may be older)."""
        if summary.chat.id == self.opening:
            self._changed_while_opening = True
            return
        if summary.chat.id != self.chat_id:
            return
        was_blocked = self.blocked
        self.summary = summary
        if was_blocked != summary.blocked:
            self.open_chat(summary.chat.id)  # blocked or unblocked: show what the service shows now
        else:
            self.chrome.refresh()

    def refresh_state(self) -> None:
        """The clock jumped or the directory changed: reread the window and consent."""
        if self.chat_id is not None:
            start(self, self.reload_state, group="state", exclusive=True)

    async def reload_state(self) -> None:
        """The open chat's summary, window and consent read again, and shown; not if another chat was
        opened meanwhile (its summary would be this one's, under its history)."""
        chat_id = self.chat_id
        if chat_id is None:
            return
        summary = await self.messenger.summary(chat_id)
        if chat_id != self.chat_id:
            return
        self.summary = summary
        await self._load_business_state()
        self.chrome.refresh()

    def _tick(self) -> None:
        if self.window is not None and self.window.open and self.window.closes_at is not None:
            if self.now() >= self.window.closes_at:
                self.refresh_state()
            elif self.summary is not None:
                self.chrome.refresh()  # at midnight "tomorrow 09:00" becomes "today 09:00"

    def set_reply_to(self, message: ChatMessage | None) -> None:
        self.reply_to = message
        self.chrome.show_reply_strip()
        if message is not None:
            self.composer.focus()
