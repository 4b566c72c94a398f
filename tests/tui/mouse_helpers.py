"""Input as a terminal sends it. A click: press and release posted to the app at once, with no pause in
between (Pilot's `click` pauses after every event, so work the app does after a refresh, such as a
restyle on focus, is always done before its click arrives: a real terminal gives no such time)."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widget import Widget


def _arguments(widget: Widget, offset: tuple[int, int], button: int) -> dict[str, Any]:
    x, y = widget.region.offset + offset
    return {"widget": None, "x": x, "y": y, "delta_x": 0, "delta_y": 0, "button": button,
            "shift": False, "meta": False, "ctrl": False, "screen_x": x, "screen_y": y}  # fmt: skip


async def terminal_click(
    pilot: Pilot[Any], widget: Widget, offset: tuple[int, int], *, button: int = 1, times: int = 1
) -> None:
    """`times` clicks at `offset` in `widget` (on screen), each a press and a release arriving together,
    as the driver posts them from one read of the terminal; a double click is two in a row."""
    kwargs = _arguments(widget, offset, button)
    for _ in range(times):
        pilot.app.post_message(events.MouseDown(**kwargs))
        pilot.app.post_message(events.MouseUp(**kwargs))
    await pilot.pause()


async def terminal_keys(pilot: Pilot[Any], *keys: str | events.Paste) -> None:
    """Keys (Textual key names, or single characters) and pastes posted to the app in one burst, as a
    terminal delivers fast typing or a paste: Pilot's `press` waits for the app after every key."""
    for key in keys:
        if isinstance(key, events.Paste):
            pilot.app.post_message(key)
        elif len(key) == 1:
            pilot.app.post_message(events.Key(_key_name(key), key))
        else:
            pilot.app.post_message(events.Key(key, "\r" if key == "enter" else None))
    await pilot.pause()


def _key_name(character: str) -> str:
    from textual.keys import _character_to_key

    return _character_to_key(character)
