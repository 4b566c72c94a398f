"""One chat-list row as `Content`: never a markup string (names and previews are network data); and the
row visuals the list measures by their line count."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from tui_messenger.domain.models import ChatKind, ChatSummary
from tui_messenger.domain.safe_text import clean_name, preview
from tui_messenger.tui.widgets.timefmt import list_time

BADGE = "✔"  # drawn only in the reserved first column, only from the directory flag
PINNED = "📌"
MUTED = "🔇"


def _fit(text: str, width: int) -> str:
    return Content(text).truncate(max(width, 0), ellipsis=True).plain


def chat_row(summary: ChatSummary, width: int, now: datetime) -> Content:
    """Three short lines: badge column, name, marks and time; the preview and unread count; warnings."""
    chat, peer = summary.chat, summary.peer
    width = max(width, 20)
    badge = (BADGE, "bold $badge") if peer.badge else (" ", "")
    time_text = list_time(chat.last_activity, now)
    marks = (PINNED if chat.pinned else "") + (MUTED if chat.muted else "")
    tail = f"{marks} {time_text}".strip()
    name_room = width - 2 - cell_len(tail) - 1
    name = _fit(clean_name(peer.display_name or chat.title), name_room)
    gap = width - 2 - cell_len(name) - cell_len(tail)
    name_style = "bold" if chat.unread_count else ""
    first = Content.assemble(badge, " ", (name, name_style), " " * max(gap, 1), (tail, "$text-muted"))

    unread = f" {chat.unread_count} " if chat.unread_count and not summary.blocked else ""
    tag: tuple[str, str] | str = ""
    if summary.blocked:
        tag = ("Blocked ", "bold $text-error")
    elif chat.is_request:
        tag = ("Request ", "bold $warning-text")
    elif chat.kind is ChatKind.BUSINESS:
        tag = ("business ", "italic $business-mark")
    tag_len = cell_len(tag[0]) if isinstance(tag, tuple) else 0
    room = width - 2 - tag_len - (cell_len(unread) + 1 if unread else 0)
    text = (
        "" if summary.blocked else preview(chat.draft and f"Draft: {chat.draft}" or chat.last_preview, room)
    )
    pad = width - 2 - tag_len - cell_len(text) - cell_len(unread)
    second = Content.assemble(
        "  ",
        tag,
        (text, "$text-muted"),
        " " * max(pad, 0),
        (unread, "bold reverse $unread") if unread else "",
    )
    lines = [first, second]
    if summary.looks_like:
        warning = _fit(f"⚠ looks like {clean_name(summary.looks_like)}", width - 2)
        lines.append(Content.assemble("  ", (warning, "bold $warning-text")))
    if peer.scam:
        lines.append(Content.assemble("  ", ("⚠ reported as scam", "bold $text-error")))
    return Content("\n").join(lines)


def archived_row(count: int, unread: int) -> Content:
    extra = f" · {unread} unread" if unread else ""
    return Content.assemble(("🗄 Archived", "bold"), (f" ({count}){extra}", "$text-muted"))


def back_row() -> Content:
    return Content.assemble(("← Back to chats", "bold"))


def row_lines(summary: ChatSummary) -> int:
    """The lines `chat_row` draws for a chat: name, preview, then a warning line each for a look-alike
    name and a reported scam (tests/tui/test_chat_list_in_place.py keeps the two in step)."""
    return 2 + bool(summary.looks_like) + bool(summary.peer.scam)


class FittedRow(Visual):
    """A row whose lines were fitted to the list's width when it was built (`chat_row`): its height is its
    line count. Textual measured a Content row by wrapping it, and its one-entry cache missed on every
    tab switch as the scrollbar came and went (200 rows wrapped twice: 15-30 ms of a switch)."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.lines = content.plain.count("\n") + 1

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.content.render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.lines


class LazyRow(Visual):
    """A chat row built when it is first drawn: a list of 200 chats is laid out from the rows' line
    counts and draws the twenty or so on screen (building all 200 cost 30-60 ms of the first frame)."""

    def __init__(self, summary: ChatSummary, width: int, minute: datetime) -> None:
        self.summary, self.width, self.minute = summary, width, minute
        self.lines = row_lines(summary)
        self._content: Content | None = None

    @property
    def content(self) -> Content:
        if self._content is None:
            self._content = chat_row(self.summary, self.width, self.minute)
        return self._content

    @property
    def plain(self) -> str:
        return self.content.plain

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        return self.content.render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.lines
