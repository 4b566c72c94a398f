"""Business content: the structured part of a business message, typed.

A business message has a plain-text body (always shown) and may carry reply buttons, a list of rows, a
template (name, category, buttons), or, sent back, the choice that answers one. On the wire these are
the Cloud-API-like shapes of `transport/wire.py`; the store keeps them as that JSON (`ChatMessage.payload`)
and `ChatMessage` reads them once, here, into these types (`ChatMessage.content`). Everything else reads
fields. Anything missing or malformed reads as "no content": the body is always there to show.

The limits are defined once, here; the wire validates with them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_LIST_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72


@dataclass(frozen=True, slots=True)
class Choice:
    """A reply button, or a row of a list (with its description and its section's title)."""

    id: str
    title: str
    description: str = ""
    section: str = ""


@dataclass(frozen=True, slots=True)
class Buttons:
    """An interactive message with up to three reply buttons."""

    choices: tuple[Choice, ...]
    header: str = ""
    footer: str = ""


@dataclass(frozen=True, slots=True)
class ChoiceList:
    """An interactive list: rows in sections, opened by `button_label` ("Choose")."""

    choices: tuple[Choice, ...]
    button_label: str = ""
    header: str = ""
    footer: str = ""


@dataclass(frozen=True, slots=True)
class Template:
    """A message from an approved template (the only way a business may start a conversation)."""

    name: str
    category: str
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True, slots=True)
class ChoiceReply:
    """The user's answer to buttons or a list: the choice and the message it answers."""

    reply_type: Literal["button_reply", "list_reply"]
    choice_id: str
    title: str
    answered_id: str


BusinessContent = Buttons | ChoiceList | Template | ChoiceReply


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _buttons(items: object) -> tuple[Choice, ...]:
    out: list[Choice] = []
    for item in items if isinstance(items, list) else ():
        reply = _dict(_dict(item).get("reply")) or _dict(item)
        choice_id, title = _text(reply.get("id")), _text(reply.get("title"))
        if choice_id and title:
            out.append(Choice(choice_id, title))
    return tuple(out[:MAX_BUTTONS])


def _rows(data: Mapping[str, Any]) -> tuple[Choice, ...]:
    data = _dict(data.get("action")) or data
    out: list[Choice] = []
    sections = data.get("sections")
    for section in sections if isinstance(sections, list) else ():
        section = _dict(section)
        rows = section.get("rows")
        for row in rows if isinstance(rows, list) else ():
            row = _dict(row)
            row_id, title = _text(row.get("id")), _text(row.get("title"))
            if row_id and title:
                out.append(Choice(row_id, title, _text(row.get("description")), _text(section.get("title"))))
    return tuple(out[:MAX_LIST_ROWS])


def parse(kind: str, payload: Mapping[str, Any] | None) -> BusinessContent | None:
    """The business content of a message of `kind` ("buttons", "list", "template", "interactive_reply")
    from its stored payload (the wire's JSON shapes); None when there is none or it is malformed."""
    if not payload:
        return None
    if kind == "template":
        data = _dict(payload.get("template"))
        return Template(_text(data.get("name")), _text(data.get("category")), _buttons(data.get("buttons")))
    if kind in ("buttons", "list"):
        data = _dict(payload.get("interactive")) or payload
        common = {"header": _text(data.get("header")), "footer": _text(data.get("footer"))}
        if kind == "list":
            label = _text(data.get("button_label") or data.get("button"))
            return ChoiceList(_rows(data), button_label=label, **common)
        return Buttons(_buttons(data.get("buttons")), **common)
    if kind == "interactive_reply":
        data = _dict(payload.get("interactive_reply")) or payload
        list_reply = data.get("type") == "list_reply"
        reply_type: Literal["button_reply", "list_reply"] = "list_reply" if list_reply else "button_reply"
        choice_id, answered = _text(data.get("id")), _text(data.get("context_id"))
        if choice_id and answered:
            return ChoiceReply(reply_type, choice_id, _text(data.get("title")), answered)
    return None


def choices(content: BusinessContent | None) -> tuple[Choice, ...]:
    """The buttons or rows a message offers (none for a reply or no content)."""
    return () if content is None or isinstance(content, ChoiceReply) else content.choices


def find_choice(content: BusinessContent | None, choice_id: str) -> tuple[str, Choice] | None:
    """(reply type, choice) of button or row `choice_id`, to answer it with a `ChoiceReply`."""
    for choice in choices(content):
        if choice.id == choice_id:
            return ("list_reply" if isinstance(content, ChoiceList) else "button_reply"), choice
    return None
