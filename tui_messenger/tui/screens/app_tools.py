"""The main screen's app-wide dialogs and tools: a chat's flags and mute, starting a chat with a contact,
the blocked list, search in all chats and the tester's clock. A plain object owned by the screen; its
work runs as the screen's workers."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from tui_messenger.domain.safe_text import clean_name
from tui_messenger.services.errors import MessengerError
from tui_messenger.tui.widgets.session_ended import SessionEnded
from tui_messenger.tui.workers import worker

if TYPE_CHECKING:
    from tui_messenger.services.port import Messenger
    from tui_messenger.tui.screens.main import MainScreen

DAY = 24 * 3600


class AppTools:
    def __init__(self, screen: MainScreen, messenger: Messenger) -> None:
        self.host = screen  # whose workers run this work (see `tui/workers.py`)
        self.screen = screen
        self.messenger = messenger

    def _say(self, text: str) -> None:
        self.screen.notify(text, markup=False)

    # the network account ---------------------------------------------------------------------------
    def session_ended(self, why: str | None) -> None:
        """The network ended the session (`why`): the banner with "Sign in again", once."""
        if why and not self.screen.query(SessionEnded):
            self.screen.mount(SessionEnded(why), before=0)
            self.screen.add_class("-ended")  # the "connecting again" line is not true now (app.tcss)

    @worker(group="sign-in", exclusive=True, failed="Not signed in")
    async def sign_in_again(self) -> None:
        """The sign-in dialog for the stored account; once signed in, the banner goes (the messenger
        reconnects by itself)."""
        from tui_messenger.tui.modals.sign_in import SignInModal

        account = await self.messenger.signed_in_as()
        if account is None:
            self._say("This database has no network account to sign in to.")
            return
        homeserver, user_id = account
        if await self.screen.app.push_screen_wait(SignInModal(homeserver, user_id, self._attempt)):
            await self.screen.query(SessionEnded).remove()
            self.screen.remove_class("-ended")
            self._say(f"Signed in again as {clean_name(user_id)}.")

    async def _attempt(self, password: str) -> str | None:
        try:
            await self.messenger.sign_in_again(password)
        except MessengerError as exc:
            return str(exc)
        return None

    @worker(group="start-chat", failed="Chat not opened")
    async def start_chat(self, account_id: str) -> None:
        summary = await self.messenger.open_chat(account_id)
        self.screen.refresh_chat_list()
        self.screen.open_chat(summary.chat.id)

    @worker(group="flags")
    async def toggle_flag(self, chat_id: int, flag: str) -> None:
        """The chat list's flags: pin, mute, archive, unread (a blocked chat is never marked unread)."""
        m = self.messenger
        summary = await m.summary(chat_id)
        chat = summary.chat
        if flag == "unread" and summary.blocked:
            self._say("A blocked chat is never marked unread.")
            return
        if flag == "pin":
            await m.set_pinned(chat_id, not chat.pinned)
        elif flag == "mute":
            await m.set_muted(chat_id, not chat.muted)
        elif flag == "archive":
            await m.set_archived(chat_id, not chat.archived)
        elif flag == "unread":
            await m.set_unread(chat_id)
        self.screen.refresh_chat_list()

    def mute_for(self, choice: str = "") -> None:
        """With a choice ("8h", "1w", "always", "unmute") from the palette, or the dialog without one."""
        from tui_messenger.tui.modals.mute import MUTE_CHOICES, MuteModal

        current = self.screen.current
        if current is None:
            return
        if choice in MUTE_CHOICES:
            self.mute(current.chat.id, choice)
            return

        def chosen(result: str | None) -> None:
            if result is not None:
                self.mute(current.chat.id, result)

        name = clean_name(current.peer.display_name or current.chat.title)
        self.screen.app.push_screen(MuteModal(name, muted=current.chat.muted), chosen)

    @worker(group="flags")
    async def mute(self, chat_id: int, choice: str) -> None:
        from tui_messenger.tui.modals.mute import MUTE_CHOICES

        label, seconds = MUTE_CHOICES[choice]
        if seconds == 0:
            await self.messenger.set_muted(chat_id, False)
            self._say("Notifications on for this chat.")
        else:
            until = self.screen.now() + timedelta(seconds=seconds) if seconds is not None else None
            await self.messenger.set_muted(chat_id, True, until=until)
            self._say(f"Muted: {label.lower()}.")
        self.screen.refresh_chat_list()

    @worker(group="dialog", exclusive=True)
    async def blocked_list(self) -> None:
        from tui_messenger.tui.modals import BlockedListModal

        screen, m = self.screen, self.messenger
        modal = BlockedListModal(await m.blocked(), on_unblock=m.unblock)
        unblocked = await screen.app.push_screen_wait(modal)
        if unblocked:
            screen.refresh_chat_list()
            if screen.current is not None:
                screen.conversation.open_chat(screen.current.chat.id)

    @worker(group="dialog", exclusive=True)
    async def search(self) -> None:
        from tui_messenger.tui.modals import SearchModal

        result = await self.screen.app.push_screen_wait(SearchModal(self.messenger, now=self.screen.now))
        if result is not None:
            self.screen.open_chat(result.chat_id, result.message_id)

    @worker(group="clock", failed="The clock did not move")
    async def jump_ahead(self) -> None:
        await self.messenger.jump_ahead(DAY)
        self._say("The clock jumped ahead 24 hours.")
        self.screen.refresh_chat_list()
        if (pane := self.screen.pane_if_mounted) is not None:
            pane.refresh_state()
