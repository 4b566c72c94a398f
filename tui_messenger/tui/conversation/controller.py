"""What every controller of the open chat is built with, and the steps they share.

A controller is a plain object owned by the `ConversationPane`: it holds the pane (its widgets, its open
chat) and the messenger, runs its work as the pane's workers (`@worker` finds the pane as `host`), and
says things as one literal toast."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

    from tui_messenger.domain.models import ChatMessage, ChatSummary
    from tui_messenger.services.port import Messenger
    from tui_messenger.tui.conversation.pane import ConversationPane


class Controller:
    """One kind of behaviour of the open chat, built by the pane."""

    def __init__(self, pane: ConversationPane, messenger: Messenger) -> None:
        self.pane = pane
        self.messenger = messenger

    @property
    def host(self) -> ConversationPane:
        """The widget whose workers run this controller's work (see `tui/workers.py`)."""
        return self.pane

    @property
    def app(self) -> App[Any]:
        return self.pane.app

    @property
    def current(self) -> ChatSummary | None:
        """The open chat's summary, if a chat is open."""
        return self.pane.summary

    def notify(self, text: str, **kwargs: Any) -> None:
        """One literal toast (never markup: names and bodies in it are network data)."""
        self.app.notify(text, markup=False, **kwargs)

    def warn(self, text: str) -> None:
        self.notify(text, severity="warning")

    def need_chat(self) -> ChatSummary | None:
        """The open chat, or None with a warning."""
        if self.current is None:
            self.warn("Open a chat first.")
        return self.current

    def target(self, *, or_newest: bool = False) -> ChatMessage | None:
        """The selected message (`or_newest`: else the newest one), or None with a warning."""
        view = self.pane.view
        message = view.selected_message
        if message is None and or_newest and view.messages:
            message = view.messages[-1]
        if self.current is None or message is None:
            self.warn("Open a chat and select a message first.")
            return None
        return message

    def fresh(self, message: ChatMessage) -> ChatMessage:
        """The history's current copy of `message` (its reactions, its edits), else `message` itself."""
        return self.pane.view.get(message.message_id) or message
