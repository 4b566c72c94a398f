"""The user's typing, told to the other side (`Messenger.set_typing`): on the first change of the
composer's text, again every RESEND seconds while it goes on (a Matrix server forgets a typing user
after 30 s), and "stopped" once the keys rest for IDLE seconds, the text is sent or emptied, or the user
opens another chat. Only what the user types counts: not a draft or an edited message put in by the app,
nor the text of a message being edited (that is no new message)."""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING

from tui_messenger.tui.conversation.controller import Controller
from tui_messenger.tui.workers import start

if TYPE_CHECKING:
    from textual.timer import Timer

    from tui_messenger.services.port import Messenger
    from tui_messenger.tui.conversation.pane import ConversationPane

IDLE = 5.0  # seconds without a change: stopped
RESEND = 20.0  # seconds: told again while the user goes on typing


class Typing(Controller):
    def __init__(self, pane: ConversationPane, messenger: Messenger) -> None:
        super().__init__(pane, messenger)
        self._chat: int | None = None  # the chat told "typing"; None: not typing
        self._told = 0.0  # when (monotonic)
        self._idle: Timer | None = None

    def changed(self) -> None:
        """The composer's text changed."""
        pane, chat = self.pane, self.pane.chat_id
        text = pane.composer.text
        if self._chat is not None and self._chat != chat:
            self.stop()  # another chat opened
        typed = bool(text.strip()) and text != pane.drafts.last_put and pane.editing.message is None
        if chat is None or not typed:
            self.stop()
            return
        now = time.monotonic()
        if self._chat is None or now - self._told >= RESEND:
            self._chat, self._told = chat, now
            self._tell(chat, typing=True)
        if self._idle is not None:
            self._idle.stop()
        self._idle = pane.set_timer(IDLE, self.stop)

    def stop(self) -> None:
        if self._idle is not None:
            self._idle.stop()
            self._idle = None
        if self._chat is not None:
            chat, self._chat = self._chat, None
            self._tell(chat, typing=False)

    def _tell(self, chat_id: int, *, typing: bool) -> None:
        work = partial(self.messenger.set_typing, chat_id, typing)
        start(self.host, work, group="typing", name="set_typing", failed="Typing not sent")
