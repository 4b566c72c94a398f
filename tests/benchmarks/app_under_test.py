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
    """The real app, service and fake network (default scenario) on `db_path`, built by `build_app` as the
    tests build it: a manual clock, so the fake network's bots speak only when the benchmark makes them."""
    from tui_messenger.bootstrap import build_app
    from tui_messenger.domain.clock import ManualClock
    from tui_messenger.settings import AppSettings
    from tui_messenger.store.database import open_database

    db = open_database(db_path, exclusive=True)
    settings = AppSettings(
        db_path=db_path, config_dir=db_path.parent / "bench-config", clock=ManualClock(), show_refusals=False
    )
    app = build_app(settings, db=db)
    messenger = app.messenger
    import os

    if os.environ.get("BENCH_GC", "1") == "1":
        from tui_messenger.tui.quiet_gc import tune_gc

        tune_gc()  # as `run_app` does once the service is built
    return AppUnderTest(app, messenger, messenger.transport, db.close, "")  # type: ignore[attr-defined]


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
