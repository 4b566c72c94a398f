"""What the history asks of business messages: their buttons or rows (`ChatMessage.content`, typed in
`domain/business.py`), which reply answers which message, and the newest one still open."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tui_messenger.domain import business
from tui_messenger.domain.business import Choice, ChoiceReply, Template
from tui_messenger.domain.models import ChatMessage, Direction, MessageKind

__all__ = ["Choice", "answered_id", "answered_ids", "choices", "is_interactive", "latest_open_interactive"]


def choices(message: ChatMessage) -> tuple[Choice, ...]:
    return business.choices(message.content)


def is_interactive(message: ChatMessage) -> bool:
    """Buttons or a list to answer (a template's buttons are answered in its bubble, not the panel)."""
    return not isinstance(message.content, Template) and bool(choices(message))


def answered_id(reply: ChatMessage) -> str | None:
    """The message an interactive reply answers."""
    if reply.kind is not MessageKind.INTERACTIVE_REPLY:
        return None
    if isinstance(reply.content, ChoiceReply):
        return reply.content.answered_id
    return reply.reply_to


def answered_ids(messages: Iterable[ChatMessage]) -> set[str]:
    return {a for m in messages if m.direction is Direction.OUTBOUND and (a := answered_id(m))}


def latest_open_interactive(messages: Sequence[ChatMessage]) -> ChatMessage | None:
    """The newest inbound interactive message, if nothing was sent after it (so it is still unanswered)."""
    for message in reversed(messages):
        if message.direction is Direction.OUTBOUND:
            return None
        if is_interactive(message):
            return message
    return None
