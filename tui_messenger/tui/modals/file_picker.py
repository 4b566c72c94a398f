"""The "Send a file…" dialog: pick a file in a folder tree or type its path, see its size, add a caption.

The size is read off the UI loop (a path on a slow or network disk must not freeze the screen); a file
over the cap, a folder or a missing path is said inline and the Send button stays off. The service checks
again when it reads the file, so a file that grows in between is still refused.
"""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, DirectoryTree, Input, Static
from textual.widgets.directory_tree import DirEntry
from textual.widgets.tree import TreeNode

from tui_messenger.domain.files import MAX_FILE_BYTES, display_name, human_size, too_large
from tui_messenger.domain.safe_text import clean_body
from tui_messenger.tui.modals.base import DialogModal, SafeInput, as_content
from tui_messenger.tui.workers import worker


@dataclass(frozen=True)
class PickedFile:
    path: Path
    caption: str = ""


class VisibleTree(DirectoryTree):
    """A folder tree without hidden files (dot files and folders), whose names are shown through the safe
    path: a file on disk may carry control or bidi characters in its name too (a download, an archive)."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if not path.name.startswith(".")]

    def render_label(self, node: TreeNode[DirEntry], base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        shown = clean_body(label.plain).replace("\n", " ")
        return label if shown == label.plain else Text(shown, style=base_style + style)


def describe(path: Path) -> tuple[bool, str]:
    """(can it be sent, a line about it): blocking, run in a thread."""
    shown = display_name(path.name or str(path))
    try:
        info = path.stat()
    except FileNotFoundError:
        return False, f"No such file: {display_name(str(path), 80)}"
    except OSError as exc:
        return False, f"Cannot read {shown}: {exc.strerror or type(exc).__name__}"
    if not stat.S_ISREG(info.st_mode):
        return False, f"{shown} is not a file"
    if info.st_size > MAX_FILE_BYTES:
        return False, too_large(shown, info.st_size)
    if info.st_size == 0:
        return False, f"{shown} is empty: there is nothing to send"
    return True, f"{shown} · {human_size(info.st_size)}"


class FilePickerModal(DialogModal[PickedFile]):
    DEFAULT_CSS = """
    FilePickerModal > #dialog {
        width: 80;
    }
    FilePickerModal #dialog-title {
        text-wrap: nowrap;  /* one row, the tree gets the rest: the chat's header names the whole name */
        text-overflow: ellipsis;
    }
    FilePickerModal #dialog-body {
        height: 12;
        margin-bottom: 1;
        border: tall $foreground 20%;
    }
    FilePickerModal #file-info {
        height: auto;
        margin-top: 1;
        color: $text-muted;
    }
    FilePickerModal #file-info.-error {
        color: $error;
    }
    """

    def __init__(self, start: Path, *, to: str = "") -> None:
        super().__init__()
        self._start = start
        self._to = to
        self._ok = False
        self._picked: tuple[str, Path] | None = None  # (the path field's text, the file picked in the tree)

    def compose(self) -> ComposeResult:
        title = f"Send a file to {self._to}" if self._to else "Send a file"
        with Vertical(id="dialog"):
            yield Static(as_content(title), id="dialog-title")
            yield VisibleTree(self._start, id="dialog-body")  # fewer rows on a short screen
            # Not all selected on focus: a path is typed on (see `on_key`) or mended, seldom replaced.
            yield SafeInput(placeholder="…or type a path", id="file-path", select_on_focus=False)
            yield SafeInput(placeholder="Caption (optional)", id="file-caption")
            limit = f"Files up to {human_size(MAX_FILE_BYTES)}. Enter sends."
            yield Static(as_content(limit), id="file-info")
            with Horizontal(classes="buttons"):
                yield Button(as_content("Send"), id="file-send", variant="primary", disabled=True)
                yield Button(as_content("Cancel"), id="file-cancel")

    def on_mount(self) -> None:
        self.query_one(VisibleTree).focus()

    def on_key(self, event: events.Key) -> None:
        """A character typed while the tree has focus starts a path: the field takes it and what follows
        (the tree has no use for it; a path typed at once went nowhere, and Tab then put the caption in
        the path's place). Space still opens a folder in the tree."""
        typed = event.character if event.is_printable else None
        if isinstance(self.focused, VisibleTree) and typed is not None and typed != " ":
            event.stop()
            field = self.query_one("#file-path", Input)
            field.focus()
            field.insert_text_at_cursor(typed)

    @property
    def path(self) -> Path | None:
        raw = self.query_one("#file-path", Input).value
        if self._picked is not None and raw == self._picked[0]:
            return self._picked[1]  # exactly as picked, even if its name needed cleaning to be shown
        value = raw.strip()
        if not value:
            return None
        path = Path(os.path.expanduser(value))
        return path if path.is_absolute() else self._start / path

    @on(DirectoryTree.FileSelected, "#dialog-body")
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        field = self.query_one("#file-path", Input)
        field.value = str(event.path)
        self._picked = (field.value, event.path)
        self.query_one("#file-caption", Input).focus()

    @on(Input.Changed, "#file-path")
    def _path_changed(self) -> None:
        self._ok = False
        self.query_one("#file-send", Button).disabled = True
        self._check(self.path)

    @worker(group="file-check", exclusive=True)
    async def _check(self, path: Path | None) -> None:
        if path is None:
            ok, line = False, f"Files up to {human_size(MAX_FILE_BYTES)}."
        else:
            ok, line = await asyncio.to_thread(describe, path)
        if path != self.path:
            return  # typed on meanwhile
        self._ok = ok
        info = self.query_one("#file-info", Static)
        info.update(Content(line))
        info.set_class(not ok and path is not None, "-error")
        self.query_one("#file-send", Button).disabled = not ok

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._send()

    @on(Button.Pressed, "#file-send")
    def _send_pressed(self) -> None:
        self._send()

    @on(Button.Pressed, "#file-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    def _send(self) -> None:
        path = self.path
        if self._ok and path is not None:
            self.dismiss(PickedFile(path, self.query_one("#file-caption", Input).value.strip()))
