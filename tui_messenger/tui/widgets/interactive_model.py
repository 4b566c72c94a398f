"""Read the structured part of business messages (buttons, list rows, template category) from a payload.

Payloads follow the wire shapes (Cloud API-like); anything missing or malformed reads as "no choices",
never as an error: the plain-text body is always there to show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tui_messenger.domain.models import ChatMessage, Direction, MessageKind

MAX_BUTTONS = 3
MAX_ROWS = 10


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    title: str
    description: str = ""
    section: str = ""


def _section(payload: dict[str, Any]) -> dict[str, Any]:
    inner = payload.get("interactive")
    return inner if isinstance(inner, dict) else payload


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def buttons(message: ChatMessage) -> list[Choice]:
    """Reply buttons of an interactive (or template) message, at most three."""
    if not message.payload:
        return []
    data = _section(message.payload)
    if message.kind is MessageKind.TEMPLATE and isinstance(message.payload.get("template"), dict):
        data = message.payload["template"]
    out: list[Choice] = []
    for item in data.get("buttons") or []:
        if not isinstance(item, dict):
            continue
        reply = item.get("reply") if isinstance(item.get("reply"), dict) else item
        cid, title = _text(reply.get("id")), _text(reply.get("title"))
        if cid and title:
            out.append(Choice(cid, title))
    return out[:MAX_BUTTONS]


def list_rows(message: ChatMessage) -> list[Choice]:
    """Rows of a list message (title, description, section title), at most ten in all."""
    if not message.payload or message.kind is not MessageKind.LIST:
        return []
    data = _section(message.payload)
    if isinstance(data.get("action"), dict):
        data = data["action"]
    out: list[Choice] = []
    for section in data.get("sections") or []:
        if not isinstance(section, dict):
            continue
        for row in section.get("rows") or []:
            if isinstance(row, dict) and _text(row.get("id")) and _text(row.get("title")):
                out.append(
                    Choice(
                        row["id"], row["title"], _text(row.get("description")), _text(section.get("title"))
                    )
                )
    return out[:MAX_ROWS]


def list_button_label(message: ChatMessage) -> str:
    if not message.payload:
        return ""
    data = _section(message.payload)
    return _text(data.get("button_label") or data.get("button"))


def choices(message: ChatMessage) -> list[Choice]:
    return list_rows(message) if message.kind is MessageKind.LIST else buttons(message)


def is_interactive(message: ChatMessage) -> bool:
    return message.kind in (MessageKind.BUTTONS, MessageKind.LIST) and bool(choices(message))


def answered_id(reply: ChatMessage) -> str | None:
    """The message an interactive reply answers."""
    if reply.kind is not MessageKind.INTERACTIVE_REPLY:
        return None
    if reply.payload:
        data = reply.payload.get("interactive_reply", reply.payload)
        if isinstance(data, dict) and isinstance(data.get("context_id"), str):
            return data["context_id"]
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
