"""Helpers for the messenger's Pilot tests: wait until quiet, read what is on screen, find rows, open a
chat, reach the service behind the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from modal_host import screen_lines
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets._footer import FooterKey
from textual.worker import WorkerCancelled

from tui_messenger.tui.app import MessengerApp
from tui_messenger.tui.themes import packaged_theme_dirs, register_themes
from tui_messenger.tui.widgets.message_view import MessageView

SIZE = (120, 40)


def make_app(messenger: Any, **kwargs: Any) -> MessengerApp:
    return MessengerApp(
        messenger, register_themes=lambda app: register_themes(app, packaged_theme_dirs()), **kwargs
    )


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Let workers finish and messages drain (several rounds: a worker's result starts more work)."""
    for _ in range(rounds):
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass  # an exclusive worker replaced by a newer one (a chat reopened): it is done; go round again
    await pilot.pause()


async def wait_for(pilot: Pilot[Any], predicate: Callable[[], bool], *, rounds: int = 100) -> None:
    """Pause until `predicate()` holds: the fake peer answers on its own tasks, not in a worker."""
    for _ in range(rounds):
        if predicate():
            return
        await pilot.pause(0.02)  # not wait_for_complete: a worker may be waiting on an open dialog
    assert predicate(), "condition not reached"


async def until_dialog(pilot: Pilot[Any], rounds: int = 5) -> None:
    """Let a dialog open: a few turns of the loop (a dialog that replaces another), then until a dialog is
    on top, mounted. Not `settle`: the worker that opened it waits for its answer. Not the turns alone:
    some dialogs open only once a worker has asked the service in a thread (the message menu asks what
    may be done), which on a loaded machine takes longer than any fixed number of turns."""
    for _ in range(rounds):
        await pilot.pause()
    if not isinstance(pilot.app.screen, ModalScreen):
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ModalScreen), rounds=250)
        await pilot.pause()


def toasts(pilot: Pilot[Any]) -> list[str]:
    """Every toast the app showed, oldest first."""
    return [n.message for n in pilot.app.shown_toasts]  # type: ignore[attr-defined]


def footer(pilot: Pilot[Any]) -> str:
    """The footer's keys as drawn."""
    keys = pilot.app.screen.query(FooterKey)
    return "  ".join(key.render_line(0).text.strip() for key in keys if key.display)


def text(pilot: Pilot[Any]) -> str:
    return "\n".join(screen_lines(pilot.app.screen))


def view_text(pilot: Pilot[Any]) -> str:
    view = pilot.app.screen.query_one("#message-view")
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


def chat_index(pilot: Pilot[Any], chat_id: int) -> int:
    options = pilot.app.screen.query_one("#chat-options")
    return options.get_option_index(str(chat_id))


async def open_chat_by_keyboard(pilot: Pilot[Any], chat_id: int) -> None:
    options = pilot.app.screen.query_one("#chat-options")
    options.focus()
    target = chat_index(pilot, chat_id)
    current = options.highlighted or 0
    if current is None or options.highlighted is None:
        await pilot.press("down")
        current = options.highlighted or 0
    key = "down" if target > current else "up"
    for _ in range(abs(target - current)):
        await pilot.press(key)
    await pilot.press("enter")
    await settle(pilot)


async def choose_command(pilot: Pilot[Any], query: str, *, shown: str | None = None) -> None:
    """Type `query` in the command palette and press Enter once the highlighted entry has `shown` (by
    default the query, after any "open chat:"-style prefix, in any case). Does not wait for the
    command's work: it may open a dialog."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    if shown is None:
        wanted = query.lower().split(":")[-1].strip()
        await wait_for(pilot, lambda: wanted in highlighted_command(pilot).lower(), rounds=250)
    else:
        await wait_for(pilot, lambda: shown in highlighted_command(pilot), rounds=250)
    await pilot.press("enter")


def highlighted_command(pilot: Pilot[Any]) -> str:
    """The palette's highlighted entry (what Enter runs), or "" while there is none. Hits come in batches
    and the list is sorted again with each, so the entry being on screen is not enough."""
    palette = pilot.app.screen
    if not isinstance(palette, CommandPalette):
        return ""
    commands = palette.query_one(CommandList)
    index = commands.highlighted
    return "" if index is None else str(commands.get_option_at_index(index).prompt)


def _no_matches(pilot: Pilot[Any]) -> bool:
    """The palette says "No matches found" (its search ended with nothing; shown after half a second)."""
    palette = pilot.app.screen
    if not isinstance(palette, CommandPalette):
        return False
    commands = palette.query_one(CommandList)
    no_match = CommandPalette._NO_MATCHES  # noqa: SLF001 - the id Textual gives that line
    return any(commands.get_option_at_index(i).id == no_match for i in range(commands.option_count))


async def palette_entries(pilot: Pilot[Any], query: str) -> list[str]:
    """The palette's entries (first lines) for `query`, once they came; the palette is closed again."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    await wait_for(pilot, lambda: highlighted_command(pilot) != "" or _no_matches(pilot), rounds=250)
    await settle(pilot)
    commands = pilot.app.screen.query_one(CommandList)
    options = [commands.get_option_at_index(i) for i in range(commands.option_count)]
    entries = [str(o.prompt).split("\n")[0] for o in options if o.id != CommandPalette._NO_MATCHES]
    await pilot.press("escape")
    await settle(pilot)
    return entries


async def palette(pilot: Pilot[Any], query: str) -> None:
    """Run a palette command (`choose_command`) and wait until its work is done."""
    await choose_command(pilot, query)
    await settle(pilot)


async def chat_id(pilot: Pilot[Any], account_id: str) -> int:
    summary = await pilot.app.messenger.chat_for_account(account_id)  # type: ignore[attr-defined]
    assert summary is not None, account_id
    return summary.chat.id


async def open_account_chat(pilot: Pilot[Any], account_id: str, *, focus: bool = False) -> MessageView:
    """Open the chat with `account_id` once start-up is quiet; its history view (`focus`: focused)."""
    await settle(pilot)
    pilot.app.screen.open_chat(await chat_id(pilot, account_id))  # type: ignore[attr-defined]
    await settle(pilot)
    view = pilot.app.screen.query_one(MessageView)
    if focus:
        view.focus()
        await pilot.pause()
    return view


async def real_service(pilot: Pilot[Any]) -> Any:
    """The MessengerService behind the app (`build_test_app` wraps it; a plain service is itself)."""
    messenger = pilot.app.messenger  # type: ignore[attr-defined]
    return await messenger.service() if hasattr(messenger, "service") else messenger


async def select_in_view(pilot: Pilot[Any], view: Any, message_id: str) -> None:
    """Focus the history and select a message, as a user's click or arrow keys would, and wait until the
    focus has landed: `focus()` takes effect on a later turn of the app's loop, and a key or a palette
    command sent before that goes to whatever had the focus (the composer, after a send)."""
    view.focus()
    await wait_for(pilot, lambda: view.has_focus)
    assert view.select_message(message_id), f"{message_id} is not in the view"
    await pilot.pause()
