"""A minimal host for dialog snapshots: the app's themes and colours, one modal pushed on mount."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui_messenger.domain.models import ChatMessage, Direction, MessageKind, TemplateCategory
from tui_messenger.tui.themes import THEME_VARIABLE_DEFAULTS, packaged_theme_dirs, register_themes

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class DialogHost(App[None]):
    def __init__(self, modal: Screen[Any], *, theme: str) -> None:
        super().__init__()
        self.modal = modal
        register_themes(self, packaged_theme_dirs())
        self.theme = theme

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        # Something behind the dialog, so the snapshot shows the dimmed background.
        yield Static("tui-messenger", id="behind")
        yield Footer()

    def on_mount(self) -> None:
        self.push_screen(self.modal)


def evidence() -> list[ChatMessage]:
    bodies = [
        (MessageKind.TEXT, None, "Dear customer, your account is locked."),
        (MessageKind.BUTTONS, None, "Unlock it here: http://nordbank-secure.example"),
        (MessageKind.TEMPLATE, TemplateCategory.MARKETING, "Win 500 EUR! Reply YES [/] now"),
        (MessageKind.TEXT, None, "Send us the code from your SMS."),
        (MessageKind.TEXT, None, "Last warning \x1b]2;pwned\x07before closure"),
    ]
    return [
        ChatMessage(
            message_id=f"wamid.HBgN{index:04d}",
            chat_id=4,
            sender_id="biz.n0rdbank",
            direction=Direction.INBOUND,
            kind=kind,
            body=body,
            sent_at=T0 + timedelta(minutes=7 * index),
            template_category=category,
        )
        for index, (kind, category, body) in enumerate(bodies, start=1)
    ]
