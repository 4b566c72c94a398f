"""The chat history: a Line API `ScrollView` that lays out at most ~500 messages into strips.

It never mounts a widget per message and never holds a whole chat: the controller gives it the newest
page, it asks for older pages when scrolled to the top (`OlderRequested`) and keeps the viewport still
when they arrive, and drops the far end when it holds too many. Strips are built once per message and
width (see `message_layout`), so painting is a slice of a list.

Three classes in a line, each over the one before: `HistoryView` (here: the state, the messages it posts,
layout, painting and scrolling), `HistoryWindow` (which messages the window holds, paging and the page
fetched ahead) and `MessageView` (what keys and clicks do), the widget the screens use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from itertools import compress, count, repeat
from operator import is_, is_not

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui_messenger.domain.models import ChatMessage
from tui_messenger.tui.widgets.message_layout import Context, Palette, layout_message
from tui_messenger.tui.widgets.textual_private import grow_quietly
from tui_messenger.tui.widgets.timefmt import day_label, local_day, same_day
from tui_messenger.tui.widgets.typeahead import Typeahead


class HistoryView(ScrollView):
    """The state of a `MessageView`: its messages laid out into lines, painted and scrolled."""

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

    class OlderRequested(Message, namespace="message_view"):
        """Scrolled to the top: load the page before `oldest`."""

        def __init__(self, oldest: ChatMessage) -> None:
            super().__init__()
            self.oldest = oldest

    class NewestRequested(Message, namespace="message_view"):
        """Scrolled to the bottom of a window that does not reach the newest message."""

    class _AboutMessage(Message, namespace="message_view"):
        """Base of the messages below that carry only the chat message they are about."""

        def __init__(self, message: ChatMessage) -> None:
            super().__init__()
            self.message = message

    class MessageActivated(_AboutMessage, namespace="message_view"):
        """Enter or a double click on a message: reply to it, or retry it when it failed."""

    class ChoicesOffered(_AboutMessage, namespace="message_view"):
        """Enter on a message whose buttons or list rows are still open: offer them (and a reply)."""

    class ChoiceRequested(Message, namespace="message_view"):
        """A click on an open button or list row drawn in a bubble: answer with that choice."""

        def __init__(self, message: ChatMessage, choice_id: str) -> None:
            super().__init__()
            self.message = message
            self.choice_id = choice_id

    class QuoteActivated(Message, namespace="message_view"):
        """Jump to the message a reply quotes."""

        def __init__(self, message: ChatMessage, quoted_id: str) -> None:
            super().__init__()
            self.message = message
            self.quoted_id = quoted_id

    class LinkRequested(Message, namespace="message_view"):
        """`o` on a message (`index` None: all its links) or a click on a link (`index` in
        `link_marks.links_in(message.body)`). The screen asks before anything opens."""

        def __init__(self, message: ChatMessage, index: int | None) -> None:
            super().__init__()
            self.message = message
            self.index = index

    class EditRequested(_AboutMessage, namespace="message_view"):
        """`e` on a message: edit it in the composer (the screen checks the rules first)."""

    class DeleteRequested(_AboutMessage, namespace="message_view"):
        """`x` or Delete on a message: ask "for me" or "for everyone"."""

    class MenuRequested(_AboutMessage, namespace="message_view"):
        """A right click on a message: its actions (edit, delete) in a dialog, for the mouse."""

    class ReactRequested(_AboutMessage, namespace="message_view"):
        """`+` on a message: open the reaction picker for it; keys typed right after `+` wait in
        `typeahead` for the picker."""

        def __init__(self, message: ChatMessage, typeahead: Typeahead | None = None) -> None:
            super().__init__(message)
            self.typeahead = typeahead

    class ReactionToggled(Message, namespace="message_view"):
        """A click on a reaction chip: react with that emoji, or take the user's own back."""

        def __init__(self, message: ChatMessage, emoji: str) -> None:
            super().__init__()
            self.message = message
            self.emoji = emoji

    class FullTextRequested(_AboutMessage, namespace="message_view"):
        """Show more on a body too large to expand in place: show it in the reader."""

    class FileRequested(Message, namespace="message_view"):
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
        self._laid: list[tuple[list[Strip], int] | None] = []  # the blocks `_lines` was built from
        self._width = 0
        self._palette: Palette | None = None
        self._laid_palette: Palette | None = None  # the look the blocks were laid out in (no cursor)
        self._laid_day: date | None = None  # the day they were laid out on (the clock may jump)
        self.peer_name = ""  # the chat's other party: named in the quotes of their messages
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
        self._typeahead: Typeahead | None = None  # keys typed after `+`, for the reaction picker

    # data ------------------------------------------------------------------------------------------
    @property
    def messages(self) -> Sequence[ChatMessage]:
        return self._messages

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
            quoted_from=self.peer_name,
            answered=message.message_id in self._answered,
            day_label=label,
            expanded=message.message_id in self._expanded,
        )

    def _relayout(self) -> None:
        if not self.is_mounted:
            return
        width = self._content_width()
        palette, now = self._resolve_palette(), self._now()
        look = replace(palette, cursor=Style())  # the cursor is painted over the blocks, not in them
        today = local_day(now)  # "Today" and "Yesterday" in the blocks name days relative to it
        if width != self._width or look != self._laid_palette or today != self._laid_day:
            self._width, self._laid_palette, self._laid_day = width, look, today
            self._blocks = [None] * len(self._messages)
        blocks = self._blocks
        for index in list(compress(count(), map(is_, blocks, repeat(None)))):  # the blocks to lay out
            blocks[index] = layout_message(
                self._messages[index], self._layout_context(index, now), width, palette
            )
        # The blocks laid out last time that still come first keep their lines, and those their paint:
        # after an append only the new blocks are added and painted (a chat holds up to 500 messages).
        # The lists are cut and extended in place, and blocks are found by C iterators: over 500 blocks,
        # 0.05 ms on a CPU idle since the last message, against 0.13 for Python loops and copies.
        laid, lines, owners, painted = self._laid, self._lines, self._owners, self._painted
        firsts = self._first_line
        same = next(compress(count(), map(is_not, blocks, laid)), min(len(blocks), len(laid)))
        if same < len(laid):
            cut = firsts[same]  # the first line of the first block that is not the same
        else:
            cut = len(lines) - 1 if laid else 0  # every line but the blank one at the end
        if len(painted) != len(lines):
            painted.clear()
        for kept in (lines, owners, painted):
            del kept[cut:]
        del firsts[same:], laid[same:]
        for index in range(same, len(blocks)):
            strips, start = blocks[index]  # type: ignore[misc]  # (every block was laid out above)
            firsts.append(len(lines))
            lines.extend(strips)
            owners.extend([-1] * start + [index] * (len(strips) - start))
        laid.extend(blocks[same:])
        lines.append(Strip.blank(width, palette.base))
        owners.append(-1)
        painted.extend([None] * (len(lines) - len(painted)))
        grow_quietly(self, Size(width + 1, len(lines)))  # no layout of the whole screen per message
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if not hasattr(self, "_messages"):  # called from Widget.__init__, before ours has run
            return
        # The component styles are read again after this update. The laid-out blocks stay until then:
        # a click or a key in between maps onto the lines on screen. Focus changes only the cursor,
        # which is painted over the blocks, so it lays out nothing again (`_relayout` compares).
        self._palette = None
        if self.is_mounted:
            self.call_after_refresh(self._relayout)

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

    # scrolling ---------------------------------------------------------------------------------------
    def _jump(self, y: float) -> None:
        # force: just after the content grew the scrollbar is not shown yet and scroll_to would do nothing
        self._jumping = True
        try:
            self.scroll_to(y=y, animate=False, force=True)
        finally:
            self._jumping = False

    def watch_selected(self, old: int | None, new: int | None) -> None:
        self.refresh()
        self.refresh_bindings()  # 'Open link' and 'React' depend on the selected message

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
