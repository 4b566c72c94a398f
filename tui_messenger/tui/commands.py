"""Command palette providers: "Open chat: NAME" for every chat, "Chat with NAME" for every contact who
has no chat yet (it is created when chosen), "New chat with @user:server" for a Matrix ID typed in the
palette, and every action of the main screen.

Chat names are network data: the hit is built as `Content` from the cleaned name and highlighted here,
because `Matcher.highlight` parses its argument as markup.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from functools import partial

from textual.actions import parse as parse_action
from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.style import Style

from tui_messenger.domain.models import Account, ChatSummary
from tui_messenger.domain.safe_text import clean_name

# A Matrix user ID (@localpart:server[:port]), as the spec's grammar allows it.
MATRIX_ID = re.compile(r"@[a-z0-9._=/+\-]{1,200}:[A-Za-z0-9.\-]{1,200}(:[0-9]{1,5})?")

NEW_CHAT_HINT = "A contact's name, or a Matrix ID (@user:server) for a new chat…"
# The demo world reaches only its own people: a Matrix ID typed there is told where it can be reached.
DEMO_ONLY = (
    "The demo world has only its own people. To write to {who}, sign in to Matrix (tui-messenger login)."
)

# (title, help, action on the main screen). Help texts are ours: the palette parses them as markup.
ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("New chat…", "Write to a contact, or to anyone by their Matrix ID (n in the chat list)", "app.new_chat"),
    ("Search messages", "Find messages in all chats and jump to one", "search"),
    ("Block contact", "Block the open chat's account", "block"),
    ("Unblock contact", "Let the open chat's account message you again", "unblock"),
    ("Report contact", "Report the open chat's account", "report"),
    ("Business profile", "Show the open chat's profile", "profile"),
    ("Stop promotions", "Stop marketing messages from this business", "toggle_promotions"),
    ("Resume promotions", "Allow marketing messages from this business again", "toggle_promotions"),
    ("Pin / unpin chat", "Keep the open chat at the top", "pin"),
    ("Mute / unmute chat", "No notifications from the open chat", "mute"),
    ("Mute for 8 hours", "No notifications from the open chat for 8 hours", "mute_for('8h')"),
    ("Mute for 1 week", "No notifications from the open chat for a week", "mute_for('1w')"),
    ("Mute always", "No notifications from the open chat until you unmute it", "mute_for('always')"),
    ("Unmute", "Notifications from the open chat again", "mute_for('unmute')"),
    ("Find in chat", "Find messages in the open chat, next and previous", "find"),
    ("React to message", "Put an emoji under the selected message (+ in the history)", "react"),
    ("Edit message", "Change your selected message, for 15 minutes after sending (e)", "edit_message"),
    ("Delete message…", "Delete the selected message for you, or for everyone (x)", "delete_message"),
    ("Send a file…", "Pick a file (up to 1 MB) and send it to the open chat", "send_file"),
    ("Save file", "Save the selected message's file into your downloads folder", "save_file"),
    ("Export this chat…", "Write the open chat to a file, as text or JSON frames", "export_chat"),
    ("Keys", "Every key binding, with its id for config.toml", "app.help"),
    ("Archive / unarchive chat", "Move the open chat to Archived", "archive"),
    ("Mark as unread", "Mark the open chat unread", "mark_unread"),
    ("Blocked contacts", "See and lift blocks", "blocked_list"),
    ("Archived chats", "Show archived chats", "archived_chats"),
    ("Switch theme", "Pick a theme", "switch_theme"),
    ("Jump ahead 24 hours", "Move the fake network's clock (tester tool)", "jump_ahead"),
)
DEMO_WORLD_ONLY = {"jump_ahead"}  # not offered to a network account, which keeps the real time
# What acts on the open chat: offered (keys, footer, palette) only while one is open and on screen.
OPEN_CHAT_ACTIONS = frozenset(
    "block unblock report profile toggle_promotions accept_request add_contact chat_menu find react"
    " edit_message delete_message send_file save_file export_chat mute_for pin mute archive"
    " mark_unread".split()
)


def highlight(matcher: Matcher, text: str) -> Content:
    """Like `Matcher.highlight`, but on literal text."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    style = Style(reverse=True)
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content


class MessengerCommands(Provider):
    """The messenger's commands; they run against the main screen.

    The chats and contacts are read once per opening of the palette, in a task of the provider's own that
    each search waits for shielded. Not in `startup()` itself: Textual runs it in a task that the first
    search awaits directly, so a key typed before the reads ended (a fast typist, a loaded machine)
    cancelled that search and the startup with it, and every later search of that palette failed on the
    cancelled startup: nothing was ever listed, not even the actions."""

    async def startup(self) -> None:
        self._lists = asyncio.ensure_future(self._read_lists())

    async def shutdown(self) -> None:
        self._lists.cancel()

    async def _read_lists(self) -> tuple[list[ChatSummary], list[Account], bool]:
        """The chats (archived too), the contacts without a chat, and whether a network account is signed
        in (one that reaches anyone by their ID; the demo world does not)."""
        messenger = getattr(self.app, "messenger", None)
        if messenger is None:
            return [], [], False
        chats = [*await messenger.chat_list(), *await messenger.chat_list(archived=True)]
        with_chat = {summary.peer.id for summary in chats}
        contacts = await messenger.contact_list() if hasattr(messenger, "contact_list") else []
        signed_in = hasattr(messenger, "signed_in_as") and await messenger.signed_in_as() is not None
        return chats, [account for account in contacts if account.id not in with_chat], signed_in

    def _start(self, account_id: str) -> Callable[[], None]:
        def run() -> None:
            screen = self.screen
            if hasattr(screen, "start_chat"):
                screen.start_chat(account_id)

        return run

    def _open(self, chat_id: int) -> Callable[[], None]:
        def run() -> None:
            screen = self.screen
            if hasattr(screen, "open_chat"):
                screen.open_chat(chat_id)

        return run

    def _visible_actions(self, signed_in: bool) -> list[tuple[str, str, str]]:
        current = getattr(self.screen, "current", None)
        conversation = getattr(self.screen, "conversation", None)
        consent = getattr(conversation, "consent", None)
        stopped = consent.marketing_stopped if consent is not None else None
        shown = []
        for title, help_text, action in ACTIONS:
            if signed_in and action in DEMO_WORLD_ONLY:
                continue
            _, name, parameters = parse_action(action)
            if self.screen.check_action(name, parameters) is False:  # as its key: Unblock in a blocked chat
                continue
            if title.endswith("promotions"):
                if current is None or not current.peer.is_business or stopped is None:
                    continue
                if stopped != title.startswith("Resume"):
                    continue
            shown.append((title, help_text, action))
        return shown

    async def discover(self) -> Hits:
        signed_in = (await asyncio.shield(self._lists))[2]
        for title, help_text, action in self._visible_actions(signed_in):
            yield DiscoveryHit(
                Content(title), partial(self.screen.run_action, action), text=title, help=help_text
            )
        for command in self._system_commands():
            if command.discover:
                yield DiscoveryHit(
                    Content(command.title), command.callback, text=command.title, help=command.help
                )

    def _system_commands(self) -> list[SystemCommand]:
        """Textual's own commands (Quit, Screenshot), offered here after the messenger's: from a provider
        of their own, which answers first, they headed the list, and ctrl+p then Enter quit the app."""
        return sorted(self.app.get_system_commands(self.screen), key=lambda command: command.title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        chats, no_chat, signed_in = await asyncio.shield(self._lists)
        if MATRIX_ID.fullmatch(typed := query.strip()):  # someone to write to, by their Matrix ID
            if signed_in:
                text = f"New chat with {typed}"
                yield Hit(1.0, Content(text), self._start(typed), text=text, help="Start an encrypted chat")
            else:
                text = f"{typed} is not in the demo world"
                say = partial(self.app.notify, DEMO_ONLY.format(who=typed), markup=False)
                yield Hit(1.0, Content(text), say, text=text, help="Sign in to Matrix to write to anyone")
        for summary in chats:
            text = f"Open chat: {clean_name(summary.peer.display_name or summary.chat.title)}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, text),
                    self._open(summary.chat.id),
                    text=text,
                    help="Open this conversation",
                )
        for account in no_chat:
            text = f"Chat with {clean_name(account.display_name or account.id)}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, text),
                    self._start(account.id),
                    text=text,
                    help="Start a conversation with this contact",
                )
        for title, help_text, action in self._visible_actions(signed_in):
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, title),
                    partial(self.screen.run_action, action),
                    text=title,
                    help=help_text,
                )
        for command in self._system_commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score, highlight(matcher, command.title), command.callback, text=command.title,
                    help=command.help,
                )  # fmt: skip
