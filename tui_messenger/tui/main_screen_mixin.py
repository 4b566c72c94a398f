"""The base of the mixins that give MainScreen its actions (edit, reaction and file actions): what
the screen provides them, and the steps they share: the message an action is for, its freshest copy, a
warning toast."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui_messenger.domain.models import ChatMessage, ChatSummary
    from tui_messenger.services.messenger import Messenger
    from tui_messenger.tui.conversation_pane import ConversationPane


class MainScreenMixin:
    """Mixed into MainScreen, which provides `messenger`, `app`, `current`, `conversation`, `notify`."""

    if TYPE_CHECKING:
        app: Any
        messenger: Messenger
        current: ChatSummary | None
        conversation: ConversationPane

        def notify(self, message: str, **kwargs: Any) -> None: ...

    def _warn(self, text: str) -> None:
        self.notify(text, severity="warning", markup=False)

    def _target(self, *, or_newest: bool = False) -> ChatMessage | None:
        """The selected message (`or_newest`: else the newest one), or None with a warning."""
        view = self.conversation.view
        message = view.selected_message
        if message is None and or_newest and view.messages:
            message = view.messages[-1]
        if self.current is None or message is None:
            self._warn("Open a chat and select a message first.")
            return None
        return message

    def _fresh(self, message: ChatMessage) -> ChatMessage:
        """The history's current copy of `message` (its reactions, its edits), else `message` itself."""
        return self.conversation.view.get(message.message_id) or message
