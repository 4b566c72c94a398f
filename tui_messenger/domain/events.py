"""What the services tell the screen. The TUI turns each into a Textual message."""

from __future__ import annotations

from dataclasses import dataclass

from tui_messenger.domain.models import Account, ChatMessage, ChatSummary, ReactionCount


@dataclass(frozen=True, slots=True)
class MessageAdded:
    chat_id: int
    message: ChatMessage


@dataclass(frozen=True, slots=True)
class MessageChanged:
    """Status (ticks), or content, of a message already shown changed."""

    chat_id: int
    message: ChatMessage


@dataclass(frozen=True, slots=True)
class ReactionsChanged:
    """The chips under a message changed (someone reacted, changed or took a reaction back)."""

    chat_id: int
    message_id: str
    reactions: tuple[ReactionCount, ...]


@dataclass(frozen=True, slots=True)
class MessageRemoved:
    """The user deleted a message for themselves: it leaves every view."""

    chat_id: int
    message_id: str


@dataclass(frozen=True, slots=True)
class ChatChanged:
    """A chat-list row changed: preview, unread count, flags, request state, block state."""

    summary: ChatSummary


@dataclass(frozen=True, slots=True)
class TypingChanged:
    chat_id: int
    typing: bool


@dataclass(frozen=True, slots=True)
class AccountChanged:
    """The directory changed an account (name, badge, scam flag, profile)."""

    account: Account


@dataclass(frozen=True, slots=True)
class Notified:
    """A notification worth a toast: never for muted chats, requests or blocked accounts."""

    chat_id: int
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class ConnectionChanged:
    online: bool
    ended: str = ""  # the network ended the session (why, for the user): no reconnecting, sign in again


MessengerEvent = (
    MessageAdded
    | MessageChanged
    | MessageRemoved
    | ReactionsChanged
    | ChatChanged
    | TypingChanged
    | AccountChanged
    | Notified
    | ConnectionChanged
)
