"""The palette's "Export this chat…" on the real app: format and path asked, the file written off the UI
loop into the downloads folder (build_test_app: tmp_path/downloads), never over an existing file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app_helpers import (
    SIZE,
    choose_command,
    footer,
    palette,
    palette_entries,
    settle,
    text,
    toasts,
    until_dialog,
    wait_for,
)
from textual.pilot import Pilot
from textual.widgets import Input

from tui_messenger.bootstrap import build_test_app
from tui_messenger.transport import wire
from tui_messenger.tui.modals import BlockModal
from tui_messenger.tui.modals.export import ExportModal


async def open_export(pilot: Pilot[Any]) -> ExportModal:
    await settle(pilot)
    await palette(pilot, "open chat: anna")
    await choose_command(pilot, "export this", shown="Export this chat")
    await until_dialog(pilot)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExportModal))
    return pilot.app.screen  # type: ignore[return-value]


def frames(path: Path) -> list[wire.Frame]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        json.loads(line)  # each line is one JSON document
    return [wire.decode(line.encode()) for line in lines]


async def test_export_json_by_keyboard_then_again_by_mouse_without_overwriting(tmp_path: Path) -> None:
    downloads = tmp_path / "downloads"
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        modal = await open_export(pilot)
        path_input = modal.query_one("#export-path", Input)
        assert path_input.value.startswith(str(downloads)) and path_input.value.endswith(".txt")
        assert "Anna Becker" in text(pilot)
        await pilot.press("down", "enter")  # the radio set has focus: JSON
        await pilot.pause()
        assert modal.fmt == "json" and path_input.value.endswith(".jsonl")
        path_input.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(t.startswith("Exported") for t in toasts(pilot)))
        (first,) = downloads.glob("*.jsonl")
        assert first.name.startswith("Anna Becker ")
        assert str(first) in toasts(pilot)[-1]
        written = frames(first)
        messages = [f for f in written if isinstance(f, wire.MessageFrame)]
        assert messages and any(f.sender == "anna" for f in messages)
        before = first.read_bytes()

        modal = await open_export(pilot)
        await pilot.click("#export-json")
        await pilot.pause()
        assert modal.fmt == "json"
        await pilot.click("#export-go")
        await wait_for(pilot, lambda: len(list(downloads.glob("*.jsonl"))) == 2)
        second = first.with_name(f"{first.stem} (1){first.suffix}")
        assert second.exists() and first.read_bytes() == before
        assert frames(second)
        await wait_for(pilot, lambda: str(second) in toasts(pilot)[-1])


async def test_export_text_to_a_typed_path_and_cancel(tmp_path: Path) -> None:
    target = tmp_path / "out" / "anna.txt"
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        modal = await open_export(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ExportModal)
        assert not (tmp_path / "downloads").exists() or not list((tmp_path / "downloads").iterdir())

        modal = await open_export(pilot)
        modal.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export-go")
        await wait_for(pilot, target.exists)
        body = target.read_text(encoding="utf-8")
        assert "Anna Becker" in body or "me" in body
        assert "\x1b" not in body
        leftovers = [p for p in target.parent.iterdir() if p.name.endswith(".part")]
        assert leftovers == []


async def test_export_into_an_unwritable_place_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        modal = await open_export(pilot)
        modal.query_one("#export-path", Input).value = str(blocker / "inside" / "x.txt")
        await pilot.click("#export-go")
        await wait_for(pilot, lambda: any(t.startswith("Cannot write") for t in toasts(pilot)))
        assert not [n for n in pilot.app.shown_toasts if n.title == "Export"]


async def test_export_is_offered_only_with_a_chat_open(tmp_path: Path) -> None:
    """Without an open chat the palette offers no "Export this chat…" (nor Block, Report and the other
    commands on the open chat, whose keys leave the footer too); it did, and said "Open a chat first."."""
    async with build_test_app(tmp_path).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Export this chat…" not in await palette_entries(pilot, "export this")
        assert "Block contact" not in await palette_entries(pilot, "block contact")
        assert "Mute for 8 hours" not in await palette_entries(pilot, "mute for")  # (mute_for("8h"))
        assert not any(k in footer(pilot) for k in ("Block", "Report", "Profile", "Find in chat")), footer(
            pilot
        )
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, BlockModal) and toasts(pilot) == []
        modal = await open_export(pilot)
        assert isinstance(modal, ExportModal)
