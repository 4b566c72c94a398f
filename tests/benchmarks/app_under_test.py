"""The app the screen measures drive: the real `MessengerApp` on a store, and where to find its parts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App

SIZE = (120, 40)


@dataclass
class AppUnderTest:
    app: App[Any]
    messenger: Any
    peer: Any  # the fake network, or None when the store adapter stands in for the service
    close: Callable[[], None]
    note: str  # "" for the real service, else what stands in for it


def make_app(db_path: Path) -> AppUnderTest:
    """The real app, service and fake network (default scenario) on `db_path`, as the test app is built:
    a manual clock, so the fake network's bots speak only when the benchmark makes them."""
    from tui_messenger.store.database import open_database
    from tui_messenger.tui.app import MessengerApp
    from tui_messenger.tui.themes import packaged_theme_dirs, register_themes

    db = open_database(db_path, exclusive=True)
    themes = lambda app: register_themes(app, packaged_theme_dirs())  # noqa: E731
    from tui_messenger.domain.clock import ManualClock
    from tui_messenger.services.messenger_service import MessengerService
    from tui_messenger.transport.fake import FakePeer

    clock = ManualClock()
    peer = FakePeer.for_scenario("default", clock=clock)
    messenger = MessengerService(db, peer, clock=clock, user_id=peer.user_id)
    app = MessengerApp(messenger, register_themes=themes)
    import os

    if os.environ.get("BENCH_GC", "1") == "1":
        from tui_messenger.tui.quiet_gc import tune_gc

        tune_gc()  # as `run_app` does once the service is built
    return AppUnderTest(app, messenger, peer, db.close, "")


def chat_options(app: App[Any]) -> Any:
    from tui_messenger.tui.widgets.chat_list import ChatOptions

    return app.screen.query_one(ChatOptions)


def message_view(app: App[Any]) -> Any:
    from tui_messenger.tui.widgets.message_view import MessageView

    return app.screen.query_one(MessageView)


def choose_chat(app: App[Any], chat_id: int) -> None:
    """What Enter on a chat list row does: the list posts ChatChosen, the screen opens the chat."""
    from tui_messenger.tui.widgets.chat_list import ChatList

    chat_list = app.screen.query_one(ChatList)
    chat_list.post_message(ChatList.ChatChosen(chat_id))
