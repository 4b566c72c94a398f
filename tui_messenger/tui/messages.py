"""App-wide Textual messages: the messenger's events, turned into messages the screens handle.

The App subscribes to the Messenger and posts one of these to the main screen for every event, so
handlers run on the UI loop like any other message.
"""

from __future__ import annotations

from textual.message import Message

from tui_messenger.domain import events as ev
from tui_messenger.domain.models import Account, ChatMessage, ChatSummary, ReactionCount


class ChatMessageAdded(Message):
    def __init__(self, chat_id: int, message: ChatMessage) -> None:
        super().__init__()
        self.chat_id = chat_id
        self.message = message


class ChatMessageChanged(Message):
    """Ticks or content of a message already shown changed."""

    def __init__(self, chat_id: int, message: ChatMessage) -> None:
        super().__init__()
        self.chat_id = chat_id
        self.message = message

    def can_replace(self, message: Message) -> bool:
        # A burst of status updates for one message: only the latest matters.
        return (
            isinstance(message, ChatMessageChanged) and message.message.message_id == self.message.message_id
        )


class ChatReactionsChanged(Message):
    """The chips under a message changed."""

    def __init__(self, chat_id: int, message_id: str, reactions: tuple[ReactionCount, ...]) -> None:
        super().__init__()
        self.chat_id = chat_id
        self.message_id = message_id
        self.reactions = reactions

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ChatReactionsChanged) and message.message_id == self.message_id


class ChatMessageRemoved(Message):
    """The user deleted a message for themselves: it leaves the history."""

    def __init__(self, chat_id: int, message_id: str) -> None:
        super().__init__()
        self.chat_id = chat_id
        self.message_id = message_id


class ChatSummaryChanged(Message):
    def __init__(self, summary: ChatSummary) -> None:
        super().__init__()
        self.summary = summary

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ChatSummaryChanged) and message.summary.chat.id == self.summary.chat.id


class TypingChanged(Message):
    def __init__(self, chat_id: int, typing: bool) -> None:
        super().__init__()
        self.chat_id = chat_id
        self.typing = typing

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TypingChanged) and message.chat_id == self.chat_id


class AccountChanged(Message):
    def __init__(self, account: Account) -> None:
        super().__init__()
        self.account = account


class NotificationRaised(Message):
    def __init__(self, chat_id: int, title: str, body: str) -> None:
        super().__init__()
        self.chat_id = chat_id
        self.title = title
        self.body = body


class ConnectionChanged(Message):
    def __init__(self, online: bool, ended: str = "") -> None:
        super().__init__()
        self.online = online
        self.ended = ended

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ConnectionChanged) and not message.ended


def to_message(event: ev.MessengerEvent) -> Message | None:
    """The Textual message for a messenger event (None for an event this UI does not know)."""
    match event:
        case ev.MessageAdded(chat_id=chat_id, message=message):
            return ChatMessageAdded(chat_id, message)
        case ev.MessageChanged(chat_id=chat_id, message=message):
            return ChatMessageChanged(chat_id, message)
        case ev.ReactionsChanged(chat_id=chat_id, message_id=message_id, reactions=reactions):
            return ChatReactionsChanged(chat_id, message_id, reactions)
        case ev.MessageRemoved(chat_id=chat_id, message_id=message_id):
            return ChatMessageRemoved(chat_id, message_id)
        case ev.ChatChanged(summary=summary):
            return ChatSummaryChanged(summary)
        case ev.TypingChanged(chat_id=chat_id, typing=typing):
            return TypingChanged(chat_id, typing)
        case ev.AccountChanged(account=account):
            return AccountChanged(account)
        case ev.Notified(chat_id=chat_id, title=title, body=body):
            return NotificationRaised(chat_id, title, body)
        case ev.ConnectionChanged(online=online, ended=ended):
            return ConnectionChanged(online, ended)
    return None
