"""Hostile text through every field the main screen shows: names, previews, bodies, quotes, template
text, button and list titles, toasts. It must show as plain text, reach no terminal as a control
character, and no click on it may run an action."""

from __future__ import annotations

import re

from app_helpers import SIZE, make_app, open_chat_by_keyboard, settle, text, view_text
from fake_messenger import FakeMessenger
from modal_host import screen_lines

from tui_messenger.domain.events import Notified
from tui_messenger.domain.models import Account, AccountKind, Consent, MessageKind, TemplateCategory
from tui_messenger.tui.widgets.message_view import MessageView

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
EVIL = "[/] [@click=app.quit]x[/] [link=x]y[/link] $accent \x1b]2;pwn\x07 \x1b[31mred \x9b31mc1 [b]bold"
VISIBLE = ("[/]", "[@click=app.quit]x[/]", "[link=x]y[/link]", "$accent", "[b]bold")


def hostile_world() -> FakeMessenger:
    m = FakeMessenger()
    m.auto_reply = False
    person = m.add_chat(Account("evil", f"Eve {EVIL}"))
    m.put(m.make(person.id, f"hello {EVIL}"))
    m.put(m.make(person.id, f"reply {EVIL}", reply_to=m.messages[person.id][0].message_id))
    biz = m.add_chat(Account("biz", f"Shop {EVIL}", AccountKind.BUSINESS))
    m.consents["biz"] = Consent("biz", True)
    m.put(
        m.make(biz.id, f"tpl {EVIL}", kind=MessageKind.TEMPLATE, template_category=TemplateCategory.MARKETING)
    )
    buttons = {
        "type": "button",
        "body": EVIL,
        "buttons": [{"id": "a", "title": "[@click=app.quit]go[/]"}, {"id": "b", "title": "\x1b]2;pwn\x07b"}],
    }
    m.put(m.make(biz.id, f"buttons {EVIL}", kind=MessageKind.BUTTONS, payload=buttons))
    lister = m.add_chat(Account("lister", "Lister", AccountKind.BUSINESS))
    rows = {
        "type": "list",
        "body": "pick",
        "button_label": "[b]x[/b]",
        "sections": [
            {"title": EVIL, "rows": [{"id": "r", "title": "[@click=app.quit]r", "description": EVIL}]}
        ],
    }
    m.put(m.make(lister.id, "pick", kind=MessageKind.LIST, payload=rows))
    return m


def assert_clean(lines: list[str]) -> None:
    bad = [line for line in lines if CONTROL.search(line)]
    assert not bad, f"control characters on screen: {bad!r}"


async def test_chat_list_and_conversation_show_hostile_text_literally() -> None:
    m = hostile_world()
    app = make_app(m)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert_clean(screen_lines(app.screen))
        assert "[@click=app.quit]x" in text(pilot)  # the names in the list, literally
        for chat_id in (1, 2, 3):
            await open_chat_by_keyboard(pilot, chat_id)
            assert_clean(screen_lines(app.screen))
        await open_chat_by_keyboard(pilot, 1)
        shown = view_text(pilot)
        for piece in VISIBLE:
            assert piece in shown, piece
        # the quote names its writer and quotes them, both literally (the name cut to 24 characters)
        assert "▎ Eve [/] [@click=app.qui…: hello [/]" in shown
        await open_chat_by_keyboard(pilot, 2)
        screen = text(pilot)
        assert "[@click=app.quit]go[/]" in screen  # the reply button's label
        assert "Template · marketing" in view_text(pilot)
        await open_chat_by_keyboard(pilot, 3)
        assert "[@click=app.quit]r" in text(pilot)  # the list row
        assert app.is_running


async def test_history_strips_carry_no_actions_and_clicks_run_none() -> None:
    m = hostile_world()
    app = make_app(m)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_chat_by_keyboard(pilot, 2)
        view = app.screen.query_one(MessageView)
        for y in range(view.size.height):
            strip = view.render_line(y)
            assert not CONTROL.search(strip.text)
            for segment in strip:
                assert not (segment.style and segment.style.meta), segment  # no @click, no link
                assert not (segment.style and segment.style.link)
        ran: list[str] = []
        app.action_quit = lambda: ran.append("quit")  # type: ignore[method-assign]
        for y in range(view.size.height):
            if view.render_line(y).text.strip():
                for x in range(y % 8, view.size.width, 8):  # every 8th column, shifted line by line
                    await pilot.click(view, offset=(x, y))
        await settle(pilot)
        assert ran == [] and app.is_running and app.return_code is None


async def test_toast_title_and_body_are_literal() -> None:
    m = hostile_world()
    app = make_app(m)
    calls: list[tuple[str, dict[str, object]]] = []
    notify = app.notify

    def record(message: str, **kwargs: object) -> None:
        calls.append((message, kwargs))
        notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = record  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        m.emit(Notified(2, f"Shop {EVIL}", f"new {EVIL}"))
        await settle(pilot)
    (message, kwargs), *_ = [c for c in calls if c[0].startswith("new")]
    assert kwargs["markup"] is False
    assert "[@click=app.quit]x[/]" in message and not CONTROL.search(message)
    assert not CONTROL.search(str(kwargs["title"]))
