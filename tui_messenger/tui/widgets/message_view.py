"""The chat history: a Line API `ScrollView` that lays out at most ~500 messages into strips.

It never mounts a widget per message and never holds a whole chat: the controller gives it the newest
page, it asks for older pages when scrolled to the top (`OlderRequested`) and keeps the viewport still
when they arrive, and drops the far end when it holds too many. Strips are built once per message and
width (see `message_layout`), so painting is a slice of a list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui_messenger.domain.models import ChatMessage, MessageKind, MessageStatus, ReactionCount
from tui_messenger.tui.widgets import interactive_model as im
from tui_messenger.tui.widgets.link_marks import link_index_at
from tui_messenger.tui.widgets.message_layout import Context, Palette, layout_message
from tui_messenger.tui.widgets.timefmt import day_label, same_day

MAX_MESSAGES = 500
BURST_WINDOW = 100  # this many or more arriving at once at the end being followed is a burst
BURST_SHOWN_MIN = 20  # a burst shows its newest max(this, screen rows) messages: at least a screenful


class MessageView(ScrollView, can_focus=True):
    """Bubbles, date separators, ticks, quotes and interactive choices, drawn line by line."""

    COMPONENT_CLASSES = {
        "message-view--incoming",
        "message-view--outgoing",
        "message-view--system",
        "message-view--meta",
        "message-view--read",
        "message-view--failed",
        "message-view--separator",
        "message-view--quote",
        "message-view--tag",
        "message-view--button",
        "message-view--answered",
        "message-view--cursor",
        "message-view--reaction",
        "message-view--reaction-mine",
    }
    BINDINGS = [
        Binding("up", "select(-1)", "Previous", show=False, id="history-previous"),
        Binding("down", "select(1)", "Next", show=False, id="history-next"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="history-page-up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="history-page-down"),
        Binding("home", "first", "Oldest", show=False, id="history-oldest"),
        Binding("end", "last", "Newest", show=False, id="history-newest"),
        Binding("enter", "activate", "Reply / retry", id="history-activate"),
        Binding("j", "jump_quoted", "Jump to quoted", id="history-jump"),
        Binding("o", "open_link", "Open link", id="history-open-link"),
        Binding("m", "more", "Show more / less", show=False, id="history-more"),
        Binding("plus", "react", "React", id="history-react"),
        Binding("e", "edit", "Edit", show=False, id="history-edit"),
        Binding("x,delete", "delete", "Delete", show=False, id="history-delete"),
        Binding("s", "save_file", "Save file", show=False, id="history-save-file"),
    ]

    class OlderRequested(Message):
        """Scrolled to the top: load the page before `oldest`."""

        def __init__(self, oldest: ChatMessage) -> None:
            super().__init__()
            self.oldest = oldest

    class NewestRequested(Message):
        """Scrolled to the bottom of a window that does not reach the newest message."""

    class MessageActivated(Message):
        """Enter or a double click on a message: reply to it, or retry it when it failed."""

        def __init__(self, message: ChatMessage) -> None:
            super().__init__()
            self.message = message

    class QuoteActivated(Message):
        """Jump to the message a reply quotes."""

        def __init__(self, message: ChatMessage, quoted_id: str) -> None:
            super().__init__()
            self.message = message
            self.quoted_id = quoted_id

    class LinkRequested(Message):
        """`o` on a message (`index` None: all its links) or a click on a link (`index` in
        `link_marks.links_in(message.body)`). The screen asks before anything opens."""

        def __init__(self, message: ChatMessage, index: int | None) -> None:
            super().__init__()
            self.message = message
            self.index = index

    class EditRequested(Message):
        """`e` on a message: edit it in the composer (the screen checks the rules first)."""

        def __init__(self, message: ChatMessage) -> None:
            super().__init__()
            self.message = message

    class DeleteRequested(Message):
        """`x` or Delete on a message: ask "for me" or "for everyone"."""

        def __init__(self, message: ChatMessage) -> None:
            super().__init__()
            self.message = message

    class MenuRequested(Message):
        """A right click on a message: its actions (edit, delete) in a dialog, for the mouse."""

        def __init__(self, message: ChatMessage) -> None:
            super().__init__()
            self.message = message

    class ReactRequested(Message):
        """`+` on a message: open the reaction picker for it."""

        def __init__(self, message: ChatMessage) -> None:
            super().__init__()
            self.message = message

    class ReactionToggled(Message):
        """A click on a reaction chip: react with that emoji, or take the user's own back."""

        def __init__(self, message: ChatMessage, emoji: str) -> None:
            super().__init__()
            self.message = message
            self.emoji = emoji

    class FullTextRequested(Message):
        """Show more on a body too large to expand in place: show it in the reader."""

        def __init__(self, message: ChatMessage) -> None:
            super().__init__()
            self.message = message

    class FileRequested(Message):
        """Save a document's file: `s` on it saves at once, a click on its card asks first (`ask`)."""

        def __init__(self, message: ChatMessage, *, ask: bool) -> None:
            super().__init__()
            self.message = message
            self.ask = ask

    selected: reactive[int | None] = reactive(None, layout=False)

    def __init__(self, *, now: Callable[[], datetime] | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now or (lambda: datetime.now(UTC))
        self._messages: list[ChatMessage] = []
        self._index: dict[str, int] = {}
        self._answered: set[str] = set()
        self._expanded: set[str] = set()  # ids of long messages shown whole ("Show more")
        self._blocks: list[tuple[list[Strip], int] | None] = []  # per message: (lines, bubble start)
        self._lines: list[Strip] = []
        self._painted: list[Strip | None] = []  # _lines with the blank gutter, built when first painted
        self._painted_width = 0
        self._owners: list[int] = []  # message index of each line, -1 for separators and spacing
        self._first_line: list[int] = []  # first line of each message's block
        self._width = 0
        self._palette: Palette | None = None
        self.has_older = False
        self.has_newer = False
        self._loading_older = False
        # Prefetch: the page before the first message, asked for as soon as a window is shown or grew
        # at the top, and kept here until the reader reaches the top: then it is put on top in the same
        # turn that scrolled there, with no wait for the store and no frame of the old top in between.
        self._staged: tuple[str, list[ChatMessage], bool] | None = None  # (before id, page, has_older)
        self._staged_layout: tuple[int, Palette, list[tuple[list[Strip], int]], set[str]] | None = None
        self._want_older = False  # the reader is at the top and the page is not here yet
        self._follow = True  # the reader is at the newest message: stay there when things change
        self._jumping = False  # our own scrolls do not ask for the newest page

    # data ------------------------------------------------------------------------------------------
    @property
    def messages(self) -> Sequence[ChatMessage]:
        return self._messages

    def set_messages(
        self,
        messages: Sequence[ChatMessage],
        *,
        has_older: bool,
        has_newer: bool = False,
        select_id: str | None = None,
    ) -> None:
        """Show a fresh window of history (oldest first) and scroll to the end or to `select_id`."""
        self._messages = list(messages)[-MAX_MESSAGES:]
        self._expanded.clear()
        self.has_older, self.has_newer, self._loading_older = has_older, has_newer, False
        self._want_older = False
        self.selected = None
        self._reindex(full=True)
        if select_id is not None and select_id in self._index:
            self.select_message(select_id)
            self._follow = False  # a later resize keeps the hit in view, not the newest message
        else:
            self._jump(self.max_scroll_y)
        self._request_older()

    def receive_older(self, before_id: str, older: Sequence[ChatMessage], *, has_older: bool) -> None:
        """The page before message `before_id` arrived (an answer to `OlderRequested`): put on top now
        if the reader waits at the top, else kept until the reader gets there."""
        self._loading_older = False
        if not self._messages or self._messages[0].message_id != before_id:
            self._request_older()  # the window changed meanwhile: this page no longer fits on top
            return
        if self._want_older:
            self.prepend(older, has_older=has_older)
        else:
            self._staged = (before_id, list(older), has_older)
            self._staged_layout = self._prelayout(self._staged[1])

    def _prelayout(
        self, older: list[ChatMessage]
    ) -> tuple[int, Palette, list[tuple[list[Strip], int]], set[str]] | None:
        """Lay out a staged page while the reader is elsewhere, exactly as `prepend` would (the page on top
        of the window), so reaching the top costs no layout: (width, palette, blocks, answered ids)."""
        if not self.is_mounted or not older or self.scrollable_content_region.width <= 1:
            return None  # not on screen yet: laid out when it gets its size (on_resize)
        width, palette, now = self._content_width(), self._resolve_palette(), self._now()
        saved = self._messages, self._index, self._answered
        try:
            self._messages = [*older, *self._messages]
            self._index = {m.message_id: i for i, m in enumerate(self._messages)}
            self._answered = im.answered_ids(self._messages)
            context = self._layout_context
            blocks = [layout_message(m, context(i, now), width, palette) for i, m in enumerate(older)]
            return width, palette, blocks, {m.message_id for m in older if m.message_id in self._answered}
        finally:
            self._messages, self._index, self._answered = saved

    def _request_older(self) -> None:
        """Ask for the page before the first message unless it is here or on its way."""
        if not (self.has_older and self._messages and self.is_mounted) or self._loading_older:
            return
        first = self._messages[0]
        if self._staged is not None and self._staged[0] == first.message_id:
            return
        self._staged = self._staged_layout = None
        self._loading_older = True
        self.post_message(self.OlderRequested(first))

    def _take_older(self) -> None:
        """The reader reached the top: the staged page goes on top now, else it is asked for."""
        staged = self._staged
        if staged is not None and self._messages and staged[0] == self._messages[0].message_id:
            self._staged, layout, self._staged_layout = None, self._staged_layout, None
            self.prepend(staged[1], has_older=staged[2], layout=layout)
        else:
            self._want_older = True
            self._request_older()

    def prepend(
        self,
        older: Sequence[ChatMessage],
        *,
        has_older: bool,
        layout: tuple[int, Palette, list[tuple[list[Strip], int]], set[str]] | None = None,
    ) -> None:
        """Older messages arrived: put them on top without moving what the reader sees. `layout` is the
        page laid out ahead by `_prelayout`, used if still valid (same width and theme, no duplicates)."""
        self._loading_older = self._want_older = False
        self.has_older = has_older
        given = len(older)
        older = [m for m in older if m.message_id not in self._index]
        if not older:
            return
        anchor, selected_id = self._anchor(), self._selected_id()
        self._messages[:0] = older
        blocks: list[tuple[list[Strip], int] | None] = [None] * len(older)
        fits = layout is not None and (layout[0], layout[1]) == (self._width, self._palette)
        if layout is not None and fits and len(older) == given:
            blocks = list(layout[2])
        self._blocks[:0] = blocks
        self._blocks[len(older)] = None  # its date separator may have changed
        if layout is not None:  # a reply that came in since may have answered a staged message's buttons
            answered = im.answered_ids(self._messages)
            for index, message in enumerate(older):
                if (message.message_id in answered) != (message.message_id in layout[3]):
                    self._blocks[index] = None
        if len(self._messages) > MAX_MESSAGES:  # drop the far (newest) end
            del self._messages[MAX_MESSAGES:]
            del self._blocks[MAX_MESSAGES:]
            self.has_newer = True
        self._reindex()
        self.selected = self._index.get(selected_id) if selected_id else None
        self._restore(anchor)
        self._request_older()  # the next page, before the reader gets to the top again

    def append(self, message: ChatMessage) -> None:
        """A new message: added at the end, and followed if the reader was at the end."""
        self.append_many([message])

    def append_many(self, messages: Sequence[ChatMessage]) -> None:
        """New messages (a burst): added at the end with one layout and one scroll, followed if the
        reader was at the end. Messages already shown are updated in place."""
        fresh: list[ChatMessage] = []
        seen: set[str] = set()
        for message in messages:
            if message.message_id in self._index:
                self.update(message)
            elif message.message_id not in seen:
                seen.add(message.message_id)
                fresh.append(message)
        if not fresh or self.has_newer:
            return  # a window that does not reach the end loads the newest page when scrolled there
        at_end = self._follow or self.scroll_y >= self.max_scroll_y - 1
        if at_end and len(fresh) >= BURST_WINDOW:
            # A burst while the reader follows the end: show its newest part as a fresh window (older
            # ones load on scrolling up), so one turn of the loop lays out a screenful (every message
            # takes a row at least), not 500: during a burst of thousands this is most of the loop's work.
            selected_id = self._selected_id()
            shown = max(BURST_SHOWN_MIN, self.scrollable_content_region.height)
            self._messages = [*self._messages, *fresh][-shown:]
            self.has_older = True
            self._reindex(full=True)
            self.selected = self._index.get(selected_id) if selected_id else None
            self._jump(self.max_scroll_y)
            return
        anchor = None if at_end else self._anchor()
        fresh = fresh[-MAX_MESSAGES:]
        base = len(self._messages)
        self._messages.extend(fresh)
        self._blocks.extend([None] * len(fresh))
        added = {m.message_id: base + i for i, m in enumerate(fresh)}
        for message in fresh:
            if (answered := im.answered_id(message)) is not None:
                target = self._index.get(answered, added.get(answered))
                if target is not None:
                    self._blocks[target] = None  # its buttons now show the answer
        if len(self._messages) > MAX_MESSAGES:
            drop = len(self._messages) - MAX_MESSAGES
            del self._messages[:drop]
            del self._blocks[:drop]
            if self._blocks:
                self._blocks[0] = None  # its date separator may have changed
            self.has_older = True
            if self.selected is not None:
                self.selected = self.selected - drop if self.selected >= drop else None
        self._reindex()
        if at_end:
            self._jump(self.max_scroll_y)
        else:
            self._restore(anchor)

    def update(self, message: ChatMessage) -> None:
        """A message already shown changed (ticks, content)."""
        index = self._index.get(message.message_id)
        if index is None:
            return
        if not message.reactions and self._messages[index].reactions:
            # Chips change only by `set_reactions`; a status or edit event does not carry them.
            message = replace(message, reactions=self._messages[index].reactions)
        if message.attachment is None and self._messages[index].attachment is not None:
            message = replace(message, attachment=self._messages[index].attachment)  # nor a file's card
        self._put(index, message)

    def set_reactions(self, message_id: str, reactions: tuple[ReactionCount, ...]) -> None:
        """The chips under a message shown changed."""
        index = self._index.get(message_id)
        if index is not None and self._messages[index].reactions != reactions:
            self._put(index, replace(self._messages[index], reactions=reactions))

    def _put(self, index: int, message: ChatMessage) -> None:
        anchor = None if self._follow else self._anchor()
        self._messages[index] = message
        self._blocks[index] = None
        self._reindex()
        if anchor is None:
            self._jump(self.max_scroll_y)
        else:
            self._restore(anchor)

    def remove(self, message_id: str) -> None:
        """A message deleted for me leaves the window; the selection moves to its neighbour."""
        index = self._index.get(message_id)
        if index is None:
            return
        anchor = None if self._follow else self._anchor()
        selected_id = self._selected_id()
        del self._messages[index]
        del self._blocks[index]
        if index < len(self._blocks):
            self._blocks[index] = None  # its date separator may have changed
        self._reindex()
        if selected_id == message_id:
            self.selected = min(index, len(self._messages) - 1) if self._messages else None
        else:
            self.selected = self._index.get(selected_id) if selected_id else None
        if anchor is None or anchor[0] == message_id:
            self._jump(self.max_scroll_y if anchor is None else self.scroll_y)
        else:
            self._restore(anchor)

    def get(self, message_id: str) -> ChatMessage | None:
        index = self._index.get(message_id)
        return None if index is None else self._messages[index]

    def select_message(self, message_id: str) -> bool:
        index = self._index.get(message_id)
        if index is None:
            return False
        self.selected = index
        self._scroll_to_selected(center=True)
        return True

    @property
    def selected_message(self) -> ChatMessage | None:
        return None if self.selected is None else self._messages[self.selected]

    # layout ------------------------------------------------------------------------------------------
    def _selected_id(self) -> str | None:
        return None if self.selected is None else self._messages[self.selected].message_id

    def _anchor(self) -> tuple[str, int, int] | None:
        """The first message line in view: (message id, its line from the bubble start, its row on screen)."""
        top = int(self.scroll_y)
        for line in range(top, min(top + 200, len(self._owners))):
            if (owner := self._owners[line]) >= 0:
                block = self._blocks[owner]
                start = self._first_line[owner] + (block[1] if block else 0)
                return self._messages[owner].message_id, line - start, line - top
        return None

    def _restore(self, anchor: tuple[str, int, int] | None) -> None:
        if anchor is None:
            return
        message_id, in_block, row = anchor
        index = self._index.get(message_id)
        if index is None or (block := self._blocks[index]) is None:
            return
        line = self._first_line[index] + block[1] + in_block
        self._jump(max(line - row, 0))

    def _reindex(self, *, full: bool = False) -> None:
        self._index = {m.message_id: i for i, m in enumerate(self._messages)}
        self._answered = im.answered_ids(self._messages)
        if full or len(self._blocks) != len(self._messages):
            self._blocks = [None] * len(self._messages)
        self._relayout()

    def _content_width(self) -> int:
        return max(self.scrollable_content_region.width - 1, 10)  # one column for the cursor gutter

    def _resolve_palette(self) -> Palette:
        if self._palette is None:
            style = self.get_component_rich_style
            base = self.rich_style
            self._palette = Palette(
                base=base,
                incoming=style("message-view--incoming"),
                outgoing=style("message-view--outgoing"),
                system=style("message-view--system"),
                meta=style("message-view--meta", partial=True),
                read=style("message-view--read", partial=True),
                failed=style("message-view--failed", partial=True),
                separator=style("message-view--separator"),
                quote=style("message-view--quote", partial=True),
                tag=style("message-view--tag", partial=True),
                button=style("message-view--button", partial=True),
                answered=style("message-view--answered", partial=True),
                cursor=style("message-view--cursor"),
                reaction=style("message-view--reaction"),
                reaction_mine=style("message-view--reaction-mine"),
            )
        return self._palette

    def _layout_context(self, index: int, now: datetime) -> Context:
        message = self._messages[index]
        previous = self._messages[index - 1] if index else None
        label = None
        if previous is None or not same_day(previous.sent_at, message.sent_at):
            label = day_label(message.sent_at, now)
        quoted = self.get(message.reply_to) if message.reply_to else None
        return Context(
            quoted=quoted,
            quoted_known=quoted is not None,
            answered=message.message_id in self._answered,
            day_label=label,
            expanded=message.message_id in self._expanded,
        )

    def _relayout(self) -> None:
        if not self.is_mounted:
            return
        width = self._content_width()
        if width != self._width:
            self._width = width
            self._blocks = [None] * len(self._messages)
        palette, now = self._resolve_palette(), self._now()
        lines: list[Strip] = []
        owners: list[int] = []
        firsts: list[int] = []
        for index, block in enumerate(self._blocks):
            if block is None:
                block = self._blocks[index] = layout_message(
                    self._messages[index], self._layout_context(index, now), width, palette
                )
            strips, start = block
            firsts.append(len(lines))
            lines.extend(strips)
            owners.extend([-1] * start + [index] * (len(strips) - start))
        lines.append(Strip.blank(width, palette.base))
        owners.append(-1)
        self._lines, self._owners, self._first_line = lines, owners, firsts
        self._painted = [None] * len(lines)
        self.virtual_size = Size(width + 1, len(lines))
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if not hasattr(self, "_messages"):  # called from Widget.__init__, before ours has run
            return
        self._palette = None
        self._blocks = [None] * len(self._messages)
        if self.is_mounted:
            self.call_after_refresh(self._relayout)

    def on_resize(self, event: events.Resize) -> None:
        # Not "is scroll_y at the end now": the size has already changed (a panel docked below).
        at_end = self._follow
        anchor = None if at_end else self._anchor()
        self._relayout()
        if at_end:
            self._jump(self.max_scroll_y)
        else:
            self._restore(anchor)
        staged = self._staged
        if staged is not None and (self._staged_layout is None or self._staged_layout[0] != self._width):
            self._staged_layout = self._prelayout(staged[1])  # the page fetched ahead, for the new width

    def on_mount(self) -> None:
        self._relayout()

    def render_line(self, y: int) -> Strip:
        line = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        palette = self._resolve_palette()
        if line >= len(self._lines):
            return Strip.blank(width, palette.base)
        owner = self._owners[line]
        if owner >= 0 and owner == self.selected:
            return Strip([Segment("▌", palette.cursor), *self._lines[line]], width).crop(0, width)
        # Unselected lines (nearly all) with their blank gutter are built once per layout and width.
        if width != self._painted_width or len(self._painted) != len(self._lines):
            self._painted = [None] * len(self._lines)
            self._painted_width = width
        strip = self._painted[line]
        if strip is None:
            strip = Strip([Segment(" ", palette.base), *self._lines[line]], width).crop(0, width)
            self._painted[line] = strip
        return strip

    # scrolling and paging --------------------------------------------------------------------------
    def _jump(self, y: float) -> None:
        # force: just after the content grew the scrollbar is not shown yet and scroll_to would do nothing
        self._jumping = True
        try:
            self.scroll_to(y=y, animate=False, force=True)
        finally:
            self._jumping = False

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._follow = new >= self.max_scroll_y - 1
        if new <= 0 and self.has_older and self._messages:
            self._take_older()
        elif self.has_newer and not self._jumping and new >= self.max_scroll_y and old < new:
            self.post_message(self.NewestRequested())

    def watch_selected(self, old: int | None, new: int | None) -> None:
        self.refresh()

    def _scroll_to_selected(self, *, center: bool = False) -> None:
        if self.selected is None or self.selected >= len(self._first_line):
            return
        top = self._first_line[self.selected]
        end = (
            self._first_line[self.selected + 1]
            if self.selected + 1 < len(self._first_line)
            else len(self._lines)
        )
        height = self.scrollable_content_region.height
        if center:
            self._jump(max(top - height // 3, 0))
        elif top < self.scroll_y:
            self._jump(top)
        elif end > self.scroll_y + height:
            self._jump(min(end - height, top))

    def action_select(self, step: int) -> None:
        if not self._messages:
            return
        if self.selected is None:
            self.selected = len(self._messages) - 1
        else:
            target = self.selected + step
            if target < 0 and self.has_older:
                self._jump(0)
            self.selected = min(max(target, 0), len(self._messages) - 1)
        self._scroll_to_selected()

    def action_page(self, direction: int) -> None:
        height = self.scrollable_content_region.height
        self._jump(self.scroll_y + direction * max(height - 2, 1))
        top = int(self.scroll_y)
        if direction > 0 and self.has_newer and self.scroll_y >= self.max_scroll_y:
            self.post_message(self.NewestRequested())
        visible = [o for o in self._owners[top : top + height] if o >= 0]
        if visible:
            self.selected = visible[0] if direction < 0 else visible[-1]

    def action_first(self) -> None:
        if self._messages:
            self.selected = 0
        self._jump(0)

    def action_last(self) -> None:
        if self._messages:
            self.selected = len(self._messages) - 1
        self._jump(self.max_scroll_y)
        if self.has_newer:
            self.post_message(self.NewestRequested())

    def action_activate(self) -> None:
        if (message := self.selected_message) is not None:
            self.post_message(self.MessageActivated(message))

    def action_more(self) -> None:
        if self.selected is not None:
            self._show_more(self.selected)

    def action_edit(self) -> None:
        if (message := self.selected_message) is not None:
            self.post_message(self.EditRequested(message))

    def action_delete(self) -> None:
        if (message := self.selected_message) is not None:
            self.post_message(self.DeleteRequested(message))

    def action_react(self) -> None:
        if (message := self.selected_message) is not None:
            self.post_message(self.ReactRequested(message))

    def _chip_at(self, index: int, bubble_row: int, x: int) -> str | None:
        """The emoji of the reaction chip at a bubble row and cell, if any (laid out again)."""
        message = self._messages[index]
        if not message.reactions:
            return None
        ctx = self._layout_context(index, self._now())
        layout_message(message, ctx, self._width, self._resolve_palette())
        for chip in ctx.chips:
            if bubble_row == ctx.chip_row + chip.row and chip.start <= x < chip.end:
                return chip.emoji
        return None

    def _more(self, index: int) -> Context:
        """Where a message's show-more control is and what it does, as the layout decided (laid out
        again: one bounded message). Not judged here: the layout shows a caption, annotated links."""
        ctx = self._layout_context(index, self._now())
        layout_message(self._messages[index], ctx, self._width, self._resolve_palette())
        return ctx

    def _card_rows(self, index: int) -> range:
        """The bubble rows of a document's card (empty for other messages)."""
        if self._messages[index].kind is not MessageKind.DOCUMENT:
            return range(0)
        ctx = self._layout_context(index, self._now())
        layout_message(self._messages[index], ctx, self._width, self._resolve_palette())
        return ctx.card_rows or range(0)

    def action_save_file(self) -> None:
        message = self.selected_message
        if message is not None and message.attachment is not None:
            self.post_message(self.FileRequested(message, ask=False))

    def _show_more(self, index: int) -> None:
        """Expand a long body in place, collapse it again, or ask for the reader for a huge one."""
        message = self._messages[index]
        more = self._more(index)
        if more.more_row is None:
            return
        if message.message_id in self._expanded:
            self._expanded.discard(message.message_id)
        elif more.more_inline:
            self._expanded.add(message.message_id)
        else:
            self.post_message(self.FullTextRequested(message))
            return
        anchor = self._anchor()
        self._blocks[index] = None
        self._reindex()
        self._restore(anchor)
        self.selected = index
        self._scroll_to_selected()

    def action_jump_quoted(self) -> None:
        message = self.selected_message
        if message is not None and message.reply_to:
            self.post_message(self.QuoteActivated(message, message.reply_to))

    def action_open_link(self) -> None:
        if (message := self.selected_message) is not None:
            self.post_message(self.LinkRequested(message, None))

    def on_click(self, event: events.Click) -> None:
        line = event.y + int(self.scroll_y)
        if not 0 <= line < len(self._owners) or self._owners[line] < 0:
            return
        index = self._owners[line]
        message = self._messages[index]
        was_selected = self.selected == index
        self.selected = index
        if event.button == 3:  # right click: the message's actions
            self.post_message(self.MenuRequested(message))
            return
        link = link_index_at(self._lines[line], event.x - 1 + int(self.scroll_x))  # 1: the cursor gutter
        if link is not None:
            self.post_message(self.LinkRequested(message, link))
            return
        bubble_row = line - self._first_line[index] - self._blocks[index][1]  # type: ignore[index]
        if (emoji := self._chip_at(index, bubble_row, event.x - 1 + int(self.scroll_x))) is not None:
            self.post_message(self.ReactionToggled(message, emoji))
        elif bubble_row == self._more(index).more_row:
            self._show_more(index)
        elif message.reply_to and bubble_row == (1 if message.kind.value == "template" else 0):
            self.post_message(self.QuoteActivated(message, message.reply_to))
        elif message.status is MessageStatus.FAILED and message.outgoing:
            self.post_message(self.MessageActivated(message))
        elif message.attachment is not None and bubble_row in self._card_rows(index):
            self.post_message(self.FileRequested(message, ask=True))
        elif was_selected and event.chain >= 2:
            self.post_message(self.MessageActivated(message))
