"""The main screen: chat list on the left, the open conversation on the right, a footer of bindings.

It holds the layout, the bindings (each a one-line delegate), the chat list and its flags, the app-wide
dialogs (search, blocked list, mute, the tester's clock) and routes messenger events, which arrive as
messages from `tui.messages`, posted here by the App (`post_event`). What the open chat does is the
conversation pane's and its controllers' (`tui/conversation/`).

At startup (`defer_conversation`, what `run_app` asks) the first frame holds only what it shows: the chat
list, the footer, and in the right pane the words of the conversation pane's empty state. The conversation
pane (its module, its dozen widgets and their styles: about a fifth of the time to the first frame) is
mounted just after that frame (`PANE_AFTER`), hidden until composed, then swapped in for the placeholder
in one update: nothing on screen changes. Until then messenger events wait, a chat chosen is opened once
the pane is there, and the pane's key actions are skipped (`SkipAction`), as keys pressed before a screen
exists are.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from tui_messenger.domain.models import ChatFilter, ChatSummary
from tui_messenger.domain.safe_text import clean_name, preview
from tui_messenger.services.port import Messenger
from tui_messenger.tui import messages as msg
from tui_messenger.tui.commands import OPEN_CHAT_ACTIONS
from tui_messenger.tui.hit_test import AttachedHitTest
from tui_messenger.tui.screens.app_tools import AppTools
from tui_messenger.tui.screens.pane_layout import ONE_PANE_BELOW, PaneLayout
from tui_messenger.tui.widgets.chat_list import ChatList
from tui_messenger.tui.widgets.conversation_header import ConversationHeader
from tui_messenger.tui.widgets.conversation_placeholder import EMPTY_STATE, ConversationPlaceholder
from tui_messenger.tui.widgets.textual_private import QuietFooter
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.tui.conversation.pane import ConversationPane

LIST_REFRESH_DELAY = 0.05
# The offline state follows the connection at most this often: a link flapping many times a second
# (`--disconnect 1.0`) restyled the whole screen each time and its garbage grew RSS to 428 MB.
CONNECTION_SHOWN_EVERY = 0.5
OFFLINE = "Offline: connecting again… Messages you send wait in the outbox."
PANE_AFTER = 0.1  # seconds from the first frame to mounting the pane (at once, a busy frame took 40 ms more)


class MainScreen(AttachedHitTest, Screen[None]):
    BINDINGS = [
        Binding("ctrl+f", "search", "Search", id="search-messages"),
        Binding("ctrl+b", "block", "Block", id="block-contact"),
        Binding("ctrl+b", "unblock", "Unblock", id="unblock-contact"),  # in a blocked chat, instead
        Binding("ctrl+r", "report", "Report", id="report-contact"),
        Binding("ctrl+o", "profile", "Profile", id="business-profile"),
        Binding("ctrl+l", "focus_chats", "Chats", id="focus-chats"),
        Binding("ctrl+g", "find", "Find in chat", id="find-in-chat"),
        Binding("ctrl+t", "mute_for", "Mute…", id="mute-chat-for"),
        Binding("ctrl+n", "send_file", "Send file…", id="send-file"),
        Binding("f2", "add_contact", "Add contact", id="add-contact"),
        Binding("f9", "chat_menu", "Chat menu", show=False, id="chat-menu"),
        Binding("escape", "escape", "Back", show=False, id="back"),
    ]
    # One pane at a time below ONE_PANE_BELOW columns (see PaneLayout); `-short` folds the chat's
    # header lines on a low terminal.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (ONE_PANE_BELOW, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    def __init__(
        self, messenger: Messenger, *, now: Callable[[], datetime], defer_conversation: bool = False
    ) -> None:
        super().__init__(id="main")
        self.messenger = messenger
        self.now = now
        self._list_timer: Timer | None = None
        self._list_refreshed = 0.0  # when a change last refreshed the list (monotonic)
        self._online = True  # the connection's latest state; shown by `_show_connection`
        self._connection_timer: Timer | None = None
        self._chat_list: ChatList | None = None
        self._conversation: ConversationPane | None = None
        self._defer_conversation = defer_conversation
        self._early_events: list[Message] = []  # messenger events that came before the pane
        self._early_choice: tuple[int, str | None] | None = None  # a chat chosen before the pane
        self.panes = PaneLayout(self)
        self.tools = AppTools(self, messenger)

    def compose(self) -> ComposeResult:
        yield Static(Content(OFFLINE), id="offline-line")  # shown while `-offline` (app.tcss)
        with Horizontal(id="panes"):
            yield ChatList(now=self.now, id="chat-list")
            if self._defer_conversation:
                yield ConversationPlaceholder(Content(EMPTY_STATE), id="conversation-placeholder")
            else:
                self._conversation = self._new_conversation()
                yield self._conversation
        yield QuietFooter()

    def on_mount(self) -> None:
        self.refresh_chat_list()
        self.query_one("#chat-options").focus()
        if self._defer_conversation:
            self.call_after_refresh(lambda: self.set_timer(PANE_AFTER, self._mount_conversation))

    def _new_conversation(self) -> ConversationPane:
        from tui_messenger.tui.conversation.pane import ConversationPane

        return ConversationPane(self.messenger, now=self.now, id="conversation")

    async def _mount_conversation(self) -> None:
        """The conversation pane in place of the placeholder: composed hidden, then swapped in one update."""
        found, placeholder = self.query("#panes"), self.query(ConversationPlaceholder)
        if not found or not placeholder or not found.first().is_attached:
            return  # the app is closing (quit right after the first frame): nothing to mount into
        panes = found.first()
        pane = self._new_conversation()
        pane.display = False
        pane.add_class("-empty")  # as its on_mount would: the first frame it is in shows the empty state
        await panes.mount(pane, after=placeholder.first())
        if not pane.is_attached:
            return
        with self.app.batch_update():
            pane.styles.clear_rule("display")  # shown or not by app.tcss (one pane at a time when narrow)
            await placeholder.remove()
        self._conversation = pane
        early, self._early_events = self._early_events, []
        for message in early:
            self.post_message(message)
        if self._early_choice is not None:
            self.open_chat(*self._early_choice)
            self._early_choice = None

    def post_event(self, message: Message) -> None:
        """A messenger event for this screen; held back until the conversation pane is mounted."""
        if self._conversation is None:
            self._early_events.append(message)
        else:
            self.post_message(message)

    @property
    def chat_list(self) -> ChatList:
        if self._chat_list is None:  # found once: a burst asks for it thousands of times
            self._chat_list = self.query_one(ChatList)
        return self._chat_list

    @property
    def conversation(self) -> ConversationPane:
        if self._conversation is None:  # an action of the pane before the pane is there: not yet
            raise SkipAction("the conversation pane is mounted just after the first frame")
        return self._conversation

    @property
    def pane_if_mounted(self) -> ConversationPane | None:
        return self._conversation

    @property
    def open_chat_id(self) -> int | None:
        """The chat shown on the right (None: none, or the pane is not mounted yet)."""
        return self._conversation.chat_id if self._conversation is not None else None

    @property
    def current(self) -> ChatSummary | None:
        return self._conversation.summary if self._conversation is not None else None

    # chat list -------------------------------------------------------------------------------------
    @worker(group="chat-list", exclusive=True)
    async def refresh_chat_list(self) -> None:
        chats, m = self.chat_list, self.messenger
        rows = await m.chat_list(filter=chats.filter, query=chats.filter_text, archived=chats.archived)
        counts = await m.filter_counts()
        archived = [] if chats.archived else await m.chat_list(archived=True)
        chats.show(
            rows,
            archived_count=len(archived),
            archived_unread=sum(1 for a in archived if a.chat.unread_count and not a.blocked),
        )
        chats.set_counts(counts)

    def _schedule_list_refresh(self) -> None:
        # A throttle, not a debounce: a change after a quiet moment shows at once; during a burst (the
        # first sync) the list updates at most every LIST_REFRESH_DELAY, and still as it goes.
        if self._list_timer is None:
            wait = self._list_refreshed + LIST_REFRESH_DELAY - time.monotonic()  # a Timer cannot wait 0
            self._list_timer = self.set_timer(max(0.001, wait), self._list_refresh_due)

    def _list_refresh_due(self) -> None:
        self._list_timer, self._list_refreshed = None, time.monotonic()
        self.refresh_chat_list()

    @on(ChatList.ViewChanged)
    def _view_changed(self) -> None:
        self.refresh_chat_list()

    def on_conversation_pane_list_changed(self) -> None:
        self.refresh_chat_list()

    @on(ChatList.ChatChosen)
    def _chosen(self, event: ChatList.ChatChosen) -> None:
        self.open_chat(event.chat_id)

    def open_chat(self, chat_id: int, select_id: str | None = None) -> None:
        self.chat_list.current_chat = chat_id
        if self._conversation is None:
            self._early_choice = (chat_id, select_id)  # opened once the pane is mounted
            return
        self.conversation.open_chat(chat_id, select_id)
        self.panes.chat_opened()
        # Opening a chat (list, click, palette, a search hit) is to write in it: typing goes to the
        # composer, never to the history's one-letter keys (`x` deletes, `e` edits). A search hit is
        # shown selected; shift+tab or a click reaches it. A blocked chat has no composer: the pane
        # moves the focus to the history.
        self.conversation.composer.focus()

    def start_chat(self, account_id: str) -> None:
        """A chat with a contact who has none yet (the palette's "Chat with ..."): made, listed, opened."""
        self.tools.start_chat(account_id)

    @on(ChatList.FlagRequested)
    def _flag(self, event: ChatList.FlagRequested) -> None:
        self.tools.toggle_flag(event.chat_id, event.flag)

    def _flag_current(self, flag: str) -> None:
        if self.current is not None:
            self.tools.toggle_flag(self.current.chat.id, flag)

    def action_pin(self) -> None:
        self._flag_current("pin")

    def action_mute(self) -> None:
        self._flag_current("mute")

    def action_archive(self) -> None:
        self._flag_current("archive")

    def action_mark_unread(self) -> None:
        self._flag_current("unread")

    def action_archived_chats(self) -> None:
        self.chat_list.show_archived(True)
        self.panes.show_list()

    def action_filter(self, name: str) -> None:
        self.chat_list.select_filter(ChatFilter[name])

    def action_focus_chats(self) -> None:
        self.panes.toggle_list()

    def on_resize(self) -> None:
        self.panes.resized()

    def action_escape(self) -> None:
        if self.conversation.editing.message is not None:
            self.conversation.editing.stop()
        elif self.conversation.reply_to is not None:
            self.conversation.set_reply_to(None)
        else:
            self.panes.show_list()

    # messenger events ------------------------------------------------------------------------------
    def on_chat_message_added(self, event: msg.ChatMessageAdded) -> None:
        if (pane := self._conversation) is not None:
            pane.for_chat(event.chat_id, pane.message_added, event.message)

    def on_chat_message_changed(self, event: msg.ChatMessageChanged) -> None:
        if (pane := self._conversation) is not None:
            pane.for_chat(event.chat_id, pane.message_changed, event.message)

    def on_chat_summary_changed(self, event: msg.ChatSummaryChanged) -> None:
        self.chat_list.update_row(event.summary)
        self._schedule_list_refresh()
        if self._conversation is not None:
            self._conversation.summary_changed(event.summary)  # the open chat's, or the one opening

    def on_chat_message_removed(self, event: msg.ChatMessageRemoved) -> None:
        if (pane := self._conversation) is not None:
            pane.for_chat(event.chat_id, pane.message_removed, event.message_id)

    def on_chat_reactions_changed(self, event: msg.ChatReactionsChanged) -> None:
        if (pane := self._conversation) is not None:
            pane.for_chat(event.chat_id, pane.view.set_reactions, event.message_id, event.reactions)

    def on_typing_changed(self, event: msg.TypingChanged) -> None:
        if event.chat_id == self.open_chat_id:
            self.conversation.chrome.show_typing(event.typing)

    def on_account_changed(self, event: msg.AccountChanged) -> None:
        self._schedule_list_refresh()
        if self.current is not None and self.current.peer.id == event.account.id:
            self.conversation.refresh_state()

    def on_notification_raised(self, event: msg.NotificationRaised) -> None:
        if event.chat_id == self.open_chat_id and self.app.app_focus:
            return
        # Toasts are literal (markup=False) and built from cleaned text: title and body are network data.
        self.app.notify(preview(event.body[:4000], 120), title=clean_name(event.title), markup=False)

    def on_connection_changed(self, event: msg.ConnectionChanged) -> None:
        self.tools.session_ended(event.ended)
        self._online = event.online
        if self._connection_timer is None:
            self._connection_timer = self.set_timer(CONNECTION_SHOWN_EVERY, self._show_connection)

    def _show_connection(self) -> None:
        """The latest connection state, once per CONNECTION_SHOWN_EVERY however often it changed."""
        self._connection_timer = None
        self.set_class(not self._online, "-offline")

    def on_session_ended_sign_in_pressed(self) -> None:
        self.tools.sign_in_again()

    @on(ConversationHeader.ActionPressed)
    def _header(self, event: ConversationHeader.ActionPressed) -> None:
        if event.action == "back":  # the pane's own buttons stop at the pane
            self.panes.show_list()

    # the open chat's actions: the pane's controllers do them ------------------------------------------
    def action_block(self) -> None:
        self.conversation.account.block()

    def action_report(self) -> None:
        self.conversation.account.report()

    def action_unblock(self) -> None:
        self.conversation.account.unblock()

    def action_profile(self) -> None:
        self.conversation.account.profile()

    def action_toggle_promotions(self) -> None:
        self.conversation.account.toggle_promotions()

    def action_accept_request(self) -> None:
        self.conversation.account.accept()

    def action_add_contact(self) -> None:
        self.conversation.account.add_contact()

    def action_chat_menu(self) -> None:
        self.conversation.chrome.chat_menu()

    async def action_find(self) -> None:
        await self.conversation.find.open()

    def action_react(self) -> None:
        self.conversation.reactions.react_to_selected()

    def action_edit_message(self) -> None:
        self.conversation.editing.edit_selected()

    def action_delete_message(self) -> None:
        self.conversation.menu.delete_selected()

    def action_send_file(self) -> None:
        self.conversation.files.send()

    def action_save_file(self) -> None:
        self.conversation.files.save_selected()

    def action_export_chat(self) -> None:
        self.conversation.export.export_open_chat()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        current = self.current
        if action not in OPEN_CHAT_ACTIONS:
            return super().check_action(action, parameters)
        if current is None or not self.panes.chat_shown:
            return False  # no chat on screen (none open, or the list in its place): not offered
        if action == "add_contact":  # the key (and its footer entry) only while a request is open
            return current.chat.is_request and not current.blocked
        if action in ("block", "unblock", "send_file"):  # ctrl+b is Unblock in a blocked chat, where
            return current.blocked == (action == "unblock")  # nothing goes out (no file)
        return True

    # app-wide dialogs and tools: the screen's `tools` do them -------------------------------------
    def action_mute_for(self, choice: str = "") -> None:
        self.tools.mute_for(choice)

    def action_blocked_list(self) -> None:
        self.tools.blocked_list()

    def action_search(self) -> None:
        self.tools.search()

    def action_jump_ahead(self) -> None:
        self.tools.jump_ahead()

    def action_switch_theme(self) -> None:
        self.app.search_themes()
