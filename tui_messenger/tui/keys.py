"""Every binding of the app, grouped by where it applies: for the help screen and to check the binding
ids of the user's `[keys]` table. Only the messenger's own classes are listed (plus Textual's App keys);
the text fields' editing keys are Textual's and documented there."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from tui_messenger.tui.modals.base import DialogModal
from tui_messenger.tui.modals.help import KeyRow
from tui_messenger.tui.modals.reaction_picker import ReactionPickerModal
from tui_messenger.tui.modals.reader import MessageReaderModal
from tui_messenger.tui.screens.main import MainScreen
from tui_messenger.tui.widgets.chat_list import ChatList, ChatOptions
from tui_messenger.tui.widgets.composer import Composer
from tui_messenger.tui.widgets.find_bar import FindBar
from tui_messenger.tui.widgets.message_view import MessageView


def _own(cls: type[DOMNode]) -> list[Binding]:
    """The bindings a class declares itself (not split on commas: one row per binding id)."""
    return [b if isinstance(b, Binding) else Binding(*b) for b in cls.__dict__.get("BINDINGS", [])]


def binding_groups(app_cls: type[App[Any]]) -> list[tuple[str, list[Binding]]]:
    everywhere = [b for b in (*_own(App), *_own(app_cls)) if b.id]
    everywhere.append(
        Binding(app_cls.COMMAND_PALETTE_BINDING, "command_palette", "Commands", id="command-palette")
    )
    return [
        ("Everywhere", everywhere),
        ("Main screen", _own(MainScreen)),
        ("Chat list", [*_own(ChatOptions), *_own(ChatList)]),
        ("History (when it has focus)", _own(MessageView)),
        ("Composer", _own(Composer)),
        ("Find in chat", _own(FindBar)),
        ("Dialogs", _own(DialogModal)),
        ("Reaction picker", _own(ReactionPickerModal)),
        ("Long message reader", _own(MessageReaderModal)),
    ]


def known_ids(app_cls: type[App[Any]]) -> set[str]:
    return {b.id for _, bindings in binding_groups(app_cls) for b in bindings if b.id}


def key_rows(app_cls: type[App[Any]], keymap: Mapping[str, str]) -> list[KeyRow]:
    rows = []
    for group, bindings in binding_groups(app_cls):
        for b in bindings:
            if not b.id:
                continue
            keys = keymap.get(b.id, b.key)
            rows.append(KeyRow(group, b.id, keys, b.description or b.action))
    return rows
