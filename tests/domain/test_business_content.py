"""Business content is read once into typed fields (domain/business.py), from the wire's JSON shapes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tui_messenger.domain import business
from tui_messenger.domain.business import Buttons, Choice, ChoiceList, ChoiceReply, Template
from tui_messenger.domain.models import ChatMessage, Direction, MessageKind
from tui_messenger.transport import wire

NOW = datetime(2026, 12, 4, tzinfo=UTC)


def message(kind: MessageKind, payload: object) -> ChatMessage:
    return ChatMessage("m1", 1, "bank", Direction.INBOUND, kind, "body", NOW, payload=payload)  # type: ignore[arg-type]


def test_buttons_a_list_a_template_and_a_reply_read_as_fields() -> None:
    buttons = wire.Interactive(type="button", body="b", buttons=[wire.Button(id="y", title="Yes")])
    assert message(MessageKind.BUTTONS, {"interactive": buttons.model_dump()}).content == Buttons(
        (Choice("y", "Yes"),)
    )
    rows = wire.Interactive(
        type="list", body="b", button_label="Choose",
        sections=[wire.ListSection(title="Cards", rows=[wire.ListRow(id="lost", title="Lost card")])],
    )  # fmt: skip
    listed = message(MessageKind.LIST, {"interactive": rows.model_dump()}).content
    assert listed == ChoiceList((Choice("lost", "Lost card", "", "Cards"),), button_label="Choose")
    template = {"template": {"name": "deal", "category": "marketing", "body": "b",
                             "buttons": [{"id": "stop", "title": "Stop promotions"}]}}  # fmt: skip
    assert message(MessageKind.TEMPLATE, template).content == Template(
        "deal", "marketing", (Choice("stop", "Stop promotions"),)
    )
    answer = {"type": "list_reply", "id": "lost", "title": "Lost card", "context_id": "m0"}
    reply = message(MessageKind.INTERACTIVE_REPLY, {"interactive_reply": answer})
    assert reply.content == ChoiceReply("list_reply", "lost", "Lost card", "m0")


@pytest.mark.parametrize(
    "payload",
    [{}, {"interactive": "x"}, {"interactive": {"buttons": "x"}}, {"interactive": {"buttons": [1, None, {}]}},
     {"interactive": {"buttons": [{"id": 3, "title": ["x"]}]}}],
)  # fmt: skip
def test_malformed_content_offers_no_choice(payload: dict[str, object]) -> None:
    assert business.choices(message(MessageKind.BUTTONS, payload).content) == ()


def test_limits_are_kept_and_defined_once() -> None:
    many = {"interactive": {"buttons": [{"id": str(i), "title": f"B{i}"} for i in range(9)]}}
    assert len(business.choices(message(MessageKind.BUTTONS, many).content)) == business.MAX_BUTTONS
    assert wire.MAX_BUTTONS is business.MAX_BUTTONS and wire.MAX_LIST_ROWS is business.MAX_LIST_ROWS


def test_content_follows_the_payload_through_replace_and_text_has_none() -> None:
    first = message(MessageKind.BUTTONS, {"interactive": {"buttons": [{"id": "a", "title": "A"}]}})
    assert business.find_choice(first.content, "a") == ("button_reply", Choice("a", "A"))
    assert replace(first, body="edited").content == first.content
    assert replace(first, payload=None).content is None
    text = message(MessageKind.TEXT, {"interactive": {"buttons": [{"id": "a", "title": "A"}]}})
    assert text.content is None
